//! The fusion view (融合度): how far Party work in a subtree serves its
//! business goals, and how served goals fare against the others.
use super::board::{goal_attainment, kpi_rows_from};
use super::goals;
use super::model::{Goal, Kpi, KpiValue};
use super::rules::mean_bp;
use super::support::{Lines, Node};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use std::collections::HashMap;

/// A task serving a difficulty, as listed under it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Serving {
    pub task_id: String,
    pub title: String,
    pub org_name: String,
    pub progress: i64,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Difficulty {
    pub goal: Goal,
    pub attainment_bp: Option<i64>,
    pub tasks: Vec<Serving>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Fusion {
    pub org_id: String,
    pub org_name: String,
    pub year: i64,
    pub tasks_total: i64,
    pub tasks_linked: i64,
    pub tasks_standing: i64,
    pub goals_total: usize,
    /// Goals not supported where they belong (support::Lines): no Party task
    /// there or below serves them along their breakdown.
    pub goals_without_tasks: Vec<Goal>,
    pub difficult: Vec<Difficulty>,
    pub difficult_goals_without_tasks: Vec<String>,
    /// Goals served by Party tasks: how many, and their mean attainment.
    pub linked_goals: usize,
    pub linked_attainment_bp: Option<i64>,
    pub unlinked_goals: usize,
    pub unlinked_attainment_bp: Option<i64>,
}

fn subtree(w: &mut Where, path: &str, col: &str, year: i64, year_col: &str) {
    w.prefix(col, path);
    w.push(&format!("{year_col} = {{}}"), Param::I(year));
}

/// A task serving a goal: (goal, task id, title, organization name, path, progress).
type Link = (String, String, String, String, String, i64);

/// What the view reads: five queries over the subtree, each an aggregate or
/// a join bounded by the subtree's path and the year, never a list of ids.
struct Rows {
    counts: (i64, i64, i64),
    goals: Vec<Goal>,
    links: Vec<Link>,
    kpis: Vec<Kpi>,
    values: Vec<KpiValue>,
}

async fn rows(db: &Db, path: &str, year: i64) -> Result<Rows> {
    let on = |col: &str, year_col: &str| {
        let mut w = Where::default();
        subtree(&mut w, path, col, year, year_col);
        w
    };
    let w = on("o.path", "t.year");
    let sql = format!(
        "SELECT COUNT(*), \
         COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM task_goals tg WHERE tg.task_id = t.id) THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN t.standing THEN 1 ELSE 0 END), 0) \
         FROM tasks t JOIN orgs o ON o.id = t.org_id {}",
        w.sql().0
    );
    let counts = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_one(p).await?);

    let w = on("o.path", "g.year");
    let sql = format!("{} {} ORDER BY o.path, g.seq", goals::SELECT, w.sql().0);
    let goals = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);

    let w = on("o.path", "t.year");
    let sql = format!(
        "SELECT tg.goal_id, t.id, t.title, o.name, o.path, t.progress FROM task_goals tg \
         JOIN tasks t ON t.id = tg.task_id JOIN orgs o ON o.id = t.org_id {} ORDER BY t.seq",
        w.sql().0
    );
    let links = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);

    let w = on("o.path", "g.year");
    let sql = format!(
        "SELECT k.id, k.goal_id, k.seq, k.name, k.unit, k.baseline, k.target, k.direction, k.period_kind, k.created_at \
         FROM kpis k JOIN goals g ON g.id = k.goal_id JOIN orgs o ON o.id = g.org_id {} ORDER BY k.goal_id, k.seq",
        w.sql().0
    );
    let kpis = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);

    let w = on("o.path", "g.year");
    let sql = format!(
        "SELECT v.kpi_id, v.period, v.value, v.source, v.entered_by, v.entered_at FROM kpi_values v \
         JOIN kpis k ON k.id = v.kpi_id JOIN goals g ON g.id = k.goal_id JOIN orgs o ON o.id = g.org_id {} \
         ORDER BY v.kpi_id, v.period",
        w.sql().0
    );
    let values = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(Rows {
        counts,
        goals,
        links,
        kpis,
        values,
    })
}

/// The view's five queries alone, for the benchmark's baseline: how many
/// rows they answered.
pub async fn raw(db: &Db, org_id: &str, year: i64) -> Result<usize> {
    let path: String = with_db!(db, |p| sqlx::query_scalar("SELECT path FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_one(p)
        .await?);
    let r = rows(db, &path, year).await?;
    Ok(1 + r.goals.len() + r.links.len() + r.kpis.len() + r.values.len())
}

/// The fusion figures of an organization's subtree for a year.
pub async fn fusion(db: &Db, scope: &Scope, org_id: &str, year: i64, now: i64) -> Result<Fusion> {
    let org = org::get(db, scope, org_id.trim()).await?;
    let Rows {
        counts: (tasks_total, tasks_linked, tasks_standing),
        goals: all,
        links,
        kpis,
        values,
    } = rows(db, &org.path, year).await?;

    // The subtree's Party tasks and the goals they serve; each supports the
    // goals along the breakdown where it is carried out (support::Lines, as
    // the matrix).
    let lines = Lines::new(all.iter().map(|g| Node {
        id: &g.id,
        parent_id: g.parent_id.as_deref(),
        org_id: &g.org_id,
        org_path: &g.org_path,
    }));
    let mut serving: HashMap<&str, Vec<Serving>> = HashMap::new();
    for (goal, id, title, org_name, path, progress) in &links {
        for g in lines.supported_by(path, goal) {
            let list = serving.entry(g).or_default();
            if !list.iter().any(|s| s.task_id == *id) {
                list.push(Serving {
                    task_id: id.clone(),
                    title: title.clone(),
                    org_name: org_name.clone(),
                    progress: *progress,
                });
            }
        }
    }

    let kpis = kpi_rows_from(kpis, values, year, now);
    let attainment = |g: &Goal| kpis.get(&g.id).and_then(|k| goal_attainment(k));
    let (mut linked, mut unlinked) = (Vec::new(), Vec::new());
    let mut without = Vec::new();
    let mut difficult = Vec::new();
    for g in &all {
        let tasks = serving.get(g.id.as_str()).cloned().unwrap_or_default();
        let a = attainment(g);
        if tasks.is_empty() {
            unlinked.extend(a);
            without.push(g.clone());
        } else {
            linked.extend(a);
        }
        if g.difficult {
            difficult.push(Difficulty {
                goal: g.clone(),
                attainment_bp: a,
                tasks,
            });
        }
    }
    let linked_goals = all.len() - without.len();
    Ok(Fusion {
        org_id: org.id.clone(),
        org_name: org.name.clone(),
        year,
        tasks_total,
        tasks_linked,
        tasks_standing,
        goals_total: all.len(),
        difficult_goals_without_tasks: difficult
            .iter()
            .filter(|d| d.tasks.is_empty())
            .map(|d| d.goal.id.clone())
            .collect(),
        goals_without_tasks: without,
        difficult,
        linked_goals,
        linked_attainment_bp: mean_bp(&linked),
        unlinked_goals: all.len() - linked_goals,
        unlinked_attainment_bp: mean_bp(&unlinked),
    })
}
