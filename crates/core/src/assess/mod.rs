//! Assessment (考核评价, 一表双考): a committee assesses the organizations of
//! its subtree (or their members: 一考双评) for a period on one sheet of
//! Party and business indicators. Indicators are computed from the records
//! (meetings, KPIs, tasks, required courses, rectification, dues), entered
//! by the assessor, or rated by groups — the superior (组织评价), peers (互评),
//! the masses (群众评议, by one-time anonymous ballots kept only as tallies)
//! and self — with weights summing to 1. Baseline items (底线) veto, high-line
//! items (高线) add a capped bonus, grades follow the rule table. Results are
//! recomputed while open and frozen under a SHA-256 when closed; only an
//! appeal (申诉) changes them afterwards, with the before and after kept.
//! Plus the secretary's 述职 report (一述双报) and the 一岗双责 lists.
mod appeal_decide;
pub mod appeals;
pub mod ballot_board;
pub mod ballots;
mod computed;
mod computed_life;
mod computed_plan;
mod computed_records;
pub mod duties;
pub mod evidence;
mod evidence_records;
pub mod freeze;
mod indicators;
pub mod lines;
mod model;
pub mod ratings;
pub mod read;
pub mod report;
pub mod report_list;
pub mod results;
pub mod rules;
pub mod scores;
pub mod setup;
pub mod todos;

pub use indicators::{check_indicator, check_metric};
pub use lines::{Basis, GroupLine, Line, Part};
pub use model::{
    Assessment, FigureRule, Grade, Group, Indicator, Kind, Metric, NewAssessment, NewFigure, NewIndicator, Side,
    Subject, Target, Thresholds, Tier, Weights,
};

use crate::org::Scope;
use crate::sql::Where;

/// "(col in one of the scope's subtrees)" as a condition to combine, with its
/// parameters taken from `w`.
pub(crate) fn scope_cond(scope: &Scope, w: &mut Where, col: &str) -> String {
    match scope.roots() {
        None => "1 = 1".into(),
        Some([]) => "1 = 0".into(),
        Some(roots) => {
            let ors: Vec<String> = roots.iter().map(|p| w.prefix_cond(col, p)).collect();
            format!("({})", ors.join(" OR "))
        }
    }
}

/// Today in Beijing.
pub(crate) fn today(now: i64) -> chrono::NaiveDate {
    crate::clock::beijing(now).date_naive()
}

/// Whether the caller acts for the assessor (its staff or above): sees every
/// result while the assessment is open.
pub fn is_assessor(scope: &Scope, a: &Assessment) -> bool {
    scope.contains_path(&a.org_path)
}
