//! Login, logout, password change; the API session.
pub mod api;
pub mod login;
pub mod logout;
pub mod password;

use crate::extract::SESSION_COOKIE;
use crate::AppState;

/// The session cookie: HttpOnly, SameSite=Lax, Secure behind TLS.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

pub fn clear_cookie(state: &AppState) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
