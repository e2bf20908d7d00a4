//! 党员名册: the roster, its form and detail pages, Excel in and out, and the API.
mod api;
mod form;
mod openapi;
mod pages;
mod pick;
mod sheet;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub use openapi::openapi;

/// The picker serves the roster and the forms of 组织生活, 年度计划, 学习 and 标准化建设.
const PICK: &[Power] = &[
    Power::ViewPeople,
    Power::ManageLife,
    Power::ManagePlan,
    Power::ManageStudy,
    Power::ManageStandard,
    Power::ManageAssessment,
];

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewPeople), Need::Power(Power::ManagePeople));
    let reveal = Need::Power(Power::RevealPersonal);
    Routes::new()
        .get("/people", view, pages::list)
        .get("/people/new", manage, form::new_page)
        .post("/people/new", manage, form::create)
        .get("/people/import", manage, sheet::import_page)
        .post("/people/import", manage, sheet::import_submit)
        .get("/people/template.xlsx", manage, sheet::template)
        .get("/people/export", view, sheet::export)
        .get("/people/{id}", view, pages::detail)
        .get("/people/{id}/edit", manage, form::edit_page)
        .post("/people/{id}/edit", manage, form::update)
        .post("/people/{id}/reveal", reveal, pages::reveal)
        .get("/api/v1/people", view, api::list)
        .post("/api/v1/people", manage, api::create)
        .post("/api/v1/people/import", manage, api::import)
        .get("/api/v1/people/pick", Need::AnyOf(PICK), pick::pick)
        .get("/api/v1/people/{id}", view, api::show)
        .put("/api/v1/people/{id}", manage, api::update)
        .post("/api/v1/people/{id}/reveal", reveal, api::reveal)
}
