//! Login under attack over HTTP: the address throttle answers 429 in Chinese
//! on the API and the page, its numbers are set on 安全策略, and `next=`
//! after login stays on this site.
mod common;
use axum::http::{Method, StatusCode};
use common::{TestApp, PW};
use serde_json::json;
use tongpin_core::auth::Role;

async fn wrong(app: &TestApp, username: &str) -> StatusCode {
    let body = json!({ "username": username, "password": "Wrong-guess1" });
    app.api(Method::POST, "/api/v1/session", None, Some(body)).await.status
}

#[tokio::test]
async fn too_many_failures_from_one_address_answer_429_on_the_api_and_the_page() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let sec = app.browser("sec", PW).await;
    // The security admin lowers the limit on the policy page.
    let page = app.get("/admin/policy", Some(&sec.cookie)).await.text();
    assert!(page.contains("name=\"throttle_failures\"") && page.contains("name=\"throttle_minutes\""));
    let fields = [
        ("password_min_length", "8"),
        ("password_min_classes", "3"),
        ("password_max_age_days", "90"),
        ("password_history", "5"),
        ("session_idle_minutes", "30"),
        ("session_absolute_hours", "12"),
        ("lockout_threshold", "5"),
        ("lockout_minutes", "30"),
        ("audit_hash", "sha256"),
        ("throttle_failures", "6"),
        ("throttle_minutes", "abc"),
        ("upload_quota_mib", "1024"),
    ];
    let r = app.form(&sec, "/admin/policy", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("同一地址失败计数时段（分钟）：请填写整数"),
        "{}",
        r.text()
    );
    let mut fields = fields;
    fields[10] = ("throttle_minutes", "5");
    let r = app.form(&sec, "/admin/policy", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = app.token("sec", PW).await;
    let p = app.api(Method::GET, "/api/v1/policy", Some(&t), None).await.json();
    assert_eq!(
        (p["throttle_failures"].as_i64(), p["throttle_minutes"].as_i64()),
        (Some(6), Some(5))
    );

    for i in 0..6 {
        assert_eq!(wrong(&app, &format!("guess{i}")).await, StatusCode::UNAUTHORIZED);
    }
    let body = json!({ "username": "sec", "password": PW });
    let r = app.api(Method::POST, "/api/v1/session", None, Some(body)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["code"], "too_many_requests");
    assert!(
        r.json()["message"].as_str().unwrap().contains("登录失败次数过多"),
        "{}",
        r.text()
    );
    let r = app
        .form_raw("/login", &[("username", "sec"), ("password", PW)], None)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().contains("登录失败次数过多"), "{}", r.text());
    assert!(r.header("set-cookie").is_empty());
    // The window passes.
    app.clock.advance_minutes(7);
    app.token("sec", PW).await;
}

#[tokio::test]
async fn next_after_login_stays_on_this_site() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let login = |next: &'static str| {
        let app = &app;
        async move {
            let r = app
                .form_raw("/login", &[("username", "sec"), ("password", PW), ("next", next)], None)
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}");
            r.header("location")
        }
    };
    assert_eq!(login("/admin/policy?x=1").await, "/admin/policy?x=1");
    for bad in [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\\tevil",
        "https://evil.example/",
        "/%2F%2Fevil.example",
        "/%5cevil.example",
        "/%252f%252fevil.example",
    ] {
        assert_eq!(login(bad).await, "/", "{bad:?}");
    }
}

/// A failed login from `peer`, with these X-Forwarded-For values.
async fn wrong_from(app: &TestApp, peer: &str, forwarded: &[&str]) -> StatusCode {
    use axum::extract::ConnectInfo;
    let body = json!({ "username": "nobody", "password": "Wrong-guess1" }).to_string();
    let mut b = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(axum::http::header::CONTENT_TYPE, "application/json");
    for f in forwarded {
        b = b.header("x-forwarded-for", *f);
    }
    let mut req = b.body(axum::body::Body::from(body)).unwrap();
    let peer: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    app.send(req).await.status
}

/// The addresses failed logins were counted against, sorted.
async fn throttled(app: &TestApp) -> Vec<String> {
    tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar(
        "SELECT addr FROM login_throttle ORDER BY addr"
    )
    .fetch_all(p)
    .await
    .unwrap())
}

/// X-Forwarded-For names the client only when a trusted proxy sends it, and
/// then its right-most untrusted entry: a client cannot pick the address its
/// failures count against.
#[tokio::test]
async fn the_throttle_sees_the_client_behind_a_trusted_proxy_only() {
    // No trusted proxy: the header is ignored, the peer is throttled.
    let app = TestApp::new().await;
    for spoof in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(
            wrong_from(&app, "203.0.113.7", &[spoof]).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(throttled(&app).await, ["203.0.113.7"]);

    let app = TestApp::with_config(tongpin_web::Config {
        trusted_proxies: vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()],
        ..Default::default()
    })
    .await;
    // Through the proxy: the client's own entry (9.9.9.9) is ignored.
    wrong_from(&app, "10.0.0.1", &["9.9.9.9, 198.51.100.1"]).await;
    // Through two proxies.
    wrong_from(&app, "10.0.0.1", &["198.51.100.2", "10.0.0.2"]).await;
    // Straight from a client that is no proxy: the header is ignored.
    wrong_from(&app, "203.0.113.8", &["198.51.100.3"]).await;
    assert_eq!(throttled(&app).await, ["198.51.100.1", "198.51.100.2", "203.0.113.8"]);
}
