//! Standardization and progressive improvement (标准化规范化建设, 渐进式提升):
//! a committee publishes a building standard (建设标准) for a year; each
//! organization it applies to self-checks (摸底自查) — computed items fill
//! themselves from the records — lists its problems (问题清单) and rectifies
//! them, closed (销号) only when the direct superior verifies; it applies
//! (申报) once every baseline item is met and no problem is open, and the
//! direct superior by 隶属关系 accepts it with a grade ⅰ/ⅱ/ⅲ or fails it
//! into a new round (验收). The ledger (台账) shows a superior's whole scope
//! from aggregate queries; weak organizations (软弱涣散) are flagged from the
//! records; the safeguards (联系点, 督查调度, 书记培训, 基础保障) are kept here.
mod answers;
pub mod applications;
pub mod catalog;
pub mod checks;
pub mod computed;
mod computed_life;
mod computed_roster;
pub mod contacts;
mod decisions;
pub mod dispatch;
mod dispatch_reports;
pub mod evidence;
pub mod export;
mod figures;
pub mod history;
mod items;
pub mod ledger;
mod model;
mod problem_fields;
mod problem_flow;
mod problem_list;
pub mod problems;
pub mod resources;
mod rounds;
pub mod rules;
pub mod standards;
mod superior;
pub mod template;
pub mod todos;
pub mod training;
mod trend;
pub mod versions;
mod visits;
pub mod warnings;

pub use items::validate as validate_items;
pub use model::{
    AppStatus, Evaluation, Grade, Item, NewItem, NewStandard, ProblemStatus, Record, Rule, Source, Stage, Standard,
    StandardStatus, Status, Tier,
};
pub use superior::{check_direct_superior, parent_path};

use crate::db::Db;
use crate::org::{self, Org, Scope};
use crate::{Error, Result};

/// The owner kind of a self-check answer's evidence files (attachments).
pub const CHECK_FILES: &str = "standard_check";
/// The owner kind of a problem's rectification evidence.
pub const PROBLEM_FILES: &str = "standard_problem";
/// The owner kind of a 督查调度 report's files.
pub const DISPATCH_FILES: &str = "standard_dispatch_report";

/// Today in Beijing.
pub(crate) fn today(now: i64) -> chrono::NaiveDate {
    crate::clock::beijing(now).date_naive()
}

/// The organization a standard's cycle is run for: in the scope, not
/// dissolved, of a kind the standard names and below its publisher; the
/// standard published and current.
pub(crate) async fn subject(db: &Db, scope: &Scope, standard: &Standard, org_id: &str) -> Result<Org> {
    if org_id.trim().is_empty() {
        return Err(Error::invalid("组织", "不能为空，请选择组织"));
    }
    let o = org::get(db, scope, org_id.trim()).await?;
    if o.dissolved_at.is_some() {
        return Err(Error::invalid("组织", format!("{} 已撤销", o.name)));
    }
    if !standard.applies_to(&o.kind, &o.path) {
        return Err(Error::invalid(
            "组织",
            format!("“{}”不适用于{}（{}）", standard.display(), o.name, o.kind_label()),
        ));
    }
    current(standard)?;
    Ok(o)
}

/// Refuses a standard not in force: a draft, or one a new version replaced.
pub(crate) fn current(standard: &Standard) -> Result<()> {
    match standard.status() {
        StandardStatus::Published => Ok(()),
        StandardStatus::Draft => Err(Error::Conflict(format!(
            "“{}”尚未发布，发布后方可开展自查和验收",
            standard.display()
        ))),
        StandardStatus::Superseded => Err(Error::Conflict(format!(
            "“{}”已被新版本取代，请按新版本开展",
            standard.display()
        ))),
    }
}

/// A day that has come (a visit, a training, a pairing's start): required,
/// a real date, not after today.
pub(crate) fn past_day(field: &str, raw: &str, today: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    let d = crate::people::parse_date(field, raw)?
        .ok_or_else(|| Error::invalid(field, "不能为空，请填写日期，如 2026-03-15"))?;
    if d > today {
        return Err(Error::invalid(
            field,
            format!("{d} 晚于今天（{today}），只能登记已经发生的事"),
        ));
    }
    Ok(d)
}
