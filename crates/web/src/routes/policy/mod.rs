//! 安全策略: the security admin's policy, and lifting login locks.
mod api;
mod pages;

use crate::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/policy", get(pages::edit).post(pages::update))
        .route("/admin/policy/unlock", post(pages::unlock))
        .route("/api/v1/policy", get(api::show).put(api::update))
        .route("/api/v1/locks", get(api::locks))
        .route("/api/v1/locks/{username}", delete(api::unlock))
}
