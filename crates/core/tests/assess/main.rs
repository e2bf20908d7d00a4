//! Assessment (考核评价, 一表双考) on whichever engine the tests run: the sheet and
//! its refusals, computed sources, the arithmetic, anonymous ballots, closing
//! and its hash, appeals and documents. One test binary: each file is a module.
mod assess_common;
#[path = "../common/mod.rs"]
mod common;

mod appeals;
mod arithmetic;
mod ballots;
mod close;
mod documents;
mod setup;
mod sources;
