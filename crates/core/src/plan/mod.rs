//! One plan for both (四同步): business goals with KPIs and the Party tasks
//! that serve them, deployed to branches, carried out and checked together.
pub mod board;
pub mod copy;
pub mod deploy;
pub mod fusion;
pub mod goals;
pub mod matrix;
mod model;
pub mod people;
mod plan_import;
pub mod progress;
mod rules;
pub mod sheet;
pub mod support;
pub mod tasks;
pub mod template;
pub mod todos;
pub mod tokens;
mod value_sheet;
pub mod values;

pub use model::{
    text_or_number, Goal, Kpi, KpiValue, Milestone, NewGoal, NewKpi, NewMilestone, NewTask, ProgressReport, Source,
    Task,
};
pub use rules::{
    attainment_bp, check_deadline, due_periods, figure_text, kpi_status, mean_bp, parse_figure, percent_text,
    reporting_start, Direction, Figure, KpiStatus, Period, PeriodKind,
};

use crate::db::Db;
use crate::org::{self, Org, Scope};
use crate::{Error, Result};

/// The organization a plan item is written for: in the scope and not dissolved.
pub(crate) async fn plan_org(db: &Db, scope: &Scope, org_id: &str) -> Result<Org> {
    if org_id.trim().is_empty() {
        return Err(Error::invalid("组织", "不能为空，请选择组织"));
    }
    let o = org::get(db, scope, org_id.trim()).await?;
    if o.dissolved_at.is_some() {
        return Err(Error::invalid("组织", format!("{} 已撤销，不能再制定计划", o.name)));
    }
    Ok(o)
}

/// A plan year, 2000–2100.
pub(crate) fn year_of(y: i64) -> Result<i32> {
    match i32::try_from(y) {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(Error::invalid(
            "年度",
            format!("“{y}”不是有效年度，应为 2000 至 2100 之间的年份"),
        )),
    }
}

/// Today in Beijing.
pub(crate) fn today(now: i64) -> chrono::NaiveDate {
    crate::clock::beijing(now).date_naive()
}
