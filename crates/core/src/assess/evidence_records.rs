//! The study and dues records behind one target's line: per required
//! course the class hours required and completed; per ended month the dues
//! owed and paid within the month.
use super::computed::{months, Ctx};
use super::evidence::{people_from, Record};
use super::Target;
use crate::db::Db;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};

pub(crate) async fn study(db: &Db, ctx: &Ctx<'_>, t: &Target) -> Result<Vec<Record>> {
    let mut w = Where::default();
    let year = w.param(Param::I(i64::from(ctx.period.year)));
    let from = people_from(ctx, t, &mut w);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT c.title, c.hours, COUNT(DISTINCT p.id), \
         CAST(SUM(CASE WHEN r.h IS NULL THEN 0 WHEN r.h >= c.hours THEN c.hours ELSE r.h END) AS BIGINT) \
         {from} JOIN study_courses c ON c.year = {year} \
         JOIN orgs co ON co.id = c.org_id AND substr(p.org_path, 1, length(co.path)) = co.path \
         LEFT JOIN (SELECT person_id, course_id, SUM(hours) AS h FROM study_records WHERE course_id IS NOT NULL \
         GROUP BY person_id, course_id) r ON r.person_id = p.id AND r.course_id = c.id \
         {cond} GROUP BY c.id, c.title, c.hours ORDER BY c.title"
    );
    let rows: Vec<(String, i64, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let hours = crate::study::hours_text;
    Ok(rows
        .into_iter()
        .map(|(title, h, people, done)| Record {
            kind: "必修课程".into(),
            date: format!("{}年", ctx.period.year),
            title,
            figure: if ctx.orgs() {
                format!("{people} 人 × {} 学时，已完成 {} 学时", hours(h), hours(done))
            } else {
                format!("应修 {} 学时，已完成 {} 学时", hours(h), hours(done))
            },
            counted: true,
        })
        .collect())
}

pub(crate) async fn dues(db: &Db, ctx: &Ctx<'_>, t: &Target) -> Result<Vec<Record>> {
    let ended: Vec<String> = months(&ctx.period)
        .into_iter()
        .filter(|m| {
            crate::plan::Period::parse_any(m)
                .map(|p| p.last_day() < ctx.today)
                .unwrap_or(false)
        })
        .collect();
    if ended.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Where::default();
    let values: Vec<String> = ended
        .iter()
        .map(|m| format!("({})", w.param(Param::S(m.clone()))))
        .collect();
    let from = people_from(ctx, t, &mut w);
    w.push_raw("EXISTS (SELECT 1 FROM dues_bases b WHERE b.person_id = p.id AND b.from_month <= mm.column1)".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT mm.column1, COUNT(*), SUM(CASE WHEN pay.paid_on IS NOT NULL AND substr(pay.paid_on, 1, 7) <= mm.column1 \
         THEN 1 ELSE 0 END), SUM(CASE WHEN pay.paid_on IS NOT NULL THEN 1 ELSE 0 END) {from} \
         CROSS JOIN (VALUES {}) AS mm LEFT JOIN dues_payments pay ON pay.person_id = p.id AND pay.month = mm.column1 \
         {cond} GROUP BY mm.column1 ORDER BY mm.column1",
        values.join(", ")
    );
    let rows: Vec<(String, i64, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(month, owed, on_time, paid)| Record {
            kind: "党费".into(),
            date: crate::plan::Period::title_of(&month),
            title: if ctx.orgs() {
                format!("应交 {owed} 人")
            } else {
                "应交党费".into()
            },
            figure: match (ctx.orgs(), on_time, paid) {
                (true, ..) => format!(
                    "按月交纳 {on_time} 人，逾期补交 {} 人，未交 {} 人",
                    paid - on_time,
                    owed - paid
                ),
                (false, 1, _) => "按月交纳".into(),
                (false, _, 1) => "逾期补交".into(),
                _ => "未交".into(),
            },
            counted: true,
        })
        .collect())
}
