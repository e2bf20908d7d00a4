//! Organizational life's to-dos: a planned meeting within the reminder
//! days (and one whose time passed without a record), and, for the
//! organizations the caller holds, an obligation still due in a period
//! ending within the reminder days or overdue in the last ended one.
use super::compliance::{self};
use super::model::Kind;
use super::rules::Standing;
use crate::db::Db;
use crate::org::Scope;
use crate::plan::{Period, PeriodKind};
use crate::rules::life::REMINDER_DAYS;
use crate::sql::{Param, Where};
use crate::todo::Todo;
use crate::{bind_all, with_db, Result};
use std::collections::hash_map::Entry;

pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let mut out = planned(db, scope, now).await?;
    out.extend(obligations(db, scope, now).await?);
    out.extend(absences(db, scope, now).await?);
    Ok(out)
}

/// Art. 9 warnings for the branches (and groups) the caller's grants name:
/// the first (3 months) asks for a talk before the second is reached; the
/// second (5 months) is urgent, the month left before six; six months reached
/// is past its deadline.
async fn absences(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    use crate::rules::life::{ABSENCE_LEAVING_MONTHS as SIX, ABSENCE_WARNING_MONTHS as WARN};
    let Some(roots) = scope.roots() else {
        return Ok(Vec::new());
    };
    let today = crate::clock::beijing(now).date_naive();
    let last = super::rules::last_ended_month(today);
    // The last day of the month `ahead` months after the last ended one.
    let month_end = |ahead: u32| {
        let m = super::absence::shift_month(&last, ahead as i32);
        Period::parse_any(&m).map(|p| p.last_day().to_string()).ok()
    };
    let mut out = Vec::new();
    for org_id in roots.iter().filter_map(|p| p.trim_end_matches('/').rsplit('/').next()) {
        let Ok(org) = crate::org::get(db, scope, org_id).await else {
            continue;
        };
        if !matches!(org.kind.as_str(), "branch" | "group") {
            continue;
        }
        for a in super::participation::absences(db, scope, &org.id, now).await? {
            let (title, detail, due, overdue) = match a.level {
                3 => (
                    format!(
                        "已满{SIX}个月：{}连续 {} 个月未参加组织生活（{}）",
                        a.name, a.months, a.org_name
                    ),
                    format!(
                        "党章第九条：党员无正当理由，连续{SIX}个月不参加党的组织生活，被认为是自行脱党。\
                         请支部核实情况，确有正当理由的补登请假记录；否则按规定提交支部党员大会讨论"
                    ),
                    Some(last_day(&last)),
                    true,
                ),
                2 => (
                    format!(
                        "紧急：{}已连续 {} 个月未参加组织生活（{}）",
                        a.name, a.months, a.org_name
                    ),
                    format!(
                        "再有 1 个月即满{SIX}个月，按党章第九条将被认为是自行脱党。请本月内由支部书记谈话教育，\
                         督促其参加组织生活；确有正当理由的，请在会议记录中登记缺席原因"
                    ),
                    month_end(1),
                    false,
                ),
                _ => (
                    format!(
                        "谈心谈话：{}已连续 {} 个月未参加组织生活（{}）",
                        a.name, a.months, a.org_name
                    ),
                    format!(
                        "请支委与其谈心谈话，了解原因，督促其参加组织生活，避免连续达到{}个月\
                         （党章第九条：无正当理由连续{SIX}个月不参加党的组织生活，被认为是自行脱党）",
                        WARN[1]
                    ),
                    month_end(WARN[1] - a.months.min(WARN[1] - 1)),
                    false,
                ),
            };
            out.push(Todo {
                kind: "life",
                title,
                detail,
                due,
                from: None,
                overdue,
                href: format!("/life/compliance?org={}", org.id),
            });
        }
    }
    Ok(out)
}

/// The last day of a month ("2026-10" → "2026-10-31").
fn last_day(month: &str) -> String {
    Period::parse_any(month)
        .map(|p| p.last_day().to_string())
        .unwrap_or_default()
}

async fn planned(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let soon = now + REMINDER_DAYS * crate::clock::DAY_MS;
    let mut w = Where::default();
    w.push_raw("m.status = 'planned'".into());
    w.push("m.starts_at <= {}", Param::I(soon));
    // Few meetings are planned: the planned-meetings index answers, and the
    // scope is checked on those (a committee's scope would otherwise walk
    // every meeting of every organization below it).
    scope.restrict_unindexed(&mut w, "o.path");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT m.id, m.kind, m.topic, o.name, m.starts_at FROM meetings m JOIN orgs o ON o.id = m.org_id {cond} \
         ORDER BY m.starts_at LIMIT 100"
    );
    let rows: Vec<(String, String, String, String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(id, kind, topic, org, at)| {
            let what = Kind::parse(&kind).map_or_else(|| format!("会议「{topic}」"), |k| k.headline(&topic));
            let passed = at < now;
            Todo {
                kind: "life",
                title: if passed {
                    format!("登记召开情况：{what}（{org}）")
                } else {
                    format!("即将召开：{what}（{org}）")
                },
                detail: if passed {
                    "计划时间已过，请登记出席、缺席和会议记录；如未召开请取消并另行安排".into()
                } else {
                    format!(
                        "{} 召开，请提前通知参会人员并准备议程",
                        crate::clock::format_beijing(at)
                    )
                },
                due: Some(crate::clock::beijing(at).date_naive().to_string()),
                from: None,
                overdue: passed,
                href: format!("/life/meetings/{id}"),
            }
        })
        .collect())
}

/// For each organization the caller's grants name (not their whole
/// subtrees: a superior reads those in the supervision view).
async fn obligations(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let Some(roots) = scope.roots() else {
        return Ok(Vec::new());
    };
    let today = crate::clock::beijing(now).date_naive();
    let mut out = Vec::new();
    let ids: Vec<String> = roots
        .iter()
        .filter_map(|p| p.trim_end_matches('/').rsplit('/').next().map(String::from))
        .collect();
    for org_id in ids {
        let mut years: std::collections::HashMap<i32, (compliance::OrgFacts, Vec<compliance::Line>)> =
            std::collections::HashMap::new();
        for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
            let current = Period::containing(kind, today);
            let ends_soon = (current.last_day() - today).num_days() < REMINDER_DAYS;
            let before = current.first_day().pred_opt().unwrap_or(today);
            let last = Period::containing(kind, before);
            for (p, want) in [(current, Standing::Due), (last, Standing::Overdue)] {
                if want == Standing::Due && !ends_soon {
                    continue;
                }
                // The organization's lines once per year, judged for each period.
                let (org, lines) = match years.entry(p.year) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(v) => {
                        let Ok(got) = compliance::year_lines(db, scope, &org_id, p.year).await else {
                            continue;
                        };
                        v.insert(got)
                    }
                };
                let items: Vec<compliance::Item> = lines.iter().map(|l| compliance::finish(l, &p, today)).collect();
                for i in items.iter().filter(|i| i.status == want) {
                    // Judged over its own period kind only, to list each gap once.
                    if i.windows.len() != 1 || !i.windows[0].0.eq(&p.code()) {
                        continue;
                    }
                    out.push(Todo {
                        kind: "life",
                        title: format!(
                            "{}：{}{}（{}）",
                            if want == Standing::Due {
                                "待召开"
                            } else {
                                "逾期未开"
                            },
                            p.title(),
                            i.kind.label(),
                            org.name
                        ),
                        detail: format!("应召开 {} 次，已召开 {} 次；依据组织生活制度的召开频次", i.due, i.held),
                        due: Some(p.last_day().to_string()),
                        from: None,
                        overdue: want == Standing::Overdue,
                        href: format!("/life/meetings/new?org={}&kind={}", org.id, i.kind.code()),
                    });
                }
            }
        }
    }
    Ok(out)
}
