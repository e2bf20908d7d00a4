//! Organizational life's JSON API under /api/v1.
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::life::{compliance, participation, record, store, NewMeeting};

type Api<T> = Result<T, ApiError>;

/// POST /api/v1/meetings → 201 {"id"}; the same meeting sent again → 200 with the first id.
pub async fn create(a: Auth, ApiJson(m): ApiJson<NewMeeting>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageLife).await?;
    let (id, new) = record::record(&a.state.db, a.now(), &a.actor(), &scope, &m, Vec::new()).await?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "id": id, "duplicate": !new }))))
}

pub async fn show(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewLife).await?;
    let db = &a.state.db;
    let m = store::get(db, &scope, &id).await?;
    Ok(Json(json!({
        "meeting": m,
        "attendance": store::attendance(db, &scope, &m.id).await?,
        "resolutions": store::resolutions(db, &scope, &m.id).await?,
        "grades": store::grades(db, &scope, &m.id).await?.into_iter().map(|(n, g)| json!({ "name": n, "grade": g })).collect::<Vec<_>>(),
        "links": store::links(db, &scope, &m.id).await?.into_iter().map(|(k, i, t)| json!({ "kind": k, "id": i, "title": t })).collect::<Vec<_>>(),
    })))
}

pub async fn update(a: Auth, Path(id): Path<String>, ApiJson(m): ApiJson<NewMeeting>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageLife).await?;
    record::update(&a.state.db, a.now(), &a.actor(), &scope, &id, &m, Vec::new()).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn cancel(a: Auth, Path(id): Path<String>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageLife).await?;
    store::cancel(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

/// GET /api/v1/orgs/{id}/meetings?from=2026-01&to=2026-12 (months; the subtree's).
pub async fn list(a: Auth, Path(id): Path<String>, Query(r): Query<Range>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewLife).await?;
    let month = super::this_month(a.now());
    let from = r.from.unwrap_or_else(|| format!("{}-01", &month[..4]));
    let to = r.to.unwrap_or(month);
    let items = store::list(&a.state.db, &scope, &id, &from, &to, true).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
}

fn period_or_month(a: &Auth, q: &PeriodQuery) -> String {
    q.period
        .clone()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| super::this_month(a.now()))
}

fn items_json(items: &[compliance::Item]) -> Vec<Value> {
    items
        .iter()
        .map(|i| json!({ "kind": i.code, "label": i.label, "meeting_kind": i.kind.code(), "due": i.due, "held": i.held,
            "status": i.status.code(), "uncounted": i.uncounted, "note": i.note,
            "periods": i.windows.iter().map(|(p, d, h)| json!({ "period": p, "due": d, "held": h })).collect::<Vec<_>>() }))
        .collect()
}

/// GET /api/v1/orgs/{id}/compliance?period=2026-03|2026-Q1|2026 → {"items":[{"kind","due","held","status"}]}.
pub async fn compliance(a: Auth, Path(id): Path<String>, Query(q): Query<PeriodQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewLife).await?;
    let period = period_or_month(&a, &q);
    let (org, items) = compliance::compliance(&a.state.db, &scope, &id, &period, a.now()).await?;
    Ok(Json(
        json!({ "org_id": org.id, "period": period, "items": items_json(&items) }),
    ))
}

/// GET /api/v1/orgs/{id}/supervision?period= → the subtree's organizations with their items.
pub async fn supervision(a: Auth, Path(id): Path<String>, Query(q): Query<PeriodQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewLife).await?;
    let period = period_or_month(&a, &q);
    let r = a.state.db.for_reading().await;
    let list = compliance::supervision(&r.db, &scope, &id, &period, a.now()).await?;
    let orgs: Vec<Value> = list
        .iter()
        .map(|c| json!({ "org_id": c.org.id, "name": c.org.name, "overdue": c.overdue(), "items": items_json(&c.items) }))
        .collect();
    Ok(Json(
        json!({ "period": period, "orgs": orgs, "replica_lag_seconds": r.lag_seconds }),
    ))
}

/// GET /api/v1/orgs/{id}/absences → members 3 months and more without organizational life.
pub async fn absences(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewLife).await?;
    let items = participation::absences(&a.state.db, &scope, &id, a.now()).await?;
    Ok(Json(json!({ "items": items })))
}
