//! The assessments API under /api/v1: create, list, read with the sheet,
//! the assessor's scores, peers' and self ratings by account, results (all
//! targets, or one with its lines), close and verify.
use super::new_sheet::api_indicator;
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::assess::ratings::{self, Rater, RatingInput};
use tongpin_core::assess::results::{self, ResultItem};
use tongpin_core::assess::scores::{self, ScoreInput};
use tongpin_core::assess::{freeze, read, setup, Assessment, Indicator, NewAssessment};
use tongpin_core::auth::Power;

type Api<T> = Result<T, ApiError>;

pub fn assessment_json(x: &Assessment) -> Value {
    json!({ "id": x.id, "org_id": x.org_id, "org_name": x.org_name, "title": x.title, "period": x.period,
        "period_title": x.period_title(), "subject": x.subject.code(), "closed": x.closed,
        "good_bp": x.thresholds.good_bp, "fairly_good_bp": x.thresholds.fairly_good_bp, "fair_bp": x.thresholds.fair_bp,
        "bonus_cap": x.bonus_cap, "appeal_days": x.appeal_days, "closed_at": x.closed_at, "closed_by": x.closed_by,
        "hash": x.hash, "created_by": x.created_by, "created_at": x.created_at })
}

fn indicator_json(i: &Indicator) -> Value {
    let w = &i.weights;
    json!({ "code": i.code, "dimension": i.dimension, "side": i.side.code(), "title": i.title,
        "full_points": i.full_points, "kind": i.kind.code(), "metric": i.metric.map(|m| m.code()),
        "tier": i.tier.code(), "pass_bp": i.pass_bp,
        "raters": { "superior": w.superior, "peers": w.peers, "masses": w.masses, "self": w.self_rating } })
}

#[derive(Deserialize)]
pub struct ListQuery {
    org_id: Option<String>,
    period: Option<String>,
}

/// GET /api/v1/assessments?org_id=&period= → the assessments the caller sees.
pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewAssessment).await?;
    let list = read::list(&a.state.db, &scope, q.org_id.as_deref(), q.period.as_deref()).await?;
    Ok(Json(
        json!({ "items": list.iter().map(assessment_json).collect::<Vec<_>>() }),
    ))
}

/// The request body of POST /api/v1/assessments: numbers may come as numbers or text.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApiNew {
    org_id: String,
    title: String,
    period: String,
    subject: String,
    target_ids: Vec<String>,
    target_kinds: Vec<String>,
    indicators: Vec<Value>,
    good: Option<Value>,
    fairly_good: Option<Value>,
    fair: Option<Value>,
    bonus_cap: Option<Value>,
    appeal_days: Option<i64>,
}

/// A JSON number or string as the text the core parses.
pub fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// POST /api/v1/assessments → 201 {"id"}; a forbidden source → 422 naming the rule.
pub async fn create(a: Auth, ApiJson(n): ApiJson<ApiNew>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageAssessment).await?;
    let mut indicators = Vec::new();
    for (k, v) in n.indicators.iter().enumerate() {
        indicators.push(api_indicator(k + 1, v)?);
    }
    let new = NewAssessment {
        org_id: n.org_id,
        title: n.title,
        period: n.period,
        subject: n.subject,
        target_ids: n.target_ids,
        target_kinds: n.target_kinds,
        indicators,
        good: text_of(n.good.as_ref()),
        fairly_good: text_of(n.fairly_good.as_ref()),
        fair: text_of(n.fair.as_ref()),
        bonus_cap: text_of(n.bonus_cap.as_ref()),
        appeal_days: n.appeal_days,
    };
    let id = setup::create(&a.state.db, a.now(), &a.actor(), &scope, new).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// GET /api/v1/assessments/{id} → the assessment, its indicators and targets.
pub async fn get(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let x = read::get(db, &scope, &id).await?;
    let inds = read::indicators(db, &x.id).await?;
    let targets = read::targets(db, &x.id).await?;
    let mut v = assessment_json(&x);
    v["indicators"] = inds.iter().map(indicator_json).collect();
    v["targets"] = targets
        .iter()
        .map(|t| json!({ "id": t.id, "name": t.name, "org_id": t.org_id, "org_name": t.org_name }))
        .collect();
    Ok(Json(v))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApiScore {
    target_id: String,
    indicator_code: String,
    points: Option<Value>,
    passed: Option<bool>,
    figure: Option<Value>,
    note: String,
}

/// POST|PUT /api/v1/assessments/{id}/scores: an entered item, or the superior's rating.
pub async fn score(a: Auth, Path(id): Path<String>, ApiJson(s): ApiJson<ApiScore>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageAssessment).await?;
    let input = ScoreInput {
        target_id: s.target_id,
        indicator_code: s.indicator_code,
        points: text_of(s.points.as_ref()),
        passed: s.passed,
        figure: text_of(s.figure.as_ref()),
        note: s.note,
    };
    let account = a.who.account_id.clone();
    scores::score(&a.state.db, a.now(), &a.actor(), &scope, &account, &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApiRating {
    target_id: String,
    group: String,
    points: serde_json::Map<String, Value>,
    note: String,
}

/// The caller as a rater: their account, their person, their ManageAssessment scope.
pub struct Caller {
    account: String,
    person: Option<String>,
    manage: Option<tongpin_core::org::Scope>,
}

impl Caller {
    pub fn of(a: &Auth) -> Caller {
        Caller {
            account: a.who.account_id.clone(),
            person: a.who.person_id.clone(),
            manage: a.who.scope(Power::ManageAssessment),
        }
    }

    pub fn rater(&self) -> Rater<'_> {
        Rater {
            account_id: &self.account,
            person_id: self.person.as_deref(),
            manage: self.manage.as_ref(),
        }
    }
}

/// POST /api/v1/assessments/{id}/ratings {"target_id","group":"peers"|"self","points":{"CODE":n},"note"}.
pub async fn rate(a: Auth, Path(id): Path<String>, ApiJson(r): ApiJson<ApiRating>) -> Api<StatusCode> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let x = read::get(db, &scope, &id).await?;
    let caller = Caller::of(&a);
    let rater = caller.rater();
    let input = RatingInput {
        target_id: r.target_id,
        group: r.group,
        points: r.points.iter().map(|(k, v)| (k.clone(), text_of(Some(v)))).collect(),
        note: r.note,
    };
    ratings::rate(db, a.now(), &a.actor(), &rater, &x.id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// GET /api/v1/assessments/{id}/ratings → whom the caller rates, and their own points so far.
pub async fn my_ratings(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let x = read::get(db, &scope, &id).await?;
    let caller = Caller::of(&a);
    let rater = caller.rater();
    let to = ratings::to_rate(db, &rater, &x.id).await?;
    let mine = ratings::my_ratings(db, &rater, &x.id).await?;
    Ok(Json(json!({
        "to_rate": to.iter().map(|(t, g)| json!({ "target_id": t.id, "target_name": t.name, "group": g.code() })).collect::<Vec<_>>(),
        "mine": mine.iter().map(|m| json!({ "target_id": m.target_id, "indicator_code": m.code, "group": m.source,
            "points": m.points, "note": m.note })).collect::<Vec<_>>(),
    })))
}

/// Points from hundredths, as a JSON number (87.5); null when missing.
fn points(h: Option<i64>) -> Value {
    h.map_or(Value::Null, |h| json!(h as f64 / 100.0))
}

pub fn item_json(r: &ResultItem) -> Value {
    json!({ "target_id": r.target.id, "target_name": r.target.name, "score": points(r.score), "full": points(Some(r.full)),
        "bonus": points(Some(r.bonus)), "grade": r.grade.map(|g| g.label()), "rank": r.rank, "vetoed": r.vetoed,
        "complete": r.complete,
        "lines": r.lines.iter().map(|l| json!({ "code": l.code, "points": points(l.points), "passed": l.passed, "note": l.note,
            "basis": l.basis, "amended": l.amended })).collect::<Vec<_>>() })
}

#[derive(Deserialize)]
pub struct Page {
    offset: Option<i64>,
    limit: Option<i64>,
}

/// GET /api/v1/assessments/{id}/results → closed, hash, the grade distribution and the ranked items.
pub async fn results(a: Auth, Path(id): Path<String>, Query(p): Query<Page>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewAssessment).await?;
    let q = results::Query {
        target_id: None,
        offset: p.offset.unwrap_or(0).max(0),
        limit: p.limit.unwrap_or(100).clamp(1, 500),
    };
    let r = results::results(&a.state.db, &scope, &id, a.now(), &q).await?;
    Ok(Json(
        json!({ "closed": r.closed, "hash": r.hash, "visible": r.visible, "total": r.total,
        "distribution": r.distribution, "items": r.items.iter().map(item_json).collect::<Vec<_>>() }),
    ))
}

/// GET /api/v1/assessments/{id}/results/{target} → one target's result with its lines.
pub async fn result(a: Auth, Path((id, target)): Path<(String, String)>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewAssessment).await?;
    let r = results::result(&a.state.db, &scope, &id, &target, a.now()).await?;
    Ok(Json(item_json(&r)))
}

/// POST /api/v1/assessments/{id}/close → {"hash"}: the results frozen.
pub async fn close(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ManageAssessment).await?;
    let hash = freeze::close(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(Json(json!({ "hash": hash })))
}

/// GET /api/v1/assessments/{id}/verify → {"closed","stored","computed","ok"}.
pub async fn verify(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewAssessment).await?;
    Ok(Json(match freeze::verify(&a.state.db, &scope, &id).await? {
        Some(v) => json!({ "closed": true, "stored": v.stored, "computed": v.computed, "ok": v.ok }),
        None => json!({ "closed": false, "stored": null, "computed": null, "ok": null }),
    }))
}
