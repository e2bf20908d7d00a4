//! The board (同谋划): each goal of an organization's plan with its KPIs and
//! the Party tasks that serve it, standing requirements apart.
use super::model::{Goal, Kpi, KpiValue, Task};
use super::rules::{kpi_status, mean_bp, KpiStatus};
use super::{goals, people, tasks, today, values};
use crate::db::Db;
use crate::org::{self, Org, Scope};
use crate::Result;
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct KpiRow {
    pub kpi: Kpi,
    pub status: KpiStatus,
}

#[derive(Clone, Debug)]
pub struct TaskRow {
    pub task: Task,
    /// Its own progress, or the mean of the branches it was deployed to.
    pub progress: i64,
    pub overdue: bool,
    /// Titles of the goals it serves.
    pub goals: Vec<String>,
    pub assignees: Vec<String>,
    /// Branches it was deployed to, and how many of them accepted.
    pub deployed: usize,
    pub accepted: usize,
}

#[derive(Clone, Debug)]
pub struct GoalCard {
    pub goal: Goal,
    pub owners: Vec<String>,
    pub kpis: Vec<KpiRow>,
    /// Mean attainment over the KPIs with a figure.
    pub attainment_bp: Option<i64>,
    /// This organization's tasks serving the goal.
    pub tasks: Vec<TaskRow>,
    /// Tasks the organizations below set themselves for this goal.
    pub below: usize,
    /// A difficulty (难点) that no Party task serves.
    pub flagged: bool,
}

#[derive(Clone, Debug)]
pub struct Board {
    pub org: Org,
    pub year: i64,
    pub goals: Vec<GoalCard>,
    /// Superiors' goals this organization's tasks serve (read only here).
    pub superior_goals: Vec<GoalCard>,
    pub standing: Vec<TaskRow>,
    /// Tasks deployed from above, waiting to be accepted.
    pub pending: Vec<TaskRow>,
}

/// KPI rows and goal attainment for some goals.
pub(super) async fn kpi_rows(
    db: &Db,
    goal_ids: &[String],
    year: i64,
    now: i64,
) -> Result<HashMap<String, Vec<KpiRow>>> {
    let kpis = goals::kpis_of(db, goal_ids).await?;
    let kpi_ids: Vec<String> = kpis.iter().map(|k| k.id.clone()).collect();
    let values = values::of_kpis(db, &kpi_ids).await?;
    Ok(kpi_rows_from(kpis, values, year, now))
}

/// Each goal's KPIs judged on their figures (`values` in period order per KPI).
pub(super) fn kpi_rows_from(
    kpis: Vec<Kpi>,
    values: Vec<KpiValue>,
    year: i64,
    now: i64,
) -> HashMap<String, Vec<KpiRow>> {
    let mut vals: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for v in values {
        vals.entry(v.kpi_id).or_default().push((v.period, v.value));
    }
    let today = today(now);
    let mut out: HashMap<String, Vec<KpiRow>> = HashMap::new();
    for k in kpis {
        let v = vals.get(&k.id).map(Vec::as_slice).unwrap_or(&[]);
        let status = kpi_status(
            k.direction(),
            k.baseline,
            k.target,
            k.period_kind(),
            year as i32,
            k.reporting_start(year),
            v,
            today,
        );
        out.entry(k.goal_id.clone())
            .or_default()
            .push(KpiRow { kpi: k, status });
    }
    out
}

pub(super) fn goal_attainment(rows: &[KpiRow]) -> Option<i64> {
    mean_bp(&rows.iter().filter_map(|r| r.status.attainment_bp).collect::<Vec<_>>())
}

/// Task rows with roll-up of deployed copies, goal titles and people.
pub async fn task_rows(db: &Db, list: Vec<Task>, now: i64) -> Result<Vec<TaskRow>> {
    let ids: Vec<String> = list.iter().map(|t| t.id.clone()).collect();
    let children = tasks::children_of(db, &ids).await?;
    let links = tasks::links_of(db, &ids).await?;
    let goal_ids: Vec<String> = links.iter().map(|(_, g)| g.clone()).collect();
    let titles: HashMap<String, String> = goals::by_ids(db, &goal_ids)
        .await?
        .into_iter()
        .map(|g| (g.id, g.title))
        .collect();
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for (item, name) in people::names_of(db, &ids).await? {
        names.entry(item).or_default().push(name);
    }
    let today = today(now).to_string();
    Ok(list
        .into_iter()
        .map(|t| {
            let kids: Vec<&Task> = children
                .iter()
                .filter(|c| c.parent_id.as_deref() == Some(&t.id))
                .collect();
            let progress = if kids.is_empty() {
                t.progress
            } else {
                mean_bp(&kids.iter().map(|c| c.progress).collect::<Vec<_>>()).unwrap_or(0)
            };
            let overdue = t.deadline < today && progress < 100;
            TaskRow {
                goals: links
                    .iter()
                    .filter(|(tid, _)| *tid == t.id)
                    .filter_map(|(_, g)| titles.get(g).cloned())
                    .collect(),
                assignees: names.remove(&t.id).unwrap_or_default(),
                deployed: kids.len(),
                accepted: kids.iter().filter(|c| c.accepted_at.is_some()).count(),
                progress,
                overdue,
                task: t,
            }
        })
        .collect())
}

/// The board of one organization's plan for a year.
pub async fn board(db: &Db, scope: &Scope, org_id: &str, year: i64, now: i64) -> Result<Board> {
    let org = org::get(db, scope, org_id).await?;
    let own_goals = goals::of_org_any(db, &org.id, year).await?;
    let own_tasks = tasks::of_org_any(db, &org.id, year).await?;
    let rows = task_rows(db, own_tasks, now).await?;
    let links = tasks::links_of(db, &rows.iter().map(|r| r.task.id.clone()).collect::<Vec<_>>()).await?;
    // Superiors' goals linked by this organization's tasks.
    let own_ids: Vec<&str> = own_goals.iter().map(|g| g.id.as_str()).collect();
    let mut sup_ids: Vec<String> = links
        .iter()
        .map(|(_, g)| g.clone())
        .filter(|g| !own_ids.contains(&g.as_str()))
        .collect();
    sup_ids.sort();
    sup_ids.dedup();
    let sup_goals = goals::by_ids(db, &sup_ids).await?;
    let all_ids: Vec<String> = own_goals.iter().chain(&sup_goals).map(|g| g.id.clone()).collect();
    let mut kpis = kpi_rows(db, &all_ids, year, now).await?;
    let mut owners: HashMap<String, Vec<String>> = HashMap::new();
    for (item, name) in people::names_of(db, &all_ids).await? {
        owners.entry(item).or_default().push(name);
    }
    let below = below_counts(db, &org, &all_ids).await?;
    let card = |g: Goal, kpis: &mut HashMap<String, Vec<KpiRow>>, owners: &mut HashMap<String, Vec<String>>| {
        let k = kpis.remove(&g.id).unwrap_or_default();
        let serving: Vec<TaskRow> = rows
            .iter()
            .filter(|r| r.task.accepted_at.is_some() && links.iter().any(|(t, gid)| *t == r.task.id && *gid == g.id))
            .cloned()
            .collect();
        let below = below.get(&g.id).copied().unwrap_or(0);
        GoalCard {
            attainment_bp: goal_attainment(&k),
            flagged: g.difficult && serving.is_empty() && below == 0,
            owners: owners.remove(&g.id).unwrap_or_default(),
            kpis: k,
            tasks: serving,
            below,
            goal: g,
        }
    };
    let goals_cards: Vec<GoalCard> = own_goals.into_iter().map(|g| card(g, &mut kpis, &mut owners)).collect();
    let superior_goals: Vec<GoalCard> = sup_goals.into_iter().map(|g| card(g, &mut kpis, &mut owners)).collect();
    let standing = rows
        .iter()
        .filter(|r| r.task.standing && r.task.accepted_at.is_some())
        .cloned()
        .collect();
    let pending = rows.iter().filter(|r| r.task.accepted_at.is_none()).cloned().collect();
    Ok(Board {
        org,
        year,
        goals: goals_cards,
        superior_goals,
        standing,
        pending,
    })
}

/// For each goal, how many tasks of organizations strictly below `org`,
/// not deployed from this organization, serve it.
async fn below_counts(db: &Db, org: &Org, goal_ids: &[String]) -> Result<HashMap<String, usize>> {
    let mut out = HashMap::new();
    for chunk in goal_ids.chunks(500) {
        let mut w = crate::sql::Where::default();
        let phs = w.in_list(chunk);
        w.push_raw(format!("tg.goal_id IN ({})", phs));
        w.prefix("o.path", &org.path);
        w.push("o.id <> {}", crate::sql::Param::S(org.id.clone()));
        w.push_raw("t.parent_id IS NULL".into());
        let (cond, _) = w.sql();
        let sql = format!(
            "SELECT tg.goal_id, COUNT(*) FROM task_goals tg JOIN tasks t ON t.id = tg.task_id JOIN orgs o ON o.id = t.org_id \
             {cond} GROUP BY tg.goal_id"
        );
        let rows: Vec<(String, i64)> = crate::with_db!(db, |p| crate::bind_all!(sqlx::query_as(&sql), w.params())
            .fetch_all(p)
            .await?);
        out.extend(rows.into_iter().map(|(g, n)| (g, n as usize)));
    }
    Ok(out)
}
