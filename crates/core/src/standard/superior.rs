//! Who decides (分级负责): the direct superior by 隶属关系 — the staff of the
//! organization's parent. The organization itself, a grandparent or any
//! other superior is refused: acceptance and 销号 are never done for oneself,
//! nor skipped up the tree.
use crate::db::Db;
use crate::org::{Org, Scope};
use crate::{Error, Result};

/// The parent's path: "/a/b/c/" → "/a/b/"; None at the top.
pub fn parent_path(path: &str) -> Option<String> {
    let inner = path.strip_suffix('/')?;
    let cut = inner.rfind('/')?;
    (cut > 0).then(|| inner[..=cut].to_string())
}

/// Refuses (403) anyone but the staff of `org`'s parent; `what` names the
/// act ("验收", "核验销号") in the message.
pub async fn check_direct_superior(db: &Db, scope: &Scope, org: &Org, what: &str) -> Result<()> {
    let Some(parent) = parent_path(&org.path) else {
        return Err(Error::Forbidden(format!("{}没有上级党组织，无法{what}", org.name)));
    };
    if scope.holds_at(&parent) {
        return Ok(());
    }
    let parent_name = match &org.parent_id {
        Some(id) => crate::org::anywhere(db, id).await.map(|p| p.name).unwrap_or_default(),
        None => String::new(),
    };
    if scope.contains_path(&org.path) && !scope.contains_below(&org.path) || scope.holds_at(&org.path) {
        return Err(Error::Forbidden(format!(
            "{}不能为本组织{what}，应由直接上级党组织“{parent_name}”{what}",
            org.name
        )));
    }
    Err(Error::Forbidden(format!(
        "按照隶属关系、分级负责，{}的{what}由直接上级党组织“{parent_name}”负责，其他上级党组织不能代为{what}",
        org.name
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_by_path() {
        assert_eq!(parent_path("/a/b/c/").as_deref(), Some("/a/b/"));
        assert_eq!(parent_path("/a/b/").as_deref(), Some("/a/"));
        assert_eq!(parent_path("/a/"), None);
        assert_eq!(parent_path(""), None);
    }
}
