use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::org::{self, NewOrg};

/// The organizations the caller may see.
pub async fn list(a: Auth) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewOrgs).await?;
    let items = org::list(&a.state.db, &scope).await?;
    Ok(Json(json!({ "items": items, "total": items.len() })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    name: String,
    kind: String,
    parent_id: Option<String>,
    #[serde(default)]
    founded_on: Option<String>,
}

pub async fn create(a: Auth, ApiJson(b): ApiJson<CreateBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = a.require(Power::ManageOrgs).await?;
    let new = NewOrg {
        name: b.name,
        kind: b.kind,
        parent_id: b.parent_id,
        founded_on: b.founded_on,
    };
    let id = org::create(&a.state.db, a.now(), &a.actor(), &scope, new).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    parent_id: String,
}

/// POST /api/v1/orgs/{id}/move {"parent_id"}: the subtree and its people follow.
pub async fn move_to(a: Auth, Path(id): Path<String>, ApiJson(b): ApiJson<MoveBody>) -> Result<StatusCode, ApiError> {
    let scope = a.require(Power::ManageOrgs).await?;
    org::move_subtree(&a.state.db, a.now(), &a.actor(), &scope, &id, &b.parent_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    into_id: String,
}

pub async fn merge(a: Auth, Path(id): Path<String>, ApiJson(b): ApiJson<MergeBody>) -> Result<StatusCode, ApiError> {
    let scope = a.require(Power::ManageOrgs).await?;
    org::merge(&a.state.db, a.now(), &a.actor(), &scope, &id, &b.into_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn dissolve(a: Auth, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let scope = a.require(Power::ManageOrgs).await?;
    org::dissolve(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
