//! 党费: the monthly ledger, a member's bases and payments, bases imported
//! from Excel, the ledger exported to Excel, and the API.
mod api;
mod openapi;
mod pages;
mod person;
mod sheet;

use crate::AppState;
use axum::routing::{get, post, put};
use axum::Router;

pub use openapi::openapi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dues", get(pages::ledger))
        .route("/dues/pay", post(pages::pay_batch))
        .route("/dues/export", get(pages::export))
        .route("/dues/import", get(sheet::import_page).post(sheet::import_submit))
        .route("/dues/template.xlsx", get(sheet::template))
        .route("/dues/{id}", get(person::page))
        .route("/dues/{id}/base", post(person::set_base))
        .route("/dues/{id}/pay", post(person::pay))
        .route("/api/v1/dues/ledger", get(api::ledger))
        .route("/api/v1/dues/todos", get(api::todos))
        .route("/api/v1/dues/payments", post(api::pay_batch))
        .route("/api/v1/dues/bases/import", post(api::import))
        .route("/api/v1/people/{id}/dues", get(api::history))
        .route("/api/v1/people/{id}/dues-base", put(api::set_base))
        .route("/api/v1/people/{id}/dues-payments", post(api::pay))
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
