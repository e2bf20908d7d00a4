//! 组织关系转接: transfers between organizations, out of and into the system.
mod api;
mod form;
mod letter;
mod openapi;
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub use openapi::openapi;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewPeople), Need::Power(Power::ManagePeople));
    Routes::new()
        .get("/transfers", view, pages::list)
        .get("/transfers/new", manage, form::new_page)
        .post("/transfers/new", manage, form::create)
        .get("/transfers/in", manage, form::in_page)
        .post("/transfers/in", manage, form::in_submit)
        .get("/transfers/{id}/letter", view, letter::page)
        .post("/transfers/{id}/accept", manage, pages::accept)
        .post("/transfers/{id}/return", manage, pages::send_back)
        .post("/transfers/{id}/cancel", manage, pages::cancel)
        .get("/api/v1/transfers", view, api::list)
        .post("/api/v1/transfers", manage, api::create)
        .get("/api/v1/transfers/{id}", view, api::show)
        .post("/api/v1/transfers/{id}/accept", manage, api::accept)
        .post("/api/v1/transfers/{id}/return", manage, api::send_back)
        .post("/api/v1/transfers/{id}/cancel", manage, api::cancel)
}
