//! Versions and copies: a published standard changes only as a new
//! version, which takes the previous one's place when published; a copy
//! starts another year's draft.
use super::catalog::{get, get_managed, items_of};
use super::items;
use super::model::{NewStandard, StandardStatus};
use super::standards::{publisher, validate, write_draft, Valid};
use crate::audit::Actor;
use crate::db::{Db, Tx};
use crate::org::{self, Scope};
use crate::{with_db, with_tx, Error, Result};

/// The new version takes the previous one's place.
pub(super) async fn take_over(tx: &mut Tx, now: i64, prev: &str, new: &str) -> Result<()> {
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE standards SET status = 'superseded', updated_at = $1 WHERE id = $2 AND status = 'published'"
    )
    .bind(now)
    .bind(prev)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 {
        return Err(Error::Conflict("上一版本已不是现行标准，不能再由此版本取代".into()));
    }
    for sql in [
        "UPDATE standard_orgs SET standard_id = $1 WHERE standard_id = $2",
        "UPDATE standard_checks SET standard_id = $1 WHERE standard_id = $2 \
         AND code IN (SELECT code FROM standard_items WHERE standard_id = $1)",
        "UPDATE standard_problems SET standard_id = $1 WHERE standard_id = $2 \
         AND item_code IN (SELECT code FROM standard_items WHERE standard_id = $1)",
        "UPDATE standard_applications SET standard_id = $1 WHERE standard_id = $2",
        "UPDATE standard_events SET standard_id = $1 WHERE standard_id = $2",
    ] {
        with_tx!(tx, |c| sqlx::query(sql)
            .bind(new)
            .bind(prev)
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// Starts a new version (a draft with the same items) of a published standard.
pub async fn new_version(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<String> {
    let s = get_managed(db, scope, id).await?;
    if s.status() != StandardStatus::Published {
        return Err(Error::Conflict(format!(
            "“{}”{}，只有现行的已发布标准可以生成新版本",
            s.display(),
            s.status().label()
        )));
    }
    let next: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM standards WHERE previous_id = $1"
    )
    .bind(&s.id)
    .fetch_optional(p)
    .await?);
    if next.is_some() {
        return Err(Error::Conflict("该标准已有新版本草稿，请在草稿上修改后发布".into()));
    }
    let owner = org::get(db, scope, &s.org_id).await?;
    let v = Valid {
        title: s.title.clone(),
        kinds: s.org_kinds.clone(),
        items: items_of(db, &s.id).await?,
        ii: s.grade_ii_bp,
        iii: s.grade_iii_bp,
    };
    let version = (s.version + 1, Some(s.id.clone()));
    write_draft(db, now, actor, owner, s.year, v, version, "standard.version").await
}

/// Copies a standard the caller can read into a draft of `org_id` for
/// `year` (last year's, to start this year's): the year in its title follows.
pub async fn copy(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    from_id: &str,
    org_id: &str,
    year: i64,
) -> Result<String> {
    let from = get(db, scope, from_id).await?;
    let owner = publisher(db, scope, org_id).await?;
    let new = NewStandard {
        org_id: owner.id.clone(),
        year,
        title: from.title.replace(&format!("{}年", from.year), &format!("{year}年")),
        org_kinds: from.kinds().iter().map(|k| k.to_string()).collect(),
        items: items::as_new(&items_of(db, &from.id).await?),
        grade_ii_bp: Some(from.grade_ii_bp),
        grade_iii_bp: Some(from.grade_iii_bp),
    };
    let v = validate(&new, &owner)?;
    write_draft(db, now, actor, owner, year, v, (1, None), "standard.copy").await
}
