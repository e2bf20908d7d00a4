//! Compliance kept on write (合规计数): for every organization and year, each
//! obligation's windows (due, held, held without quorum), so the superior's
//! view reads one row per organization instead of judging the records again.
//! Database triggers mark the path of whatever a write touched (a meeting,
//! a person's status or organization, an officer, an organization); the next
//! reader recomputes the organizations on those paths before it reads, so a
//! figure is never stale, whichever server wrote or reads it. A year is built whole the first time it is read,
//! after a change of the frequency table, or by `tongpin recount-life`.
use super::compliance::{self, Line, Note, OrgFacts, Sel, Window, SECRETARY_LECTURE};
use super::frequencies::{self, Table};
use super::model::Kind;
use crate::clock::{Clock, SystemClock};
use crate::db::Db;
use crate::plan::{Period, PeriodKind};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, with_tx, Result};
use std::collections::BTreeSet;

/// What a stored line means: bumped when the judgement changes, so years
/// kept by an older version are built again.
const VERSION: i64 = 1;
/// More marks than this at once (a bulk load), and the kept years are built
/// again whole instead of organization by organization.
const REBUILD_FROM: i64 = 2000;
/// Rows per INSERT when a year is written.
const BATCH: usize = 200;

/// One recount at a time, in this process and across servers
/// (`Db::exclusive`), so an older recount never overwrites a newer one.
static RECOUNT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
/// The servers' lock on PostgreSQL: "tally" in ASCII.
const RECOUNT_KEY: i64 = 0x74_616c_6c79;

/// "m03", "q1", "y": a window within its year.
fn window_code(p: &Period) -> String {
    match p.kind {
        PeriodKind::Month => format!("m{}", p.part),
        PeriodKind::Quarter => format!("q{}", p.part),
        PeriodKind::Year => "y".into(),
    }
}

fn window_of(year: i32, code: &str) -> Option<Period> {
    let (kind, part) = match code.split_at_checked(1)? {
        ("m", n) => (PeriodKind::Month, n.parse().ok()?),
        ("q", n) => (PeriodKind::Quarter, n.parse().ok()?),
        ("y", "") => (PeriodKind::Year, 0),
        _ => return None,
    };
    Some(Period { year, kind, part })
}

/// `code|note|window:due:held:uncounted,…` per line, lines joined by `;`.
pub(crate) fn encode(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| {
            let note = match l.note {
                Note::Meetings => "m",
                Note::Pairs => "p",
                Note::Lecture { secretary: true } => "s",
                Note::Lecture { secretary: false } => "x",
            };
            let ws: Vec<String> = l
                .windows
                .iter()
                .map(|w| format!("{}:{}:{}:{}", window_code(&w.period), w.due, w.held, w.uncounted))
                .collect();
            format!("{}|{note}|{}", l.code, ws.join(","))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The lines `encode` wrote, for an organization of `org_kind`; None when
/// the text is not what this version writes.
pub(crate) fn decode(year: i32, org_kind: &str, text: &str) -> Option<Vec<Line>> {
    let mut out = Vec::new();
    for part in text.split(';').filter(|p| !p.is_empty()) {
        let mut f = part.splitn(3, '|');
        let (code, note, ws) = (f.next()?, f.next()?, f.next()?);
        let (code, kind, label) = if code == SECRETARY_LECTURE {
            (SECRETARY_LECTURE, Kind::PartyLecture, "书记讲党课")
        } else {
            let k = Kind::parse(code)?;
            (k.code(), k, k.label_for(org_kind))
        };
        let note = match note {
            "m" => Note::Meetings,
            "p" => Note::Pairs,
            "s" => Note::Lecture { secretary: true },
            "x" => Note::Lecture { secretary: false },
            _ => return None,
        };
        let mut windows = Vec::new();
        for w in ws.split(',').filter(|w| !w.is_empty()) {
            let mut n = w.split(':');
            let period = window_of(year, n.next()?)?;
            let mut num = || n.next().and_then(|x| x.parse::<i64>().ok());
            windows.push(Window {
                period,
                due: num()?,
                held: num()?,
                uncounted: num()?,
            });
        }
        out.push(Line {
            code,
            kind,
            label,
            note,
            windows,
        });
    }
    Some(out)
}

fn year_period(year: i32) -> Period {
    Period {
        year,
        kind: PeriodKind::Year,
        part: 0,
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    org: OrgFacts,
    lines: Option<String>,
}

/// Every organization under `path` (itself included), in tree order, with
/// its kept lines for `year` (None: not kept, judge it from the records).
/// Builds the year and applies pending marks first.
pub(crate) async fn read(db: &Db, path: &str, year: i32) -> Result<Vec<(OrgFacts, Option<Vec<Line>>)>> {
    // Recounts go to the primary; a view may then read the rows from a replica.
    ready(&db.writer(), year).await?;
    let mut w = Where::default();
    let y = w.param(Param::I(i64::from(year)));
    w.prefix("o.path", path);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT o.id, o.name, o.path, o.kind, o.founded_on, o.created_at, o.dissolved_at, t.lines \
         FROM orgs o LEFT JOIN life_tallies t ON t.org_id = o.id AND t.year = {y} {cond} ORDER BY o.path"
    );
    let rows: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| {
            let lines = r.lines.as_deref().and_then(|t| decode(year, &r.org.kind, t));
            (r.org, lines)
        })
        .collect())
}

/// One organization's kept lines for `year`, after the pending marks; None
/// when the year is not kept (one organization is judged from the records
/// rather than building a whole year for it).
pub(crate) async fn kept_one(db: &Db, org: &OrgFacts, year: i32) -> Result<Option<Vec<Line>>> {
    let db = &db.writer();
    if kept_version(db, year).await? != Some(VERSION) {
        return Ok(None);
    }
    apply_marks(db).await?;
    let text: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT lines FROM life_tallies WHERE org_id = $1 AND year = $2"
    )
    .bind(&org.id)
    .bind(i64::from(year))
    .fetch_optional(p)
    .await?);
    Ok(text.and_then(|t| decode(year, &org.kind, &t)))
}

/// Builds `year` when it is not kept at this version, then applies the
/// pending marks. `serve` calls it for the current year at start and then
/// now and again, so readers seldom wait for either.
pub async fn ready(db: &Db, year: i32) -> Result<()> {
    if kept_version(db, year).await? != Some(VERSION) {
        let _one = db.exclusive(&RECOUNT, RECOUNT_KEY).await?;
        if kept_version(db, year).await? != Some(VERSION) {
            build_year(db, year).await?;
        }
    }
    apply_marks(db).await
}

/// Rebuilds every kept year (and `also`) from the records: `tongpin
/// recount-life`. Returns the years built.
pub async fn rebuild(db: &Db, also: Option<i32>) -> Result<Vec<i32>> {
    let _one = db.exclusive(&RECOUNT, RECOUNT_KEY).await?;
    let mut years = kept_years(db).await?;
    years.extend(also);
    years.sort_unstable();
    years.dedup();
    let (_, last) = mark_span(db).await?;
    for y in &years {
        build_year(db, *y).await?;
    }
    if let Some(last) = last {
        drop_marks(db, last).await?;
    }
    Ok(years)
}

async fn kept_version(db: &Db, year: i32) -> Result<Option<i64>> {
    Ok(with_db!(db, |p| sqlx::query_scalar(
        "SELECT version FROM life_tally_years WHERE year = $1"
    )
    .bind(i64::from(year))
    .fetch_optional(p)
    .await?))
}

async fn kept_years(db: &Db) -> Result<Vec<i32>> {
    let years: Vec<i64> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT year FROM life_tally_years WHERE version = $1 ORDER BY year"
    )
    .bind(VERSION)
    .fetch_all(p)
    .await?);
    Ok(years.into_iter().filter_map(|y| i32::try_from(y).ok()).collect())
}

/// The first and last pending mark. From the key's ends, not a count:
/// PostgreSQL would walk every dead row a recount left behind until vacuum,
/// on each read. Ids only grow, so the span bounds the number of marks.
async fn mark_span(db: &Db) -> Result<(Option<i64>, Option<i64>)> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT MIN(id), MAX(id) FROM life_tally_dirty"
    )
    .fetch_one(p)
    .await?))
}

async fn drop_marks(db: &Db, last: i64) -> Result<()> {
    with_db!(db, |p| sqlx::query("DELETE FROM life_tally_dirty WHERE id <= $1")
        .bind(last)
        .execute(p)
        .await?
        .rows_affected());
    Ok(())
}

/// Recomputes the organizations on the marked paths for every kept year.
/// A mark goes only in the transaction that writes the figures it asked
/// for, so a reader that sees no mark reads figures that include every
/// committed write; one that sees a mark waits here for the recount.
async fn apply_marks(db: &Db) -> Result<()> {
    if mark_span(db).await?.1.is_none() {
        return Ok(());
    }
    let _one = db.exclusive(&RECOUNT, RECOUNT_KEY).await?;
    let (Some(first), Some(last)) = mark_span(db).await? else {
        return Ok(());
    };
    let years = kept_years(db).await?;
    if last - first + 1 > REBUILD_FROM {
        for y in years {
            build_year(db, y).await?;
        }
        return drop_marks(db, last).await;
    }
    let paths: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT path FROM life_tally_dirty WHERE id <= $1"
    )
    .bind(last)
    .fetch_all(p)
    .await?);
    // A path's every organization: members count for each one above them.
    let ids: BTreeSet<String> = paths
        .iter()
        .flat_map(|p| p.split('/').filter(|s| !s.is_empty()).map(str::to_string))
        .collect();
    refresh(db, &ids.into_iter().collect::<Vec<_>>(), &years, last).await
}

/// Judges the organizations `ids` for `years` from the records and keeps the
/// lines, taking the marks up to `last` in the same transaction; an
/// organization gone from the tree loses its rows.
async fn refresh(db: &Db, ids: &[String], years: &[i32], last: i64) -> Result<()> {
    let mut rows = Vec::new();
    if !ids.is_empty() && !years.is_empty() {
        let table = frequencies::table(db).await?;
        let mut w = Where::default();
        let list = w.in_list(ids);
        w.push_raw(format!("id IN ({list})"));
        let orgs = compliance::facts(db, &w).await?;
        for y in years {
            let req = year_period(*y);
            for o in &orgs {
                let t = compliance::tally(db, Sel::One(&o.id), &o.path, &req, &table).await?;
                rows.push((o.id.clone(), *y, encode(&compliance::lines(o, &t, &table, &req))));
            }
        }
    }
    let ids = ids.to_vec();
    let years = years.to_vec();
    db.transaction(move |tx| {
        let (ids, years, rows) = (ids.clone(), years.clone(), rows.clone());
        Box::pin(async move {
            for id in &ids {
                for y in &years {
                    with_tx!(tx, |c| sqlx::query(
                        "DELETE FROM life_tallies WHERE org_id = $1 AND year = $2"
                    )
                    .bind(id)
                    .bind(i64::from(*y))
                    .execute(c)
                    .await?
                    .rows_affected());
                }
            }
            insert(tx, &rows).await?;
            with_tx!(tx, |c| sqlx::query("DELETE FROM life_tally_dirty WHERE id <= $1")
                .bind(last)
                .execute(c)
                .await?
                .rows_affected());
            Ok(())
        })
    })
    .await
}

async fn insert(tx: &mut crate::db::Tx, rows: &[(String, i32, String)]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO life_tallies (org_id, year, lines) VALUES {}",
            values.join(", ")
        );
        with_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for (id, y, lines) in chunk {
                q = q.bind(id).bind(i64::from(*y)).bind(lines);
            }
            q.execute(c).await?.rows_affected()
        });
    }
    Ok(())
}

/// Judges every organization of every tree for `year` (one aggregate pass
/// per top organization) and keeps the lines, replacing the year's rows.
async fn build_year(db: &Db, year: i32) -> Result<()> {
    let table: Table = frequencies::table(db).await?;
    let req = year_period(year);
    let roots: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY path"
    )
    .fetch_all(p)
    .await?);
    let mut rows = Vec::new();
    for root in &roots {
        let mut w = Where::default();
        w.prefix("path", root);
        let orgs = compliance::facts(db, &w).await?;
        let t = compliance::tally(db, Sel::Subtree(root), root, &req, &table).await?;
        for o in &orgs {
            rows.push((o.id.clone(), year, encode(&compliance::lines(o, &t, &table, &req))));
        }
    }
    let now = SystemClock.now_ms();
    db.transaction(move |tx| {
        let rows = rows.clone();
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query("DELETE FROM life_tallies WHERE year = $1")
                .bind(i64::from(year))
                .execute(c)
                .await?
                .rows_affected());
            insert(tx, &rows).await?;
            with_tx!(tx, |c| sqlx::query("DELETE FROM life_tally_years WHERE year = $1")
                .bind(i64::from(year))
                .execute(c)
                .await?
                .rows_affected());
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO life_tally_years (year, version, built_at) VALUES ($1, $2, $3)"
            )
            .bind(i64::from(year))
            .bind(VERSION)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            Ok(())
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_survive_their_text() {
        let p = |kind, part| Period { year: 2026, kind, part };
        let lines = vec![
            Line {
                code: "theme_day",
                kind: Kind::ThemeDay,
                label: Kind::ThemeDay.label_for("branch"),
                note: Note::Meetings,
                windows: vec![
                    Window {
                        period: p(PeriodKind::Month, 1),
                        due: 1,
                        held: 0,
                        uncounted: 2,
                    },
                    Window {
                        period: p(PeriodKind::Month, 12),
                        due: 1,
                        held: 3,
                        uncounted: 0,
                    },
                ],
            },
            Line {
                code: "talk",
                kind: Kind::Talk,
                label: Kind::Talk.label_for("branch"),
                note: Note::Pairs,
                windows: vec![Window {
                    period: p(PeriodKind::Quarter, 4),
                    due: 21,
                    held: 20,
                    uncounted: 0,
                }],
            },
            Line {
                code: SECRETARY_LECTURE,
                kind: Kind::PartyLecture,
                label: "书记讲党课",
                note: Note::Lecture { secretary: false },
                windows: vec![Window {
                    period: p(PeriodKind::Year, 0),
                    due: 1,
                    held: 0,
                    uncounted: 0,
                }],
            },
        ];
        let text = encode(&lines);
        assert_eq!(decode(2026, "branch", &text), Some(lines));
        assert_eq!(decode(2026, "branch", ""), Some(Vec::new()));
        assert_eq!(decode(2026, "branch", "theme_day|?|m1:1:0:0"), None);
        assert_eq!(decode(2026, "branch", "theme_day|m|m1:1:zero:0"), None);
    }
}
