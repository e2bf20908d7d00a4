//! 批量导入: the roster from .xlsx or .csv, checked row by row before anything
//! is written.
use super::model::NewPerson;
use super::rules::{validate, ValidPerson};
use super::store::{insert_many, overwrite};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sheet::{self, CellIssue, Table};
use crate::{ids, with_db, Error, Result};
use std::collections::HashMap;

/// The template's columns, in order; the first seven must be present.
pub const COLUMNS: [&str; 16] = [
    "姓名",
    "性别",
    "身份证号",
    "手机号",
    "所属组织",
    "人员类别",
    "入党日期",
    "转正日期",
    "出生日期",
    "民族",
    "学历",
    "党内职务",
    "行政职务",
    "党务工作者",
    "业务骨干",
    "双高",
];
const REQUIRED: usize = 7;

#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Write the valid rows even when others are rejected.
    pub valid_only: bool,
    /// A citizen ID already on the roster updates that person.
    pub update_existing: bool,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    /// Data rows in the file.
    pub total: usize,
    /// Rows that passed every check.
    pub valid: usize,
    pub imported: usize,
    pub updated: usize,
    pub errors: Vec<CellIssue>,
    /// Rows left out as the template's samples (first cell 「示例…」).
    pub examples: Vec<usize>,
    /// With `valid_only`: the rejected rows with a reason column, as .xlsx.
    pub rejected: Option<Vec<u8>>,
}

fn flag(row: usize, column: &str, v: &str) -> std::result::Result<bool, CellIssue> {
    match super::normalize(v).as_str() {
        "" | "否" | "N" | "n" | "0" => Ok(false),
        "是" | "Y" | "y" | "1" => Ok(true),
        _ => Err(CellIssue::new(row, column, "应为“是”或“否”")),
    }
}

/// Organization names and name paths (and their tails) → ids; a name that
/// two organizations share maps to None, so the row must give a path.
fn org_lookup(paths: &[(org::Org, String)]) -> HashMap<String, Option<String>> {
    let mut m: HashMap<String, Option<String>> = HashMap::new();
    for (o, full) in paths {
        let parts: Vec<&str> = full.split('/').collect();
        for i in 0..parts.len() {
            let key = parts[i..].join("/");
            m.entry(key)
                .and_modify(|v| *v = None)
                .or_insert_with(|| Some(o.id.clone()));
        }
    }
    m
}

/// Checks every row; returns the valid people (with their spreadsheet row)
/// and every problem found.
fn check_rows(
    rows: &[Vec<String>],
    cols: &HashMap<&'static str, usize>,
    orgs: &HashMap<String, Option<String>>,
    today: chrono::NaiveDate,
) -> (Vec<(usize, ValidPerson)>, Vec<CellIssue>) {
    let mut ok = Vec::new();
    let mut errs = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let r = i + 1;
        let get = |c: &str| cols.get(c).and_then(|i| row.get(*i)).cloned().unwrap_or_default();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row_errs = Vec::new();
        let org_text = super::normalize(&get("所属组织")).replace(" / ", "/");
        let org_id = match orgs.get(&org_text) {
            _ if org_text.is_empty() => {
                row_errs.push(CellIssue::new(r, "所属组织", "不能为空，请填写组织名称或路径"));
                String::new()
            }
            Some(Some(id)) => id.clone(),
            Some(None) => {
                row_errs.push(CellIssue::new(
                    r,
                    "所属组织",
                    format!("“{org_text}”不唯一，请填写完整路径，如 机关党委/{org_text}"),
                ));
                String::new()
            }
            None => {
                row_errs.push(CellIssue::new(
                    r,
                    "所属组织",
                    format!("找不到“{org_text}”，或不在您的管理范围内"),
                ));
                String::new()
            }
        };
        let mut flags = [false; 2];
        for (k, c) in ["业务骨干", "双高"].iter().enumerate() {
            match flag(r, c, &get(c)) {
                Ok(b) => flags[k] = b,
                Err(e) => row_errs.push(e),
            }
        }
        let p = NewPerson {
            name: get("姓名"),
            gender: get("性别"),
            citizen_id: get("身份证号"),
            phone: get("手机号"),
            org_id,
            status: get("人员类别"),
            joined_on: sheet::date_text(&get("入党日期")),
            full_on: sheet::date_text(&get("转正日期")),
            birth_date: sheet::date_text(&get("出生日期")),
            ethnicity: get("民族"),
            education: get("学历"),
            party_post: get("党内职务"),
            admin_post: get("行政职务"),
            affairs_worker: get("党务工作者"),
            backbone: flags[0],
            double_high: flags[1],
        };
        for e in super::rules::field_errors(&p, today) {
            if let Error::Invalid { field, message } = e {
                row_errs.push(CellIssue::new(r, &field, message));
            }
        }
        if row_errs.is_empty() {
            match validate(&p, today) {
                Ok(v) => {
                    if let Some(cid) = &v.citizen_id {
                        if let Some(first) = seen.get(cid) {
                            row_errs.push(CellIssue::new(r, "身份证号", format!("与第 {first} 行重复")));
                        } else {
                            seen.insert(cid.clone(), r);
                        }
                    }
                    if row_errs.is_empty() {
                        ok.push((r, v));
                    }
                }
                Err(Error::Invalid { field, message }) => row_errs.push(CellIssue::new(r, &field, message)),
                Err(e) => row_errs.push(CellIssue::new(r, "姓名", e.to_string())),
            }
        }
        errs.extend(row_errs);
    }
    (ok, errs)
}

/// Reads, checks and (unless a dry run, or errors without `valid_only`)
/// writes the roster in one transaction. Parsing and checking run off the
/// async workers so the server stays responsive during a large file.
pub async fn import(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    bytes: Vec<u8>,
    filename: &str,
    opts: ImportOptions,
) -> Result<ImportReport> {
    let name = filename.to_string();
    let started = std::time::Instant::now();
    let grid = tokio::task::spawn_blocking(move || sheet::read(&bytes, &name))
        .await
        .map_err(|e| Error::internal("读取表格的任务中断", e))??;
    let header = grid.rows.first().cloned().unwrap_or_default();
    let total = grid
        .rows
        .iter()
        .skip(1)
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .count();
    let cols = match sheet::map_headers(&header, &COLUMNS, REQUIRED) {
        Ok(c) => c,
        Err(errors) => {
            return Ok(ImportReport {
                total,
                errors,
                examples: grid.examples,
                ..Default::default()
            })
        }
    };
    let read = started.elapsed();
    let paths = org::name_paths(db, scope).await?;
    let path_of: HashMap<String, String> = paths.iter().map(|(o, _)| (o.id.clone(), o.path.clone())).collect();
    let lookup = org_lookup(&paths);
    let today = crate::clock::beijing(now).date_naive();
    let rows = grid.rows;
    let examples = grid.examples;
    let (valid, mut errors, rows) = tokio::task::spawn_blocking(move || {
        let (v, e) = check_rows(&rows, &cols, &lookup, today);
        (v, e, rows)
    })
    .await
    .map_err(|e| Error::internal("检查导入行的任务中断", e))?;
    errors.extend(grid.issues);

    let checked = started.elapsed();
    // Citizen IDs already on the roster: update (when asked and allowed) or refuse.
    let ids_in_file: Vec<String> = valid.iter().filter_map(|(_, v)| v.citizen_id.clone()).collect();
    let existing = existing_holders(db, &ids_in_file).await?;
    let mut plan = Vec::new();
    for (r, v) in valid {
        let holder = v.citizen_id.as_ref().and_then(|c| existing.get(c));
        match holder {
            Some((_, path)) if !scope.contains_path(path) => errors.push(CellIssue::new(
                r,
                "身份证号",
                "该身份证号已登记在其他组织，不能在此导入；如需转入请办理组织关系转接",
            )),
            Some(_) if !opts.update_existing => errors.push(CellIssue::new(
                r,
                "身份证号",
                "已登记在册；如需更新，请勾选“更新已有数据”",
            )),
            Some((id, _)) => plan.push((r, v, Some(id.clone()))),
            None => plan.push((r, v, None)),
        }
    }
    errors.sort_by_key(|e| e.row);
    let mut report = ImportReport {
        total,
        valid: plan.len(),
        errors,
        examples,
        ..Default::default()
    };
    if opts.dry_run || (!report.errors.is_empty() && !opts.valid_only) || plan.is_empty() {
        return Ok(report);
    }
    let (inserted, updated) = (
        plan.iter().filter(|p| p.2.is_none()).count(),
        plan.iter().filter(|p| p.2.is_some()).count(),
    );
    let looked_up = started.elapsed();
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (plan, path_of, actor) = (plan.clone(), path_of.clone(), actor.clone());
        Box::pin(async move {
            let mut fresh = Vec::new();
            for (_, v, existing) in &plan {
                let path = path_of.get(&v.org_id).cloned().unwrap_or_default();
                match existing {
                    Some(id) => overwrite(tx, now, id, &path, v).await?,
                    None => fresh.push((ids::new_id(), path, v)),
                }
            }
            let bulk = fresh.len() >= crate::rules::import::BULK_FROM_ROWS;
            if bulk {
                tx.bulk_cache(true).await?;
            }
            let written = insert_many(tx, now, &fresh).await;
            if bulk {
                tx.bulk_cache(false).await?;
            }
            written?;
            let ev = Event::new("person.import", "党员名册", Outcome::Ok)
                .detail(format!("新增 {inserted} 人，更新 {updated} 人"));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await?;
    let written = started.elapsed();
    if inserted + updated >= crate::rules::import::BULK_FROM_ROWS {
        db.analyze("people").await;
    }
    tracing::info!(
        "导入党员名册 {} 行：读取 {:?}，检查 {:?}，查重 {:?}，写入 {:?}，统计 {:?}",
        inserted + updated,
        read,
        checked - read,
        looked_up - checked,
        written - looked_up,
        started.elapsed() - written
    );
    report.imported = inserted;
    report.updated = updated;
    if !report.errors.is_empty() {
        report.rejected = Some(rejected_rows(&header, &rows, &report.errors)?);
    }
    Ok(report)
}

async fn existing_holders(db: &Db, citizen_ids: &[String]) -> Result<HashMap<String, (String, String)>> {
    let mut out = HashMap::new();
    for chunk in citizen_ids.chunks(500) {
        let ph: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT citizen_id, id, org_path FROM people WHERE citizen_id IN ({})",
            ph.join(", ")
        );
        let rows: Vec<(String, String, String)> = with_db!(db, |p| {
            let mut q = sqlx::query_as(&sql);
            for c in chunk {
                q = q.bind(c);
            }
            q.fetch_all(p).await?
        });
        out.extend(rows.into_iter().map(|(c, id, path)| (c, (id, path))));
    }
    Ok(out)
}

/// The rejected rows as they were, with a reason column, to fix and re-import.
fn rejected_rows(header: &[String], rows: &[Vec<String>], errors: &[CellIssue]) -> Result<Vec<u8>> {
    let mut by_row: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for e in errors.iter().filter(|e| e.row > 1) {
        by_row
            .entry(e.row)
            .or_default()
            .push(format!("{}：{}", e.column, e.message));
    }
    let mut headers = header.to_vec();
    headers.push("错误原因".into());
    let out = by_row
        .into_iter()
        .filter_map(|(r, reasons)| {
            rows.get(r - 1).map(|row| {
                let mut row = row.clone();
                row.resize(header.len(), String::new());
                row.push(reasons.join("；"));
                row
            })
        })
        .collect();
    sheet::to_xlsx(&Table {
        sheet: "未导入".into(),
        headers,
        rows: out,
        lists: vec![],
    })
}

/// The import template: headers, one sample row (marked 「示例：」, so it is
/// never imported) and drop-down lists for every enumeration (the
/// organizations in the caller's scope among them).
pub async fn template(db: &Db, scope: &Scope) -> Result<Vec<u8>> {
    let paths = org::name_paths(db, scope).await?;
    let example_org = paths
        .last()
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| "机关党委/第一党支部".into());
    let name = sheet::example("张三");
    let example = vec![
        &name,
        "男",
        "110105198001010016",
        "13812345678",
        &example_org,
        "正式党员",
        "2005-07-01",
        "2006-07-01",
        "",
        "汉族",
        "大学本科",
        "支部委员",
        "科长",
        "兼职",
        "是",
        "否",
    ];
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let statuses: Vec<&str> = super::Status::ALL.iter().map(|s| s.label()).collect();
    let t = Table {
        sheet: "党员名册".into(),
        headers: list(&COLUMNS),
        rows: vec![list(&example)],
        lists: vec![
            (1, list(&["男", "女"])),
            (4, paths.iter().map(|(_, p)| p.clone()).collect()),
            (5, list(&statuses)),
            (13, list(&["专职", "兼职"])),
            (14, list(&["是", "否"])),
            (15, list(&["是", "否"])),
        ],
    };
    sheet::to_xlsx(&t)
}
