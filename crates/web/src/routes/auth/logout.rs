use super::clear_cookie;
use crate::extract::Auth;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use tongpin_core::auth;

pub async fn submit(a: Auth) -> Response {
    let _ = auth::logout(&a.state.db, a.now(), &a.who, &a.addr).await;
    let mut res = Redirect::to("/login?msg=%E6%82%A8%E5%B7%B2%E5%AE%89%E5%85%A8%E9%80%80%E5%87%BA").into_response();
    if let Ok(v) = clear_cookie(&a.state).parse() {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}
