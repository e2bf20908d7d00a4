//! The annual plan's records: goals (业务目标) with KPIs and their values,
//! Party tasks (党建任务), milestones and progress reports.
use super::rules::{Direction, Figure, PeriodKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Goal {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub year: i64,
    pub parent_id: Option<String>,
    pub title: String,
    pub description: String,
    pub difficult: bool,
    pub seq: i64,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Kpi {
    pub id: String,
    pub goal_id: String,
    pub seq: i64,
    pub name: String,
    pub unit: String,
    pub baseline: Figure,
    pub target: Figure,
    pub direction: String,
    pub period_kind: String,
    /// When it was set up (ms); its reporting starts that day (Beijing time).
    pub created_at: i64,
}

impl Kpi {
    /// The first day it owes figures for, in its plan year.
    pub fn reporting_start(&self, year: i64) -> chrono::NaiveDate {
        super::rules::reporting_start(self.created_at, i32::try_from(year).unwrap_or(2000))
    }
    pub fn direction(&self) -> Direction {
        Direction::parse(&self.direction).unwrap_or(Direction::Higher)
    }
    pub fn period_kind(&self) -> PeriodKind {
        PeriodKind::parse(&self.period_kind).unwrap_or(PeriodKind::Month)
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct KpiValue {
    pub kpi_id: String,
    pub period: String,
    pub value: Figure,
    pub source: String,
    pub entered_by: String,
    pub entered_at: i64,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Task {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub year: i64,
    pub parent_id: Option<String>,
    pub title: String,
    pub description: String,
    pub standing: bool,
    pub deadline: String,
    pub accepted_at: Option<i64>,
    pub progress: i64,
    pub done_on: Option<String>,
    pub seq: i64,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Milestone {
    pub id: String,
    pub task_id: String,
    pub title: String,
    pub due_on: String,
    pub done_on: Option<String>,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ProgressReport {
    pub id: String,
    pub task_id: String,
    pub percent: i64,
    pub note: String,
    pub reported_by: String,
    pub reported_at: i64,
}

/// A KPI as entered: figures still text ("12.5"), checked by `goals::create`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewKpi {
    pub name: String,
    #[serde(default)]
    pub unit: String,
    #[serde(deserialize_with = "text_or_number")]
    pub baseline: String,
    #[serde(deserialize_with = "text_or_number")]
    pub target: String,
    /// "higher" or "lower".
    pub direction: String,
    /// "month", "quarter" or "year"; monthly when empty.
    #[serde(default)]
    pub period: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewGoal {
    pub org_id: String,
    pub year: i64,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub difficult: bool,
    /// Owners' names on the roster ("张三、李四").
    #[serde(default)]
    pub owners: Vec<String>,
    #[serde(default)]
    pub kpis: Vec<NewKpi>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewMilestone {
    pub title: String,
    pub due_on: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewTask {
    pub org_id: String,
    pub year: i64,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The goals it serves (结合点): its own organization's or a superior's.
    #[serde(default)]
    pub goal_ids: Vec<String>,
    /// A standing Party requirement (常规党建要求) serving no particular goal.
    #[serde(default)]
    pub standing: bool,
    /// YYYY-MM-DD.
    pub deadline: String,
    /// People responsible, by name on the roster.
    #[serde(default)]
    pub assignees: Vec<String>,
    #[serde(default)]
    pub milestones: Vec<NewMilestone>,
}

/// Where a figure came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Manual,
    Import,
    Api,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::Import => "import",
            Source::Api => "api",
        }
    }
}

/// A figure sent as JSON text ("12.5") or as a number (12.5): kept as text
/// so it is parsed exactly by `parse_figure`, never through floating point
/// arithmetic.
pub fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("数值或文本")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}
