//! 审计日志: the audit admin reads, filters, exports and verifies.
mod api;
mod export;
mod filter;
mod pages;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(pages::list))
        .route("/admin/audit/export", get(export::xlsx))
        .route("/admin/audit/verify", post(pages::verify))
        .route("/api/v1/audit", get(api::list))
        .route("/api/v1/audit/verify", get(api::verify))
}
