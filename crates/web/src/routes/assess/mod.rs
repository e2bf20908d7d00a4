//! 考评 (一表双考): the assessments a caller sees, a new assessment with its
//! indicator sheet, the sheet itself, the scoring page (评议打分: the
//! assessor's entries and 组织评价, peers and self by account), the results
//! with the drill-down to the records, print, Excel, close and verify; the
//! JSON API under /api/v1/assessments. Ballots (群众评议), appeals, 述职 and
//! 一岗双责 have pages of their own.
mod api;
mod detail;
mod list;
mod new;
mod new_sheet;
mod openapi;
mod results;
mod score;
mod target;

use super::registry::{Need, Routes};
use crate::extract::Auth;
use tongpin_core::assess::rules::points_text;
use tongpin_core::assess::{Assessment, Grade};
use tongpin_core::auth::Power;

pub use openapi::openapi;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewAssessment), Need::Power(Power::ManageAssessment));
    Routes::new()
        .get("/assessments", view, list::list)
        .get("/assessments/new", manage, new::page)
        .post("/assessments/new", manage, new::create)
        .get("/assessments/{id}", view, detail::page)
        .get("/assessments/{id}/score", view, score::page)
        .post("/assessments/{id}/score", manage, score::save)
        .post("/assessments/{id}/rate", view, score::rate)
        .get("/assessments/{id}/results", view, results::page)
        .get("/assessments/{id}/results/print", view, results::print)
        .get("/assessments/{id}/results/export", view, results::export)
        .post("/assessments/{id}/close", manage, results::close)
        .get("/assessments/{id}/targets/{target}", view, target::page)
        .get("/api/v1/assessments", view, api::list)
        .post("/api/v1/assessments", manage, api::create)
        .get("/api/v1/assessments/{id}", view, api::get)
        .post("/api/v1/assessments/{id}/scores", manage, api::score)
        .put("/api/v1/assessments/{id}/scores", manage, api::score)
        .get("/api/v1/assessments/{id}/ratings", view, api::my_ratings)
        .post("/api/v1/assessments/{id}/ratings", view, api::rate)
        .get("/api/v1/assessments/{id}/results", view, api::results)
        .get("/api/v1/assessments/{id}/results/{target}", view, api::result)
        .post("/api/v1/assessments/{id}/close", manage, api::close)
        .get("/api/v1/assessments/{id}/verify", view, api::verify)
}

/// Whether the caller acts for the assessor with ManageAssessment (enters, closes).
pub fn manages(a: &Auth, x: &Assessment) -> bool {
    a.who
        .scope(Power::ManageAssessment)
        .is_some_and(|s| tongpin_core::assess::is_assessor(&s, x))
}

/// "87.5" from hundredths; "—" when missing.
pub fn pts(h: Option<i64>) -> String {
    h.map(points_text).unwrap_or_else(|| "—".into())
}

/// A grade's tag colour.
pub fn grade_tone(g: Grade) -> &'static str {
    match g {
        Grade::Good => "green",
        Grade::FairlyGood => "gold",
        Grade::Fair => "grey",
        Grade::Poor => "red",
    }
}

/// The assessment's status tag: (label, colour).
pub fn status_tag(x: &Assessment) -> (&'static str, &'static str) {
    if x.closed {
        ("已结束并封存", "grey")
    } else {
        ("进行中", "green")
    }
}

/// A moment as the pages read it (Beijing).
pub fn when(ms: i64) -> String {
    crate::fmt::cn_dates_in(&tongpin_core::clock::format_beijing(ms))
}
