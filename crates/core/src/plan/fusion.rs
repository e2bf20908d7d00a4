//! The fusion view (融合度): how far Party work in a subtree serves its
//! business goals, and how served goals fare against the others.
use super::board::{goal_attainment, kpi_rows};
use super::goals;
use super::model::Goal;
use super::rules::mean_bp;
use super::support::{Lines, Node};
use crate::db::Db;
use crate::org::{self, Org, Scope};
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

fn subtree(w: &mut Where, org: &Org, col: &str, year: i64, year_col: &str) {
    w.prefix(col, &org.path);
    w.push(&format!("{year_col} = {{}}"), Param::I(year));
}

/// The fusion figures of an organization's subtree for a year.
pub async fn fusion(db: &Db, scope: &Scope, org_id: &str, year: i64, now: i64) -> Result<Fusion> {
    let org = org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    subtree(&mut w, &org, "o.path", year, "t.year");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT COUNT(*), \
         COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM task_goals tg WHERE tg.task_id = t.id) THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN t.standing THEN 1 ELSE 0 END), 0) \
         FROM tasks t JOIN orgs o ON o.id = t.org_id {cond}"
    );
    let (tasks_total, tasks_linked, tasks_standing): (i64, i64, i64) =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_one(p).await?);

    let mut w = Where::default();
    subtree(&mut w, &org, "o.path", year, "g.year");
    let (cond, _) = w.sql();
    let sql = format!("{} {cond} ORDER BY o.path, g.seq", goals::SELECT);
    let all: Vec<Goal> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);

    // The subtree's Party tasks and the goals they serve; each supports the
    // goals along the breakdown where it is carried out (support::Lines, as
    // the matrix).
    let mut w = Where::default();
    subtree(&mut w, &org, "o.path", year, "t.year");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT tg.goal_id, t.id, t.title, o.name, o.path, t.progress FROM task_goals tg \
         JOIN tasks t ON t.id = tg.task_id JOIN orgs o ON o.id = t.org_id {cond} ORDER BY t.seq"
    );
    let links: Vec<(String, String, String, String, String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
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

    let ids: Vec<String> = all.iter().map(|g| g.id.clone()).collect();
    let kpis = kpi_rows(db, &ids, year, now).await?;
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
