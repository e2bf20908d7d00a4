//! tongpin web: routes, extractors, templates and the JSON API. Calls core,
//! writes no SQL.
mod assets;
pub mod download;
mod error;
mod extract;
mod fmt;
mod forwarded;
mod group;
mod middleware;
pub(crate) mod openapi;
mod org_choice;
mod period;
mod redirect;
mod routes;
mod shell;
mod todos;
pub mod upload;

pub use error::{ApiError, PageError};
pub use middleware::compression;
pub use openapi::document as openapi_document;
pub use routes::registry;
pub use routes::registry::{Need, Spec};

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
    /// Largest evidence file (佐证材料), in bytes; routes that take evidence
    /// raise their body limit to fit it (`upload::evidence_body_limit`).
    pub evidence_max_bytes: u64,
    /// Roots the notification senders trust (the public ones, plus a private CA bundle).
    pub trust: tongpin_core::notify::Trust,
    /// Reverse proxies whose X-Forwarded-For names the client (`forwarded`);
    /// empty: the TCP peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            body_limit: 10 * 1024 * 1024,
            evidence_max_bytes: tongpin_core::rules::evidence::MAX_BYTES,
            trust: tongpin_core::notify::Trust::public(),
            trusted_proxies: Vec::new(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub figures: Arc<FigureCache>,
}

/// Dashboard figures too costly to count on every visit (all accounts on a
/// large PostgreSQL is a full scan), kept for a minute. Only display
/// figures live here; nothing a decision depends on.
#[derive(Default)]
pub struct FigureCache {
    values: std::sync::Mutex<std::collections::HashMap<&'static str, (i64, i64)>>,
}

impl FigureCache {
    const TTL_MS: i64 = 60_000;

    pub async fn get<F>(&self, key: &'static str, now: i64, count: F) -> tongpin_core::Result<i64>
    where
        F: std::future::Future<Output = tongpin_core::Result<i64>>,
    {
        let cached = self.values.lock().ok().and_then(|m| m.get(key).copied());
        if let Some((_, v)) = cached.filter(|(at, _)| now - at < Self::TTL_MS && *at <= now) {
            return Ok(v);
        }
        let v = count.await?;
        if let Ok(mut m) = self.values.lock() {
            m.insert(key, (now, v));
        }
        Ok(v)
    }
}

impl AppState {
    pub fn new(db: Db, clock: Arc<dyn Clock>, config: Config) -> AppState {
        AppState {
            db,
            clock,
            config: Arc::new(config),
            figures: Arc::default(),
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }
}

/// The whole application.
pub fn router(state: AppState) -> axum::Router {
    routes::router(state)
}
