use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::{self, cap, Role};
use tongpin_core::Error;

pub async fn list(a: Auth) -> Result<Json<Value>, ApiError> {
    a.capability::<cap::Grants>().await?;
    let items = auth::list_grants(&a.state.db, None).await?;
    Ok(Json(json!({ "items": items, "total": items.len() })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    account_id: String,
    role: String,
    #[serde(default)]
    org_id: Option<String>,
}

pub async fn create(a: Auth, ApiJson(b): ApiJson<GrantBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let by = a.capability::<cap::Grants>().await?;
    let role = Role::from_code(&b.role).ok_or_else(|| {
        let codes: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        Error::invalid("role", format!("应为以下之一：{}", codes.join("、")))
    })?;
    let id = auth::grant_role(
        &a.state.db,
        a.now(),
        &a.actor(),
        &by,
        &b.account_id,
        role,
        b.org_id.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn revoke(a: Auth, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let by = a.capability::<cap::Grants>().await?;
    auth::revoke_grant(&a.state.db, a.now(), &a.actor(), &by, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
