//! Reading standards: one by id, those a caller may read, those in force
//! for an organization, and a standard's items. A draft is seen only by its
//! publisher's scope; a published standard also by the organizations it
//! applies to.
use super::model::{Item, Standard, StandardStatus};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Error, Result};

pub(super) const SELECT: &str = "SELECT s.id, s.org_id, o.name AS org_name, o.path AS org_path, s.year, s.title, \
     s.org_kinds, s.version, s.previous_id, s.status, s.grade_ii_bp, s.grade_iii_bp, s.published_at, s.published_by, \
     s.created_by, s.created_at, s.updated_at FROM standards s JOIN orgs o ON o.id = s.org_id";

/// A standard the caller may read: one published in the scope, or one in
/// force above it that applies to organizations in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Standard> {
    let sql = format!("{SELECT} WHERE s.id = $1");
    let s: Option<Standard> = with_db!(db, |p| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(p).await?);
    match s {
        Some(s) if visible(scope, &s) => Ok(s),
        _ => Err(Error::NotFound("建设标准不存在或不在您的管理范围内".into())),
    }
}

/// A standard the caller may change: published by an organization in the scope.
pub(super) async fn get_managed(db: &Db, scope: &Scope, id: &str) -> Result<Standard> {
    let s = get(db, scope, id).await?;
    if !scope.contains_path(&s.org_path) {
        return Err(Error::Forbidden(format!(
            "“{}”由{}制定，只能由该组织修改或发布",
            s.display(),
            s.org_name
        )));
    }
    Ok(s)
}

fn visible(scope: &Scope, s: &Standard) -> bool {
    scope.contains_path(&s.org_path)
        || (s.status() != StandardStatus::Draft
            && scope
                .roots()
                .is_some_and(|r| r.iter().any(|p| p.starts_with(&s.org_path))))
}

/// A standard's items, in order.
pub async fn items_of(db: &Db, standard_id: &str) -> Result<Vec<Item>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT code, seq, dimension, title, criteria, evidence_required, points, tier, rule FROM standard_items \
         WHERE standard_id = $1 ORDER BY seq, code"
    )
    .bind(standard_id)
    .fetch_all(p)
    .await?))
}

/// The ids of the organizations above the scope's roots (their standards apply in the scope).
fn above_roots(scope: &Scope) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for root in scope.roots().unwrap_or(&[]) {
        let segs: Vec<&str> = root.split('/').filter(|s| !s.is_empty()).collect();
        for s in segs.iter().take(segs.len().saturating_sub(1)) {
            if !out.iter().any(|x| x == s) {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// The standards the caller may read (of one year when given), newest year first.
pub async fn list(db: &Db, scope: &Scope, year: Option<i64>) -> Result<Vec<Standard>> {
    let mut w = Where::default();
    if let Some(y) = year {
        w.push("s.year = {}", Param::I(y));
    }
    if let Some(roots) = scope.roots() {
        let mut ors: Vec<String> = roots.iter().map(|p| w.prefix_cond("o.path", p)).collect();
        let above = above_roots(scope);
        if !above.is_empty() {
            let list = w.in_list(&above);
            ors.push(format!("(s.status <> 'draft' AND s.org_id IN ({list}))"));
        }
        if ors.is_empty() {
            return Ok(Vec::new());
        }
        w.push_raw(format!("({})", ors.join(" OR ")));
    }
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY s.year DESC, o.path, s.created_at LIMIT 500");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// The published standards in force for an organization in a year: those of
/// the organizations above it that name its kind.
pub async fn applicable(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<Standard>> {
    let o = org::get(db, scope, org_id.trim()).await?;
    let above: Vec<String> = o
        .path
        .split('/')
        .filter(|s| !s.is_empty() && *s != o.id)
        .map(String::from)
        .collect();
    if above.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Where::default();
    let list = w.in_list(&above);
    w.push_raw(format!("s.org_id IN ({list}) AND s.status = 'published'"));
    w.push("s.year = {}", Param::I(year));
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY o.path, s.created_at");
    let all: Vec<Standard> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(all.into_iter().filter(|s| s.applies_to(&o.kind, &o.path)).collect())
}
