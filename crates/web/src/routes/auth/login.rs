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

/// Only a path on this site is followed after login; anything else goes
/// home. Browsers read `//host`, `/\host` and `/<tab>/host` (they drop tabs
/// and newlines, and treat `\` as `/`) as another site, so the path must
/// start with one `/` followed by neither `/` nor `\`, and hold no `\` and
/// no control character; the same holds for its percent-decoded
/// form (decoded repeatedly), so encoded variants are refused too.
pub(crate) fn safe_next(next: &str) -> &str {
    if is_local_path(next) {
        next
    } else {
        "/"
    }
}

fn is_local_path(next: &str) -> bool {
    let mut text = next.to_string();
    for _ in 0..4 {
        let b = text.as_bytes();
        let well_formed = b.first() == Some(&b'/')
            && !matches!(b.get(1), Some(b'/' | b'\\'))
            && !text.chars().any(|c| c == '\\' || c.is_control());
        if !well_formed {
            return false;
        }
        let decoded = percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == text {
            return true;
        }
        text = decoded;
    }
    false
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
                Error::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
                Error::Forbidden(_) => StatusCode::FORBIDDEN,
                Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                Error::Db(_) | Error::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::UNAUTHORIZED,
            };
            let message = match e {
                Error::Db(_) | Error::Internal { .. } => "系统繁忙，请稍后重试".to_string(),
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_accepts_only_paths_on_this_site() {
        for ok in ["/", "/people?q=%E5%BC%A0&page=2", "/plan/board", "/life/x#top"] {
            assert_eq!(safe_next(ok), ok, "{ok}");
        }
        let refused = [
            "",
            "people",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\tevil",
            "\t//evil.example",
            "/\n/evil.example",
            "/a\\b",
            "https://evil.example",
            "javascript:alert(1)",
            " /x",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "/%252F/evil.example",
            "%2F%2Fevil.example",
        ];
        for bad in refused {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
