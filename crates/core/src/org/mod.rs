//! Organizations (组织): the Party tree every permission is scoped to.
mod model;
mod scope;
mod store;

pub use model::{Org, OrgKind};
pub use scope::Scope;
pub use store::{counts, create, get, list, name_paths, rename, NewOrg};
