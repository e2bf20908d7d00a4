//! The tree a level at a time (组织架构): an organization, the way down to it
//! from the top of the caller's scope, and its direct children with their
//! figures, so a superior of 50,000 organizations reads a screenful rather
//! than the whole tree.
use super::overview::{rows_of, OrgRow};
use super::{by_ids, get, scope_roots, Org, Scope};
use crate::db::Db;
use crate::sql::Where;
use crate::{bind_all, with_db, Result};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One level of the tree as the page shows it.
#[derive(Clone, Debug)]
pub struct Level {
    /// From the top of the caller's scope down to the focus, the focus
    /// excluded.
    pub trail: Vec<Org>,
    /// The organization looked at; None when the scope has several tops,
    /// which are then the rows.
    pub focus: Option<OrgRow>,
    /// Its direct children (or the scope's tops), each with how many
    /// organizations lie directly under it.
    pub rows: Vec<(OrgRow, i64)>,
}

/// The level at `focus` (an organization of the scope), or at the top of
/// the scope: its one top organization, or its several tops side by side.
pub async fn level(db: &Db, scope: &Scope, focus: Option<&str>, today: NaiveDate) -> Result<Level> {
    let focus = match focus {
        Some(id) => Some(get(db, scope, id).await?),
        None => {
            let mut tops = scope_roots(db, scope).await?;
            if tops.len() != 1 {
                let rows = rows_of(db, scope, &tops, None, today).await?;
                let counts = children_counts(db, &tops).await?;
                return Ok(Level {
                    trail: Vec::new(),
                    focus: None,
                    rows: with_counts(rows, &counts),
                });
            }
            tops.pop()
        }
    };
    let Some(focus) = focus else {
        return Ok(Level {
            trail: Vec::new(),
            focus: None,
            rows: Vec::new(),
        });
    };
    let children: Vec<Org> = with_db!(db, |p| sqlx::query_as(
        "SELECT * FROM orgs WHERE parent_id = $1 ORDER BY path"
    )
    .bind(&focus.id)
    .fetch_all(p)
    .await?);
    let mut shown = vec![focus.clone()];
    shown.extend(children.iter().cloned());
    let mut rows = rows_of(db, scope, &shown, Some(&focus.path), today).await?;
    let counts = children_counts(db, &children).await?;
    let focus_row = (!rows.is_empty()).then(|| rows.remove(0));
    Ok(Level {
        trail: trail_to(db, scope, &focus).await?,
        focus: focus_row,
        rows: with_counts(rows, &counts),
    })
}

fn with_counts(rows: Vec<OrgRow>, counts: &HashMap<String, i64>) -> Vec<(OrgRow, i64)> {
    rows.into_iter()
        .map(|r| {
            let n = counts.get(&r.org.id).copied().unwrap_or(0);
            (r, n)
        })
        .collect()
}

/// How many organizations lie directly under each of `orgs`.
async fn children_counts(db: &Db, orgs: &[Org]) -> Result<HashMap<String, i64>> {
    if orgs.is_empty() {
        return Ok(HashMap::new());
    }
    let mut w = Where::default();
    let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let list = w.in_list(&ids);
    let sql = format!("SELECT parent_id, COUNT(*) FROM orgs WHERE parent_id IN ({list}) GROUP BY parent_id");
    let rows: Vec<(String, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().collect())
}

/// The organizations above `org` that the scope holds, top first.
async fn trail_to(db: &Db, scope: &Scope, org: &Org) -> Result<Vec<Org>> {
    let ids: Vec<String> = org
        .path
        .split('/')
        .filter(|s| !s.is_empty() && *s != org.id)
        .map(String::from)
        .collect();
    let mut found = by_ids(db, &ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.remove(id))
        .filter(|o| scope.contains_path(&o.path))
        .collect())
}
