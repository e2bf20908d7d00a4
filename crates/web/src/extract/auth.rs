use crate::redirect::Redirect;
use crate::{ApiError, AppState, PageError};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use tongpin_core::audit::{self, Actor, Event, Outcome};
use tongpin_core::auth::cap::Capability;
use tongpin_core::auth::{authenticate, Power, Principal};
use tongpin_core::org::Scope;
use tongpin_core::Error;

pub const SESSION_COOKIE: &str = "tongpin_sid";

/// A logged-in caller: the principal, where they call from, and the state.
pub struct Auth {
    pub who: Principal,
    pub addr: String,
    pub state: AppState,
    pub path: String,
}

/// The client's address: as resolved behind trusted proxies (`forwarded`),
/// else the TCP peer's.
pub fn client_addr(parts: &Parts) -> String {
    if let Some(crate::forwarded::ClientIp(ip)) = parts.extensions.get() {
        return ip.to_string();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Paths an account that must change its password may still reach.
fn allowed_before_change(parts: &Parts) -> bool {
    let p = parts.uri.path();
    matches!(p, "/password" | "/logout" | "/api/v1/me/password")
        || (p == "/api/v1/session" && parts.method == Method::DELETE)
}

fn reject(api: bool, e: Error) -> Response {
    if api {
        return ApiError(e).into_response();
    }
    match e {
        Error::Unauthorized(msg) => {
            let to = format!("/login?msg={}", urlencode(&msg));
            Redirect::to(&to).into_response()
        }
        e => PageError(e).into_response(),
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// The caller's address, for the audit log.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_addr(parts)))
    }
}

/// The principal the route's need was checked against (routes::registry),
/// kept so the handler's `Auth` does not look the session up again.
#[derive(Clone)]
pub(crate) struct Checked(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let api = parts.uri.path().starts_with("/api/");
        let who = match parts.extensions.get::<Checked>() {
            Some(Checked(who)) => who.clone(),
            None => {
                let Some(token) = bearer_token(&parts.headers).or_else(|| cookie(&parts.headers, SESSION_COOKIE))
                else {
                    return Err(reject(api, Error::Unauthorized("尚未登录，请先登录".into())));
                };
                authenticate(&state.db, state.now(), &token)
                    .await
                    .map_err(|e| reject(api, e))?
            }
        };
        if let Some(why) = who.must_change {
            if !allowed_before_change(parts) {
                return Err(reject(api, Error::PasswordChangeRequired(why.into())));
            }
        }
        Ok(Auth {
            who,
            addr: client_addr(parts),
            state: state.clone(),
            path: parts.uri.path().to_string(),
        })
    }
}

impl Auth {
    pub fn now(&self) -> i64 {
        self.state.now()
    }

    pub fn actor(&self) -> Actor {
        self.who.actor(&self.addr)
    }

    /// The scope in which the caller holds `power`; a refusal is audited.
    pub async fn require(&self, power: Power) -> Result<Scope, Error> {
        match self.who.scope(power) {
            Some(scope) => Ok(scope),
            None => Err(self.deny(power).await),
        }
    }

    /// The admin capability `K` (accounts, grants, policy, audit, channels)
    /// the store functions of that job take; a refusal is audited.
    pub async fn capability<K: Capability>(&self) -> Result<K, Error> {
        match self.who.capability::<K>() {
            Some(cap) => Ok(cap),
            None => Err(self.deny(K::POWER).await),
        }
    }

    async fn deny(&self, power: Power) -> Error {
        self.deny_for(power.label()).await
    }

    /// The audited refusal of a caller lacking what `what` names (a power's
    /// label, or several joined by 或).
    pub(crate) async fn deny_for(&self, what: &str) -> Error {
        let ev =
            Event::new("permission.denied", self.path.clone(), Outcome::Denied).detail(format!("缺少权限：{what}"));
        if let Err(e) = audit::record(&self.state.db, self.now(), &self.actor(), ev).await {
            return e;
        }
        Error::Forbidden("您没有此项操作的权限；如需开通，请联系安全管理员授权".into())
    }

    /// The refusal as the caller's kind of route answers it: JSON under
    /// /api/, a page otherwise.
    pub(crate) fn refusal(&self, e: Error) -> Response {
        reject(self.path.starts_with("/api/"), e)
    }

    /// For a route a linked person may use for themself: the scope in which
    /// the caller holds `power`, None for a linked person without it, and
    /// the audited refusal for anyone else.
    pub async fn require_or_linked(&self, power: Power) -> Result<Option<Scope>, Error> {
        match self.who.scope(power) {
            Some(scope) => Ok(Some(scope)),
            None if self.who.person_id.is_some() => Ok(None),
            None => self.require(power).await.map(Some),
        }
    }
}
