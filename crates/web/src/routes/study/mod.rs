//! 组织生活 · 学习: the annual study plan (年度学习计划) filed with the
//! superior and reviewed there, study records (学习记录) with a session form
//! for the branch, and required courses (必修课程) with each member's
//! completion. Hours are class hours as recorded, never time in the app.
mod api;
mod courses;
mod openapi;
mod plans;
mod records;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub use openapi::openapi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/study/plans", get(plans::page))
        .route("/study/plans/edit", get(plans::form_page).post(plans::save))
        .route("/study/plans/{id}", get(plans::by_id))
        .route("/study/plans/{id}/file", post(plans::file))
        .route("/study/plans/{id}/approve", post(plans::approve))
        .route("/study/plans/{id}/return", post(plans::send_back))
        .route("/study/review", get(plans::review_page))
        .route("/study/records", get(records::page).post(records::log))
        .route("/study/records/batch", get(records::batch_page).post(records::batch))
        .route("/study/courses", get(courses::page).post(courses::create))
        .route("/api/v1/study/plans", get(api::plans).post(api::save_plan))
        .route("/api/v1/study/plans/{id}", get(api::plan))
        .route("/api/v1/study/plans/{id}/file", post(api::file))
        .route("/api/v1/study/plans/{id}/approve", post(api::approve))
        .route("/api/v1/study/plans/{id}/return", post(api::send_back))
        .route("/api/v1/study/records", post(api::log))
        .route("/api/v1/study/courses", get(api::courses).post(api::create_course))
        .route("/api/v1/people/{id}/study", get(api::person))
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
