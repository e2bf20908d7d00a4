//! study_completion, rectification_closure and dues_on_time.
//! Study: the required courses of the period's year that apply to each
//! Party member (set by their organization or one above), the class hours
//! recorded against each counted up to the course's hours, over the hours
//! required. Rectification: the problems (问题清单, standardization) whose
//! deadline falls in the period and has passed (or that are closed), and of
//! them those verified closed (销号) by the end of their deadline's day.
//! Dues: each member's months of the period that have ended and for which a
//! base was in force, and of them those paid within the month.
use super::computed::{epoch_day_sql, months, ms_day_sql, simple, Ctx, Share, Shares, PARTY_MEMBER};
use super::lines::Part;
use crate::db::Db;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use std::collections::{HashMap, HashSet};

/// Where `p` (people) comes from and what the rows are grouped by: for
/// organizations, the Party members under the assessor (a range on their
/// path an index serves) grouped by their organization's path and rolled up
/// to the targets afterwards; for members, the targets themselves.
fn people_source(ctx: &Ctx<'_>, w: &mut Where) -> (&'static str, &'static str) {
    if ctx.orgs() {
        w.prefix("p.org_path", &ctx.a.org_path);
        w.push_raw(PARTY_MEMBER.into());
        ("FROM people p", "p.org_path")
    } else {
        w.push("t.assessment_id = {}", Param::S(ctx.a.id.clone()));
        ("FROM assessment_targets t JOIN people p ON p.id = t.target_id", "p.id")
    }
}

/// (key, due, done) rows into shares: a member's directly, an organization
/// path's added to every target on the path.
async fn roll_up(
    db: &Db,
    ctx: &Ctx<'_>,
    rows: Vec<(String, i64, i64)>,
    parts: fn(i64, i64) -> Vec<Part>,
) -> Result<Shares> {
    let mut sums: HashMap<String, (i64, i64)> = HashMap::new();
    if ctx.orgs() {
        let targets: HashSet<String> = with_db!(db, |p| sqlx::query_scalar(
            "SELECT target_id FROM assessment_targets WHERE assessment_id = $1"
        )
        .bind(&ctx.a.id)
        .fetch_all(p)
        .await?)
        .into_iter()
        .collect();
        for (path, due, done) in rows {
            for id in path.split('/').filter(|s| targets.contains(*s)) {
                let e = sums.entry(id.to_string()).or_default();
                *e = (e.0 + due, e.1 + done);
            }
        }
    } else {
        sums.extend(rows.into_iter().map(|(k, due, done)| (k, (due, done))));
    }
    Ok(sums
        .into_iter()
        .filter(|(_, (due, _))| *due > 0)
        .map(|(t, (due, done))| {
            let parts = parts(due, done);
            (t, Share { done, due, parts })
        })
        .collect())
}

fn study_parts(due: i64, done: i64) -> Vec<Part> {
    vec![Part {
        label: "必修课程学时（以 0.1 学时计）".into(),
        done,
        due,
    }]
}

/// The study source's query: (key, hours due, hours done) rows.
pub(crate) fn study_query(ctx: &Ctx<'_>) -> (String, Vec<Param>) {
    let mut w = Where::default();
    let year = w.param(Param::I(i64::from(ctx.period.year)));
    let (from, key) = people_source(ctx, &mut w);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT {key}, CAST(SUM(c.hours) AS BIGINT), \
         CAST(SUM(CASE WHEN r.h IS NULL THEN 0 WHEN r.h >= c.hours THEN c.hours ELSE r.h END) AS BIGINT) \
         {from} JOIN study_courses c ON c.year = {year} \
         JOIN orgs co ON co.id = c.org_id AND substr(p.org_path, 1, length(co.path)) = co.path \
         LEFT JOIN (SELECT person_id, course_id, SUM(hours) AS h FROM study_records \
         WHERE course_id IN (SELECT id FROM study_courses WHERE year = {year}) GROUP BY person_id, course_id) r \
         ON r.person_id = p.id AND r.course_id = c.id {cond} GROUP BY {key}"
    );
    (sql, w.params().to_vec())
}

pub(crate) async fn study(db: &Db, ctx: &Ctx<'_>) -> Result<Shares> {
    let (sql, params) = study_query(ctx);
    let rows: Vec<(String, i64, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), &params).fetch_all(p).await?);
    roll_up(db, ctx, rows, study_parts).await
}

fn problem_parts(due: i64, done: i64) -> Vec<Part> {
    vec![Part {
        label: "到期的整改问题".into(),
        done,
        due,
    }]
}

/// The rectification source's query: (target, problems due, closed on time) rows.
pub(crate) fn problems_query(ctx: &Ctx<'_>) -> (String, Vec<Param>) {
    let col = if ctx.orgs() { "s.org_id" } else { "s.owner_id" };
    let sql = format!(
        "SELECT t.target_id, COUNT(*), SUM(CASE WHEN s.status = 'closed' AND s.verified_at IS NOT NULL \
         AND {} <= {} THEN 1 ELSE 0 END) \
         FROM assessment_targets t JOIN standard_problems s ON {col} = t.target_id \
         WHERE t.assessment_id = $1 AND s.deadline >= $2 AND s.deadline <= $3 AND (s.deadline < $4 OR s.status = 'closed') \
         GROUP BY t.target_id",
        ms_day_sql("s.verified_at"),
        epoch_day_sql("s.deadline")
    );
    let params = [
        Param::S(ctx.a.id.clone()),
        Param::S(ctx.first()),
        Param::S(ctx.last()),
        Param::S(ctx.today_text()),
    ];
    (sql, params.to_vec())
}

pub(crate) async fn problems(db: &Db, ctx: &Ctx<'_>) -> Result<Shares> {
    let (sql, params) = problems_query(ctx);
    simple(db, &sql, &params, problem_parts).await
}

fn dues_parts(due: i64, done: i64) -> Vec<Part> {
    vec![Part {
        label: "应交党费（人·月）".into(),
        done,
        due,
    }]
}

/// The dues source's query: (key, member-months due, paid on time) rows;
/// None before any month of the period has ended.
pub(crate) fn dues_query(ctx: &Ctx<'_>) -> Option<(String, Vec<Param>)> {
    // Months of the period that have ended: a month's dues are on time within the month.
    let ended: Vec<String> = months(&ctx.period)
        .into_iter()
        .filter(|m| {
            crate::plan::Period::parse_any(m)
                .map(|p| p.last_day() < ctx.today)
                .unwrap_or(false)
        })
        .collect();
    if ended.is_empty() {
        return None;
    }
    let mut w = Where::default();
    let values: Vec<String> = ended
        .iter()
        .map(|m| format!("({})", w.param(Param::S(m.clone()))))
        .collect();
    let (from, key) = people_source(ctx, &mut w);
    w.push_raw("EXISTS (SELECT 1 FROM dues_bases b WHERE b.person_id = p.id AND b.from_month <= mm.column1)".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT {key}, COUNT(*), SUM(CASE WHEN pay.paid_on IS NOT NULL AND substr(pay.paid_on, 1, 7) <= mm.column1 \
         THEN 1 ELSE 0 END) {from} CROSS JOIN (VALUES {}) AS mm \
         LEFT JOIN dues_payments pay ON pay.person_id = p.id AND pay.month = mm.column1 {cond} GROUP BY {key}",
        values.join(", ")
    );
    Some((sql, w.params().to_vec()))
}

pub(crate) async fn dues(db: &Db, ctx: &Ctx<'_>) -> Result<Shares> {
    let Some((sql, params)) = dues_query(ctx) else {
        return Ok(Shares::new());
    };
    let rows: Vec<(String, i64, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), &params).fetch_all(p).await?);
    roll_up(db, ctx, rows, dues_parts).await
}
