//! Reading assessments: one by id (for the assessor's staff, or for an
//! organization it assesses), the list a scope sees, an assessment's
//! indicators and its targets.
use super::model::{Assessment, FigureRule, Indicator, Kind, Metric, Side, Subject, Target, Thresholds, Tier, Weights};
use super::scope_cond;
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Error, Result};

const SELECT: &str = "SELECT a.id, a.org_id, o.name AS org_name, o.path AS org_path, a.title, a.period, a.subject, \
     a.status, a.good_bp, a.fairly_good_bp, a.fair_bp, a.bonus_cap, a.appeal_days, a.closed_at, a.closed_by, a.hash, \
     a.created_by, a.created_at FROM assessments a JOIN orgs o ON o.id = a.org_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    org_id: String,
    org_name: String,
    org_path: String,
    title: String,
    period: String,
    subject: String,
    status: String,
    good_bp: i64,
    fairly_good_bp: i64,
    fair_bp: i64,
    bonus_cap: i64,
    appeal_days: i64,
    closed_at: Option<i64>,
    closed_by: Option<String>,
    hash: Option<String>,
    created_by: String,
    created_at: i64,
}

impl From<Row> for Assessment {
    fn from(r: Row) -> Assessment {
        Assessment {
            id: r.id,
            org_id: r.org_id,
            org_name: r.org_name,
            title: r.title,
            period: r.period,
            subject: Subject::parse(&r.subject).unwrap_or(Subject::Orgs),
            closed: r.status == "closed",
            thresholds: Thresholds {
                good_bp: r.good_bp,
                fairly_good_bp: r.fairly_good_bp,
                fair_bp: r.fair_bp,
            },
            bonus_cap: r.bonus_cap,
            appeal_days: r.appeal_days,
            closed_at: r.closed_at,
            closed_by: r.closed_by,
            hash: r.hash,
            created_by: r.created_by,
            created_at: r.created_at,
            org_path: r.org_path,
        }
    }
}

/// An assessment whatever the caller's scope (callers check it).
pub(crate) async fn load(db: &Db, id: &str) -> Result<Assessment> {
    let sql = format!("{SELECT} WHERE a.id = $1");
    let row: Option<Row> = with_db!(db, |p| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(p).await?);
    row.map(Assessment::from)
        .ok_or_else(|| Error::NotFound("考核不存在或不在您的管理范围内".into()))
}

/// The conditions a scope sees an assessment by: its assessor, or one of its targets' organizations.
fn visible(scope: &Scope, w: &mut Where) {
    let own = scope_cond(scope, w, "o.path");
    let targets = scope_cond(scope, w, "tor.path");
    w.push_raw(format!(
        "({own} OR EXISTS (SELECT 1 FROM assessment_targets t JOIN orgs tor ON tor.id = t.org_id \
         WHERE t.assessment_id = a.id AND {targets}))"
    ));
}

/// An assessment the caller sees (ViewAssessment or ManageAssessment scope).
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Assessment> {
    let mut w = Where::default();
    w.push("a.id = {}", Param::S(id.trim().to_string()));
    visible(scope, &mut w);
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond}");
    let row: Option<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_optional(p)
        .await?);
    row.map(Assessment::from)
        .ok_or_else(|| Error::NotFound("考核不存在或不在您的管理范围内".into()))
}

/// The assessments a scope sees, newest period first; optionally one
/// assessor's, or one period's.
pub async fn list(db: &Db, scope: &Scope, org_id: Option<&str>, period: Option<&str>) -> Result<Vec<Assessment>> {
    let mut w = Where::default();
    visible(scope, &mut w);
    if let Some(o) = org_id.map(str::trim).filter(|s| !s.is_empty()) {
        w.push("a.org_id = {}", Param::S(o.into()));
    }
    if let Some(p) = period.map(str::trim).filter(|s| !s.is_empty()) {
        w.push("a.period = {}", Param::S(crate::plan::Period::parse_any(p)?.code()));
    }
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY a.period DESC, a.created_at DESC LIMIT 500");
    let rows: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().map(Assessment::from).collect())
}

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    code: String,
    seq: i64,
    dimension: String,
    side: String,
    title: String,
    full_points: i64,
    kind: String,
    metric: Option<String>,
    tier: String,
    pass_bp: i64,
    figure_unit: Option<String>,
    figure_baseline: Option<i64>,
    figure_target: Option<i64>,
    figure_direction: Option<String>,
    w_superior: i64,
    w_peers: i64,
    w_masses: i64,
    w_self: i64,
}

/// An assessment's indicators in sheet order.
pub async fn indicators(db: &Db, assessment_id: &str) -> Result<Vec<Indicator>> {
    let rows: Vec<IndicatorRow> = with_db!(db, |p| sqlx::query_as(
        "SELECT code, seq, dimension, side, title, full_points, kind, metric, tier, pass_bp, figure_unit, \
         figure_baseline, figure_target, figure_direction, w_superior, w_peers, w_masses, w_self \
         FROM assessment_indicators WHERE assessment_id = $1 ORDER BY seq, code"
    )
    .bind(assessment_id)
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .map(|r| Indicator {
            figure: match (r.figure_unit, r.figure_baseline, r.figure_target, r.figure_direction) {
                (Some(unit), Some(baseline), Some(target), Some(direction)) => Some(FigureRule {
                    unit,
                    baseline,
                    target,
                    direction,
                }),
                _ => None,
            },
            code: r.code,
            seq: r.seq,
            dimension: r.dimension,
            side: Side::parse(&r.side).unwrap_or(Side::Party),
            title: r.title,
            full_points: r.full_points,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Entered),
            metric: r.metric.as_deref().and_then(Metric::parse),
            tier: Tier::parse(&r.tier).unwrap_or(Tier::Normal),
            pass_bp: r.pass_bp,
            weights: Weights {
                superior: r.w_superior,
                peers: r.w_peers,
                masses: r.w_masses,
                self_rating: r.w_self,
            },
        })
        .collect())
}

/// One indicator of an assessment, or the refusal naming the field.
pub(crate) async fn indicator(db: &Db, assessment_id: &str, code: &str) -> Result<Indicator> {
    indicators(db, assessment_id)
        .await?
        .into_iter()
        .find(|i| i.code == code.trim())
        .ok_or_else(|| Error::invalid("指标编码", format!("本考核没有编码为“{}”的指标", code.trim())))
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    id: String,
    name: String,
    org_id: String,
    org_name: String,
    org_path: String,
}

const TARGETS: &str = "SELECT t.target_id AS id, COALESCE(p.name, o.name) AS name, t.org_id, o.name AS org_name, \
     o.path AS org_path FROM assessment_targets t JOIN orgs o ON o.id = t.org_id \
     LEFT JOIN people p ON p.id = t.target_id";

fn target(r: TargetRow) -> Target {
    Target {
        id: r.id,
        name: r.name,
        org_id: r.org_id,
        org_name: r.org_name,
        org_path: r.org_path,
    }
}

/// Every target of an assessment, in tree order.
pub async fn targets(db: &Db, assessment_id: &str) -> Result<Vec<Target>> {
    let sql = format!("{TARGETS} WHERE t.assessment_id = $1 ORDER BY o.path, t.target_id");
    let rows: Vec<TargetRow> = with_db!(db, |p| sqlx::query_as(&sql).bind(assessment_id).fetch_all(p).await?);
    Ok(rows.into_iter().map(target).collect())
}

/// One target of an assessment, or the refusal naming the field.
pub(crate) async fn target_of(db: &Db, assessment_id: &str, target_id: &str) -> Result<Target> {
    let sql = format!("{TARGETS} WHERE t.assessment_id = $1 AND t.target_id = $2");
    let row: Option<TargetRow> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(assessment_id)
        .bind(target_id.trim())
        .fetch_optional(p)
        .await?);
    row.map(target)
        .ok_or_else(|| Error::invalid("考核对象", "不是本考核的考核对象"))
}
