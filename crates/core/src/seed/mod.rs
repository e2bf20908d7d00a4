//! Data the product makes for itself: the demo and synthetic scale data.
mod demo;
mod develop;
mod dues;
mod gen;
mod people;
mod structure;
mod transfers;

pub use demo::{seed_demo, DemoAccount};
pub use gen::generate;
