//! 发展党员: each person's development workflow, the pipeline by stage, and the API.
mod api;
mod openapi;
mod pages;
mod person;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub use openapi::openapi;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewPeople), Need::Power(Power::ManagePeople));
    Routes::new()
        .get("/develop", view, pages::pipeline)
        .get("/develop/{id}", view, person::page)
        .post("/develop/{id}/steps", manage, person::record)
        .post("/develop/{id}/records", manage, person::keep)
        .get("/api/v1/develop/pipeline", view, api::pipeline)
        .get("/api/v1/develop/todos", view, api::todos)
        .get("/api/v1/people/{id}/steps", view, api::steps)
        .post("/api/v1/people/{id}/steps", manage, api::record)
        .post("/api/v1/people/{id}/development-records", manage, api::keep)
}
