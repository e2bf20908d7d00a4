//! tongpin core: domain types, rules and data access. No HTTP here.
pub mod audit;
pub mod auth;
pub mod bench;
pub mod bench_life;
pub mod bench_plan;
pub mod clock;
pub mod db;
pub mod develop;
pub mod dues;
pub mod error;
pub mod files;
pub mod ids;
pub mod life;
pub mod notify;
pub mod org;
pub mod people;
pub mod plan;
pub mod reminders;
pub mod rules;
pub mod seed;
pub mod sheet;
pub mod sql;
pub mod study;
pub mod text;
pub mod todo;
pub mod transfer;

pub use error::{Error, Result};
