//! 组织关系转接: transfers between organizations, out of and into the system.
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
