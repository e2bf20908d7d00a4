//! One plan for both (四同步): business goals with KPIs and the Party tasks
//! that serve them. So far the pure rules: KPI figures, reporting periods and
//! attainment; the stores and pages follow.
mod rules;

pub use rules::{attainment_bp, parse_figure, Direction, Figure, Period, PeriodKind};
