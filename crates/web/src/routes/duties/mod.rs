//! 一岗双责: per organization and year, each leader's business duties and
//! Party-building duties, added by the organization's staff and marked done
//! with the day and a note.
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewAssessment), Need::Power(Power::ManageAssessment));
    Routes::new()
        .get("/duties", view, pages::page)
        .post("/duties", manage, pages::add)
        .post("/duties/{id}/done", manage, pages::done)
}
