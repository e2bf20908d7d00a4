//! Members' participation: meetings attended in a period, and the warnings
//! of Party Constitution art. 9 at 3 and 5 months without organizational life.
//!
//! A month counts (see `absence`) only when the member belonged to the
//! organization — from the latest of their joining the Party, their last
//! transfer in, and their record's creation — and a meeting they were
//! expected at was held: one that lists them (present or absent), or a
//! meeting for all members (大会、党小组会、党课、主题党日、组织生活会、民主评议)
//! of their own organization or of the branch above their group. An absence
//! with a proper reason (请假、病假、公差) is not counted.
use super::absence::{self, Month};
use super::model::{Kind, ReasonKind};
use super::rules::last_ended_month;
use crate::db::Db;
use crate::org::Scope;
use crate::rules::life::{ABSENCE_LOOKBACK_MONTHS, ABSENCE_WARNING_MONTHS};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Clone, Debug, serde::Serialize)]
pub struct Absence {
    pub person_id: String,
    pub name: String,
    pub org_id: String,
    pub org_name: String,
    /// The last month they took part, if ever recorded.
    pub last_present: Option<String>,
    /// Months without organizational life (and without a proper reason) up
    /// to the last ended month, counted as art. 9 counts them.
    pub months: u32,
    /// 1: the first warning (3 months), 2: the second (5), 3: six months reached.
    pub level: u8,
}

/// Meetings held for all members of an organization; the others (支委会,
/// 谈心谈话 and committees' own meetings) expect only those they list.
const FOR_ALL: [Kind; 6] = [
    Kind::GeneralMeeting,
    Kind::GroupMeeting,
    Kind::PartyLecture,
    Kind::ThemeDay,
    Kind::LifeMeeting,
    Kind::Appraisal,
];

/// A member as the warnings need them.
struct Member {
    id: String,
    name: String,
    org_id: String,
    org_name: String,
    /// Their own organization, and the branch above when it is a group.
    expected_at: Vec<String>,
    /// From when they belong here (ms).
    since: i64,
    last_present: Option<String>,
}

/// A day ("2010-07-01") as the ms of its start in Beijing time.
fn day_ms(d: Option<&str>) -> i64 {
    d.and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(crate::clock::beijing_offset()).single())
        .map_or(0, |t| t.timestamp_millis())
}

type MemberRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
);

async fn members(db: &Db, path: &str, last: &str) -> Result<Vec<Member>> {
    let mut w = Where::default();
    let m = w.param(Param::S(last.to_string()));
    w.prefix("p.org_path", path);
    w.push_raw("p.status IN ('probationary', 'full') AND p.left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.id, p.name, p.org_id, o.name, o.kind, o.parent_id, p.created_at, p.joined_on, \
         (SELECT MAX(t.decided_at) FROM transfers t WHERE t.person_id = p.id AND t.to_org_id IS NOT NULL \
         AND t.status IN ('accepted', 'done')), \
         (SELECT MAX(m.month) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id \
         WHERE a.person_id = p.id AND a.present = TRUE AND m.status = 'held' AND m.kind <> 'talk' AND m.month <= {m}) \
         FROM people p JOIN orgs o ON o.id = p.org_id {cond}"
    );
    let rows: Vec<MemberRow> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(
            |(id, name, org_id, org_name, kind, parent, created, joined, moved_in, last_present)| {
                let mut expected_at = vec![org_id.clone()];
                if kind == "group" {
                    expected_at.extend(parent);
                }
                Member {
                    since: created.max(day_ms(joined.as_deref())).max(moved_in.unwrap_or(0)),
                    id,
                    name,
                    org_id,
                    org_name,
                    expected_at,
                    last_present,
                }
            },
        )
        .collect())
}

/// Members (probationary and full) under an organization who have gone at
/// least the first warning's months without organizational life, longest first.
pub async fn absences(db: &Db, scope: &Scope, org_id: &str, now: i64) -> Result<Vec<Absence>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let last = last_ended_month(crate::clock::beijing(now).date_naive());
    let first = absence::shift_month(&last, 1 - ABSENCE_LOOKBACK_MONTHS as i32);
    let mut people = members(db, &org.path, &last).await?;
    // Whoever took part in the last warning's months, since they belong
    // here, cannot have reached it: those found at the subtree's own
    // meetings are dropped before the year's listings are read.
    let recent = absence::shift_month(&last, 1 - ABSENCE_WARNING_MONTHS[0] as i32);
    let mut latest: HashMap<String, i64> = HashMap::new();
    for (id, at) in took_part_since(db, &org.path, &recent, &last).await? {
        let e = latest.entry(id).or_insert(at);
        *e = (*e).max(at);
    }
    people.retain(|p| latest.get(&p.id).is_none_or(|at| *at < p.since));
    if people.is_empty() {
        return Ok(Vec::new());
    }

    // Every listing of these members in the window: (meeting, person, org, month, at, present, reason kind, kind).
    let mut w = Where::default();
    w.prefix("p.org_path", &org.path);
    let ids: Vec<String> = people.iter().map(|p| p.id.clone()).collect();
    let list = w.in_list(&ids);
    w.push_raw(format!("a.person_id IN ({list})"));
    w.push("m.month >= {}", Param::S(first.clone()));
    w.push("m.month <= {}", Param::S(last.clone()));
    w.push_raw("m.status = 'held'".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT m.id, a.person_id, m.month, m.starts_at, a.present, a.reason_kind, m.kind FROM meeting_attendance a \
         JOIN meetings m ON m.id = a.meeting_id JOIN people p ON p.id = a.person_id {cond}"
    );
    type Listing = (String, String, String, i64, bool, String, String);
    let listed: Vec<Listing> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);

    // Meetings for all members, of the organizations under this one and of the branch above a group.
    let mut w = Where::default();
    match (org.kind.as_str(), org.parent_id.as_deref()) {
        ("group", Some(parent)) => {
            let a = w.param(Param::S(parent.to_string()));
            let sub = w.prefix_cond("o.path", &org.path);
            w.push_raw(format!("(m.org_id = {a} OR {sub})"));
        }
        _ => w.prefix("o.path", &org.path),
    }
    w.push("m.month >= {}", Param::S(first));
    w.push("m.month <= {}", Param::S(last.clone()));
    w.push_raw("m.status = 'held'".into());
    let kinds: Vec<String> = FOR_ALL.iter().map(|k| k.code().to_string()).collect();
    let phs = w.in_list(&kinds);
    w.push_raw(format!("m.kind IN ({phs})"));
    let (cond, _) = w.sql();
    let sql =
        format!("SELECT m.id, m.org_id, m.month, m.starts_at FROM meetings m JOIN orgs o ON o.id = m.org_id {cond}");
    let for_all: Vec<(String, String, String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut by_org: HashMap<&str, Vec<&(String, String, String, i64)>> = HashMap::new();
    for m in &for_all {
        by_org.entry(m.1.as_str()).or_default().push(m);
    }

    let since: HashMap<&str, i64> = people.iter().map(|p| (p.id.as_str(), p.since)).collect();
    let mut months: HashMap<String, BTreeMap<String, Month>> = HashMap::new();
    let mut note = |person: &str, month: &str, state: Month| {
        let e = months
            .entry(person.to_string())
            .or_default()
            .entry(month.to_string())
            .or_insert(state);
        *e = e.and(state);
    };
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for (mid, pid, month, at, present, reason, kind) in &listed {
        seen.insert((mid.as_str(), pid.as_str()));
        if since.get(pid.as_str()).is_none_or(|s| at < s) {
            continue;
        }
        let participation = Kind::parse(kind).is_some_and(Kind::counts_as_participation);
        let state = match (*present, ReasonKind::parse(reason).is_some_and(ReasonKind::excused)) {
            _ if !participation => continue,
            (true, _) => Month::Attended,
            (false, true) => Month::Excused,
            (false, false) => Month::Missed,
        };
        note(pid, month, state);
    }
    for p in &people {
        for org_id in &p.expected_at {
            for (mid, _, month, at) in by_org.get(org_id.as_str()).into_iter().flatten() {
                if *at >= p.since && !seen.contains(&(mid.as_str(), p.id.as_str())) {
                    note(&p.id, month, Month::Missed);
                }
            }
        }
    }

    let mut out: Vec<Absence> = people
        .iter()
        .filter_map(|p| {
            let n = months.get(p.id.as_str()).map_or(0, absence::months_without);
            (n >= ABSENCE_WARNING_MONTHS[0]).then(|| Absence {
                person_id: p.id.clone(),
                name: p.name.clone(),
                org_id: p.org_id.clone(),
                org_name: p.org_name.clone(),
                last_present: p.last_present.clone(),
                months: n,
                level: absence::level(n),
            })
        })
        .collect();
    out.sort_by(|a, b| b.months.cmp(&a.months).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// (person, meeting start) for everyone present at a held meeting that
/// counts as taking part, of an organization in the subtree at `path`, in
/// the months [from, to].
async fn took_part_since(db: &Db, path: &str, from: &str, to: &str) -> Result<Vec<(String, i64)>> {
    let mut w = Where::default();
    w.prefix("o.path", path);
    w.push("m.month >= {}", Param::S(from.into()));
    w.push("m.month <= {}", Param::S(to.into()));
    w.push_raw("m.status = 'held' AND a.present = TRUE".into());
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| k.counts_as_participation())
        .map(|k| k.code().to_string())
        .collect();
    let phs = w.in_list(&kinds);
    w.push_raw(format!("m.kind IN ({phs})"));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT a.person_id, m.starts_at FROM meetings m JOIN orgs o ON o.id = m.org_id \
         JOIN meeting_attendance a ON a.meeting_id = m.id {cond}"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// Meetings each member attended and missed in [from, to] (months), by name.
pub async fn attendance_counts(
    db: &Db,
    scope: &Scope,
    org_id: &str,
    from: &str,
    to: &str,
) -> Result<Vec<(String, String, i64, i64)>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    w.prefix("p.org_path", &org.path);
    w.push("m.month >= {}", Param::S(from.into()));
    w.push("m.month <= {}", Param::S(to.into()));
    w.push_raw("m.status = 'held'".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.id, p.name, SUM(CASE WHEN a.present = TRUE THEN 1 ELSE 0 END), \
         SUM(CASE WHEN a.present = TRUE THEN 0 ELSE 1 END) FROM meeting_attendance a \
         JOIN meetings m ON m.id = a.meeting_id JOIN people p ON p.id = a.person_id {cond} \
         GROUP BY p.id, p.name, p.name_pinyin ORDER BY p.name_pinyin"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}
