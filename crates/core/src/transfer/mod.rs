//! Transfers of membership (组织关系转接): within the system (the receiving
//! organization accepts or returns), out of it (an introduction letter), and in.
//!
//! A person's records hang off the person, and the person's `org_path` is
//! what every scope checks: when a transfer is accepted the path moves, so
//! the history travels with the person and the old branch no longer sees
//! anything of them made after the move.
mod actions;
mod model;
mod posts;
mod rules;
mod store;

pub use actions::{accept, cancel, request, send_back};
pub use model::{Direction, Filter, Kind, NewTransfer, Status, Transfer};
pub use rules::{decide_by, letter_no, letter_prefix, valid_until};
pub use store::{count, get, letter, list, of_person, page, pick_targets, todos, Letter};
