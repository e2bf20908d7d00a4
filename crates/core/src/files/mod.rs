//! Evidence files (佐证材料): uploads checked by content against an
//! allow-list, stored once per SHA-256 in the database in chunks, attached to
//! any record by (owner_kind, owner_id), and removed with their last attachment.
mod rules;
mod staged;
mod store;

pub use rules::{
    check, check_name, extension, sanitize_name, served_type, size_label, FIELD, HEAD_BYTES, MAX_NAME_CHARS,
};
pub use staged::{stage, staged};
pub(crate) use store::get;
pub use store::{attach, chunk, detach, detach_all, gc, list, save, Attachment, Spool, Stored, CHUNK_BYTES};
