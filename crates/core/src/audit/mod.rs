//! The tamper-evident audit log (审计日志): every record carries the keyed
//! hash (HMAC) of itself and the one before, with a key kept outside the
//! database, so an edit, deletion, insertion or reordering is detected, and
//! anchors outside the database catch a cut tail and a moved base.
mod anchor;
mod model;
mod rules;
mod seal;
mod store;
mod verify;

pub use anchor::Anchor;
pub use model::{action_label, Actor, Event, Outcome, Record, ACTIONS};
pub use rules::{chain_hash, verify_chain, Algo, ChainBreak, GENESIS};
pub use seal::{default_paths, Key, Seal};
pub use store::{append, count, list, purge_before, record, Filter};
pub use verify::{anchor_head, load_key, open_sealed, verify, verify_with, KeySource, Verified};
