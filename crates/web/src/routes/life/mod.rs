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

use super::registry::{Need, Routes};
use axum::http::Method;
use axum::routing::post;
use tongpin_core::auth::Power;

pub use openapi::openapi;

pub fn routes(config: &crate::Config) -> Routes {
    let (view, manage) = (Need::Power(Power::ViewLife), Need::Power(Power::ManageLife));
    let files = || crate::upload::evidence_body_limit(config, form::MAX_FILES);
    Routes::new()
        .get("/life", view, calendar::page)
        .get("/life/meetings/new", manage, form::new_page)
        .with(
            Method::POST,
            "/life/meetings/new",
            manage,
            post(form::create).layer(files()),
        )
        .get("/life/meetings/{id}", view, detail::page)
        .get("/life/meetings/{id}/edit", manage, form::edit_page)
        .with(
            Method::POST,
            "/life/meetings/{id}/edit",
            manage,
            post(form::update).layer(files()),
        )
        .get("/life/meetings/{id}/print", view, detail::print)
        .post("/life/meetings/{id}/cancel", manage, detail::cancel)
        .get("/life/attachments/{id}", view, detail::attachment)
        .get("/life/compliance", view, compliance::page)
        .get("/life/supervision", view, compliance::supervision)
        .get("/life/supervision/export", view, compliance::export)
        .get("/life/ledger", view, ledger::page)
        .get("/life/ledger/export", view, ledger::export)
        .get("/life/frequencies", view, frequencies::page)
        .post("/life/frequencies", manage, frequencies::save)
        .post("/api/v1/meetings", manage, api::create)
        .get("/api/v1/meetings/{id}", view, api::show)
        .put("/api/v1/meetings/{id}", manage, api::update)
        .post("/api/v1/meetings/{id}/cancel", manage, api::cancel)
        .get("/api/v1/orgs/{id}/meetings", view, api::list)
        .get("/api/v1/orgs/{id}/compliance", view, api::compliance)
        .get("/api/v1/orgs/{id}/supervision", view, api::supervision)
        .get("/api/v1/orgs/{id}/absences", view, api::absences)
}

/// Today's month ("2026-11") and the like, Beijing time.
pub fn this_month(now: i64) -> String {
    tongpin_core::clock::beijing(now).format("%Y-%m").to_string()
}
