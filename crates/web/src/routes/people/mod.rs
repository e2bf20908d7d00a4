//! 党员名册: the roster, its form and detail pages, Excel in and out, and the API.
mod api;
mod form;
mod openapi;
mod pages;
mod pick;
mod sheet;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub use openapi::openapi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(pages::list))
        .route("/people/new", get(form::new_page).post(form::create))
        .route("/people/import", get(sheet::import_page).post(sheet::import_submit))
        .route("/people/template.xlsx", get(sheet::template))
        .route("/people/export", get(sheet::export))
        .route("/people/{id}", get(pages::detail))
        .route("/people/{id}/edit", get(form::edit_page).post(form::update))
        .route("/people/{id}/reveal", post(pages::reveal))
        .route("/api/v1/people", get(api::list).post(api::create))
        .route("/api/v1/people/import", post(api::import))
        .route("/api/v1/people/pick", get(pick::pick))
        .route("/api/v1/people/{id}", get(api::show).put(api::update))
        .route("/api/v1/people/{id}/reveal", post(api::reveal))
}
