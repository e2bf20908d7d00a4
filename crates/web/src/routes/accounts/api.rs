use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::{self, cap, NewAccount};

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Json<Value>, ApiError> {
    a.capability::<cap::Accounts>().await?;
    let per_page = q.per_page.unwrap_or(20).clamp(1, 200);
    let page = q.page.unwrap_or(1).max(1);
    let (items, total) = auth::list_accounts(&a.state.db, q.q.as_deref(), (page - 1) * per_page, per_page).await?;
    Ok(Json(json!({ "items": items, "total": total })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    username: String,
    display_name: String,
    password: String,
}

/// The password is set by the admin, so it must be changed at first login.
pub async fn create(a: Auth, ApiJson(b): ApiJson<CreateBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let by = a.capability::<cap::Accounts>().await?;
    let new = NewAccount {
        username: b.username,
        display_name: b.display_name,
        password: b.password,
        must_change: true,
    };
    let id = auth::create_account(&a.state.db, a.now(), &a.actor(), &by, new).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn disable(a: Auth, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let by = a.capability::<cap::Accounts>().await?;
    auth::set_disabled(&a.state.db, a.now(), &a.actor(), &by, &id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn enable(a: Auth, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let by = a.capability::<cap::Accounts>().await?;
    auth::set_disabled(&a.state.db, a.now(), &a.actor(), &by, &id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetBody {
    password: String,
}

pub async fn reset(a: Auth, Path(id): Path<String>, ApiJson(b): ApiJson<ResetBody>) -> Result<StatusCode, ApiError> {
    let by = a.capability::<cap::Accounts>().await?;
    auth::reset_password(&a.state.db, a.now(), &a.actor(), &by, &id, &b.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
