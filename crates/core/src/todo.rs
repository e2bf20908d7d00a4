//! To-dos (待办): what a rule says someone must do soon or is late with.
//! Each module offers `todos(db, scope, now)`; the work bench and the bell
//! gather them.
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Todo {
    /// The module it comes from, e.g. "develop", "dues", "transfer", "org".
    pub kind: &'static str,
    /// What to do, in Chinese: "张三：谈话（步骤 2）".
    pub title: String,
    /// Why, with the rule: "入党申请后 1 个月内须谈话".
    pub detail: String,
    /// YYYY-MM-DD, Beijing time, when there is a deadline.
    pub due: Option<String>,
    pub overdue: bool,
    /// The page where it is done.
    pub href: String,
}
