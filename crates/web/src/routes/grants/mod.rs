//! 角色授权: the security admin grants roles on organizations.
mod api;
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub fn routes() -> Routes {
    let need = Need::Power(Power::GrantRoles);
    Routes::new()
        .get("/admin/grants", need, pages::list)
        .post("/admin/grants", need, pages::create)
        .post("/admin/grants/{id}/revoke", need, pages::revoke)
        .get("/api/v1/grants", need, api::list)
        .post("/api/v1/grants", need, api::create)
        .delete("/api/v1/grants/{id}", need, api::revoke)
}
