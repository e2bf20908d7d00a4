//! 组织生活: 三会一课 and the other obligations — calendar, the meeting form
//! and record (printable), compliance, the superior's supervision, the
//! monthly ledger, and the frequencies the top organization sets.
mod api;
mod calendar;
mod compliance;
mod detail;
mod form;
mod frequencies;
mod ledger;
mod openapi;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub use openapi::openapi;

pub fn routes(config: &crate::Config) -> Router<AppState> {
    let files = || crate::upload::evidence_body_limit(config, form::MAX_FILES);
    Router::new()
        .route("/life", get(calendar::page))
        .route(
            "/life/meetings/new",
            get(form::new_page).post(form::create).layer(files()),
        )
        .route("/life/meetings/{id}", get(detail::page))
        .route(
            "/life/meetings/{id}/edit",
            get(form::edit_page).post(form::update).layer(files()),
        )
        .route("/life/meetings/{id}/print", get(detail::print))
        .route("/life/meetings/{id}/cancel", post(detail::cancel))
        .route("/life/attachments/{id}", get(detail::attachment))
        .route("/life/compliance", get(compliance::page))
        .route("/life/supervision", get(compliance::supervision))
        .route("/life/supervision/export", get(compliance::export))
        .route("/life/ledger", get(ledger::page))
        .route("/life/ledger/export", get(ledger::export))
        .route("/life/frequencies", get(frequencies::page).post(frequencies::save))
        .route("/api/v1/meetings", post(api::create))
        .route("/api/v1/meetings/{id}", get(api::show).put(api::update))
        .route("/api/v1/meetings/{id}/cancel", post(api::cancel))
        .route("/api/v1/orgs/{id}/meetings", get(api::list))
        .route("/api/v1/orgs/{id}/compliance", get(api::compliance))
        .route("/api/v1/orgs/{id}/supervision", get(api::supervision))
        .route("/api/v1/orgs/{id}/absences", get(api::absences))
}

/// Today's month ("2026-11") and the like, Beijing time.
pub fn this_month(now: i64) -> String {
    tongpin_core::clock::beijing(now).format("%Y-%m").to_string()
}
