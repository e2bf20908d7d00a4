//! The records behind one target's line for the KPIs (each KPI at its latest
//! figure in the period), study (per required course the class hours
//! required and completed), dues (per ended month owed and paid within the
//! month) and rated lines (each group's count and mean).
use super::computed::{months, Ctx};
use super::evidence::{people_from, rec, Record};
use super::Target;
use crate::db::Db;
use crate::plan::{attainment_bp, figure_text, percent_text, Direction};
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

/// Each rater group's count and mean for one target's rated line — never
/// a single rating, and the masses' mean only from the ballot threshold.
pub(crate) async fn rated(db: &Db, a: &super::Assessment, ind: &super::Indicator, target: &str) -> Result<Vec<Record>> {
    let mut sums: Vec<(String, i64, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT source, COUNT(*), CAST(SUM(points) AS BIGINT) FROM assessment_scores WHERE assessment_id = $1 \
         AND target_id = $2 AND code = $3 AND source <> 'entered' AND points IS NOT NULL GROUP BY source"
    )
    .bind(&a.id)
    .bind(target)
    .bind(&ind.code)
    .fetch_all(p)
    .await?);
    let masses: Option<(i64, i64)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT ballots, points_sum FROM assessment_tallies WHERE assessment_id = $1 AND target_id = $2 AND code = $3"
    )
    .bind(&a.id)
    .bind(target)
    .bind(&ind.code)
    .fetch_optional(p)
    .await?
    });
    if let Some((n, sum)) = masses {
        sums.push(("masses".into(), n, sum));
    }
    let mut out = Vec::new();
    for (group, w) in ind.weights.groups() {
        let (n, sum) = sums
            .iter()
            .find(|s| s.0 == group.code())
            .map(|s| (s.1, s.2))
            .unwrap_or((0, 0));
        let enough = if group == super::Group::Masses {
            crate::rules::assess::MIN_BALLOTS
        } else {
            1
        };
        let mean = (n >= enough).then(|| super::rules::mean(sum, n)).flatten();
        let fig = match mean {
            Some(m) => format!(
                "平均 {} 分，权重 {}",
                super::rules::points_text(m),
                super::rules::share_text(w)
            ),
            None if group == super::Group::Masses => format!("样本不足（{n}/{enough} 票）"),
            None => "尚未评价".into(),
        };
        out.push(rec(
            group.label(),
            a.period_title(),
            format!("{n} 人/票"),
            fig,
            mean.is_some(),
        ));
    }
    Ok(out)
}

pub(crate) async fn kpis(db: &Db, ctx: &Ctx<'_>, target: &str) -> Result<Vec<Record>> {
    let (codes, kinds) = super::computed::value_codes(&ctx.period);
    let join = if ctx.orgs() {
        "WHERE g.org_id = $1"
    } else {
        "JOIN plan_people pp ON pp.item_id = g.id WHERE pp.person_id = $1"
    };
    let sql = format!(
        "SELECT k.id, k.name, k.unit, k.direction, k.baseline, k.target, k.period_kind FROM kpis k \
         JOIN goals g ON g.id = k.goal_id {join} AND g.year = $2 ORDER BY g.seq, k.seq"
    );
    type Row = (String, String, String, String, i64, i64, String);
    let kpis: Vec<Row> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(target)
        .bind(i64::from(ctx.period.year))
        .fetch_all(p)
        .await?);
    let mut out = Vec::new();
    for (id, name, unit, dir, baseline, goal, _) in kpis.into_iter().filter(|k| kinds.contains(&k.6.as_str())) {
        let values: Vec<(String, i64)> = with_db!(db, |p| sqlx::query_as(
            "SELECT period, value FROM kpi_values WHERE kpi_id = $1 ORDER BY period DESC"
        )
        .bind(&id)
        .fetch_all(p)
        .await?);
        let latest = values.into_iter().find(|(p, _)| codes.contains(p));
        let direction = Direction::parse(&dir).unwrap_or(Direction::Higher);
        let (date, fig) = match &latest {
            Some((period, v)) => {
                let bp = attainment_bp(direction, baseline, goal, *v)
                    .unwrap_or(0)
                    .clamp(0, 10_000);
                (
                    crate::plan::Period::title_of(period),
                    format!(
                        "{}{unit}（目标 {}{unit}），完成度 {}",
                        figure_text(*v),
                        figure_text(goal),
                        percent_text(bp)
                    ),
                )
            }
            None => (
                ctx.a.period_title(),
                format!("本期未填报，按 0 计（目标 {}{unit}）", figure_text(goal)),
            ),
        };
        out.push(rec("业务指标", date, name, fig, true));
    }
    Ok(out)
}
