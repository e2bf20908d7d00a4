use super::session_cookie;
use crate::extract::{cookie, ClientAddr, Form, SESSION_COOKIE};
use crate::shell::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tongpin_core::{auth, Error};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    message: Option<String>,
    info: Option<String>,
    username: String,
    next: String,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    msg: Option<String>,
    next: Option<String>,
}

pub async fn page(Query(q): Query<LoginQuery>) -> Html<String> {
    Html(render(&LoginPage {
        message: None,
        info: q.msg.map(|m| m.chars().take(100).collect()),
        username: String::new(),
        next: q.next.unwrap_or_default(),
    }))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only a local path is followed after login.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let old = cookie(&headers, SESSION_COOKIE);
    match auth::login(&state.db, state.now(), &f.username, &f.password, "web", &addr).await {
        Ok(ok) => {
            if let Some(old) = old {
                let _ = auth::end_session_token(&state.db, &old).await;
            }
            let to = if ok.must_change {
                "/password"
            } else {
                safe_next(&f.next)
            };
            let mut res = Redirect::to(to).into_response();
            if let Ok(v) = session_cookie(&state, &ok.token).parse() {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) => {
            let status = match &e {
                Error::Locked(_) => StatusCode::LOCKED,
                Error::Forbidden(_) => StatusCode::FORBIDDEN,
                Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                Error::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::UNAUTHORIZED,
            };
            let message = match e {
                Error::Db(_) => "系统繁忙，请稍后重试".to_string(),
                e => e.to_string(),
            };
            let page = LoginPage {
                message: Some(message),
                info: None,
                username: f.username.chars().take(64).collect(),
                next: f.next,
            };
            (status, Html(render(&page))).into_response()
        }
    }
}
