//! Cross-cutting request checks and response headers.
use crate::extract::{client_addr, SESSION_COOKIE};
use crate::{ApiError, AppState, PageError};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tongpin_core::audit::{self, Actor, Event, Outcome};
use tongpin_core::Error;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

/// Every response: CSP without inline script (unless the handler set a
/// stricter one, as evidence downloads do), no framing, no sniffing, a
/// referrer policy, and no caching of anything but the static assets.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !is_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

fn refuse(api: bool, msg: &str) -> Response {
    let e = Error::Forbidden(msg.into());
    if api {
        ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    }
}

fn host_of(origin: &str) -> &str {
    origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin)
        .trim_end_matches('/')
}

/// For state-changing requests: the Origin (or Referer) must be this site,
/// and a cookie session must present its CSRF token, in the `X-CSRF-Token`
/// header, the `_csrf` form field, or (for uploads) the `_csrf` query value.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let api = req.uri().path().starts_with("/api/");
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    if let Some(o) = origin {
        let oh = host_of(o).split('/').next().unwrap_or("");
        if o == "null" || (!host.is_empty() && oh != host) {
            return refuse(api, "跨站请求已被拒绝");
        }
    }
    let (parts, body) = req.into_parts();
    if crate::extract::bearer_token(&parts.headers).is_some()
        || parts.uri.path() == "/login"
        // A ballot is its own credential (one-time, no session acts through it).
        || parts.uri.path().starts_with("/ballot/")
        || (parts.uri.path() == "/api/v1/session" && parts.method == Method::POST)
    {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let Some(token) = crate::extract::cookie(&parts.headers, SESSION_COOKIE) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let expected = match tongpin_core::auth::session_csrf(&state.db, &token).await {
        Ok(Some(c)) => c,
        Ok(None) => return next.run(Request::from_parts(parts, body)).await,
        Err(e) => return ApiError(e).into_response(),
    };
    let mut given = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if given.is_none() {
        given = parts.uri.query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "_csrf")
                .map(|(_, v)| v.into_owned())
        });
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body = if given.is_none() && is_form {
        let Ok(bytes) = axum::body::to_bytes(body, state.config.body_limit).await else {
            return PageError(Error::invalid("表单", "提交的内容过大，请缩小后重试")).into_response();
        };
        given = form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.into_owned());
        Body::from(bytes)
    } else {
        body
    };
    if given.as_deref() != Some(expected.as_str()) {
        let addr = client_addr(&parts);
        let ev = Event::new("permission.denied", parts.uri.path().to_string(), Outcome::Denied).detail("CSRF 校验失败");
        let _ = audit::record(&state.db, state.now(), &Actor::anonymous("未知", &addr), ev).await;
        return refuse(api, "页面已过期或来源不明（CSRF 校验失败），请刷新页面后重试");
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Pages, styles, scripts and JSON go out gzip-compressed to a browser that
/// accepts it. Attachments (Excel, CSV and evidence downloads, which carry a
/// Content-Disposition) and every other type are sent as they are, so a
/// streamed file keeps its length and bytes.
pub fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{DefaultPredicate, Predicate};
    let text_page =
        |_: axum::http::StatusCode, _: axum::http::Version, h: &axum::http::HeaderMap, _: &axum::http::Extensions| {
            let ty = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let text = ["text/html", "text/css", "text/javascript", "application/json"]
                .iter()
                .any(|t| ty.starts_with(t));
            text && !h.contains_key(header::CONTENT_DISPOSITION)
        };
    tower_http::compression::CompressionLayer::new()
        .gzip(true)
        .compress_when(DefaultPredicate::new().and(text_page))
}

#[cfg(test)]
mod tests {
    use axum::http::{header, Request};
    use axum::response::IntoResponse;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn csp_of(path: &str) -> String {
        let app = axum::Router::new()
            .route("/page", get(|| async { "page" }))
            .route(
                "/file",
                get(|| async { ([(header::CONTENT_SECURITY_POLICY, "sandbox")], "file").into_response() }),
            )
            .layer(axum::middleware::from_fn(super::security_headers));
        let res = app
            .oneshot(Request::get(path).body(axum::body::Body::empty()).unwrap())
            .await
            .unwrap();
        res.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string()
    }

    #[tokio::test]
    async fn a_handlers_stricter_policy_is_kept() {
        assert!(csp_of("/page").await.starts_with("default-src 'self'"));
        assert_eq!(csp_of("/file").await, "sandbox");
    }
}
