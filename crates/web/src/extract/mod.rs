//! Request extractors: who is calling, and bodies parsed with Chinese errors.
mod auth;
mod form;
mod json;

pub use auth::{bearer_token, client_addr, cookie, urlencode, Auth, ClientAddr, SESSION_COOKIE};
pub use form::{Fields, Form};
pub use json::ApiJson;
