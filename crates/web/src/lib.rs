//! tongpin web: routes, extractors, templates and the JSON API. Calls core,
//! writes no SQL.
mod assets;
mod download;
mod error;
mod extract;
mod middleware;
pub(crate) mod openapi;
mod routes;
mod shell;

pub use error::{ApiError, PageError};
pub use openapi::document as openapi_document;

use std::sync::Arc;
use tongpin_core::clock::Clock;
use tongpin_core::db::Db;

/// Settings that come from the command line or the environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// Set the cookie's Secure flag (the server sits behind TLS).
    pub secure_cookies: bool,
    /// Largest request body, in bytes.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            body_limit: 10 * 1024 * 1024,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }
}

/// The whole application.
pub fn router(state: AppState) -> axum::Router {
    routes::router(state)
}
