//! 安全策略: the security admin's policy.
mod api;
mod pages;

use crate::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/policy", get(pages::edit).post(pages::update))
        .route("/api/v1/policy", get(api::show).put(api::update))
}
