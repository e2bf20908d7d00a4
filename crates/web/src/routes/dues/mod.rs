//! 党费: bases, payments, arrears and the monthly ledger.
use crate::AppState;
use axum::Router;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
}

/// (schemas, paths) this module adds to the OpenAPI document.
pub fn openapi() -> (Value, Value) {
    (json!({}), json!({}))
}
