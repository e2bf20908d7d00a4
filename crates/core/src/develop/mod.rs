//! Member development (发展党员): the 25 steps through five stages, and the
//! timing rules each step is checked against.
mod model;
mod rules;

pub use model::{Body, Introducer, Stage, StepDef, StepFacts, Violation};
pub use rules::{
    check_step, current_stage, due_steps, due_steps_with_extension, probation_end, step_def, step_warnings, STEPS,
};
