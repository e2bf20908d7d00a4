//! 组织关系转接: transfers between organizations, out of and into the system.
mod api;
mod form;
mod letter;
mod openapi;
mod pages;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub use openapi::openapi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/transfers", get(pages::list))
        .route("/transfers/new", get(form::new_page).post(form::create))
        .route("/transfers/in", get(form::in_page).post(form::in_submit))
        .route("/transfers/{id}/letter", get(letter::page))
        .route("/transfers/{id}/accept", post(pages::accept))
        .route("/transfers/{id}/return", post(pages::send_back))
        .route("/transfers/{id}/cancel", post(pages::cancel))
        .route("/api/v1/transfers", get(api::list).post(api::create))
        .route("/api/v1/transfers/{id}", get(api::show))
        .route("/api/v1/transfers/{id}/accept", post(api::accept))
        .route("/api/v1/transfers/{id}/return", post(api::send_back))
        .route("/api/v1/transfers/{id}/cancel", post(api::cancel))
}
