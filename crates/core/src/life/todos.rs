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

pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let mut out = planned(db, scope, now).await?;
    out.extend(obligations(db, scope, now).await?);
    Ok(out)
}

async fn planned(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let soon = now + REMINDER_DAYS * crate::clock::DAY_MS;
    let mut w = Where::default();
    w.push_raw("m.status = 'planned'".into());
    w.push("m.starts_at <= {}", Param::I(soon));
    scope.restrict(&mut w, "o.path");
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
        for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
            let current = Period::containing(kind, today);
            let ends_soon = (current.last_day() - today).num_days() < REMINDER_DAYS;
            let before = current.first_day().pred_opt().unwrap_or(today);
            let last = Period::containing(kind, before);
            for (p, want) in [(current, Standing::Due), (last, Standing::Overdue)] {
                if want == Standing::Due && !ends_soon {
                    continue;
                }
                let Ok((org, items)) = compliance::compliance(db, scope, &org_id, &p.code(), now).await else {
                    continue;
                };
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
