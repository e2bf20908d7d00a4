//! Reading a plan sheet (导入年度计划) into an organization's plan: rows by
//! type, goals referred to by title, all checked before anything is written.
use super::goals::{self, insert_kpi, next_seq, validate_kpi, ValidKpi};
use super::model::{Goal, NewKpi};
use super::rules::check_deadline;
use super::sheet::{flag, grid_of, issue, ImportReport, GOAL, KPI, READ_COLUMNS, TASK};
use super::tasks::{self, ValidTask};
use super::{people, plan_org, year_of};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{Org, Scope};
use crate::sheet::{self, CellIssue};
use crate::text::{check, check_optional, TextKind};
use crate::{ids, Error, Result};
use std::collections::HashMap;

/// A goal a row refers to: one in the file (by its place) or in the database.
#[derive(Clone, PartialEq, Eq, Hash)]
enum GoalRef {
    File(usize),
    Id(String),
}

#[derive(Clone)]
struct PlanRows {
    goals: Vec<(String, String, bool, Vec<String>)>,
    kpis: Vec<(GoalRef, ValidKpi)>,
    tasks: Vec<(ValidTask, Vec<GoalRef>)>,
    /// KPIs the existing goals already have.
    kpi_base: HashMap<String, usize>,
}

/// The goals of a year of the organizations above `org`, nearest first.
async fn superior_goals(db: &Db, org: &Org, year: i64) -> Result<Vec<Goal>> {
    let mut out = Vec::new();
    let above: Vec<&str> = org.path.split('/').filter(|s| !s.is_empty() && *s != org.id).collect();
    for id in above.iter().rev() {
        out.extend(goals::of_org_any(db, id, year).await?);
    }
    Ok(out)
}

/// Reads a plan sheet into an organization's plan for a year: goals, then
/// KPIs of goals in the file or the plan, then tasks serving goals in the
/// file, the plan or a superior's plan, each referred to by title. Every row
/// is checked first; unless `dry_run` or anything is wrong, all is written
/// in one transaction with one audit record.
#[allow(clippy::too_many_arguments)]
pub async fn import_plan(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    year: i64,
    bytes: Vec<u8>,
    filename: &str,
    dry_run: bool,
) -> Result<ImportReport> {
    let org = plan_org(db, scope, org_id).await?;
    let y = year_of(year)?;
    let (grid, data) = grid_of(bytes, filename).await?;
    let mut report = ImportReport {
        rows: data.len(),
        ..Default::default()
    };
    let header = grid.rows.first().cloned().unwrap_or_default();
    let cols = match sheet::map_headers(&header, &READ_COLUMNS, 2) {
        Ok(c) => c,
        Err(errors) => {
            report.errors = errors;
            return Ok(report);
        }
    };
    let own = goals::of_org_any(db, &org.id, year).await?;
    let above = superior_goals(db, &org, year).await?;
    let own_ids: Vec<String> = own.iter().map(|g| g.id.clone()).collect();
    let existing_kpis = goals::kpis_of(db, &own_ids).await?;
    let task_titles: Vec<String> = tasks::of_org_any(db, &org.id, year)
        .await?
        .into_iter()
        .map(|t| t.title)
        .collect();
    let mut p = PlanRows {
        goals: Vec::new(),
        kpis: Vec::new(),
        tasks: Vec::new(),
        kpi_base: HashMap::new(),
    };
    for k in &existing_kpis {
        *p.kpi_base.entry(k.goal_id.clone()).or_default() += 1;
    }
    let mut errs: Vec<CellIssue> = Vec::new();
    let mut file_goals: HashMap<String, (usize, usize)> = HashMap::new();
    let mut kpi_names: HashMap<(GoalRef, String), usize> = HashMap::new();
    let mut task_rows: HashMap<String, usize> = HashMap::new();
    let cell = |row: &[String], c: &str| {
        cols.get(c)
            .and_then(|i| row.get(*i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let find_goal = |t: &str, file: &HashMap<String, (usize, usize)>| match file.get(t) {
        Some((i, _)) => Some(GoalRef::File(*i)),
        None => own
            .iter()
            .chain(above.iter())
            .find(|g| g.title == t)
            .map(|g| GoalRef::Id(g.id.clone())),
    };
    // Goals first, so KPIs and tasks below may name them whatever their order.
    for pass in [GOAL, KPI, TASK] {
        for (r, row) in &data {
            let (r, kind) = (*r, crate::people::normalize(&cell(row, "类型")));
            if pass == GOAL && ![GOAL, KPI, TASK].contains(&kind.as_str()) {
                errs.push(CellIssue::new(r, "类型", "应为“业务目标”“指标”或“党建任务”"));
            }
            if kind != pass {
                continue;
            }
            let get = |c: &str| cell(row, c);
            let before = errs.len();
            let title = match check("标题", &get("标题"), if pass == KPI { 60 } else { 80 }, TextKind::Free) {
                Ok(t) => t,
                Err(e) => {
                    errs.push(issue(r, "标题", e));
                    continue;
                }
            };
            let desc = check_optional("说明", Some(&get("说明")), 1000, TextKind::Free).unwrap_or_else(|e| {
                errs.push(issue(r, "说明", e));
                None
            });
            let who = people::split_names(&get("责任人"));
            let who = match people::resolve(db, "责任人", &org.path, &who).await {
                Ok(ids) => ids,
                Err(e) => {
                    errs.push(issue(r, "责任人", e));
                    Vec::new()
                }
            };
            if pass == GOAL {
                let difficult = flag(&get("难点")).unwrap_or_else(|| {
                    errs.push(CellIssue::new(r, "难点", "应为“是”或“否”"));
                    false
                });
                if let Some((_, first)) = file_goals.get(&title) {
                    errs.push(CellIssue::new(
                        r,
                        "标题",
                        format!("与第 {first} 行的业务目标重名，请只保留一行"),
                    ));
                } else if own.iter().any(|g| g.title == title) {
                    errs.push(CellIssue::new(
                        r,
                        "标题",
                        format!("已存在同名目标“{title}”，请改名或删除此行"),
                    ));
                } else if errs.len() == before {
                    file_goals.insert(title.clone(), (p.goals.len(), r));
                    p.goals.push((title, desc.unwrap_or_default(), difficult, who));
                }
            } else if pass == KPI {
                let Some(goal) = find_goal(&get("所属目标"), &file_goals).filter(|g| match g {
                    GoalRef::Id(id) => own_ids.contains(id),
                    GoalRef::File(_) => true,
                }) else {
                    let msg = format!(
                        "本文件和本组织 {y} 年度计划中没有名为“{}”的业务目标，请核对目标名称",
                        get("所属目标")
                    );
                    errs.push(CellIssue::new(r, "所属目标", msg));
                    continue;
                };
                let new = NewKpi {
                    name: title.clone(),
                    unit: get("单位"),
                    baseline: get("基准值"),
                    target: get("目标值"),
                    direction: get("方向"),
                    period: get("报送周期"),
                };
                let taken = match &goal {
                    GoalRef::Id(id) => existing_kpis.iter().any(|k| &k.goal_id == id && k.name == title),
                    GoalRef::File(_) => false,
                };
                match validate_kpi(&new, 1) {
                    Err(Error::Invalid { field, message }) => {
                        let col = field.trim_start_matches("指标1").replace("名称", "标题");
                        errs.push(CellIssue::new(r, &col, message));
                    }
                    Err(e) => errs.push(issue(r, "标题", e)),
                    Ok(_) if taken => errs.push(CellIssue::new(r, "标题", format!("该目标已有同名指标“{title}”"))),
                    Ok(k) => match kpi_names.get(&(goal.clone(), title.clone())) {
                        Some(first) => errs.push(CellIssue::new(
                            r,
                            "标题",
                            format!("与第 {first} 行为同一目标的同名指标"),
                        )),
                        None => {
                            kpi_names.insert((goal.clone(), title), r);
                            p.kpis.push((goal, k));
                        }
                    },
                }
            } else {
                let standing = flag(&get("常规要求")).unwrap_or_else(|| {
                    errs.push(CellIssue::new(r, "常规要求", "应为“是”或“否”"));
                    false
                });
                let deadline = check_deadline(&get("截止日期"), y).map_err(|e| errs.push(issue(r, "截止日期", e)));
                let mut refs = Vec::new();
                let served = get("所属目标");
                for t in served.split(['；', ';']).map(str::trim).filter(|t| !t.is_empty()) {
                    match find_goal(t, &file_goals) {
                        Some(g) if !refs.contains(&g) => refs.push(g),
                        Some(_) => {}
                        None => errs.push(CellIssue::new(
                            r,
                            "所属目标",
                            format!("找不到业务目标“{t}”：应为本文件、本组织或上级组织 {y} 年度计划中的目标名称"),
                        )),
                    }
                }
                let in_db: Vec<String> = refs
                    .iter()
                    .filter_map(|g| match g {
                        GoalRef::Id(id) => Some(id.clone()),
                        _ => None,
                    })
                    .collect();
                if let Err(e) = tasks::check_goals(db, &org, year, &in_db).await {
                    errs.push(issue(r, "所属目标", e));
                }
                if standing && !served.is_empty() {
                    errs.push(CellIssue::new(
                        r,
                        "常规要求",
                        "常规党建要求不关联业务目标；请清空“所属目标”或将“常规要求”改为“否”",
                    ));
                } else if !standing && served.is_empty() {
                    errs.push(CellIssue::new(
                        r,
                        "所属目标",
                        "请填写该任务服务的业务目标（多个用“；”分隔），或将“常规要求”填为“是”",
                    ));
                }
                if let Err(e) = crate::rules::formalism::check("标题", "任务", &title) {
                    errs.push(issue(r, "标题", e));
                }
                if let Some(first) = task_rows.get(&title) {
                    errs.push(CellIssue::new(
                        r,
                        "标题",
                        format!("与第 {first} 行的党建任务重名，请只保留一行"),
                    ));
                } else if task_titles.contains(&title) {
                    errs.push(CellIssue::new(
                        r,
                        "标题",
                        format!("已存在同名任务“{title}”，请改名或删除此行"),
                    ));
                }
                task_rows.insert(title.clone(), r);
                if let (Ok(deadline), true) = (deadline, errs.len() == before) {
                    let v = ValidTask {
                        title,
                        description: desc.unwrap_or_default(),
                        standing,
                        deadline,
                        goal_ids: Vec::new(),
                        assignees: who,
                        milestones: Vec::new(),
                    };
                    p.tasks.push((v, refs));
                }
            }
        }
    }
    errs.extend(grid.issues);
    errs.sort_by_key(|e| e.row);
    report.valid = p.goals.len() + p.kpis.len() + p.tasks.len();
    report.errors = errs;
    if dry_run || !report.errors.is_empty() || report.valid == 0 {
        return Ok(report);
    }
    report.written = write_plan(db, now, actor, &org, year, p).await?;
    Ok(report)
}

async fn write_plan(db: &Db, now: i64, actor: &Actor, org: &Org, year: i64, p: PlanRows) -> Result<usize> {
    let (org, by) = (org.clone(), actor.name.clone());
    db.transaction(move |tx| {
        let (org, p, by, actor) = (org.clone(), p.clone(), by.clone(), actor.clone());
        Box::pin(async move {
            let mut ids_of: Vec<String> = Vec::new();
            for (title, desc, difficult, owners) in &p.goals {
                let id = ids::new_id();
                let seq = next_seq(tx, "goals", &org.id, year).await?;
                goals::insert(tx, now, &id, &org.id, year, None, title, desc, *difficult, seq, &by).await?;
                people::replace(tx, &id, owners).await?;
                ids_of.push(id);
            }
            let id_of = |g: &GoalRef| match g {
                GoalRef::File(i) => ids_of.get(*i).cloned(),
                GoalRef::Id(id) => Some(id.clone()),
            };
            let mut seqs = p.kpi_base.clone();
            for (g, k) in &p.kpis {
                let Some(gid) = id_of(g) else { continue };
                let seq = seqs.entry(gid.clone()).or_default();
                *seq += 1;
                insert_kpi(tx, now, &gid, *seq, k).await?;
            }
            for (v, refs) in &p.tasks {
                let mut v = v.clone();
                v.goal_ids = refs.iter().filter_map(id_of).collect();
                tasks::insert(tx, now, &ids::new_id(), &org.id, year, None, true, &v, &by).await?;
            }
            let (g, k, t) = (p.goals.len(), p.kpis.len(), p.tasks.len());
            let ev = Event::new("plan.import", format!("{}（{year}年）", org.name), Outcome::Ok)
                .detail(format!("业务目标 {g} 项，指标 {k} 项，党建任务 {t} 项"));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(g + k + t)
        })
    })
    .await
}
