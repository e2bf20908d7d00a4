//! Every route, one folder per aggregate: `pages.rs` for the HTML, `api.rs`
//! for the JSON API under /api/v1.
mod accounts;
mod audit;
mod auth;
mod develop;
mod dues;
mod grants;
mod health;
mod home;
mod life;
mod notify;
mod orgs;
mod people;
mod plan;
mod policy;
mod study;
mod todos;
mod transfers;

use crate::{middleware, AppState};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// Each module's (schemas, paths) for the OpenAPI document.
pub fn openapi_fragments() -> Vec<(serde_json::Value, serde_json::Value)> {
    vec![
        orgs::openapi(),
        people::openapi(),
        develop::openapi(),
        dues::openapi(),
        transfers::openapi(),
        plan::openapi(),
        life::openapi(),
        study::openapi(),
        todos::openapi(),
    ]
}

pub fn router(state: AppState) -> Router {
    let limit = state.config.body_limit;
    Router::new()
        .route("/", get(home::page))
        .route("/healthz", get(health::check))
        .route("/api/openapi.json", get(crate::openapi::serve))
        .route("/assets/{file}", get(crate::assets::serve))
        .route("/login", get(auth::login::page).post(auth::login::submit))
        .route("/logout", post(auth::logout::submit))
        .route("/password", get(auth::password::page).post(auth::password::submit))
        .route("/api/v1/session", post(auth::api::create).delete(auth::api::delete))
        .route("/api/v1/me", get(auth::api::me))
        .route("/api/v1/me/password", post(auth::api::change_password))
        .merge(accounts::routes())
        .merge(grants::routes())
        .merge(policy::routes())
        .merge(notify::routes())
        .merge(audit::routes())
        .merge(orgs::routes())
        .merge(people::routes())
        .merge(todos::routes())
        .merge(develop::routes())
        .merge(dues::routes())
        .merge(transfers::routes())
        .merge(plan::routes(&state.config))
        .merge(life::routes(&state.config))
        .merge(study::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::csrf_guard,
        ))
        .layer(axum::middleware::from_fn(crate::extract::refuse_unstorable_uri))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(middleware::compression())
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let e = tongpin_core::Error::NotFound("您访问的页面或接口不存在".into());
    if uri.path().starts_with("/api/") {
        crate::ApiError(e).into_response()
    } else {
        crate::PageError(e).into_response()
    }
}
