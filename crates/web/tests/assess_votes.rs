//! The assessment's ballots, appeals, 述职 and 一岗双责 through the web, on
//! whichever engine the tests run (SQLite, or PostgreSQL with TONGPIN_TEST_PG).
#[path = "assess_votes/appeals.rs"]
mod appeals;
#[path = "assess_votes/ballots.rs"]
mod ballots;
mod common;
#[path = "assess_votes/duties.rs"]
mod duties;
#[path = "assess_votes/reports.rs"]
mod reports;
#[path = "assess_votes/world.rs"]
mod world;
