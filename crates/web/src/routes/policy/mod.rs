//! 安全策略: the security admin's policy, and lifting login locks.
mod api;
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub fn routes() -> Routes {
    let need = Need::Power(Power::SetPolicy);
    Routes::new()
        .get("/admin/policy", need, pages::edit)
        .post("/admin/policy", need, pages::update)
        .post("/admin/policy/unlock", need, pages::unlock)
        .get("/api/v1/policy", need, api::show)
        .put("/api/v1/policy", need, api::update)
        .get("/api/v1/locks", need, api::locks)
        .delete("/api/v1/locks/{username}", need, api::unlock)
}
