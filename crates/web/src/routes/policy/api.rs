use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use tongpin_core::auth::{self, cap, Policy};

pub async fn show(a: Auth) -> Result<Json<Policy>, ApiError> {
    a.capability::<cap::Policy>().await?;
    Ok(Json(Policy::load(&a.state.db).await?))
}

/// PUT /api/v1/policy: the whole policy; omitted fields take their defaults.
pub async fn update(a: Auth, ApiJson(p): ApiJson<Policy>) -> Result<Json<Policy>, ApiError> {
    let by = a.capability::<cap::Policy>().await?;
    p.save(&a.state.db, a.now(), &a.actor(), &by).await?;
    Ok(Json(p))
}

/// Accounts locked after failed logins: [{"username", "locked_until"}].
pub async fn locks(a: Auth) -> Result<Json<Value>, ApiError> {
    a.capability::<cap::Policy>().await?;
    let items: Vec<Value> = auth::list_locks(&a.state.db, a.now())
        .await?
        .into_iter()
        .map(|(u, t)| json!({ "username": u, "locked_until": t }))
        .collect();
    Ok(Json(json!({ "items": items, "total": items.len() })))
}

pub async fn unlock(a: Auth, Path(username): Path<String>) -> Result<StatusCode, ApiError> {
    let by = a.capability::<cap::Policy>().await?;
    auth::unlock(&a.state.db, a.now(), &a.actor(), &by, &username).await?;
    Ok(StatusCode::NO_CONTENT)
}
