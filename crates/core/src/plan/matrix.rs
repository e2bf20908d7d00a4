//! The superior's matrix (督导矩阵): its goals × the organizations below that
//! carry them, with attainment of the broken-down KPIs and the progress of
//! the Party tasks serving each goal there.
use super::goals;
use super::model::Goal;
use super::rules::{attainment_bp, mean_bp, Direction, Figure};
use super::today;
use crate::db::Db;
use crate::org::{self, Scope};
use crate::{with_db, Result};
use std::collections::{BTreeMap, HashMap};

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
/// direction, baseline, target, latest figure).
pub type ShareRow = (String, String, String, String, String, i64, i64, Option<i64>);
/// Task rows: (goal served at the top, org id, org name, org path, progress, deadline, done).
pub type TaskRow = (String, String, String, String, i64, String, Option<String>);

const SHARES: &str = "SELECT cg.parent_id, cg.org_id, o.name, o.path, k.direction, k.baseline, k.target, \
     (SELECT v.value FROM kpi_values v WHERE v.kpi_id = k.id ORDER BY v.period DESC LIMIT 1) \
     FROM goals cg JOIN kpis k ON k.goal_id = cg.id JOIN orgs o ON o.id = cg.org_id \
     WHERE cg.parent_id IN (SELECT id FROM goals WHERE org_id = $1 AND year = $2)";

const TASKS: &str = "SELECT tg.goal_id, t.org_id, o.name, o.path, t.progress, t.deadline, t.done_on \
     FROM goals g JOIN task_goals tg ON tg.goal_id = g.id JOIN tasks t ON t.id = tg.task_id JOIN orgs o ON o.id = t.org_id \
     WHERE g.org_id = $1 AND g.year = $2 AND t.org_id <> $1 \
     UNION ALL \
     SELECT g.parent_id, t.org_id, o.name, o.path, t.progress, t.deadline, t.done_on \
     FROM goals g JOIN task_goals tg ON tg.goal_id = g.id JOIN tasks t ON t.id = tg.task_id JOIN orgs o ON o.id = t.org_id \
     WHERE g.parent_id IN (SELECT id FROM goals WHERE org_id = $1 AND year = $2)";

/// The two aggregate queries alone, as the database answers them (the
/// benchmark's baseline, and the matrix's input).
pub async fn raw(db: &Db, org_id: &str, year: i64) -> Result<(Vec<ShareRow>, Vec<TaskRow>)> {
    let shares: Vec<ShareRow> = with_db!(db, |p| sqlx::query_as(SHARES)
        .bind(org_id)
        .bind(year)
        .fetch_all(p)
        .await?);
    let tasks: Vec<TaskRow> = with_db!(db, |p| sqlx::query_as(TASKS)
        .bind(org_id)
        .bind(year)
        .fetch_all(p)
        .await?);
    Ok((shares, tasks))
}

pub async fn matrix(db: &Db, scope: &Scope, org_id: &str, year: i64, now: i64) -> Result<Matrix> {
    let org = org::get(db, scope, org_id.trim()).await?;
    let goals = goals::of_org(db, &org.id, year).await?;
    let (shares, tasks) = raw(db, &org.id, year).await?;
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
    for (goal, oid, name, path, dir, base, target, latest) in &shares {
        let (Some(&i), true) = (at.get(goal.as_str()), scope.contains_path(path)) else {
            continue;
        };
        let a = acc(&mut cols, n, path, oid, name);
        let d = Direction::parse(dir).unwrap_or(Direction::Higher);
        match latest {
            Some(v) => a.att[i].extend(attainment_bp(d, *base as Figure, *target, *v).ok()),
            None => a.unreported[i] += 1,
        }
    }
    for (goal, oid, name, path, progress, deadline, done) in &tasks {
        let (Some(&i), true) = (at.get(goal.as_str()), scope.contains_path(path)) else {
            continue;
        };
        let a = acc(&mut cols, n, path, oid, name);
        a.prog[i].push(*progress);
        if done.is_none() && *deadline < today {
            a.overdue[i] += 1;
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
