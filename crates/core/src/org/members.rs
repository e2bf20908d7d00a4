//! Whom an organization's obligations count (组织的党员): the one definition.
//! A person belongs to every organization on their path: a 党小组's members
//! are members of its 党支部 for everything the branch owes — compliance, the
//! structure warnings (3 / 7 / 50), quorum and votes, dues, supervision and
//! the overview — and of the group for the group's own meetings; a 党总支 or
//! 党委 counts everyone under it. People who left (转出) count nowhere.
//! An organization's committee (委员会) is its officers still on the roster,
//! one seat each whatever posts they hold.
use crate::db::Db;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use std::collections::HashMap;

/// Whether someone whose organization has the path `person_org_path` is a
/// member of the organization with the path `org_path`.
pub fn counts_toward(org_path: &str, person_org_path: &str) -> bool {
    person_org_path.starts_with(org_path)
}

/// An organization's members by status (those still on the roster).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Members {
    pub full: i64,
    pub probationary: i64,
    /// Applicants, activists, candidates and the masses on its roster.
    pub others: i64,
}

impl Members {
    /// Party members: full and probationary.
    pub fn party(&self) -> i64 {
        self.full + self.probationary
    }
}

/// Rolls (person org path, status, count) rows up to every organization on
/// each path: org id → members.
pub fn roll_up(rows: &[(String, String, i64)]) -> HashMap<String, Members> {
    let mut out: HashMap<String, Members> = HashMap::new();
    for (path, status, n) in rows {
        for id in path.split('/').filter(|s| !s.is_empty()) {
            let m = out.entry(id.to_string()).or_default();
            match status.as_str() {
                "full" => m.full += n,
                "probationary" => m.probationary += n,
                _ => m.others += n,
            }
        }
    }
    out
}

/// The roster under `w` (a condition on `org_path`) counted per path and status.
pub async fn counted(db: &Db, mut w: Where) -> Result<Vec<(String, String, i64)>> {
    w.push_raw("left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT org_path, status, COUNT(*) FROM people {cond} GROUP BY org_path, status");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// Members of every organization under `path` (itself included): one
/// aggregate over the roster, rolled up the tree.
pub async fn by_org(db: &Db, path: &str) -> Result<HashMap<String, Members>> {
    let mut w = Where::default();
    w.prefix("org_path", path);
    Ok(roll_up(&counted(db, w).await?))
}

/// The members of the one organization with `path`: a handful of counts,
/// not a row per organization below it.
pub async fn of_one(db: &Db, path: &str) -> Result<Members> {
    let mut w = Where::default();
    w.prefix("org_path", path);
    w.push_raw("left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT status, COUNT(*) FROM people {cond} GROUP BY status");
    let rows: Vec<(String, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let rows: Vec<(String, String, i64)> = rows.into_iter().map(|(s, n)| (path.to_string(), s, n)).collect();
    let id = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    Ok(roll_up(&rows).get(id).copied().unwrap_or_default())
}

/// Full members of the organization with `path`: those with the vote.
pub async fn full_members(db: &Db, path: &str) -> Result<i64> {
    let mut w = Where::default();
    w.prefix("org_path", path);
    w.push_raw("status = 'full' AND left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT COUNT(*) FROM people {cond}");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .fetch_one(p)
        .await?))
}

/// Person ids on an organization's committee. Crate-private: called only for
/// an organization its caller has already read in scope (a meeting being
/// validated) or by the seed code.
pub(crate) async fn committee(db: &Db, org_id: &str) -> Result<Vec<String>> {
    Ok(with_db!(db, |p| sqlx::query_scalar(
        "SELECT DISTINCT f.person_id FROM org_officers f JOIN people p ON p.id = f.person_id \
         WHERE f.org_id = $1 AND p.left_on IS NULL ORDER BY f.person_id"
    )
    .bind(org_id)
    .fetch_all(p)
    .await?))
}

/// An organization's committee as the compliance views need it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Committee {
    pub seats: i64,
    /// The secretary's person id.
    pub secretary: Option<String>,
}

/// The committees of the organizations under `path`, or of the one
/// organization `only`: one row per organization.
pub async fn committees(db: &Db, path: &str, only: Option<&str>) -> Result<HashMap<String, Committee>> {
    let mut w = Where::default();
    match only {
        Some(id) => w.push("f.org_id = {}", Param::S(id.into())),
        None => w.prefix("o.path", path),
    }
    w.push_raw("p.left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT f.org_id, COUNT(DISTINCT f.person_id), MAX(CASE WHEN f.post = 'secretary' THEN f.person_id END) \
         FROM org_officers f JOIN orgs o ON o.id = f.org_id JOIN people p ON p.id = f.person_id {cond} GROUP BY f.org_id"
    );
    let rows: Vec<(String, i64, Option<String>)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(org, seats, secretary)| (org, Committee { seats, secretary }))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_groups_members_count_for_its_branch_and_above() {
        let rows = vec![
            ("/c/b/g1/".to_string(), "full".to_string(), 4),
            ("/c/b/g2/".to_string(), "full".to_string(), 3),
            ("/c/b/g2/".to_string(), "probationary".to_string(), 1),
            ("/c/b2/".to_string(), "activist".to_string(), 2),
        ];
        let m = roll_up(&rows);
        assert_eq!(m["b"].full, 7, "the branch counts both groups");
        assert_eq!(m["b"].party(), 8);
        assert_eq!(m["g1"].full, 4, "a group counts its own");
        assert_eq!(m["c"].full, 7);
        assert_eq!(m["c"].others, 2);
        assert!(counts_toward("/c/b/", "/c/b/g1/"));
        assert!(!counts_toward("/c/b/g1/", "/c/b/"));
    }
}
