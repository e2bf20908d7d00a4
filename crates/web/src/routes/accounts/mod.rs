//! 账号管理: the system admin's accounts.
mod api;
mod pages;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(pages::list).post(pages::create))
        .route("/admin/accounts/{id}/disable", post(pages::disable))
        .route("/admin/accounts/{id}/enable", post(pages::enable))
        .route("/admin/accounts/{id}/reset", post(pages::reset))
        .route("/admin/accounts/{id}/link", post(pages::link))
        .route("/api/v1/accounts", get(api::list).post(api::create))
        .route("/api/v1/accounts/{id}/disable", post(api::disable))
        .route("/api/v1/accounts/{id}/enable", post(api::enable))
        .route("/api/v1/accounts/{id}/password", post(api::reset))
}
