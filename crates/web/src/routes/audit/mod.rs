//! 审计日志: the audit admin reads, filters, exports and verifies.
mod api;
mod export;
mod filter;
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub fn routes() -> Routes {
    let need = Need::Power(Power::ReadAudit);
    Routes::new()
        .get("/admin/audit", need, pages::list)
        .get("/admin/audit/export", need, export::xlsx)
        .post("/admin/audit/verify", need, pages::verify)
        .get("/api/v1/audit", need, api::list)
        .get("/api/v1/audit/verify", need, api::verify)
}
