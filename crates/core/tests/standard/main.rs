//! Standardization (标准化建设) on whichever engine the tests run: standards
//! and their versions, computed items at their period edges, 摸底自查,
//! problem lists, 申报 and 验收, the ledger, weak-organization warnings and
//! the safeguards. One test binary: each file is a module.
#[path = "../common/mod.rs"]
mod common;
mod std_common;

mod applications;
mod checks;
mod computed;
mod ledger;
mod problems;
mod safeguards;
mod standards;
mod warnings;
