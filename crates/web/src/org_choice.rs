//! The organization a page is about (选组织): the one asked for, checked in
//! the caller's scope, or the scope's first in tree order, with its name path
//! for the type-ahead chooser (templates/partials/org_picker.html). A page
//! never loads the scope's whole organization table to offer a choice.
use tongpin_core::db::Db;
use tongpin_core::org::{self, Narrow, Org, Scope};
use tongpin_core::Error;

pub async fn chosen(db: &Db, scope: &Scope, wanted: Option<&str>) -> Result<(Org, String), Error> {
    let o = match wanted.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => org::get(db, scope, id).await?,
        None => org::pick(db, scope, "", Narrow::default(), 1)
            .await?
            .pop()
            .map(|(o, _)| o)
            .ok_or_else(|| Error::NotFound("您的管理范围内还没有组织".into()))?,
    };
    let path = path_of(db, &o).await?;
    Ok((o, path))
}

/// One organization's name path ("机关党委/第一党总支/第一党支部").
pub async fn path_of(db: &Db, o: &Org) -> Result<String, Error> {
    Ok(org::name_paths_of(db, std::slice::from_ref(o))
        .await?
        .pop()
        .unwrap_or_default())
}

/// The name path of the organization `id` when it lies in the scope, empty
/// otherwise or for an empty id: what a chooser shows for a kept value.
pub async fn shown(db: &Db, scope: &Scope, id: &str) -> Result<String, Error> {
    match submitted(db, scope, id, "组织").await {
        Ok(Some(o)) => path_of(db, &o).await,
        Ok(None) | Err(Error::Invalid { .. }) => Ok(String::new()),
        Err(e) => Err(e),
    }
}

/// The organization a form's chooser `field` submitted (None when left
/// empty), refused with a message naming the field when it is not in the
/// caller's scope.
pub async fn submitted(db: &Db, scope: &Scope, id: &str, field: &str) -> Result<Option<Org>, Error> {
    match id.trim() {
        "" => Ok(None),
        id => match org::get(db, scope, id).await {
            Ok(o) => Ok(Some(o)),
            Err(Error::NotFound(_)) => Err(Error::invalid(field, "所选组织不存在或不在您的管理范围内，请重新选择")),
            Err(e) => Err(e),
        },
    }
}

/// A list's organization filter: the one asked for with its name path, None
/// when none is; refused (Error::Invalid) when it is not in the scope.
pub async fn filter(db: &Db, scope: &Scope, wanted: Option<&str>) -> Result<Option<(Org, String)>, Error> {
    match submitted(db, scope, wanted.unwrap_or(""), "组织").await? {
        Some(o) => {
            let path = path_of(db, &o).await?;
            Ok(Some((o, path)))
        }
        None => Ok(None),
    }
}

/// The organization a form's chooser starts with, as (id, name path): the
/// one it kept when that is in the scope, else the scope's first narrowed by
/// `n`; None when the scope has none such.
pub async fn preset(db: &Db, scope: &Scope, kept: &str, n: Narrow<'_>) -> Result<Option<(String, String)>, Error> {
    match submitted(db, scope, kept, "组织").await {
        Ok(Some(o)) => {
            let path = path_of(db, &o).await?;
            return Ok(Some((o.id, path)));
        }
        Ok(None) | Err(Error::Invalid { .. }) => {}
        Err(e) => return Err(e),
    }
    Ok(org::pick(db, scope, "", n, 1)
        .await?
        .pop()
        .map(|(o, path)| (o.id, path)))
}

/// The query of a chooser of the organizations strictly below `o` (no
/// 党小组) that the caller manages in a module (`purpose`, as the pick API
/// takes it), when there is any: a deployment's targets.
pub async fn below_for(db: &Db, manage: &Scope, o: &Org, purpose: &str) -> Result<Option<String>, Error> {
    let n = Narrow {
        kinds: org::UNITS,
        below: Some(&o.path),
        ..Narrow::default()
    };
    let any = !org::pick(db, manage, "", n, 1).await?.is_empty();
    Ok(any.then(|| format!("{purpose}&manage=1&kinds=units&under={}", o.id)))
}
