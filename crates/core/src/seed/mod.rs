//! Data the product makes for itself: the demo and synthetic scale data.
mod assess;
mod assess_gen;
mod demo;
mod develop;
mod dues;
mod gen;
mod life;
mod life_gen;
mod people;
mod plan;
mod plan_gen;
mod plan_values;
mod safeguards;
mod standard;
mod standard_gen;
mod structure;
mod study;
mod transfers;

pub use assess_gen::{generate_assess, AssessGen, ASSESS_TITLE};
pub use demo::{seed_demo, DemoAccount};
pub use gen::generate;
pub use life_gen::{generate_life, LifeGen};
pub use plan_gen::{generate_plan, PlanGen, PLAN_COMMITTEE};
pub use standard_gen::{generate_standard, StandardGen, STANDARD_TITLE};

/// A valid citizen ID for generated people (sequence below 50).
pub fn bench_citizen_id(region: &str, birth_yyyymmdd: &str, seq: u32) -> String {
    people::citizen_id(region, birth_yyyymmdd, seq, seq.is_multiple_of(2))
}
