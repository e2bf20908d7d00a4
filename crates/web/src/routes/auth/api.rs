use crate::extract::{ApiJson, Auth, ClientAddr};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    username: String,
    password: String,
}

/// POST /api/v1/session → {"token", "must_change_password"}.
pub async fn create(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<Json<Value>, ApiError> {
    let ok = auth::login(&state.db, state.now(), &c.username, &c.password, "api", &addr).await?;
    Ok(Json(
        json!({ "token": ok.token, "must_change_password": ok.must_change }),
    ))
}

/// DELETE /api/v1/session ends the caller's session.
pub async fn delete(a: Auth) -> Result<StatusCode, ApiError> {
    auth::logout(&a.state.db, a.now(), &a.who, &a.addr).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(a: Auth) -> Json<Value> {
    let roles: Vec<Value> = a
        .who
        .grants
        .iter()
        .map(|g| json!({ "role": g.role.code(), "label": g.role.label(), "org_id": g.org_id, "org_name": g.org_name }))
        .collect();
    Json(json!({
        "id": a.who.account_id,
        "username": a.who.username,
        "display_name": a.who.display_name,
        "must_change_password": a.who.must_change.is_some(),
        "roles": roles,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    old_password: String,
    new_password: String,
}

pub async fn change_password(a: Auth, ApiJson(p): ApiJson<NewPassword>) -> Result<StatusCode, ApiError> {
    auth::change_password(&a.state.db, a.now(), &a.who, &a.addr, &p.old_password, &p.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}
