//! 导入基数: dues bases from .xlsx or .csv, checked row by row; the whole
//! file is written in one transaction, or nothing is.
use super::model::{NewBase, ValidBase, F_BASE, F_CATEGORY, F_FARMER, F_FROM};
use super::store::{check_base_for, current_month, start_month, upsert_base};
use super::DuesCategory;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::people::{self, Person};
use crate::sheet::{self, CellIssue, Table};
use crate::{with_db, Error, Result};
use std::collections::HashMap;

/// The template's columns, in order; the first five must be present.
pub const BASE_COLUMNS: [&str; 6] = ["姓名", "身份证号", F_CATEGORY, F_BASE, F_FROM, F_FARMER];
const REQUIRED: usize = 5;

#[derive(Debug, Default)]
pub struct BaseImportReport {
    /// Data rows in the file.
    pub total: usize,
    /// Rows that passed every check.
    pub valid: usize,
    /// Bases written: new, and corrections of a base from the same month.
    pub imported: usize,
    pub updated: usize,
    pub errors: Vec<CellIssue>,
}

/// The people whose citizen IDs the file names, by ID.
async fn people_by_id(db: &Db, citizen_ids: &[String]) -> Result<HashMap<String, Person>> {
    let mut out = HashMap::new();
    for chunk in citizen_ids.chunks(500) {
        let ph: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT * FROM people WHERE citizen_id IN ({})", ph.join(", "));
        let rows: Vec<Person> = with_db!(db, |p| {
            let mut q = sqlx::query_as(&sql);
            for c in chunk {
                q = q.bind(c);
            }
            q.fetch_all(p).await?
        });
        out.extend(rows.into_iter().filter_map(|p| Some((p.citizen_id.clone()?, p))));
    }
    Ok(out)
}

/// One row's checks; the row's problems, or the person and the base.
fn check_row(
    r: usize,
    get: &dyn Fn(&str) -> String,
    found: &HashMap<String, Person>,
    scope: &Scope,
    current: &str,
) -> std::result::Result<(String, ValidBase), Vec<CellIssue>> {
    let mut errs = Vec::new();
    let nb = NewBase {
        from_month: get(F_FROM),
        category: get(F_CATEGORY),
        base_yuan: get(F_BASE),
        farmer_amount_yuan: get(F_FARMER),
        ..NewBase::default()
    };
    for e in nb.field_errors() {
        if let Error::Invalid { field, message } = e {
            errs.push(CellIssue::new(r, &field, message));
        }
    }
    let cid = people::normalize(&get("身份证号")).to_uppercase();
    let name = people::normalize(&get("姓名")).replace(' ', "");
    let person = match found.get(&cid) {
        _ if cid.is_empty() => {
            errs.push(CellIssue::new(r, "身份证号", "不能为空，请填写"));
            None
        }
        Some(p) if scope.contains_path(&p.org_path) => Some(p),
        _ => {
            errs.push(CellIssue::new(
                r,
                "身份证号",
                "党员名册中没有该身份证号，或不在您的管理范围内；请先在党员名册中登记",
            ));
            None
        }
    };
    if let Some(p) = person {
        if name.is_empty() {
            errs.push(CellIssue::new(r, "姓名", "不能为空，请填写"));
        } else if name != p.name.replace(' ', "") {
            errs.push(CellIssue::new(
                r,
                "姓名",
                format!("与名册中该身份证号的姓名“{}”不符", p.name),
            ));
        }
        match start_month(p) {
            Err(Error::Invalid { message, .. }) => errs.push(CellIssue::new(r, "姓名", message)),
            Err(e) => errs.push(CellIssue::new(r, "姓名", e.to_string())),
            Ok(start) => {
                if let (true, Ok(v)) = (errs.is_empty(), nb.validate()) {
                    match check_base_for(&v, &start, current) {
                        Ok(()) => return Ok((p.id.clone(), v)),
                        Err(Error::Invalid { field, message }) => errs.push(CellIssue::new(r, &field, message)),
                        Err(e) => errs.push(CellIssue::new(r, F_FROM, e.to_string())),
                    }
                }
            }
        }
    }
    Err(errs)
}

/// Reads and checks the file; unless `dry_run` or any row is wrong, writes
/// every base (a base from a month the member already has one for corrects
/// it) in one transaction with one audit record.
pub async fn import_bases(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    bytes: Vec<u8>,
    filename: &str,
    dry_run: bool,
) -> Result<BaseImportReport> {
    let name = filename.to_string();
    let grid = tokio::task::spawn_blocking(move || sheet::read(&bytes, &name))
        .await
        .map_err(|e| Error::internal("读取表格的任务中断", e))??;
    let header = grid.rows.first().cloned().unwrap_or_default();
    let data: Vec<(usize, &Vec<String>)> = grid
        .rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| (i + 1, r))
        .collect();
    let mut report = BaseImportReport {
        total: data.len(),
        ..Default::default()
    };
    let cols = match sheet::map_headers(&header, &BASE_COLUMNS, REQUIRED) {
        Ok(c) => c,
        Err(errors) => {
            report.errors = errors;
            return Ok(report);
        }
    };
    let cell = |row: &Vec<String>, c: &str| cols.get(c).and_then(|i| row.get(*i)).cloned().unwrap_or_default();
    let ids: Vec<String> = data
        .iter()
        .map(|(_, row)| people::normalize(&cell(row, "身份证号")).to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    let found = people_by_id(db, &ids).await?;
    let current = current_month(now);
    let mut plan: Vec<(String, ValidBase)> = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (r, row) in &data {
        let get = |c: &str| cell(row, c);
        match check_row(*r, &get, &found, scope, &current) {
            Ok((pid, v)) => {
                let key = (pid.clone(), v.from_month.clone());
                if let Some(first) = seen.get(&key) {
                    report.errors.push(CellIssue::new(
                        *r,
                        F_FROM,
                        format!("与第 {first} 行为同一人同一起始月份，请只保留一行"),
                    ));
                } else {
                    seen.insert(key, *r);
                    plan.push((pid, v));
                }
            }
            Err(errs) => report.errors.extend(errs),
        }
    }
    report.errors.extend(grid.issues);
    report.errors.sort_by_key(|e| e.row);
    report.valid = plan.len();
    if dry_run || !report.errors.is_empty() || plan.is_empty() {
        return Ok(report);
    }
    let actor = actor.clone();
    let (imported, updated) = db
        .transaction(move |tx| {
            let (plan, actor) = (plan.clone(), actor.clone());
            Box::pin(async move {
                let (mut new, mut corrected) = (0, 0);
                for (pid, v) in &plan {
                    match upsert_base(tx, now, pid, v).await? {
                        Some(_) => corrected += 1,
                        None => new += 1,
                    }
                }
                let ev = Event::new("dues.import", "党费基数", Outcome::Ok)
                    .detail(format!("新增 {new} 条，更正 {corrected} 条"));
                audit::append(tx, now, &actor, &ev).await?;
                Ok((new, corrected))
            })
        })
        .await?;
    report.imported = imported;
    report.updated = updated;
    Ok(report)
}

/// The import template: headers, two sample rows (marked 「示例：」, so
/// they are never imported) and a drop-down list of categories.
pub fn base_template(now: i64) -> Result<Vec<u8>> {
    let month = current_month(now);
    let row = |v: [&str; 6]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let t = Table {
        sheet: "党费基数".into(),
        headers: BASE_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows: vec![
            row([
                &sheet::example("张三"),
                "110105198001010016",
                "在职",
                "6842.35",
                &month,
                "",
            ]),
            row([
                &sheet::example("李四"),
                "110105195501010013",
                "农民",
                "",
                &month,
                "0.50",
            ]),
        ],
        lists: vec![(2, DuesCategory::ALL.iter().map(|c| c.label().to_string()).collect())],
    };
    sheet::to_xlsx(&t)
}
