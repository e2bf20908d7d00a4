//! 党费: the monthly ledger, a member's bases and payments, bases imported
//! from Excel, the ledger exported to Excel, and the API.
mod api;
mod openapi;
mod pages;
mod person;
mod sheet;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub use openapi::openapi;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewPeople), Need::Power(Power::ManagePeople));
    Routes::new()
        .get("/dues", view, pages::ledger)
        .post("/dues/pay", manage, pages::pay_batch)
        .get("/dues/export", view, pages::export)
        .get("/dues/import", manage, sheet::import_page)
        .post("/dues/import", manage, sheet::import_submit)
        .get("/dues/template.xlsx", manage, sheet::template)
        .get("/dues/{id}", view, person::page)
        .post("/dues/{id}/base", manage, person::set_base)
        .post("/dues/{id}/pay", manage, person::pay)
        .get("/api/v1/dues/ledger", view, api::ledger)
        .get("/api/v1/dues/todos", view, api::todos)
        .post("/api/v1/dues/payments", manage, api::pay_batch)
        .post("/api/v1/dues/bases/import", manage, api::import)
        .get("/api/v1/people/{id}/dues", view, api::history)
        .put("/api/v1/people/{id}/dues-base", manage, api::set_base)
        .post("/api/v1/people/{id}/dues-payments", manage, api::pay)
}

pub use crate::fmt::{cn_date, cn_month};

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_in_chinese() {
        assert_eq!(super::cn_month("2026-03"), "2026年3月");
        assert_eq!(super::cn_date("2026-11-08"), "2026年11月8日");
        assert_eq!(super::cn_date(""), "");
    }
}
