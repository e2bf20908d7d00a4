use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::Json;
use tongpin_core::auth::{Policy, Power};

pub async fn show(a: Auth) -> Result<Json<Policy>, ApiError> {
    a.require(Power::SetPolicy).await?;
    Ok(Json(Policy::load(&a.state.db).await?))
}

/// PUT /api/v1/policy: the whole policy; omitted fields take their defaults.
pub async fn update(a: Auth, ApiJson(p): ApiJson<Policy>) -> Result<Json<Policy>, ApiError> {
    a.require(Power::SetPolicy).await?;
    p.save(&a.state.db, a.now(), &a.actor()).await?;
    Ok(Json(p))
}
