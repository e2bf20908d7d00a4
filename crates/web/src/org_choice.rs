//! The organization a page is about (选组织): the one asked for, checked in
//! the caller's scope, or the scope's first in tree order, with its name path
//! for the type-ahead chooser (templates/partials/org_picker.html). A page
//! never loads the scope's whole organization table to offer a choice.
use tongpin_core::db::Db;
use tongpin_core::org::{self, Org, Scope};
use tongpin_core::Error;

pub async fn chosen(db: &Db, scope: &Scope, wanted: Option<&str>) -> Result<(Org, String), Error> {
    let o = match wanted.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => org::get(db, scope, id).await?,
        None => org::pick(db, scope, "", 1)
            .await?
            .pop()
            .map(|(o, _)| o)
            .ok_or_else(|| Error::NotFound("您的管理范围内还没有组织".into()))?,
    };
    let path = org::name_paths_of(db, std::slice::from_ref(&o))
        .await?
        .pop()
        .unwrap_or_default();
    Ok((o, path))
}
