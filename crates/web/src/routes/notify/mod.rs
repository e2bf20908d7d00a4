//! 通知渠道: the security admin's robots and mailboxes, test sends and the
//! send record.
mod form;
mod pages;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub fn routes() -> Routes {
    let need = Need::Power(Power::SetPolicy);
    Routes::new()
        .get("/admin/notify", need, pages::list)
        .post("/admin/notify", need, pages::create)
        .get("/admin/notify/{id}", need, pages::edit)
        .post("/admin/notify/{id}", need, pages::update)
        .post("/admin/notify/{id}/enable", need, pages::enable)
        .post("/admin/notify/{id}/disable", need, pages::disable)
        .post("/admin/notify/{id}/test", need, pages::test)
        .post("/admin/notify/{id}/delete", need, pages::delete)
}
