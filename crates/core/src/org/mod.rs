//! Organizations (组织): the Party tree every permission is scoped to.
mod level;
pub mod members;
mod model;
mod overview;
mod scope;
mod settings;
mod store;
mod structure;
mod units;

pub use level::{level, Level};
pub use model::{Org, OrgKind};
pub use overview::{branch_warnings, next_election, overview, row_of, todos, Officer, OrgRow, Warning};
pub use scope::Scope;
pub use settings::{rule_settings, rule_settings_all, set_rule_settings, share_label, top_in_scope, RuleSettings};
pub(crate) use store::anywhere;
pub use store::{
    by_ids, counts, create, get, list, name_path_of, name_paths, name_paths_of, names_of, pick, rename, scope_roots,
    Narrow, NewOrg, LEADING, UNITS,
};
pub(crate) use structure::end_post;
pub use structure::{
    add_officer, dissolve, merge, move_subtree, post_label, remove_officer, set_org_type, set_term, POSTS,
};
pub use units::{attach, attachments, create_unit, list_units, units_of, NewUnit, Unit, UNIT_KINDS};
