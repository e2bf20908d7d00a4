//! The records behind one line of one target (下钻): the meetings counted,
//! the KPI figures used, the tasks, courses, problems and dues months, the
//! assessor's entry, or a group's tally — never a single anonymous ballot
//! nor another rater's points. Read for one target at a time, as the
//! records stand now (a frozen line keeps the figures as they were).
use super::computed::{epoch_day_sql, months, ms_day_sql, Ctx, PARTY_MEMBER};
use super::model::{Kind, Metric};
use super::read::{get, indicator, target_of};
use super::{is_assessor, today};
use crate::db::Db;
use crate::org::Scope;
use crate::plan::figure_text;
use crate::{with_db, Error, Result};
use serde::Serialize;

/// One record behind a line.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// What it is (支部党员大会, 业务指标, 党建任务…).
    pub kind: String,
    /// Its date or period.
    pub date: String,
    pub title: String,
    /// The figure it gives (实到 8 人, 完成度 75.0%, 按期完成…).
    pub figure: String,
    /// Whether it counts toward the line.
    pub counted: bool,
}

pub(crate) fn rec(
    kind: impl Into<String>,
    date: impl Into<String>,
    title: impl Into<String>,
    figure: impl Into<String>,
    counted: bool,
) -> Record {
    Record {
        kind: kind.into(),
        date: date.into(),
        title: title.into(),
        figure: figure.into(),
        counted,
    }
}

/// The records behind a target's line, for the assessor or (once published) the target's own organization.
pub async fn evidence(
    db: &Db,
    scope: &Scope,
    assessment_id: &str,
    target_id: &str,
    code: &str,
    now: i64,
) -> Result<Vec<Record>> {
    let a = get(db, scope, assessment_id).await?;
    let t = target_of(db, &a.id, target_id).await?;
    if !(is_assessor(scope, &a) || (a.closed && scope.contains_path(&t.org_path))) {
        return Err(Error::NotFound("考核结果不存在、尚未公布或不在您的查看范围内".into()));
    }
    let ind = indicator(db, &a.id, code).await?;
    let ctx = Ctx {
        a: &a,
        period: crate::plan::Period::parse_any(&a.period)?,
        today: today(now),
        now,
    };
    match (ind.kind, ind.metric) {
        (Kind::Computed, Some(m)) => computed(db, &ctx, m, &t).await,
        (Kind::Entered, _) => {
            let rows: Vec<(Option<i64>, Option<bool>, Option<i64>, String, String, i64)> =
                with_db!(db, |p| sqlx::query_as(
                    "SELECT points, passed, figure, note, updated_by, updated_at FROM assessment_scores \
                 WHERE assessment_id = $1 AND target_id = $2 AND code = $3 AND source = 'entered'"
                )
                .bind(&a.id)
                .bind(&t.id)
                .bind(&ind.code)
                .fetch_all(p)
                .await?);
            Ok(rows
                .into_iter()
                .map(|(pts, passed, fig, note, by, at)| {
                    let figure = match (pts, passed, fig) {
                        (_, _, Some(f)) => format!("数值 {}", figure_text(f)),
                        (Some(p), ..) => format!("{} 分", super::rules::points_text(p)),
                        (None, Some(true), _) => "达标".into(),
                        _ => "未达标".into(),
                    };
                    rec(
                        "考核组织录入",
                        crate::clock::format_beijing(at),
                        format!("{note}（{by}）"),
                        figure,
                        true,
                    )
                })
                .collect())
        }
        _ => super::evidence_records::rated(db, &a, &ind, &t.id).await,
    }
}

async fn computed(db: &Db, ctx: &Ctx<'_>, m: Metric, t: &super::Target) -> Result<Vec<Record>> {
    let target = t.id.as_str();
    let ms = months(&ctx.period);
    let (from, to) = (
        ms.first().cloned().unwrap_or_default(),
        ms.last().cloned().unwrap_or_default(),
    );
    let day = |ms: i64| crate::clock::beijing(ms).date_naive().to_string();
    match m {
        Metric::LifeCompliance if ctx.orgs() => {
            let rows: Vec<(String, i64, String, bool, Option<i64>, Option<i64>)> = with_db!(db, |p| sqlx::query_as(
                "SELECT kind, starts_at, topic, counts, quorum_present, quorum_expected FROM meetings \
                 WHERE org_id = $1 AND status = 'held' AND month >= $2 AND month <= $3 ORDER BY starts_at"
            )
            .bind(target)
            .bind(&from)
            .bind(&to)
            .fetch_all(p)
            .await?);
            Ok(rows
                .into_iter()
                .map(|(k, at, topic, counts, present, expected)| {
                    let label = crate::life::Kind::parse(&k).map(|k| k.label()).unwrap_or("组织生活");
                    let fig = match (present, expected, counts) {
                        (Some(p), Some(e), true) => format!("实到 {p}/{e} 人"),
                        (Some(p), Some(e), false) => format!("实到 {p}/{e} 人，未达法定人数不计入"),
                        (_, _, true) => "计入".into(),
                        _ => "不计入".into(),
                    };
                    rec(label, day(at), topic, fig, counts)
                })
                .collect())
        }
        Metric::LifeCompliance => {
            let rows: Vec<(String, i64, String, bool, String)> = with_db!(db, |p| sqlx::query_as(
                "SELECT m.kind, m.starts_at, m.topic, ma.present, ma.reason_kind FROM meeting_attendance ma \
                 JOIN meetings m ON m.id = ma.meeting_id WHERE ma.person_id = $1 AND m.status = 'held' \
                 AND m.month >= $2 AND m.month <= $3 ORDER BY m.starts_at"
            )
            .bind(target)
            .bind(&from)
            .bind(&to)
            .fetch_all(p)
            .await?);
            Ok(rows
                .into_iter()
                .map(|(k, at, topic, present, reason)| {
                    let label = crate::life::Kind::parse(&k).map(|k| k.label()).unwrap_or("组织生活");
                    let excused = crate::life::ReasonKind::parse(&reason).filter(|r| r.excused());
                    let fig = match (present, excused) {
                        (true, _) => "参加".to_string(),
                        (false, Some(r)) => format!("缺席（{}，不计）", r.label()),
                        (false, None) => "缺席".to_string(),
                    };
                    rec(label, day(at), topic, fig, present || excused.is_none())
                })
                .collect())
        }
        Metric::KpiAttainment => super::evidence_records::kpis(db, ctx, target).await,
        Metric::TaskCompletion => {
            let join = if ctx.orgs() {
                "WHERE k.org_id = $1"
            } else {
                "JOIN plan_people pp ON pp.item_id = k.id WHERE pp.person_id = $1"
            };
            let sql = format!(
                "SELECT k.title, k.deadline, k.done_on FROM tasks k {join} AND k.deadline >= $2 AND k.deadline <= $3 \
                 AND (k.deadline < $4 OR k.done_on IS NOT NULL) ORDER BY k.deadline, k.id"
            );
            let rows: Vec<(String, String, Option<String>)> = with_db!(db, |p| sqlx::query_as(&sql)
                .bind(target)
                .bind(ctx.first())
                .bind(ctx.last())
                .bind(ctx.today_text())
                .fetch_all(p)
                .await?);
            Ok(rows
                .into_iter()
                .map(|(title, deadline, done)| {
                    let on_time = done.as_deref().is_some_and(|d| d <= deadline.as_str());
                    let fig = match &done {
                        Some(d) if on_time => format!("{d} 按期完成"),
                        Some(d) => format!("{d} 逾期完成"),
                        None => "逾期未完成".into(),
                    };
                    rec("党建任务", format!("截止 {deadline}"), title, fig, on_time)
                })
                .collect())
        }
        Metric::StudyCompletion => super::evidence_records::study(db, ctx, t).await,
        Metric::RectificationClosure => {
            let col = if ctx.orgs() { "s.org_id" } else { "s.owner_id" };
            let sql = format!(
                "SELECT s.item_code, s.cause, s.deadline, s.status, s.verified_at, \
                 CAST(CASE WHEN s.status = 'closed' AND s.verified_at IS NOT NULL AND {} <= {} THEN 1 ELSE 0 END AS BIGINT) \
                 FROM standard_problems s WHERE {col} = $1 AND s.deadline >= $2 AND s.deadline <= $3 \
                 AND (s.deadline < $4 OR s.status = 'closed') ORDER BY s.deadline, s.id",
                ms_day_sql("s.verified_at"),
                epoch_day_sql("s.deadline")
            );
            let rows: Vec<(String, String, String, String, Option<i64>, i64)> = with_db!(db, |p| sqlx::query_as(&sql)
                .bind(target)
                .bind(ctx.first())
                .bind(ctx.last())
                .bind(ctx.today_text())
                .fetch_all(p)
                .await?);
            Ok(rows
                .into_iter()
                .map(|(item, cause, deadline, status, verified, on_time)| {
                    let fig = match (status.as_str(), verified) {
                        ("closed", Some(v)) if on_time == 1 => format!("{} 按期销号", day(v)),
                        ("closed", Some(v)) => format!("{} 逾期销号", day(v)),
                        _ => "逾期未销号".into(),
                    };
                    rec(
                        format!("整改问题（{item}）"),
                        format!("截止 {deadline}"),
                        cause,
                        fig,
                        on_time == 1,
                    )
                })
                .collect())
        }
        Metric::DuesOnTime => super::evidence_records::dues(db, ctx, t).await,
    }
}

/// `p`: the Party members under the target organization (a range on their
/// path), or the target member; its conditions added to `w`.
pub(crate) fn people_from(ctx: &Ctx<'_>, t: &super::Target, w: &mut crate::sql::Where) -> &'static str {
    if ctx.orgs() {
        w.prefix("p.org_path", &t.org_path);
        w.push_raw(PARTY_MEMBER.into());
    } else {
        w.push("p.id = {}", crate::sql::Param::S(t.id.clone()));
    }
    "FROM people p"
}
