//! Computed items read from the roster: `dues_no_arrears` (the dues
//! module's arrears: a member owes the month once it has ended, from the
//! later of joining and the first base) and `committee_seated` (org::members:
//! full members and the committee still on the roster; the top
//! organization's seats setting).
use super::computed::{eval, Target};
use super::model::{Evaluation, Record};
use crate::db::Db;
use crate::org::{self, members, Org};
use crate::rules::structure::{COMMITTEE_MAX_SEATS, COMMITTEE_REQUIRED_FROM};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use std::collections::HashMap;

/// The month whose dues must be paid by now for the year: the last month
/// ended by today, at most December of the year.
pub(super) fn dues_month(year: i64, now: i64) -> String {
    let last = crate::life::rules::last_ended_month(super::today(now));
    let end = format!("{year:04}-12");
    if last < end {
        last
    } else {
        end
    }
}

/// Members under `path` who owe `month`: on the roster, owing dues by then
/// (joined, a base in force) and not paid for it.
fn arrears_where(path: &str, month: &str) -> Where {
    let mut w = Where::default();
    w.prefix("p.org_path", path);
    let m = w.param(Param::S(month.to_string()));
    w.push_raw(format!(
        "p.left_on IS NULL AND p.status IN ('probationary', 'full') AND p.joined_on IS NOT NULL \
         AND substr(p.joined_on, 1, 7) <= {m} \
         AND EXISTS (SELECT 1 FROM dues_bases b WHERE b.person_id = p.id AND b.from_month <= {m}) \
         AND NOT EXISTS (SELECT 1 FROM dues_payments x WHERE x.person_id = p.id AND x.month = {m})"
    ));
    w
}

pub(super) async fn dues(
    db: &Db,
    year: i64,
    root: &Org,
    targets: &[Target],
    now: i64,
    records: bool,
) -> Result<HashMap<String, Evaluation>> {
    let month = dues_month(year, now);
    if month < format!("{year:04}-01") {
        return Ok(targets
            .iter()
            .map(|t| {
                (
                    t.id.clone(),
                    eval(true, format!("{year}年度尚无已结束的月份"), Vec::new()),
                )
            })
            .collect());
    }
    let w = arrears_where(&root.path, &month);
    let (cond, _) = w.sql();
    let sql = format!("SELECT p.org_path, COUNT(*) FROM people p {cond} GROUP BY p.org_path");
    let rows: Vec<(String, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut owing: HashMap<&str, i64> = HashMap::new();
    for (path, n) in &rows {
        for id in path.split('/').filter(|s| !s.is_empty()) {
            *owing.entry(id).or_default() += n;
        }
    }
    let title = crate::plan::Period::title_of(&month);
    let mut out = HashMap::new();
    for t in targets {
        let n = owing.get(t.id.as_str()).copied().unwrap_or(0);
        let e = if n == 0 {
            eval(true, format!("党员党费已交至{title}，无欠缴"), Vec::new())
        } else {
            let mut recs = Vec::new();
            if records {
                let w = arrears_where(&t.path, &month);
                let (cond, _) = w.sql();
                let sql = format!("SELECT p.id, p.name FROM people p {cond} ORDER BY p.name_pinyin, p.id LIMIT 50");
                let who: Vec<(String, String)> =
                    with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
                recs = who
                    .into_iter()
                    .map(|(id, name)| Record {
                        kind: "person",
                        id,
                        label: format!("{name}：{title}党费未交纳"),
                    })
                    .collect();
            }
            eval(false, format!("{n} 名党员{title}党费未交纳"), recs)
        };
        out.insert(t.id.clone(), e);
    }
    Ok(out)
}

pub(super) async fn committee(db: &Db, root: &Org, targets: &[Target]) -> Result<HashMap<String, Evaluation>> {
    let members = members::by_org(db, &root.path).await?;
    let committees = members::committees(db, &root.path, None).await?;
    let settings = org::rule_settings_all(db).await?;
    Ok(targets
        .iter()
        .map(|t| {
            let full = members.get(&t.id).map_or(0, |m| m.full);
            let c = committees.get(&t.id).cloned().unwrap_or_default();
            let (lo, hi) = settings(&t.path).committee_seats;
            let record = vec![Record {
                kind: "org",
                id: t.id.clone(),
                label: format!("正式党员 {full} 人，委员 {} 人", c.seats),
            }];
            let e = if c.secretary.is_none() {
                eval(false, "未配备书记", record)
            } else if t.kind == "branch" && full < COMMITTEE_REQUIRED_FROM {
                eval(
                    true,
                    format!("正式党员 {full} 人，不足 {COMMITTEE_REQUIRED_FROM} 人可不设支部委员会；书记在岗"),
                    record,
                )
            } else if c.seats < lo {
                eval(
                    false,
                    format!(
                        "正式党员 {full} 人，应设立委员会（{lo}–{hi} 人），现有委员 {} 人",
                        c.seats
                    ),
                    record,
                )
            } else if c.seats > COMMITTEE_MAX_SEATS {
                eval(
                    false,
                    format!("委员 {} 人，超过 {COMMITTEE_MAX_SEATS} 人", c.seats),
                    record,
                )
            } else {
                eval(true, format!("委员会 {} 人，书记在岗", c.seats), record)
            };
            (t.id.clone(), e)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> i64 {
        use chrono::TimeZone;
        crate::clock::beijing_offset()
            .with_ymd_and_hms(y, m, d, 0, 30, 0)
            .single()
            .map(|t| t.timestamp_millis())
            .unwrap_or(0)
    }

    #[test]
    fn the_dues_month_is_the_last_ended_one_within_the_year() {
        assert_eq!(dues_month(2026, at(2026, 3, 31)), "2026-02");
        assert_eq!(dues_month(2026, at(2026, 4, 1)), "2026-03");
        assert_eq!(
            dues_month(2028, at(2028, 2, 29)),
            "2028-01",
            "29 February is still February"
        );
        assert_eq!(dues_month(2028, at(2028, 3, 1)), "2028-02");
        assert_eq!(dues_month(2026, at(2027, 5, 1)), "2026-12");
        assert_eq!(dues_month(2026, at(2026, 1, 15)), "2025-12");
    }
}
