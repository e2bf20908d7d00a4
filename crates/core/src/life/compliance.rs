//! Compliance (合规): for an organization and a period, each obligation's
//! due and held counts and its standing, computed from the records — never
//! self-declared; and the superior's view of its whole subtree. Members are
//! those of `org::members` (a branch counts its groups'); a meeting without
//! its quorum is recorded but not counted; 谈心谈话 is judged by pairs and the
//! secretary's own 党课 is a line of its own. Every figure is an aggregate
//! query: no attendance row is read here.
use super::frequencies::{self, Table};
use super::model::Kind;
use super::rules::{due_in, standing, talk_pairs_required, windows, Standing};
use crate::db::Db;
use crate::org::members::{self, Committee, Members};
use crate::org::Scope;
use crate::plan::{Period, PeriodKind};
use crate::rules::life::SECRETARY_LECTURES_PER_YEAR;
use crate::rules::structure::COMMITTEE_REQUIRED_FROM;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// The line: a meeting kind's code, or `secretary_lecture`.
    pub code: &'static str,
    pub label: &'static str,
    /// The record kind behind the line (what 登记 opens).
    pub kind: Kind,
    /// Meetings due and held; for 谈心谈话 with a committee, pairs required and pairs that talked.
    pub due: i64,
    pub held: i64,
    pub status: Standing,
    /// The duty's own periods judged: (code, due, held).
    pub windows: Vec<(String, i64, i64)>,
    /// Meetings held without their quorum: recorded, not counted.
    pub uncounted: i64,
    /// What the line's figures mean, or why some meetings do not count.
    pub note: Option<String>,
}

/// The code of the secretary's own 党课 line.
pub const SECRETARY_LECTURE: &str = "secretary_lecture";

/// What the judgement needs to know of an organization.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OrgFacts {
    pub id: String,
    pub name: String,
    pub path: String,
    pub kind: String,
    pub founded_on: String,
    pub created_at: i64,
    pub dissolved_at: Option<i64>,
}

impl OrgFacts {
    fn alive(&self) -> (NaiveDate, Option<NaiveDate>) {
        let day = |ms: i64| crate::clock::beijing(ms).date_naive();
        let from = NaiveDate::parse_from_str(&self.founded_on, "%Y-%m-%d").unwrap_or_else(|_| day(self.created_at));
        (from, self.dissolved_at.map(day))
    }
}

/// Held meetings: org id → (kind, month index) → count, the month index
/// being year × 12 + month − 1 (no text to build per lookup).
pub type Counts = HashMap<String, HashMap<(Kind, i32), i64>>;

/// "2026-04" → 2026 × 12 + 3.
fn month_index(m: &str) -> Option<i32> {
    let y: i32 = m.get(..4)?.parse().ok()?;
    let mo: i32 = m.get(5..7)?.parse().ok()?;
    Some(y * 12 + mo - 1)
}

/// (counted, not counted) from (org, kind, month, counted, not counted) rows.
fn into_counts(rows: Vec<(String, String, String, i64, i64)>) -> (Counts, Counts) {
    let (mut held, mut uncounted): (Counts, Counts) = (HashMap::new(), HashMap::new());
    for (org, kind, month, n, u) in rows {
        if let (Some(k), Some(m)) = (Kind::parse(&kind), month_index(&month)) {
            if n > 0 {
                *held.entry(org.clone()).or_default().entry((k, m)).or_insert(0) += n;
            }
            if u > 0 {
                *uncounted.entry(org).or_default().entry((k, m)).or_insert(0) += u;
            }
        }
    }
    (held, uncounted)
}

/// Everything the judgement reads of a subtree (or one organization) for a period.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Meetings that count, and those held without their quorum.
    pub held: Counts,
    pub uncounted: Counts,
    pub members: HashMap<String, Members>,
    pub committees: HashMap<String, Committee>,
    /// (org id, window code) → required pairs that talked in the window.
    pub pairs: HashMap<(String, String), i64>,
    /// (org id, year) → 党课 its secretary gave.
    pub secretary_lectures: HashMap<(String, String), i64>,
}

impl Tally {
    fn sum(c: &Counts, org: &str, kind: Kind, w: &Period) -> i64 {
        c.get(org).map_or(0, |h| {
            months_of(w).map(|m| h.get(&(kind, m)).copied().unwrap_or(0)).sum()
        })
    }
}

/// One obligation's windows before judgement: what `lines` computes from
/// the records and `life::tallies` keeps per organization and year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub code: &'static str,
    pub kind: Kind,
    pub label: &'static str,
    pub note: Note,
    pub windows: Vec<Window>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub period: Period,
    pub due: i64,
    pub held: i64,
    /// Meetings held without their quorum.
    pub uncounted: i64,
}

/// Which note the judged line carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Note {
    /// Meetings counted: a note when some lacked their quorum.
    Meetings,
    /// 谈心谈话 judged by the committee's pairs.
    Pairs,
    /// The secretary's own 党课, and whether a secretary is on record.
    Lecture { secretary: bool },
}

/// Judges one organization's obligations over a requested period.
pub fn judge(org: &OrgFacts, tally: &Tally, table: &Table, req: &Period, today: NaiveDate) -> Vec<Item> {
    lines(org, tally, table, req)
        .iter()
        .map(|l| finish(l, req, today))
        .collect()
}

/// The obligations of `org` over `req`, each with the duty's own windows.
pub(crate) fn lines(org: &OrgFacts, tally: &Tally, table: &Table, req: &Period) -> Vec<Line> {
    let alive = org.alive();
    let m = tally.members.get(&org.id).copied().unwrap_or_default();
    let committee = tally.committees.get(&org.id).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let Some(f) = table.get(&(org.kind.clone(), kind)).filter(|f| f.times > 0) else {
            continue;
        };
        // An organization with no full member yet (a group still empty) owes no meeting;
        // a branch below the committee threshold has no 支委会 to convene.
        let applies =
            m.full > 0 && !(kind == Kind::CommitteeMeeting && org.kind == "branch" && m.full < COMMITTEE_REQUIRED_FROM);
        let label = kind.label_for(&org.kind);
        if kind == Kind::Talk && committee.seats > 0 {
            // Every required pair once in each of the duty's periods.
            let required = talk_pairs_required(committee.seats, m.party());
            let windows = windows(f.period, req)
                .into_iter()
                .map(|w| {
                    let due = if applies && due_in(f.times, &w, alive) > 0 {
                        required
                    } else {
                        0
                    };
                    let done = tally.pairs.get(&(org.id.clone(), w.code())).copied().unwrap_or(0);
                    Window {
                        period: w,
                        due,
                        held: done.min(required),
                        uncounted: 0,
                    }
                })
                .collect();
            out.push(Line {
                code: kind.code(),
                kind,
                label,
                note: Note::Pairs,
                windows,
            });
            continue;
        }
        let windows = windows(f.period, req)
            .into_iter()
            .map(|w| Window {
                period: w,
                due: if applies { due_in(f.times, &w, alive) } else { 0 },
                held: Tally::sum(&tally.held, &org.id, kind, &w),
                uncounted: Tally::sum(&tally.uncounted, &org.id, kind, &w),
            })
            .collect();
        out.push(Line {
            code: kind.code(),
            kind,
            label,
            note: Note::Meetings,
            windows,
        });
        if kind == Kind::PartyLecture && org.kind == "branch" {
            // The secretary's own lecture, at least once a year.
            let windows = super::rules::windows(PeriodKind::Year, req)
                .into_iter()
                .map(|w| {
                    let due = if m.full > 0 {
                        due_in(SECRETARY_LECTURES_PER_YEAR, &w, alive)
                    } else {
                        0
                    };
                    let held = tally
                        .secretary_lectures
                        .get(&(org.id.clone(), w.code()))
                        .copied()
                        .unwrap_or(0);
                    Window {
                        period: w,
                        due,
                        held,
                        uncounted: 0,
                    }
                })
                .collect();
            out.push(Line {
                code: SECRETARY_LECTURE,
                kind,
                label: "书记讲党课",
                note: Note::Lecture {
                    secretary: committee.secretary.is_some(),
                },
                windows,
            });
        }
    }
    out
}

/// Whether a duty's window is judged for `req`: inside it, or (a duty
/// coarser than the request) containing it.
fn judged_for(w: &Period, req: &Period) -> bool {
    let (a, b, ra, rb) = (w.first_day(), w.last_day(), req.first_day(), req.last_day());
    (a >= ra && b <= rb) || (a <= ra && b >= rb)
}

/// The item a line gives for `req` on `today`: its windows judged for the
/// request summed, the standing, and the note.
pub(crate) fn finish(line: &Line, req: &Period, today: NaiveDate) -> Item {
    let ws: Vec<&Window> = line.windows.iter().filter(|w| judged_for(&w.period, req)).collect();
    let judged: Vec<(Period, i64, i64)> = ws.iter().map(|w| (w.period, w.due, w.held)).collect();
    let mut it = item(line.kind, line.label, &judged, today);
    it.code = line.code;
    match line.note {
        Note::Pairs => it.note = Some(format!("已谈 {}/{} 对", it.held, it.due)),
        Note::Meetings => {
            it.uncounted = ws.iter().map(|w| w.uncounted).sum();
            if it.uncounted > 0 {
                let more = if it.held > 0 { "另有 " } else { "" };
                it.note = Some(format!("{more}{} 次未达到法定人数，不计入召开次数", it.uncounted));
            } else if line.kind == Kind::Talk {
                it.note = Some("未登记支部委员，按谈话次数统计".into());
            }
        }
        Note::Lecture { secretary } => {
            if !secretary {
                it.note = Some("未登记支部书记".into());
            }
        }
    }
    it
}

fn item(kind: Kind, label: &'static str, ws: &[(Period, i64, i64)], today: NaiveDate) -> Item {
    Item {
        code: kind.code(),
        label,
        kind,
        due: ws.iter().map(|w| w.1).sum(),
        held: ws.iter().map(|w| w.2).sum(),
        status: standing(ws, today),
        windows: ws.iter().map(|(p, d, h)| (p.code(), *d, *h)).collect(),
        uncounted: 0,
        note: None,
    }
}

/// The month indexes of a period's whole months.
fn months_of(p: &Period) -> std::ops::RangeInclusive<i32> {
    let index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let (a, b) = (p.first_day(), p.last_day());
    // A month counts only when the period holds all of it.
    let first = if a.day() == 1 { index(a) } else { index(a) + 1 };
    let last = if b.succ_opt().is_none_or(|n| n.day() == 1) {
        index(b)
    } else {
        index(b) - 1
    };
    first..=last
}

/// The months the judgement of `req` reads: its whole calendar year(s).
fn month_range(req: &Period) -> (String, String) {
    (
        format!("{}-01", req.first_day().format("%Y")),
        format!("{}-12", req.last_day().format("%Y")),
    )
}

const ORG_FACTS: &str = "SELECT id, name, path, kind, founded_on, created_at, dissolved_at FROM orgs";

pub(crate) async fn facts(db: &Db, w: &Where) -> Result<Vec<OrgFacts>> {
    let (cond, _) = w.sql();
    let sql = format!("{ORG_FACTS} {cond} ORDER BY path");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// What the queries read: a subtree, or one organization (its members still
/// counted over its subtree).
#[derive(Clone, Copy)]
pub(crate) enum Sel<'a> {
    Subtree(&'a str),
    One(&'a str),
}

impl Sel<'_> {
    fn restrict(&self, w: &mut Where, org_col: &str, path_col: &str) {
        match self {
            Sel::Subtree(path) => w.prefix(path_col, path),
            Sel::One(id) => w.push(&format!("{org_col} = {{}}"), Param::S(id.to_string())),
        }
    }
}

fn months(w: &mut Where, from: &str, to: &str) {
    w.push("m.month >= {}", Param::S(from.into()));
    w.push("m.month <= {}", Param::S(to.into()));
}

fn month_span(p: &Period) -> (String, String) {
    (
        p.first_day().format("%Y-%m").to_string(),
        p.last_day().format("%Y-%m").to_string(),
    )
}

async fn grouped(db: &Db, sql: &str, w: &Where) -> Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().collect())
}

/// Reads the tally of `sel` for the request: held meetings (counted or not)
/// per organization, kind and month; members and committees; talk pairs per
/// window; the secretaries' lectures per year.
pub(crate) async fn tally(db: &Db, sel: Sel<'_>, path: &str, req: &Period, table: &Table) -> Result<Tally> {
    let (from, to) = month_range(req);
    let mut w = Where::default();
    sel.restrict(&mut w, "m.org_id", "o.path");
    months(&mut w, &from, &to);
    w.push_raw("m.status = 'held'".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT m.org_id, m.kind, m.month, SUM(CASE WHEN m.counts THEN 1 ELSE 0 END), \
         SUM(CASE WHEN m.counts THEN 0 ELSE 1 END) FROM meetings m JOIN orgs o ON o.id = m.org_id {cond} \
         GROUP BY m.org_id, m.kind, m.month"
    );
    let rows: Vec<(String, String, String, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let (held, uncounted) = into_counts(rows);
    let only = match sel {
        Sel::One(id) => Some(id),
        Sel::Subtree(_) => None,
    };
    let mut t = Tally {
        held,
        uncounted,
        members: match sel {
            Sel::One(id) => HashMap::from([(id.to_string(), members::of_one(db, path).await?)]),
            Sel::Subtree(_) => members::by_org(db, path).await?,
        },
        committees: members::committees(db, path, only).await?,
        ..Tally::default()
    };
    // Talk pairs: distinct pairs of current members, one of them on the committee.
    let mut talk_windows: Vec<Period> = Vec::new();
    for ((_, k), f) in table.iter() {
        if *k == Kind::Talk && f.times > 0 {
            for p in windows(f.period, req) {
                if !talk_windows.contains(&p) {
                    talk_windows.push(p);
                }
            }
        }
    }
    for p in talk_windows {
        let (a, b) = month_span(&p);
        let mut w = Where::default();
        sel.restrict(&mut w, "m.org_id", "o.path");
        months(&mut w, &a, &b);
        w.push_raw(
            "m.kind = 'talk' AND m.status = 'held' AND pa.left_on IS NULL AND pb.left_on IS NULL \
             AND pa.status IN ('full', 'probationary') AND pb.status IN ('full', 'probationary') \
             AND substr(pa.org_path, 1, length(o.path)) = o.path AND substr(pb.org_path, 1, length(o.path)) = o.path \
             AND EXISTS (SELECT 1 FROM org_officers f WHERE f.org_id = m.org_id \
             AND (f.person_id = m.pair_a OR f.person_id = m.pair_b))"
                .into(),
        );
        let (cond, _) = w.sql();
        let sql = format!(
            "SELECT t.org_id, COUNT(*) FROM (SELECT DISTINCT m.org_id, m.pair_a, m.pair_b FROM meetings m \
             JOIN orgs o ON o.id = m.org_id JOIN people pa ON pa.id = m.pair_a JOIN people pb ON pb.id = m.pair_b \
             {cond}) t GROUP BY t.org_id"
        );
        for (org, n) in grouped(db, &sql, &w).await? {
            t.pairs.insert((org, p.code()), n);
        }
    }
    // The secretary's own lectures.
    for p in windows(PeriodKind::Year, req) {
        let (a, b) = month_span(&p);
        let mut w = Where::default();
        sel.restrict(&mut w, "m.org_id", "o.path");
        months(&mut w, &a, &b);
        w.push_raw("m.kind = 'party_lecture' AND m.status = 'held'".into());
        let (cond, _) = w.sql();
        let sql = format!(
            "SELECT m.org_id, COUNT(DISTINCT m.id) FROM meetings m JOIN orgs o ON o.id = m.org_id \
             JOIN org_officers f ON f.org_id = m.org_id AND f.person_id = m.lecturer_id AND f.post = 'secretary' \
             {cond} GROUP BY m.org_id"
        );
        for (org, n) in grouped(db, &sql, &w).await? {
            t.secretary_lectures.insert((org, p.code()), n);
        }
    }
    Ok(t)
}

fn today(now: i64) -> NaiveDate {
    crate::clock::beijing(now).date_naive()
}

/// One organization's compliance for a period ("2026-03", "2026-Q1" or "2026").
pub async fn compliance(db: &Db, scope: &Scope, org_id: &str, period: &str, now: i64) -> Result<(OrgFacts, Vec<Item>)> {
    let req = Period::parse_any(period)?;
    let (f, lines) = year_lines(db, scope, org_id, req.year).await?;
    let today = today(now);
    Ok((f, lines.iter().map(|l| finish(l, &req, today)).collect()))
}

/// One organization's lines for a whole year, to be judged for any period in
/// it (`finish`): its kept row when the year is kept, else from the records.
pub(crate) async fn year_lines(db: &Db, scope: &Scope, org_id: &str, year: i32) -> Result<(OrgFacts, Vec<Line>)> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    w.push("id = {}", Param::S(org.id.clone()));
    let f = facts(db, &w)
        .await?
        .pop()
        .ok_or_else(|| crate::Error::NotFound("组织不存在".into()))?;
    if let Some(kept) = super::tallies::kept_one(db, &f, year).await? {
        return Ok((f, kept));
    }
    let req = Period::parse_any(&year.to_string())?;
    let table = frequencies::table(db).await?;
    let t = tally(db, Sel::One(&org.id), &org.path, &req, &table).await?;
    let l = lines(&f, &t, &table, &req);
    Ok((f, l))
}

/// A subtree organization's compliance, as the superior's view lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgCompliance {
    pub org: OrgFacts,
    pub items: Vec<Item>,
}

impl OrgCompliance {
    pub fn overdue(&self) -> usize {
        self.items.iter().filter(|i| i.status == Standing::Overdue).count()
    }
}

/// Every organization under `org_id` (itself included) with an obligation
/// in the period, in tree order: read from the counts kept on write
/// (`life::tallies`), one row per organization.
pub async fn supervision(db: &Db, scope: &Scope, org_id: &str, period: &str, now: i64) -> Result<Vec<OrgCompliance>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let req = Period::parse_any(period)?;
    let today = today(now);
    let stored = super::tallies::read(db, &org.path, req.year).await?;
    let table = frequencies::table(db).await?;
    let mut out = Vec::new();
    for (o, lines) in stored {
        if !scope.contains_path(&o.path) {
            continue;
        }
        let lines = match lines {
            Some(l) => l,
            // Not kept yet (created while the counts were being built): judged from the records.
            None => {
                let req_year = Period::parse_any(&req.year.to_string())?;
                let t = tally(db, Sel::One(&o.id), &o.path, &req_year, &table).await?;
                self::lines(&o, &t, &table, &req_year)
            }
        };
        let items: Vec<Item> = lines.iter().map(|l| finish(l, &req, today)).collect();
        if items.iter().any(|i| i.status != Standing::NotApplicable) {
            out.push(OrgCompliance { org: o, items });
        }
    }
    Ok(out)
}

/// The same view judged again from the records, as the counts are built:
/// what the tests compare the kept counts with.
pub async fn supervision_recounted(
    db: &Db,
    scope: &Scope,
    org_id: &str,
    period: &str,
    now: i64,
) -> Result<Vec<OrgCompliance>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let req = Period::parse_any(period)?;
    let mut w = Where::default();
    w.prefix("path", &org.path);
    let orgs = facts(db, &w).await?;
    let table = frequencies::table(db).await?;
    let t = tally(db, Sel::Subtree(&org.path), &org.path, &req, &table).await?;
    let today = today(now);
    Ok(orgs
        .into_iter()
        .filter(|o| scope.contains_path(&o.path))
        .map(|o| {
            let items = judge(&o, &t, &table, &req, today);
            OrgCompliance { org: o, items }
        })
        .filter(|c| c.items.iter().any(|i| i.status != Standing::NotApplicable))
        .collect())
}
