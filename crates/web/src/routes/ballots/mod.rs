//! 群众评议 by anonymous ballots: the assessor's staff issue one-time
//! ballots per target (links and QR codes, printed as slips) and see only
//! the counts and, from the rule table's threshold on, the masses' means;
//! whoever holds a ballot votes once on a public page with no login.
//! Nothing about the voter (account, address, browser) is read or kept.
mod api;
mod board;
mod openapi;
mod public;
mod qr;

use super::registry::{Need, Routes};
use tongpin_core::assess::rules::points_text;
use tongpin_core::auth::Power;

pub use openapi::openapi;

pub fn routes() -> Routes {
    let manage = Need::Power(Power::ManageAssessment);
    Routes::new()
        .get("/assessments/{id}/ballots", manage, board::page)
        .post("/assessments/{id}/ballots", manage, board::issue)
        .get("/ballot/{token}", Need::Anyone, public::page)
        .post("/ballot/{token}", Need::Anyone, public::cast)
        .get("/api/v1/assessments/{id}/ballots", manage, api::board)
        .post("/api/v1/assessments/{id}/ballots", manage, api::issue)
}

/// Points in hundredths as the pages read them ("8.5"); "样本不足" when none.
pub fn mean_text(p: Option<i64>) -> String {
    p.map_or_else(|| "样本不足".into(), points_text)
}
