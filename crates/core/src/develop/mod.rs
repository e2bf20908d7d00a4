//! Member development (发展党员): the 25 steps through five stages, and the
//! timing rules each step is checked against; the steps recorded per person,
//! the pipeline by stage and the to-dos it gives.
mod due;
mod kept;
mod model;
mod next_due;
mod pipeline;
mod pipeline_page;
mod record;
mod rules;
mod store;
#[cfg(test)]
mod tests;

pub use due::{due_steps, due_steps_with_extension, due_tracked};
pub use kept::{kept_records, record_kept, tracked_of, KeptRecord, NewKept};
pub use model::{Body, Introducer, RecordKind, Stage, StepDef, StepFacts, Tracked, Violation};
pub use next_due::{rebuild as recount_due, settle as settle_due};
pub use pipeline::{dues, pipeline, progress, todos, Due, InDevelopment, Pipeline, PipelineFilter, StageCount};
pub use pipeline_page::{pipeline_people, pipeline_summary, PipelineSummary};
pub use record::{field_of, validate, NewStep, StepRecord, ValidStep, NAME_SEP};
pub use rules::{check_extension, check_step, current_stage, probation_end, rule, step_def, step_warnings, STEPS};
pub use store::{record_step, steps, Recorded};
