//! Organizational life (组织生活): 三会一课 and the other obligations recorded
//! once, compliance computed per organization and period, participation.
pub mod absence;
pub mod compliance;
pub mod frequencies;
mod model;
pub mod participation;
pub mod record;
pub mod rules;
pub mod store;
pub mod tallies;
pub mod todos;
mod validate;

pub use model::{
    Absentee, Attendance, Grade, Kind, Meeting, NewGrade, NewMeeting, NewResolution, ReasonKind, Resolution,
};
pub use rules::Standing;
