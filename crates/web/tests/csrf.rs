//! State-changing requests need the session's CSRF token and a same-site Origin.
mod common;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{TestApp, PW};
use tongpin_core::auth::Role;

#[tokio::test]
async fn a_form_without_the_token_is_refused_and_audited() {
    let app = TestApp::new().await;
    app.account("sys", Role::SystemAdmin, None).await;
    let br = app.browser("sys", PW).await;
    let fields = [
        ("username", "x1"),
        ("display_name", "某人"),
        ("password", "Initial#2026"),
    ];
    let r = app.form_raw("/admin/accounts", &fields, Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("CSRF"));
    let wrong: Vec<(&str, &str)> = [("_csrf", "forged")].into_iter().chain(fields).collect();
    assert_eq!(
        app.form_raw("/admin/accounts", &wrong, Some(&br.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(app
        .audit_actions()
        .await
        .iter()
        .any(|(a, _, r)| a == "permission.denied" && r == "denied"));
    // With the token it goes through.
    let ok = app.form(&br, "/admin/accounts", &fields).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
}

#[tokio::test]
async fn another_origin_is_refused() {
    let app = TestApp::new().await;
    app.account("sys", Role::SystemAdmin, None).await;
    let br = app.browser("sys", PW).await;
    let body = format!("_csrf={}&username=x2&display_name=x&password=Initial%232026", br.csrf);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/admin/accounts")
        .header(header::HOST, "tongpin.test")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::COOKIE, &br.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("跨站"));
}

#[tokio::test]
async fn json_calls_with_a_cookie_need_the_header_but_bearer_calls_do_not() {
    let app = TestApp::new().await;
    app.account("sys", Role::SystemAdmin, None).await;
    let br = app.browser("sys", PW).await;
    let body = r#"{"username":"x3","display_name":"某人","password":"Initial#2026"}"#;
    let mk = |csrf: Option<&str>| {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/accounts")
            .header(header::COOKIE, &br.cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            b = b.header("x-csrf-token", c);
        }
        b.body(Body::from(body)).unwrap()
    };
    assert_eq!(app.send(mk(None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(mk(Some(&br.csrf))).await.status, StatusCode::CREATED);
    let t = app.token("sys", PW).await;
    let r = app
        .raw_json(
            Method::POST,
            "/api/v1/accounts",
            &t,
            r#"{"username":"x4","display_name":"某人","password":"Initial#2026"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
}
