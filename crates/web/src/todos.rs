//! The to-do center (待办): every module's rules, in the caller's scopes,
//! judged on the day, and how one reads on screen.
use crate::extract::Auth;
use serde::Serialize;
use tongpin_core::auth::Power;
use tongpin_core::todo::{self, Status, Todo};
use tongpin_core::{develop, dues, life, org, plan, standard, study, transfer, Error, Result};

/// The caller's to-dos, judged on today's Beijing date: overdue first, then
/// by deadline.
pub async fn for_caller(a: &Auth) -> Result<Vec<Todo>> {
    let db = &a.state.db;
    let now = a.now();
    let mut all = Vec::new();
    if let Some(scope) = a.who.scope(Power::ManageOrgs) {
        all.extend(org::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManagePeople) {
        all.extend(transfer::todos(db, &scope, now).await?);
        all.extend(develop::todos(db, &scope, now).await?);
        all.extend(dues::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManagePlan) {
        all.extend(plan::todos::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManageStudy) {
        all.extend(study::todos::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::EnterKpi) {
        all.extend(plan::todos::kpi_todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManageLife) {
        all.extend(life::todos::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManageStandard) {
        all.extend(standard::todos::todos(db, &scope, now).await?);
        all.extend(standard::todos::lapse_todos(db, &scope, now).await?);
    }
    // Tasks the caller is responsible for, meetings they are called to and problems they own, in person.
    if let Some(person) = &a.who.person_id {
        let mut mine = plan::todos::of_person(db, person, now).await?;
        mine.extend(life::store::person_todos(db, person, now).await?);
        mine.extend(standard::todos::person_todos(db, person, now).await?);
        for t in mine {
            if !all.iter().any(|x| x.href == t.href) {
                all.push(t);
            }
        }
    }
    todo::settle(&mut all, tongpin_core::clock::beijing(now).date_naive());
    Ok(all)
}

/// A to-do as the list shows it: its module's name, where it stands and its
/// date in words.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    #[serde(flatten)]
    pub todo: Todo,
    /// overdue | soon | open.
    pub status: &'static str,
    /// 已逾期 | 即将到期 | 待办理.
    pub status_label: &'static str,
    /// The module's name: 发展党员, 党费, …
    pub module: &'static str,
    /// 「截止 2026年9月30日」 or 「2026年10月1日起可办理」.
    pub when: String,
}

impl Item {
    pub fn new(mut todo: Todo, today: chrono::NaiveDate) -> Item {
        let status = todo.status(today);
        todo.title = crate::fmt::cn_dates_in(&todo.title);
        todo.detail = crate::fmt::cn_dates_in(&todo.detail);
        let when = match (&todo.due, &todo.from) {
            (Some(d), _) => format!("截止 {}", crate::fmt::cn_date(d)),
            (None, Some(f)) => format!("{}起可办理", crate::fmt::cn_date(f)),
            (None, None) => String::new(),
        };
        Item {
            status: status.code(),
            status_label: status.label(),
            module: todo::module_label(todo.kind),
            when,
            todo,
        }
    }
    pub fn tag(&self) -> &'static str {
        match self.status {
            "overdue" => "tag-red",
            "soon" => "tag-gold",
            _ => "tag-grey",
        }
    }
}

/// The caller's to-dos as list items.
pub async fn items_for_caller(a: &Auth) -> Result<Vec<Item>> {
    let today = tongpin_core::clock::beijing(a.now()).date_naive();
    Ok(for_caller(a).await?.into_iter().map(|t| Item::new(t, today)).collect())
}

/// The list's filters (module code and status code), checked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Filter {
    pub module: Option<String>,
    pub status: Option<String>,
}

impl Filter {
    /// Empty values mean "all"; an unknown one is a 422 naming the field.
    pub fn checked(self) -> Result<Filter> {
        let module = self.module.filter(|m| !m.is_empty());
        let status = self.status.filter(|s| !s.is_empty());
        if let Some(m) = &module {
            if !todo::MODULES.iter().any(|(k, _)| k == m) {
                return Err(Error::invalid("模块", "不存在，请从列表中选择"));
            }
        }
        if let Some(s) = &status {
            if Status::parse(s).is_none() {
                return Err(Error::invalid("状态", "应为已逾期、即将到期或待办理"));
            }
        }
        Ok(Filter { module, status })
    }

    pub fn keeps(&self, i: &Item) -> bool {
        self.module.as_deref().is_none_or(|m| m == i.todo.kind) && self.status.as_deref().is_none_or(|s| s == i.status)
    }
}
