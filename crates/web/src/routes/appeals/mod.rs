//! 申诉: after an assessment closes, the assessed organization's staff
//! appeal one line within the window; the organization above the assessor
//! (the assessor at the top) upholds (维持) or amends (改正) it with new
//! points, and the appellant sees the before and after.
mod api;
mod openapi;
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub use openapi::openapi;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewAssessment), Need::Power(Power::ManageAssessment));
    Routes::new()
        .get("/assessments/{id}/appeals", view, pages::page)
        .post("/assessments/{id}/appeals", manage, pages::file)
        .post("/appeals/{id}/decide", manage, pages::decide)
        .get("/api/v1/assessments/{id}/appeals", view, api::list)
        .post("/api/v1/assessments/{id}/appeals", manage, api::file)
        .post("/api/v1/appeals/{id}/decide", manage, api::decide)
}

/// An appeal's status in words, with its tag colour.
pub fn status_label(s: &str) -> (&'static str, &'static str) {
    match s {
        "upheld" => ("维持原结果", "grey"),
        "amended" => ("已改正", "green"),
        _ => ("待处理", "gold"),
    }
}
