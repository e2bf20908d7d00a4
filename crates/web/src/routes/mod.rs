//! Every route, one folder per aggregate: `pages.rs` for the HTML, `api.rs`
//! for the JSON API under /api/v1.
mod accounts;
mod appeals;
mod assess;
mod audit;
mod auth;
mod ballots;
mod develop;
mod dues;
mod duties;
mod grants;
mod health;
mod home;
mod life;
mod notify;
mod orgs;
mod people;
mod plan;
mod policy;
mod reports;
mod standard;
mod study;
mod todos;
mod transfers;

pub mod registry;

use crate::{middleware, AppState, Config};
use axum::extract::DefaultBodyLimit;
use axum::Router;
use registry::{Need, Routes, Spec};

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
        standard::openapi(),
        assess::openapi(),
        todos::openapi(),
        ballots::openapi(),
        appeals::openapi(),
    ]
}

/// Every route with what it needs of its caller.
fn all(config: &Config) -> Routes {
    Routes::new()
        .get("/", Need::Login, home::page)
        .get("/healthz", Need::Anyone, health::check)
        .get("/api/openapi.json", Need::Anyone, crate::openapi::serve)
        .get("/assets/{file}", Need::Anyone, crate::assets::serve)
        .get("/login", Need::Anyone, auth::login::page)
        .post("/login", Need::Anyone, auth::login::submit)
        .post("/logout", Need::Login, auth::logout::submit)
        .get("/password", Need::Login, auth::password::page)
        .post("/password", Need::Login, auth::password::submit)
        .post("/api/v1/session", Need::Anyone, auth::api::create)
        .delete("/api/v1/session", Need::Login, auth::api::delete)
        .get("/api/v1/me", Need::Login, auth::api::me)
        .post("/api/v1/me/password", Need::Login, auth::api::change_password)
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
        .merge(plan::routes(config))
        .merge(life::routes(config))
        .merge(study::routes())
        .merge(standard::routes(config))
        .merge(ballots::routes())
        .merge(appeals::routes())
        .merge(duties::routes())
        .merge(reports::routes())
        .merge(assess::routes())
}

/// The routes and their needs, as `router` serves them (default settings).
pub fn registry() -> Vec<Spec> {
    all(&Config::default()).specs()
}

pub fn router(state: AppState) -> Router {
    let limit = state.config.body_limit;
    all(&state.config)
        .into_router(&state)
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::csrf_guard,
        ))
        .layer(axum::middleware::from_fn(crate::extract::refuse_unstorable_uri))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::forwarded::resolve,
        ))
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
