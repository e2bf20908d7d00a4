//! 组织生活 · 学习: the annual study plan (年度学习计划) filed with the
//! superior and reviewed there, study records (学习记录) with a session form
//! for the branch, and required courses (必修课程) with each member's
//! completion. Hours are class hours as recorded, never time in the app.
mod api;
mod courses;
mod openapi;
mod plans;
mod records;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub use openapi::openapi;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewStudy), Need::Power(Power::ManageStudy));
    Routes::new()
        .get("/study/plans", view, plans::page)
        .get("/study/plans/edit", manage, plans::form_page)
        .post("/study/plans/edit", manage, plans::save)
        .get("/study/plans/{id}", view, plans::by_id)
        .post("/study/plans/{id}/file", manage, plans::file)
        .post("/study/plans/{id}/approve", manage, plans::approve)
        .post("/study/plans/{id}/return", manage, plans::send_back)
        .get("/study/review", view, plans::review_page)
        .get("/study/records", view, records::page)
        .post("/study/records", Need::Linked, records::log)
        .get("/study/records/batch", manage, records::batch_page)
        .post("/study/records/batch", manage, records::batch)
        .get("/study/courses", view, courses::page)
        .post("/study/courses", manage, courses::create)
        .get("/api/v1/study/plans", view, api::plans)
        .post("/api/v1/study/plans", manage, api::save_plan)
        .get("/api/v1/study/plans/{id}", view, api::plan)
        .post("/api/v1/study/plans/{id}/file", manage, api::file)
        .post("/api/v1/study/plans/{id}/approve", manage, api::approve)
        .post("/api/v1/study/plans/{id}/return", manage, api::send_back)
        // One's own record needs a linked person; others' need ManageStudy.
        .post(
            "/api/v1/study/records",
            Need::PowerOrLinked(Power::ManageStudy),
            api::log,
        )
        .get("/api/v1/study/courses", view, api::courses)
        .post("/api/v1/study/courses", manage, api::create_course)
        .get(
            "/api/v1/people/{id}/study",
            Need::PowerOrLinked(Power::ViewStudy),
            api::person,
        )
}

pub use crate::error::refused;
pub use crate::extract::Fields;

/// "1.5" from tenths of a class hour.
pub fn hours(t: &i64) -> String {
    tongpin_core::study::hours_text(*t)
}

/// The posted fields as the core's record.
fn record_of(f: &Fields) -> tongpin_core::study::NewRecord {
    tongpin_core::study::NewRecord {
        studied_on: f.get("studied_on").into(),
        topic: f.get("topic").into(),
        hours: f.get("hours").into(),
        form: f.get("form").into(),
        course_id: Some(f.get("course_id").to_string()).filter(|c| !c.trim().is_empty()),
        notes: f.get("notes").into(),
    }
}
