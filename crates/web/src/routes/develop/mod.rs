//! 发展党员: each person's development workflow, the pipeline by stage, and the API.
mod api;
mod openapi;
mod pages;
mod person;

use crate::AppState;
use axum::routing::get;
use axum::Router;

pub use openapi::openapi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/develop", get(pages::pipeline))
        .route("/develop/{id}", get(person::page))
        .route("/develop/{id}/steps", axum::routing::post(person::record))
        .route("/develop/{id}/records", axum::routing::post(person::keep))
        .route("/api/v1/develop/pipeline", get(api::pipeline))
        .route("/api/v1/develop/todos", get(api::todos))
        .route("/api/v1/people/{id}/steps", get(api::steps).post(api::record))
        .route(
            "/api/v1/people/{id}/development-records",
            axum::routing::post(api::keep),
        )
}
