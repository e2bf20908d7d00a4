use super::pages::PipelineQuery;
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::develop::{self, NewStep};
use tongpin_core::{clock, people};

/// GET /api/v1/develop/pipeline?org=&stage= → {"counts": [...], "people": [...]}.
pub async fn pipeline(a: Auth, Query(q): Query<PipelineQuery>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    let p = develop::pipeline(&a.state.db, &scope, &q.filter(), a.now()).await?;
    Ok(Json(json!(p)))
}

/// GET /api/v1/develop/todos → {"items", "total"}: overdue, or due within 30 days.
pub async fn todos(a: Auth) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    let items = develop::todos(&a.state.db, &scope, a.now()).await?;
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

/// GET /api/v1/people/{id}/steps → {"items", "next_step", "due"}.
pub async fn steps(a: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    let db = &a.state.db;
    let p = people::get(db, &scope, &id).await?;
    let recs = develop::steps(db, &scope, &id).await?;
    let items: Vec<Value> = recs
        .iter()
        .map(|r| {
            let mut v = json!(r);
            v["name"] = json!(r.name());
            v["body_label"] = json!(r.body_label());
            v
        })
        .collect();
    let kept = develop::kept_records(db, &scope, &id).await?;
    let (next, due) = develop::progress(&recs, &kept, &p.status, clock::beijing(a.now()).date_naive());
    Ok(Json(
        json!({ "items": items, "kept": kept, "next_step": next.map(|d| d.no), "due": due }),
    ))
}

/// POST /api/v1/people/{id}/steps → 201 {"id", "warnings"}, or 422 naming
/// the field and the rule broken.
pub async fn record(
    a: Auth,
    Path(id): Path<String>,
    ApiJson(s): ApiJson<NewStep>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let r = develop::record_step(&a.state.db, a.now(), &a.actor(), &scope, &id, &s).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": r.id, "warnings": r.warnings }))))
}

/// POST /api/v1/people/{id}/development-records → 201 {"id"}, or 422 naming
/// the field and the rule broken.
pub async fn keep(
    a: Auth,
    Path(id): Path<String>,
    ApiJson(k): ApiJson<develop::NewKept>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let id = develop::record_kept(&a.state.db, a.now(), &a.actor(), &scope, &id, &k).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}
