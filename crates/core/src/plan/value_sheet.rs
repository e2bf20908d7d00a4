//! KPI values as a spreadsheet (指标值填报表): one row per KPI, one column per
//! period of the year; edited offline and read back in.
use super::model::{Kpi, Source};
use super::rules::{figure_text, Figure, Period, PeriodKind};
use super::sheet::{grid_of, ImportReport};
use super::values::{self, parse_value};
use super::{goals, plan_org, year_of};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sheet::{self, CellIssue, Table};
use crate::{Error, Result};
use std::collections::HashMap;

/// The columns before the periods.
const HEAD: [&str; 5] = ["指标编号", "目标", "指标", "单位", "报送周期"];
/// The period columns: months, quarters, the year.
const PERIODS: [&str; 17] = [
    "1月",
    "2月",
    "3月",
    "4月",
    "5月",
    "6月",
    "7月",
    "8月",
    "9月",
    "10月",
    "11月",
    "12月",
    "一季度",
    "二季度",
    "三季度",
    "四季度",
    "全年",
];
/// Every column for reading, the two a row needs without an id first.
const READ: [&str; 22] = [
    "目标",
    "指标",
    "指标编号",
    "单位",
    "报送周期",
    "1月",
    "2月",
    "3月",
    "4月",
    "5月",
    "6月",
    "7月",
    "8月",
    "9月",
    "10月",
    "11月",
    "12月",
    "一季度",
    "二季度",
    "三季度",
    "四季度",
    "全年",
];

/// The period a column stands for.
fn period_of(i: usize, year: i32) -> Period {
    let (kind, part) = match i {
        0..=11 => (PeriodKind::Month, i as u32 + 1),
        12..=15 => (PeriodKind::Quarter, i as u32 - 11),
        _ => (PeriodKind::Year, 0),
    };
    Period { year, kind, part }
}

fn wrong_column(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "该指标按月度报送，请填在月份列（1月至12月）",
        PeriodKind::Quarter => "该指标按季度报送，请填在季度列（一季度至四季度）",
        PeriodKind::Year => "该指标按年度报送，请填在“全年”列",
    }
}

/// The KPIs of an organization's goals for a year, with their goals' titles.
async fn kpis(db: &Db, org_id: &str, year: i64) -> Result<Vec<(String, Kpi)>> {
    let gs = goals::of_org_any(db, org_id, year).await?;
    let ids: Vec<String> = gs.iter().map(|g| g.id.clone()).collect();
    let title: HashMap<&str, &str> = gs.iter().map(|g| (g.id.as_str(), g.title.as_str())).collect();
    let mut out: Vec<(String, Kpi)> = goals::kpis_of(db, &ids)
        .await?
        .into_iter()
        .map(|k| {
            (
                title.get(k.goal_id.as_str()).copied().unwrap_or_default().to_string(),
                k,
            )
        })
        .collect();
    let order: HashMap<&str, usize> = gs.iter().enumerate().map(|(i, g)| (g.id.as_str(), i)).collect();
    out.sort_by_key(|(_, k)| (order.get(k.goal_id.as_str()).copied().unwrap_or(usize::MAX), k.seq));
    Ok(out)
}

/// Stored figures: (KPI id, period code) → figure.
async fn stored(db: &Db, ks: &[(String, Kpi)]) -> Result<HashMap<(String, String), Figure>> {
    let ids: Vec<String> = ks.iter().map(|(_, k)| k.id.clone()).collect();
    Ok(values::of_kpis(db, &ids)
        .await?
        .into_iter()
        .map(|v| ((v.kpi_id, v.period), v.value))
        .collect())
}

/// One row per KPI of an organization's plan for a year, with the figures
/// entered so far in the columns of its period kind. The first column, the
/// KPI's id, brings an edited file back to the same KPIs.
pub async fn export_values(db: &Db, scope: &Scope, org_id: &str, year: i64, _now: i64) -> Result<Table> {
    let org = org::get(db, scope, org_id.trim()).await?;
    let y = year_of(year)?;
    let ks = kpis(db, &org.id, year).await?;
    let have = stored(db, &ks).await?;
    let rows = ks
        .iter()
        .map(|(goal, k)| {
            let mut row = vec![
                k.id.clone(),
                goal.clone(),
                k.name.clone(),
                k.unit.clone(),
                k.period_kind().label().to_string(),
            ];
            row.extend((0..PERIODS.len()).map(|i| {
                let p = period_of(i, y);
                match have.get(&(k.id.clone(), p.code())) {
                    Some(v) if p.kind == k.period_kind() => figure_text(*v),
                    _ => String::new(),
                }
            }));
            row
        })
        .collect();
    Ok(Table {
        sheet: format!("{year}年指标值"),
        headers: HEAD.iter().chain(PERIODS.iter()).map(|c| c.to_string()).collect(),
        rows,
        lists: Vec::new(),
    })
}

/// Reads KPI figures from the layout `export_values` writes (a KPI by its id,
/// or by goal and KPI name when the id is empty). Every figure is checked
/// (its column must be of the KPI's period kind; a unit may follow it, but
/// only the KPI's own); unless `dry_run` or anything is wrong, the figures
/// that differ from the stored ones are written in one transaction with one
/// audit record.
#[allow(clippy::too_many_arguments)]
pub async fn import_values(
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
    let cols = match sheet::map_headers(&header, &READ, 2) {
        Ok(c) => c,
        Err(errors) => {
            report.errors = errors;
            return Ok(report);
        }
    };
    let ks = kpis(db, &org.id, year).await?;
    let have = stored(db, &ks).await?;
    let mut errs: Vec<CellIssue> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut writes: Vec<(String, String, Figure, bool)> = Vec::new();
    for (r, row) in &data {
        let r = *r;
        let get = |c: &str| {
            cols.get(c)
                .and_then(|i| row.get(*i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let (id, goal, name) = (get("指标编号"), get("目标"), get("指标"));
        let found: Vec<&(String, Kpi)> = if id.is_empty() {
            ks.iter().filter(|(g, k)| *g == goal && k.name == name).collect()
        } else {
            ks.iter().filter(|(_, k)| k.id == id).collect()
        };
        let k = match found.as_slice() {
            [(_, k)] => k,
            [] if !id.is_empty() => {
                let msg = format!(
                    "该编号不是本组织 {y} 年度计划中的指标；请使用本组织导出的文件，或清空编号后按目标和指标名称匹配"
                );
                errs.push(CellIssue::new(r, "指标编号", msg));
                continue;
            }
            [] => {
                let msg = format!("本组织 {y} 年度计划中没有目标“{goal}”下的指标“{name}”，请核对名称");
                errs.push(CellIssue::new(r, "指标", msg));
                continue;
            }
            _ => {
                errs.push(CellIssue::new(r, "指标", "有多个同名指标，请填写指标编号以区分"));
                continue;
            }
        };
        if let Some(first) = seen.insert(k.id.clone(), r) {
            errs.push(CellIssue::new(
                r,
                "指标",
                format!("与第 {first} 行为同一指标，请只保留一行"),
            ));
            continue;
        }
        let unit = get("单位");
        if !unit.is_empty() && unit != k.unit {
            let msg = format!(
                "“{unit}”与指标“{}”的单位“{}”不符，请换算后填报，不要修改单位列",
                k.name, k.unit
            );
            errs.push(CellIssue::new(r, "单位", msg));
            continue;
        }
        for (i, col) in PERIODS.iter().enumerate() {
            let raw = get(col);
            if raw.is_empty() {
                continue;
            }
            let p = period_of(i, y);
            if p.kind != k.period_kind() {
                errs.push(CellIssue::new(r, col, wrong_column(k.period_kind())));
                continue;
            }
            match parse_value(k, &raw, None) {
                Ok(v) => match have.get(&(k.id.clone(), p.code())) {
                    Some(old) if *old == v => report.unchanged += 1,
                    old => writes.push((k.id.clone(), p.code(), v, old.is_some())),
                },
                Err(Error::Invalid { message, .. }) => errs.push(CellIssue::new(r, col, message)),
                Err(e) => errs.push(CellIssue::new(r, col, e.to_string())),
            }
        }
    }
    errs.extend(grid.issues);
    errs.sort_by_key(|e| e.row);
    report.valid = writes.len() + report.unchanged;
    report.errors = errs;
    if dry_run || !report.errors.is_empty() || writes.is_empty() {
        return Ok(report);
    }
    let (by, unchanged) = (actor.name.clone(), report.unchanged);
    report.written = db
        .transaction(move |tx| {
            let (org, writes, by, actor) = (org.clone(), writes.clone(), by.clone(), actor.clone());
            Box::pin(async move {
                for (kpi, period, v, _) in &writes {
                    values::write(tx, now, kpi, period, *v, Source::Import, &by).await?;
                }
                let corrected = writes.iter().filter(|w| w.3).count();
                let detail = format!(
                    "{} 个指标值（新增 {}，更正 {corrected}），{unchanged} 个未变；来源：{}",
                    writes.len(),
                    writes.len() - corrected,
                    values::source_label(Source::Import)
                );
                let ev = Event::new("kpi.value", format!("{}（{year}年）", org.name), Outcome::Ok).detail(detail);
                audit::append(tx, now, &actor, &ev).await?;
                Ok(writes.len())
            })
        })
        .await?;
    Ok(report)
}
