//! 通知渠道: the security admin's robots and mailboxes, test sends and the
//! send record.
mod form;
mod pages;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/notify", get(pages::list).post(pages::create))
        .route("/admin/notify/{id}", get(pages::edit).post(pages::update))
        .route("/admin/notify/{id}/enable", post(pages::enable))
        .route("/admin/notify/{id}/disable", post(pages::disable))
        .route("/admin/notify/{id}/test", post(pages::test))
        .route("/admin/notify/{id}/delete", post(pages::delete))
}
