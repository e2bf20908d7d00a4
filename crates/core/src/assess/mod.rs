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
mod model;
pub mod rules;

pub use model::{
    Assessment, FigureRule, Grade, Group, Indicator, Kind, Metric, NewAssessment, NewFigure, NewIndicator, Side,
    Subject, Target, Thresholds, Tier, Weights,
};
