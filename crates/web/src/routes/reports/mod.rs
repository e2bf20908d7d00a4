//! 述职 (一述双报): the secretary's yearly report, its first draft
//! assembled from the records; the organization's staff edit, save and
//! submit it; the organizations above read it once submitted.
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewAssessment), Need::Power(Power::ManageAssessment));
    Routes::new()
        .get("/reports", view, pages::list)
        .get("/reports/edit", view, pages::report)
        .post("/reports", manage, pages::save)
}
