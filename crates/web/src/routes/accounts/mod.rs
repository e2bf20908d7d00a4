//! 账号管理: the system admin's accounts.
mod api;
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub fn routes() -> Routes {
    let need = Need::Power(Power::ManageAccounts);
    Routes::new()
        .get("/admin/accounts", need, pages::list)
        .post("/admin/accounts", need, pages::create)
        .post("/admin/accounts/{id}/disable", need, pages::disable)
        .post("/admin/accounts/{id}/enable", need, pages::enable)
        .post("/admin/accounts/{id}/reset", need, pages::reset)
        .post("/admin/accounts/{id}/link", need, pages::link)
        .get("/api/v1/accounts", need, api::list)
        .post("/api/v1/accounts", need, api::create)
        .post("/api/v1/accounts/{id}/disable", need, api::disable)
        .post("/api/v1/accounts/{id}/enable", need, api::enable)
        .post("/api/v1/accounts/{id}/password", need, api::reset)
}
