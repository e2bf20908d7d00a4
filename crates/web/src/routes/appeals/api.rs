//! The appeals' API: file, list, decide.
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::assess::appeals::{self, Appellant, Decision};
use tongpin_core::auth::Power;

type Api<T> = Result<T, ApiError>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAppeal {
    target_id: String,
    reason: String,
}

/// POST /api/v1/assessments/{id}/appeals → 201 {"id"}.
pub async fn file(a: Auth, Path(id): Path<String>, ApiJson(n): ApiJson<NewAppeal>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageAssessment).await?;
    tongpin_core::assess::read::get(&a.state.db, &scope, &id).await?;
    let who = Appellant {
        scope: Some(&scope),
        person_id: a.who.person_id.as_deref(),
    };
    let aid = appeals::file(&a.state.db, a.now(), &a.actor(), &who, &id, &n.target_id, &n.reason).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": aid }))))
}

/// GET /api/v1/assessments/{id}/appeals → the appeals the caller sees.
pub async fn list(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewAssessment).await?;
    let items = appeals::list(&a.state.db, &scope, &id).await?;
    Ok(Json(json!({ "items": items })))
}

/// POST /api/v1/appeals/{id}/decide → 204.
pub async fn decide(a: Auth, Path(id): Path<String>, ApiJson(d): ApiJson<Decision>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageAssessment).await?;
    appeals::get(&a.state.db, &scope, &id).await?;
    appeals::decide(&a.state.db, a.now(), &a.actor(), &scope, &id, d).await?;
    Ok(StatusCode::NO_CONTENT)
}
