//! `life_compliance`: every obligation met in every period of the year that
//! has closed, as life::compliance judges them (the superior's supervision,
//! one aggregate tally over the subtree). A period closes the day after its
//! last day (Beijing time): March counts from 1 April.
use super::computed::{eval, Target};
use super::model::{Evaluation, Record};
use crate::db::Db;
use crate::life::compliance::{self, OrgCompliance};
use crate::org::{Org, Scope};
use crate::plan::Period;
use crate::Result;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The windows an organization fell short in and the closed windows with
/// anything due: ((line label, period code, due, held), closed count).
pub(super) type Shortfall = (Vec<(&'static str, String, String, i64, i64)>, usize);

/// The closed windows an organization's compliance fell short in, and how many closed windows owed anything.
pub(super) fn shortfalls(c: &OrgCompliance, today: NaiveDate) -> Shortfall {
    let mut short = Vec::new();
    let mut closed = 0;
    for item in &c.items {
        for (code, due, held) in &item.windows {
            let ended = Period::parse_any(code).is_ok_and(|p| p.last_day() < today);
            if !ended || *due == 0 {
                continue;
            }
            closed += 1;
            if held < due {
                short.push((item.label, item.code.to_string(), code.clone(), *due, *held));
            }
        }
    }
    (short, closed)
}

pub(super) async fn life(
    db: &Db,
    scope: &Scope,
    year: i64,
    root: &Org,
    targets: &[Target],
    now: i64,
    records: bool,
) -> Result<HashMap<String, Evaluation>> {
    let all = compliance::supervision(db, scope, &root.id, &year.to_string(), now).await?;
    let by: HashMap<&str, &OrgCompliance> = all.iter().map(|c| (c.org.id.as_str(), c)).collect();
    let today = super::today(now);
    Ok(targets
        .iter()
        .map(|t| {
            let e = match by.get(t.id.as_str()) {
                None => eval(true, format!("{year}年度没有应履行的组织生活"), Vec::new()),
                Some(c) => {
                    let (short, closed) = shortfalls(c, today);
                    if short.is_empty() {
                        let detail = if closed == 0 {
                            format!("{year}年度尚无已结束的期间")
                        } else {
                            format!("已结束的 {closed} 个期间均按规定召开")
                        };
                        eval(true, detail, Vec::new())
                    } else {
                        let recs = if records {
                            short
                                .iter()
                                .map(|(label, kind, code, due, held)| Record {
                                    kind: "life_window",
                                    id: format!("{}:{kind}:{code}", t.id),
                                    label: format!(
                                        "{label}（{}）：应召开 {due} 次，实际 {held} 次",
                                        Period::title_of(code)
                                    ),
                                })
                                .collect()
                        } else {
                            Vec::new()
                        };
                        let first: Vec<String> = short
                            .iter()
                            .take(3)
                            .map(|(label, _, code, ..)| format!("{label}（{}）", Period::title_of(code)))
                            .collect();
                        let more = if short.len() > 3 { " 等" } else { "" };
                        eval(
                            false,
                            format!("{} 个已结束的期间未按规定召开：{}{more}", short.len(), first.join("、")),
                            recs,
                        )
                    }
                }
            };
            (t.id.clone(), e)
        })
        .collect())
}
