//! Request extractors: who is calling, and bodies parsed with Chinese errors;
//! no text that cannot be stored gets past them (text.rs).
mod auth;
mod form;
mod json;
mod text;

pub(crate) use auth::Checked;
pub use auth::{bearer_token, client_addr, cookie, urlencode, Auth, ClientAddr, SESSION_COOKIE};
pub use form::{Fields, Form};
pub use json::ApiJson;
pub use text::refuse_unstorable_uri;
