//! The figures every view judges from, one aggregate query each for one
//! organization or a whole subtree: declared answers per organization,
//! overrides of computed items, problems, and the stored standing. The
//! self-check page, the application check and the ledger all judge through
//! `judge_all`, so an organization has one status everywhere.
use super::computed::{self, met_only, Target};
use super::model::{Grade, Item, Rule, Stage, Standard};
use super::rules::{judge, Figures, Judged};
use crate::db::Db;
use crate::org::{Org, Scope};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use std::collections::HashMap;

/// Which organizations a query reads: one, or every one under a path.
#[derive(Clone, Copy)]
pub(crate) enum Sel<'a> {
    One(&'a str),
    Under(&'a str),
}

impl Sel<'_> {
    /// Restricts `org_col` (the row's organization id, with `orgs o` joined on it).
    fn restrict(&self, w: &mut Where, org_col: &str) {
        match self {
            Sel::One(id) => w.push(&format!("{org_col} = {{}}"), Param::S(id.to_string())),
            Sel::Under(path) => w.prefix("o.path", path),
        }
    }
}

/// An organization's stored standing on a standard (open, round 1 when none is stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub stage: Stage,
    pub grade: Option<Grade>,
    pub round: i64,
    /// A problem list the superior returned: (reason, by, at).
    pub returned: Option<(String, String, i64)>,
    pub accepted_at: Option<i64>,
    /// Moved back (动态调整) for this reason; stands until the next self-check answer.
    pub recheck: Option<String>,
}

impl Default for Standing {
    fn default() -> Self {
        Standing {
            stage: Stage::Open,
            grade: None,
            round: 1,
            returned: None,
            accepted_at: None,
            recheck: None,
        }
    }
}

fn base(standard_id: &str, sel: Sel<'_>, alias: &str) -> Where {
    let mut w = Where::default();
    w.push(&format!("{alias}.standard_id = {{}}"), Param::S(standard_id.into()));
    sel.restrict(&mut w, &format!("{alias}.org_id"));
    w
}

/// Declared answers and problems, by organization.
pub(crate) async fn figures(db: &Db, standard_id: &str, sel: Sel<'_>, today: &str) -> Result<HashMap<String, Figures>> {
    let w = base(standard_id, sel, "c");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT c.org_id, COUNT(*), \
         COALESCE(SUM(CASE WHEN i.tier = 'baseline' AND i.rule IS NULL AND c.met THEN 1 ELSE 0 END), 0), \
         CAST(COALESCE(SUM(CASE WHEN i.tier = 'refined' AND i.rule IS NULL AND c.met THEN i.points ELSE 0 END), 0) AS BIGINT) \
         FROM standard_checks c JOIN standard_items i ON i.standard_id = c.standard_id AND i.code = c.code \
         JOIN orgs o ON o.id = c.org_id {cond} GROUP BY c.org_id"
    );
    let rows: Vec<(String, i64, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut out: HashMap<String, Figures> = HashMap::new();
    for (org, entries, met, points) in rows {
        let f = out.entry(org).or_default();
        f.entries = entries;
        f.declared_baseline_met = met;
        f.declared_refined_points = points;
    }
    let mut w = base(standard_id, sel, "p");
    let t = w.param(Param::S(today.into()));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.org_id, COALESCE(SUM(CASE WHEN p.status <> 'closed' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN p.status = 'open' AND p.deadline < {t} THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN p.reopened > 0 THEN 1 ELSE 0 END), 0) \
         FROM standard_problems p JOIN orgs o ON o.id = p.org_id {cond} GROUP BY p.org_id"
    );
    let rows: Vec<(String, i64, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    for (org, open, overdue, reopened) in rows {
        let f = out.entry(org).or_default();
        f.open_problems = open;
        f.overdue_problems = overdue;
        f.reopened = reopened;
    }
    Ok(out)
}

/// Overrides of computed items: organization → (code, met).
pub(crate) async fn overrides(
    db: &Db,
    standard_id: &str,
    sel: Sel<'_>,
) -> Result<HashMap<String, Vec<(String, bool)>>> {
    let mut w = base(standard_id, sel, "c");
    w.push_raw("c.override_reason <> '' AND c.met IS NOT NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT c.org_id, c.code, c.met FROM standard_checks c JOIN orgs o ON o.id = c.org_id {cond}");
    let rows: Vec<(String, String, bool)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut out: HashMap<String, Vec<(String, bool)>> = HashMap::new();
    for (org, code, met) in rows {
        out.entry(org).or_default().push((code, met));
    }
    Ok(out)
}

type StandingRow = (
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// Stored standings, by organization.
pub(crate) async fn standings(db: &Db, standard_id: &str, sel: Sel<'_>) -> Result<HashMap<String, Standing>> {
    let w = base(standard_id, sel, "s");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT s.org_id, s.stage, s.grade, s.round, s.list_returned_reason, s.list_returned_by, s.list_returned_at, \
         s.accepted_at, s.recheck_reason FROM standard_orgs s JOIN orgs o ON o.id = s.org_id {cond}"
    );
    let rows: Vec<StandingRow> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(org, stage, grade, round, reason, by, at, accepted_at, recheck)| {
            let returned = match (reason, at) {
                (Some(r), Some(at)) => Some((r, by.unwrap_or_default(), at)),
                _ => None,
            };
            let st = Standing {
                stage: Stage::parse(&stage).unwrap_or(Stage::Open),
                grade: grade.as_deref().and_then(Grade::parse),
                round,
                returned,
                accepted_at,
                recheck,
            };
            (org, st)
        })
        .collect())
}

/// One organization's judgement and what it was judged from.
#[derive(Clone, Debug)]
pub struct Judgement {
    pub judged: Judged,
    pub figures: Figures,
    pub standing: Standing,
}

/// The rules a standard's items are computed by.
pub(crate) fn rules_of(items: &[Item]) -> Vec<Rule> {
    let mut rules: Vec<Rule> = items.iter().filter_map(Item::rule).collect();
    rules.sort();
    rules.dedup();
    rules
}

/// Judges `targets` (all under `root`) on `standard` as of `now`: the
/// computed items evaluated for all of them at once, the rest from the
/// aggregates. `sel` selects the same organizations for the queries.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn judge_all(
    db: &Db,
    scope: &Scope,
    standard: &Standard,
    items: &[Item],
    root: &Org,
    targets: &[Target],
    sel: Sel<'_>,
    now: i64,
) -> Result<HashMap<String, Judgement>> {
    let today = super::today(now).to_string();
    let figs = figures(db, &standard.id, sel, &today).await?;
    let over = overrides(db, &standard.id, sel).await?;
    let stand = standings(db, &standard.id, sel).await?;
    let computed = computed::evaluate(db, scope, &rules_of(items), standard.year, root, targets, now, false).await?;
    let computed = met_only(&computed);
    let none = HashMap::new();
    Ok(targets
        .iter()
        .map(|t| {
            let f = figs.get(&t.id).copied().unwrap_or_default();
            let st = stand.get(&t.id).cloned().unwrap_or_default();
            let o = over.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
            let c = computed.get(&t.id).unwrap_or(&none);
            let judged = judge(items, &f, o, c, st.stage, st.recheck.is_some());
            (
                t.id.clone(),
                Judgement {
                    judged,
                    figures: f,
                    standing: st,
                },
            )
        })
        .collect())
}
