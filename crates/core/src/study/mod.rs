//! Study (学习): each organization's annual study plan (年度学习计划) filed
//! with (报备) and reviewed by (审核) its superior, required courses (必修课程)
//! with class-hour completion, and the study members record (学习记录).
//! Hours are class hours as recorded, never time measured in the app; no
//! view ranks people by hours.
pub mod courses;
mod model;
pub mod plans;
pub mod records;
mod rules;
pub mod summary;
pub mod todos;

pub use model::{Course, NewCourse, NewItem, NewPlan, NewRecord, PlanItem, StudyPlan, StudyRecord, FORMS};
pub use rules::{
    check_fileable, check_month, completed, filing_due, hours_text, is_superior, parse_hours, transition, Action,
    Status, MAX_ITEMS_PER_MONTH,
};

use crate::db::Db;
use crate::org::{self, Org, Scope};
use crate::{Error, Result};

/// The organization study is written for: in the scope and not dissolved.
pub(crate) async fn study_org(db: &Db, scope: &Scope, org_id: &str) -> Result<Org> {
    if org_id.trim().is_empty() {
        return Err(Error::invalid("组织", "不能为空，请选择组织"));
    }
    let o = org::get(db, scope, org_id.trim()).await?;
    if o.dissolved_at.is_some() {
        return Err(Error::invalid("组织", format!("{} 已撤销，不能再登记学习", o.name)));
    }
    Ok(o)
}

/// Today in Beijing.
pub(crate) fn today(now: i64) -> chrono::NaiveDate {
    crate::clock::beijing(now).date_naive()
}

/// The first and last day of a year, as text, for `studied_on` ranges.
pub(crate) fn year_range(year: i64) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}
