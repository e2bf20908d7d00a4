//! tongpin core: domain types, rules and data access. No HTTP here.
pub mod audit;
pub mod auth;
pub mod clock;
pub mod db;
pub mod error;
pub mod ids;
pub mod org;
pub mod rules;
pub mod seed;
pub mod sql;
pub mod text;

pub use error::{Error, Result};
