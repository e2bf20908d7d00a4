//! The tamper-evident audit log (审计日志): every record carries the hash of
//! the one before, so an edit, deletion, insertion or reordering is detected.
mod model;
mod rules;
mod store;

pub use model::{action_label, Actor, Event, Outcome, Record, ACTIONS};
pub use rules::{chain_hash, verify_chain, Algo, ChainBreak, GENESIS};
pub use store::{append, count, list, purge_before, record, verify, Filter};
