//! The annual plan as a spreadsheet (年度计划表): one row per goal, KPI or
//! task, out and back in; KPI values by period live in `value_sheet`.
use super::goals;
use super::rules::{figure_text, PeriodKind};
use super::{people, tasks};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sheet::{self, CellIssue, Grid, Table};
use crate::{Error, Result};
use std::collections::HashMap;

pub use super::plan_import::import_plan;
pub use super::value_sheet::{export_values, import_values};

/// The plan sheet's columns, in the order written.
pub const PLAN_COLUMNS: [&str; 14] = [
    "类型",
    "序号",
    "标题",
    "所属目标",
    "难点",
    "单位",
    "基准值",
    "目标值",
    "方向",
    "报送周期",
    "常规要求",
    "截止日期",
    "责任人",
    "说明",
];
/// The same, the two an import needs first.
pub(super) const READ_COLUMNS: [&str; 14] = [
    "类型",
    "标题",
    "序号",
    "所属目标",
    "难点",
    "单位",
    "基准值",
    "目标值",
    "方向",
    "报送周期",
    "常规要求",
    "截止日期",
    "责任人",
    "说明",
];
pub(super) const GOAL: &str = "业务目标";
pub(super) const KPI: &str = "指标";
pub(super) const TASK: &str = "党建任务";

/// What an import found and did. Nothing is written unless every row passed.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Data rows in the file.
    pub rows: usize,
    /// Rows (or, for values, figures) that passed every check.
    pub valid: usize,
    /// Items or figures written; 0 after a dry run or any error.
    pub written: usize,
    /// Figures equal to the stored ones, left as they were.
    pub unchanged: usize,
    pub errors: Vec<CellIssue>,
}

/// The file's header and its non-empty data rows with their sheet row numbers.
pub(super) async fn grid_of(bytes: Vec<u8>, filename: &str) -> Result<(Grid, Vec<(usize, Vec<String>)>)> {
    let name = filename.to_string();
    let grid = tokio::task::spawn_blocking(move || sheet::read(&bytes, &name))
        .await
        .map_err(|e| Error::internal("读取表格的任务中断", e))??;
    let data = grid
        .rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| (i + 1, r.clone()))
        .collect();
    Ok((grid, data))
}

/// An error as a cell problem: its field names the column, else `column`.
pub(super) fn issue(r: usize, column: &str, e: Error) -> CellIssue {
    match e {
        Error::Invalid { field, message } if PLAN_COLUMNS.contains(&field.as_str()) => {
            CellIssue::new(r, &field, message)
        }
        Error::Invalid { message, .. } => CellIssue::new(r, column, message),
        e => CellIssue::new(r, column, e.to_string()),
    }
}

pub(super) fn flag(v: &str) -> Option<bool> {
    match crate::people::normalize(v).as_str() {
        "" | "否" => Some(false),
        "是" => Some(true),
        _ => None,
    }
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.into()
}

/// An organization's plan for a year as one sheet, drop-down lists included.
pub async fn export_plan(db: &Db, scope: &Scope, org_id: &str, year: i64, _now: i64) -> Result<Table> {
    let org = org::get(db, scope, org_id.trim()).await?;
    let gs = goals::of_org_any(db, &org.id, year).await?;
    let ts = tasks::of_org_any(db, &org.id, year).await?;
    let gids: Vec<String> = gs.iter().map(|g| g.id.clone()).collect();
    let tids: Vec<String> = ts.iter().map(|t| t.id.clone()).collect();
    let links = tasks::links_of(db, &tids).await?;
    let others: Vec<String> = links
        .iter()
        .map(|l| l.1.clone())
        .filter(|g| !gids.contains(g))
        .collect();
    let mut title: HashMap<String, String> = gs.iter().map(|g| (g.id.clone(), g.title.clone())).collect();
    title.extend(goals::by_ids(db, &others).await?.into_iter().map(|g| (g.id, g.title)));
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for (item, name) in people::names_of(db, &[gids.clone(), tids].concat()).await? {
        names.entry(item).or_default().push(name);
    }
    let who = |id: &str| names.get(id).map(|n| n.join("、")).unwrap_or_default();
    let kpis = goals::kpis_of(db, &gids).await?;
    // A row from (column, text) pairs; the other cells are empty.
    let line = |cells: Vec<(&str, String)>| -> Vec<String> {
        let at = |c: &&str| cells.iter().find(|x| x.0 == *c).map(|x| x.1.clone());
        PLAN_COLUMNS.iter().map(|c| at(c).unwrap_or_default()).collect()
    };
    let mut rows = Vec::new();
    for g in &gs {
        rows.push(line(vec![
            ("类型", GOAL.into()),
            ("序号", g.seq.to_string()),
            ("标题", g.title.clone()),
            ("难点", yes(g.difficult)),
            ("责任人", who(&g.id)),
            ("说明", g.description.clone()),
        ]));
        for k in kpis.iter().filter(|k| k.goal_id == g.id) {
            let dir = if k.direction == "lower" {
                "越低越好"
            } else {
                "越高越好"
            };
            rows.push(line(vec![
                ("类型", KPI.into()),
                ("序号", format!("{}.{}", g.seq, k.seq)),
                ("标题", k.name.clone()),
                ("所属目标", g.title.clone()),
                ("单位", k.unit.clone()),
                ("基准值", figure_text(k.baseline)),
                ("目标值", figure_text(k.target)),
                ("方向", dir.into()),
                ("报送周期", k.period_kind().label().into()),
            ]));
        }
    }
    for t in &ts {
        let served: Vec<&str> = links
            .iter()
            .filter(|l| l.0 == t.id)
            .filter_map(|l| title.get(&l.1).map(String::as_str))
            .collect();
        rows.push(line(vec![
            ("类型", TASK.into()),
            ("序号", t.seq.to_string()),
            ("标题", t.title.clone()),
            ("所属目标", served.join("；")),
            ("常规要求", yes(t.standing)),
            ("截止日期", t.deadline.clone()),
            ("责任人", who(&t.id)),
            ("说明", t.description.clone()),
        ]));
    }
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let kinds = [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year].map(|k| k.label());
    Ok(Table {
        sheet: "年度计划".into(),
        headers: PLAN_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows,
        lists: vec![
            (0, list(&[GOAL, KPI, TASK])),
            (4, list(&["是", "否"])),
            (8, list(&["越高越好", "越低越好"])),
            (9, list(&kinds)),
            (10, list(&["是", "否"])),
        ],
    })
}
