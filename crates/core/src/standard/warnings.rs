//! 软弱涣散 warnings: computed, never declared, for the superior's ledger
//! and supervision — the secretary post vacant for more than three months,
//! an obligation overdue in two consecutive periods, fewer than three full
//! members, the term overdue, rectification problems overdue. Each flag
//! carries the records behind it. Every flag is read from aggregate queries
//! over the subtree (life compliance for this year and the last).
use super::model::Record;
use crate::db::Db;
use crate::life::compliance;
use crate::org::{self, members, Scope};
use crate::plan::Period;
use crate::rules::standard::{WEAK_OVERDUE_CONSECUTIVE_PERIODS, WEAK_SECRETARY_VACANT_MONTHS};
use crate::rules::structure::BRANCH_MIN_FULL_MEMBERS;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub use super::rounds::rectify;

/// One warning on an organization.
#[derive(Clone, Debug, Serialize)]
pub struct Flag {
    /// secretary_vacant, life_overdue, few_members, term_overdue, problems_overdue.
    pub code: &'static str,
    pub label: &'static str,
    pub detail: String,
    pub records: Vec<Record>,
}

/// An organization with its warnings.
#[derive(Clone, Debug, Serialize)]
pub struct WeakOrg {
    pub org_id: String,
    pub org_name: String,
    pub kind: String,
    pub flags: Vec<Flag>,
}

fn flag(code: &'static str, label: &'static str, detail: String, records: Vec<Record>) -> Flag {
    Flag {
        code,
        label,
        detail,
        records,
    }
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

async fn rows<T>(db: &Db, sql: &str, w: &Where) -> Result<Vec<T>>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(sql), w.params())
        .fetch_all(p)
        .await?))
}

/// Grassroots organizations (党支部, 党总支) under `org_id` in the scope with
/// their warnings as of `now`; only those with at least one.
pub async fn weak_orgs(db: &Db, scope: &Scope, org_id: &str, now: i64) -> Result<Vec<WeakOrg>> {
    let root = org::get(db, scope, org_id.trim()).await?;
    let today = super::today(now);
    let mut w = Where::default();
    w.prefix("path", &root.path);
    scope.restrict(&mut w, "path");
    w.push_raw("kind IN ('branch', 'general_branch') AND dissolved_at IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT id, name, kind, path, founded_on, term_ends_on FROM orgs {cond} ORDER BY path");
    type OrgRow = (String, String, String, String, String, Option<String>);
    let orgs: Vec<OrgRow> = rows(db, &sql, &w).await?;
    let mut flags: HashMap<String, Vec<Flag>> = HashMap::new();
    let mut add = |org: &str, f: Flag| flags.entry(org.to_string()).or_default().push(f);

    // The secretary post: held by someone on the roster, or vacant since the
    // later of founding, the last post's end, its holder leaving the roster.
    let mut w = Where::default();
    w.prefix("o.path", &root.path);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT f.org_id, MAX(CASE WHEN p.left_on IS NULL THEN 'held' ELSE p.left_on END) FROM org_officers f \
         JOIN people p ON p.id = f.person_id JOIN orgs o ON o.id = f.org_id {cond} AND f.post = 'secretary' \
         GROUP BY f.org_id"
    );
    let holders: HashMap<String, String> = rows::<(String, String)>(db, &sql, &w).await?.into_iter().collect();
    let sql = format!(
        "SELECT e.org_id, MAX(e.ended_on) FROM org_officer_ends e JOIN orgs o ON o.id = e.org_id {cond} \
         AND e.post = 'secretary' GROUP BY e.org_id"
    );
    let ended: HashMap<String, String> = rows::<(String, String)>(db, &sql, &w).await?.into_iter().collect();
    let full = members::by_org(db, &root.path).await?;
    for (id, _, kind, _, founded, term_ends) in &orgs {
        let holder = holders.get(id);
        if holder.map(String::as_str) != Some("held") {
            let since = [
                Some(founded.as_str()),
                ended.get(id).map(String::as_str),
                holder.map(String::as_str),
            ]
            .into_iter()
            .flatten()
            .filter_map(day)
            .max();
            let limit = since.and_then(|d| d.checked_add_months(chrono::Months::new(WEAK_SECRETARY_VACANT_MONTHS)));
            if let (Some(since), Some(limit)) = (since, limit) {
                if today > limit {
                    let detail = format!("书记岗位自 {since} 起空缺，已超过 {WEAK_SECRETARY_VACANT_MONTHS} 个月");
                    let r = Record {
                        kind: "org",
                        id: id.clone(),
                        label: detail.clone(),
                    };
                    add(id, flag("secretary_vacant", "书记空缺", detail, vec![r]));
                }
            }
        }
        let n = full.get(id).map_or(0, |m| m.full);
        if kind == "branch" && n < BRANCH_MIN_FULL_MEMBERS {
            let detail = format!("正式党员 {n} 人，不足 {BRANCH_MIN_FULL_MEMBERS} 人");
            let r = Record {
                kind: "org",
                id: id.clone(),
                label: detail.clone(),
            };
            add(id, flag("few_members", "党员不足", detail, vec![r]));
        }
        if let Some(end) = term_ends.as_deref().and_then(day).filter(|d| *d < today) {
            let detail = format!("任期已于 {end} 届满，未按期换届");
            let r = Record {
                kind: "org",
                id: id.clone(),
                label: detail.clone(),
            };
            add(id, flag("term_overdue", "超期未换届", detail, vec![r]));
        }
    }

    // Rectification problems overdue.
    let mut w = Where::default();
    w.prefix("o.path", &root.path);
    let t = w.param(Param::S(today.to_string()));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.org_id, p.id, i.title, p.deadline FROM standard_problems p JOIN orgs o ON o.id = p.org_id \
         JOIN standard_items i ON i.standard_id = p.standard_id AND i.code = p.item_code \
         {cond} AND p.status = 'open' AND p.deadline < {t} ORDER BY p.deadline LIMIT 20000"
    );
    let mut late: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for (org, id, title, deadline) in rows::<(String, String, String, String)>(db, &sql, &w).await? {
        late.entry(org).or_default().push(Record {
            kind: "problem",
            id,
            label: format!("“{title}”整改时限 {deadline} 已过"),
        });
    }
    for (org, recs) in late {
        add(
            &org,
            flag(
                "problems_overdue",
                "整改逾期",
                format!("{} 个整改问题逾期", recs.len()),
                recs,
            ),
        );
    }

    // An obligation overdue in consecutive periods, across last year and this.
    let mut windows: HashMap<(String, String), BTreeMap<String, (&'static str, i64, i64)>> = HashMap::new();
    for year in [today.year() - 1, today.year()] {
        let all = compliance::supervision(db, scope, &root.id, &year.to_string(), now).await?;
        for c in &all {
            for item in &c.items {
                for (code, due, held) in &item.windows {
                    windows
                        .entry((c.org.id.clone(), item.code.to_string()))
                        .or_default()
                        .insert(code.clone(), (item.label, *due, *held));
                }
            }
        }
    }
    let mut keys: Vec<(String, String)> = windows.keys().cloned().collect();
    keys.sort();
    let mut overdue: BTreeMap<String, (Vec<String>, Vec<Record>)> = BTreeMap::new();
    for key in keys {
        let ws = &windows[&key];
        let mut run: Vec<(String, &'static str, i64, i64)> = Vec::new();
        let mut hit: Option<Vec<(String, &'static str, i64, i64)>> = None;
        for (code, (label, due, held)) in ws {
            // Closed as life_compliance counts it: from the day after its last day.
            let closed = Period::parse_any(code).is_ok_and(|p| p.last_day() < today);
            if closed && *due > 0 && held < due {
                run.push((code.clone(), label, *due, *held));
                if run.len() >= WEAK_OVERDUE_CONSECUTIVE_PERIODS {
                    hit = Some(run.clone());
                }
            } else {
                run.clear();
            }
        }
        if let Some(run) = hit {
            let e = overdue.entry(key.0.clone()).or_default();
            e.0.push(format!("{}连续 {} 个期间", run[0].1, run.len()));
            e.1.extend(run.iter().map(|(code, label, due, held)| Record {
                kind: "life_window",
                id: format!("{}:{}:{code}", key.0, key.1),
                label: format!("{label}（{}）：应召开 {due} 次，实际 {held} 次", Period::title_of(code)),
            }));
        }
    }
    for (org, (what, recs)) in overdue {
        let detail = format!("{}未按规定召开", what.join("、"));
        add(&org, flag("life_overdue", "组织生活连续未开", detail, recs));
    }
    Ok(orgs
        .into_iter()
        .filter_map(|(id, name, kind, ..)| {
            let f = flags.remove(&id)?;
            Some(WeakOrg {
                org_id: id,
                org_name: name,
                kind,
                flags: f,
            })
        })
        .collect())
}

/// One organization's warnings.
pub async fn flags_of(db: &Db, scope: &Scope, org_id: &str, now: i64) -> Result<Vec<Flag>> {
    let o = org::get(db, scope, org_id.trim()).await?;
    Ok(weak_orgs(db, scope, &o.id, now)
        .await?
        .into_iter()
        .find(|w| w.org_id == o.id)
        .map(|w| w.flags)
        .unwrap_or_default())
}
