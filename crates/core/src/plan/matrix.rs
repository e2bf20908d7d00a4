//! The superior's matrix (督导矩阵): its goals × the organizations below that
//! carry them, with attainment of the broken-down KPIs and the progress of
//! the Party tasks serving each goal there.
use super::goals;
use super::model::Goal;
use super::rules::{attainment_bp, due_periods, mean_bp, reporting_start, Direction, Figure, PeriodKind};
use super::support::{Lines, Node};
use super::today;
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::prefix_range;
use crate::{with_db, Result};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Cell {
    /// Mean attainment of the branch's share of the goal (its broken-down KPIs).
    pub attainment_bp: Option<i64>,
    /// KPIs of the share with no figure yet.
    pub unreported: usize,
    pub tasks: usize,
    /// Mean progress of the tasks serving the goal there.
    pub progress: Option<i64>,
    pub overdue: usize,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Column {
    pub org_id: String,
    pub org_name: String,
    /// One cell per goal, in the goals' order.
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Matrix {
    pub goals: Vec<Goal>,
    /// The organizations below, in tree order.
    pub columns: Vec<Column>,
}

/// Attainment rows: (goal it was broken down from, org id, org name, org path,
/// direction, baseline, target, latest figure, period kind, created at).
pub type ShareRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    String,
    i64,
);
/// Task rows: (goal served, task id, org id, org name, org path, progress, deadline, done).
pub type TaskRow = (String, String, String, String, String, i64, String, Option<String>);
/// The goals along the breakdown of the organization's goals: (id, origin, org id, org path).
pub type NodeRow = (String, Option<String>, String, String);

const SHARES: &str = "SELECT cg.parent_id, cg.org_id, o.name, o.path, k.direction, k.baseline, k.target, \
     (SELECT v.value FROM kpi_values v WHERE v.kpi_id = k.id ORDER BY v.period DESC LIMIT 1), \
     k.period_kind, k.created_at FROM goals cg JOIN kpis k ON k.goal_id = cg.id JOIN orgs o ON o.id = cg.org_id \
     WHERE cg.parent_id IN (SELECT id FROM goals WHERE org_id = $1 AND year = $2)";

/// The organization's goals and their shares at any depth (down), and the
/// goals they were broken down from (up).
const LINE: &str = "WITH RECURSIVE down(id) AS (\
     SELECT id FROM goals WHERE org_id = $1 AND year = $2 \
     UNION ALL SELECT c.id FROM goals c JOIN down d ON c.parent_id = d.id), \
     up(id, parent_id) AS (\
     SELECT p.id, p.parent_id FROM goals p WHERE p.id IN (SELECT parent_id FROM goals WHERE org_id = $1 AND year = $2) \
     UNION ALL SELECT p.id, p.parent_id FROM goals p JOIN up u ON p.id = u.parent_id) ";

/// Party tasks below the organization serving a goal along that line.
fn tasks_sql() -> String {
    format!(
        "{LINE}SELECT tg.goal_id, t.id, t.org_id, o.name, o.path, t.progress, t.deadline, t.done_on \
         FROM task_goals tg JOIN tasks t ON t.id = tg.task_id JOIN orgs o ON o.id = t.org_id \
         WHERE t.org_id <> $1 AND o.path >= $3 AND o.path < $4 \
         AND tg.goal_id IN (SELECT id FROM down UNION SELECT id FROM up)"
    )
}

fn nodes_sql() -> String {
    format!(
        "{LINE}SELECT g.id, g.parent_id, g.org_id, o.path FROM goals g JOIN orgs o ON o.id = g.org_id \
         WHERE g.id IN (SELECT id FROM down UNION SELECT id FROM up)"
    )
}

/// The two aggregate queries alone, as the database answers them (the
/// benchmark's baseline, and the matrix's input). Crate-private: `matrix`
/// calls it for an organization read in scope, the benchmark for its own.
pub(crate) async fn raw(db: &Db, org_id: &str, year: i64) -> Result<(Vec<ShareRow>, Vec<TaskRow>)> {
    let shares: Vec<ShareRow> = with_db!(db, |p| sqlx::query_as(SHARES)
        .bind(org_id)
        .bind(year)
        .fetch_all(p)
        .await?);
    let path: Option<String> = with_db!(db, |p| sqlx::query_scalar("SELECT path FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_optional(p)
        .await?);
    let (lo, hi) = prefix_range(path.as_deref().unwrap_or("/"));
    let sql = tasks_sql();
    let tasks: Vec<TaskRow> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(org_id)
        .bind(year)
        .bind(&lo)
        .bind(hi.as_deref().unwrap_or("\u{10FFFF}"))
        .fetch_all(p)
        .await?);
    Ok((shares, tasks))
}

pub async fn matrix(db: &Db, scope: &Scope, org_id: &str, year: i64, now: i64) -> Result<Matrix> {
    let org = org::get(db, scope, org_id.trim()).await?;
    let goals = goals::of_org_any(db, &org.id, year).await?;
    let (shares, tasks) = raw(db, &org.id, year).await?;
    let sql = nodes_sql();
    let nodes: Vec<NodeRow> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(&org.id)
        .bind(year)
        .fetch_all(p)
        .await?);
    let lines = Lines::new(nodes.iter().map(|(id, parent, oid, path)| Node {
        id,
        parent_id: parent.as_deref(),
        org_id: oid,
        org_path: path,
    }));
    let today = today(now).to_string();
    let at: HashMap<&str, usize> = goals.iter().enumerate().map(|(i, g)| (g.id.as_str(), i)).collect();
    // Per (org path, org id): name, and per goal the attainments, unreported, progresses, overdue.
    #[derive(Default)]
    struct Acc {
        name: String,
        att: Vec<Vec<i64>>,
        unreported: Vec<usize>,
        prog: Vec<Vec<i64>>,
        overdue: Vec<usize>,
    }
    let n = goals.len();
    let mut cols: BTreeMap<(String, String), Acc> = BTreeMap::new();
    fn acc<'a>(
        cols: &'a mut BTreeMap<(String, String), Acc>,
        n: usize,
        path: &str,
        id: &str,
        name: &str,
    ) -> &'a mut Acc {
        let a = cols.entry((path.to_string(), id.to_string())).or_default();
        if a.att.is_empty() {
            a.name = name.to_string();
            a.att = vec![Vec::new(); n];
            a.unreported = vec![0; n];
            a.prog = vec![Vec::new(); n];
            a.overdue = vec![0; n];
        }
        a
    }
    let day = super::today(now);
    for (goal, oid, name, path, dir, base, target, latest, kind, created) in &shares {
        let (Some(&i), true) = (at.get(goal.as_str()), scope.contains_path(path)) else {
            continue;
        };
        let a = acc(&mut cols, n, path, oid, name);
        let d = Direction::parse(dir).unwrap_or(Direction::Higher);
        match latest {
            Some(v) => a.att[i].extend(attainment_bp(d, *base as Figure, *target, *v).ok()),
            // Unreported only once a period it owes has ended (rules::Period::is_due).
            None => {
                let kind = PeriodKind::parse(kind).unwrap_or(PeriodKind::Month);
                let y = i32::try_from(year).unwrap_or(2000);
                if !due_periods(kind, y, reporting_start(*created, y), day).is_empty() {
                    a.unreported[i] += 1;
                }
            }
        }
    }
    // Every organization with a task of its own has a column; a task counts
    // in its column and in those of the organizations above it there, for
    // each of the top goals it supports (support::Lines, as the fusion view).
    let tasks: Vec<&TaskRow> = tasks.iter().filter(|t| scope.contains_path(&t.4)).collect();
    for (_, _, oid, name, path, ..) in &tasks {
        acc(&mut cols, n, path, oid, name);
    }
    let keys: HashMap<String, (String, String)> = cols.keys().map(|k| (k.1.clone(), k.clone())).collect();
    let mut seen = HashSet::new();
    for (served, task_id, _, _, path, progress, deadline, done) in &tasks {
        for goal in lines.supported_by(path, served) {
            let Some(&i) = at.get(goal) else { continue };
            for org in path.split('/').filter(|s| !s.is_empty()) {
                let Some(key) = keys.get(org) else { continue };
                if !seen.insert((task_id.as_str(), i, org)) {
                    continue;
                }
                if let Some(a) = cols.get_mut(key) {
                    a.prog[i].push(*progress);
                    if done.is_none() && *deadline < today {
                        a.overdue[i] += 1;
                    }
                }
            }
        }
    }
    let columns = cols
        .into_iter()
        .map(|((_, id), a)| Column {
            org_id: id,
            org_name: a.name,
            cells: (0..n)
                .map(|i| Cell {
                    attainment_bp: mean_bp(&a.att[i]),
                    unreported: a.unreported[i],
                    tasks: a.prog[i].len(),
                    progress: mean_bp(&a.prog[i]),
                    overdue: a.overdue[i],
                })
                .collect(),
        })
        .collect();
    Ok(Matrix { goals, columns })
}
