//! 组织架构: the Party organization tree (the full module grows in the
//! organizations-and-people work).
mod api;
mod pages;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(pages::list).post(pages::create))
        .route("/orgs/{id}/rename", post(pages::rename))
        .route("/api/v1/orgs", get(api::list).post(api::create))
}
