//! 角色授权: the security admin grants roles on organizations.
mod api;
mod pages;

use crate::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/grants", get(pages::list).post(pages::create))
        .route("/admin/grants/{id}/revoke", post(pages::revoke))
        .route("/api/v1/grants", get(api::list).post(api::create))
        .route("/api/v1/grants/{id}", delete(api::revoke))
}
