//! Data the product makes for itself: the demo and synthetic scale data.
mod demo;
mod gen;
mod people;

pub use demo::{seed_demo, DemoAccount};
pub use gen::generate;
