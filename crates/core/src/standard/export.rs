//! The ledger and the problem list as sheets (Excel / CSV through
//! `sheet::to_xlsx` / `to_csv`), with the same figures the pages show;
//! every export is audited.
use super::ledger::{ledger, LedgerQuery};
use super::problems::{list, ProblemQuery};
use super::{ProblemStatus, Source};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::sheet::Table;
use crate::Result;

/// The ledger's columns, as on the page.
pub const LEDGER_COLUMNS: [&str; 8] = [
    "组织",
    "状态",
    "等次",
    "轮次",
    "未达标达标项",
    "提升项得分率",
    "未销号问题",
    "逾期问题",
];

/// The problem list's columns.
pub const PROBLEM_COLUMNS: [&str; 11] = [
    "组织",
    "项目",
    "来源",
    "问题原因",
    "整改措施",
    "责任人",
    "整改时限",
    "状态",
    "是否逾期",
    "整改情况",
    "核验意见",
];

fn percent(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// The ledger as a sheet, with a totals row.
pub async fn ledger_table(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    standard_id: &str,
    q: &LedgerQuery,
) -> Result<Table> {
    let l = ledger(db, scope, standard_id, q, now).await?;
    let mut rows: Vec<Vec<String>> = l
        .rows
        .iter()
        .map(|r| {
            vec![
                r.org_name.clone(),
                r.status.label().to_string(),
                r.grade.map(|g| g.label().to_string()).unwrap_or_default(),
                r.round.to_string(),
                r.baseline_unmet.to_string(),
                percent(r.share_bp),
                r.open_problems.to_string(),
                r.overdue_problems.to_string(),
            ]
        })
        .collect();
    let c = &l.counts;
    rows.push(vec![
        format!("合计 {} 个", l.total),
        format!(
            "未自查 {}，未达标 {}，已达标 {}，已申报 {}，已验收 {}",
            c.not_started, c.not_met, c.met, c.applied, c.accepted
        ),
        format!("ⅰ级 {}，ⅱ级 {}，ⅲ级 {}", l.grades.i, l.grades.ii, l.grades.iii),
        String::new(),
        String::new(),
        String::new(),
        l.open_problems.to_string(),
        l.overdue_problems.to_string(),
    ]);
    let ev = Event::new(
        "standard.export",
        format!("{}（{}）", l.standard.display(), l.root_name),
        Outcome::Ok,
    )
    .detail(format!("标准化建设台账 {} 个组织", l.total));
    audit::record(db, now, actor, ev).await?;
    Ok(Table {
        sheet: "标准化建设台账".into(),
        headers: LEDGER_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows,
        lists: vec![],
    })
}

/// The problem list the query selects, as a sheet.
pub async fn problems_table(db: &Db, now: i64, actor: &Actor, scope: &Scope, q: &ProblemQuery) -> Result<Table> {
    let ps = list(db, scope, q, now).await?;
    let rows = ps
        .iter()
        .map(|p| {
            vec![
                p.org_name.clone(),
                format!("{} {}", p.item_code, p.item_title),
                Source::parse(&p.source).map_or("", |s| s.label()).to_string(),
                p.cause.clone(),
                p.measure.clone(),
                p.owner_name.clone(),
                p.deadline.clone(),
                ProblemStatus::parse(&p.status).map_or("", |s| s.label()).to_string(),
                if p.overdue { "逾期" } else { "" }.to_string(),
                p.report_note.clone(),
                p.verify_comment.clone(),
            ]
        })
        .collect();
    let ev = Event::new("standard.export", "问题清单", Outcome::Ok).detail(format!("{} 个问题", ps.len()));
    audit::record(db, now, actor, ev).await?;
    Ok(Table {
        sheet: "问题清单".into(),
        headers: PROBLEM_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows,
        lists: vec![],
    })
}
