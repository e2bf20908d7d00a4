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
