//! Bad input gets a 4xx with a Chinese message naming the field, and nothing
//! is written.
mod common;
use axum::http::{Method, StatusCode};
use common::{TestApp, PW};
use serde_json::json;
use tongpin_core::auth::{self, Role};

async fn accounts(app: &TestApp) -> i64 {
    auth::list_accounts(&app.db, None, 0, 1).await.unwrap().1
}

#[tokio::test]
async fn bad_json_bodies_name_the_field_and_write_nothing() {
    let app = TestApp::with_config(tongpin_web::Config {
        body_limit: 4096,
        ..Default::default()
    })
    .await;
    app.account("sys", Role::SystemAdmin, None).await;
    let t = app.token("sys", PW).await;
    let before = accounts(&app).await;
    let audit_before = app.audit_actions().await.len();
    let long = "长".repeat(31);
    let cases: Vec<(String, &str)> = vec![
        (r#"{"username": "a", "#.into(), "请求体"),
        (
            r#"{"username": 5, "display_name": "x", "password": "Initial#2026"}"#.into(),
            "username",
        ),
        (
            r#"{"username": "ok1", "display_name": "x", "password": "Initial#2026", "admin": true}"#.into(),
            "admin",
        ),
        (
            r#"{"username": "ok1", "password": "Initial#2026"}"#.into(),
            "display_name",
        ),
        (
            json!({ "username": "ok1", "display_name": long, "password": "Initial#2026" }).to_string(),
            "姓名",
        ),
        (
            json!({ "username": "ok\u{1}1", "display_name": "张三", "password": "Initial#2026" }).to_string(),
            "username",
        ),
        (
            json!({ "username": "ok1", "display_name": "张三\u{7}", "password": "Initial#2026" }).to_string(),
            "display_name",
        ),
        (
            json!({ "username": "ok1", "display_name": "<script>alert(1)</script>", "password": "Initial#2026" })
                .to_string(),
            "姓名",
        ),
        (
            json!({ "username": "x' OR '1'='1", "display_name": "张三", "password": "Initial#2026" }).to_string(),
            "用户名",
        ),
        (
            json!({ "username": "ok1", "display_name": "张三'; DROP TABLE accounts;--", "password": "Initial#2026" })
                .to_string(),
            "姓名",
        ),
        (
            json!({ "username": "ok1", "display_name": "张三", "password": "weak" }).to_string(),
            "初始密码",
        ),
        (
            r#"{"username": "ok1", "display_name": "张三", "password": "Initial#2026"} trailing"#.into(),
            "请求体",
        ),
    ];
    for (body, field) in cases {
        let r = app.raw_json(Method::POST, "/api/v1/accounts", &t, body.clone()).await;
        assert!(r.status.is_client_error(), "{body}: {}", r.status);
        let j = r.json();
        assert_eq!(j["field"], field, "{body}: {j}");
        assert!(
            j["message"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{j}"
        );
    }
    // Over the body limit, and not JSON at all.
    let big = json!({ "username": "ok1", "display_name": "x".repeat(5000), "password": "Initial#2026" }).to_string();
    let r = app.raw_json(Method::POST, "/api/v1/accounts", &t, big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json()["message"].as_str().unwrap().contains("上限"));
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/accounts")
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", "text/plain")
        .body(axum::body::Body::from("username=x"))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    assert_eq!(accounts(&app).await, before, "nothing written");
    let after: Vec<_> = app.audit_actions().await;
    assert!(!after
        .iter()
        .any(|(a, _, _)| a == "account.create" && after.len() > audit_before));
}

#[tokio::test]
async fn bad_organizations_are_refused_with_the_field() {
    let app = TestApp::new().await;
    let (root, _, a1, _, _) = app.tree().await;
    app.account("sys", Role::SystemAdmin, None).await;
    let t = app.token("sys", PW).await;
    let cases = [
        (
            json!({ "name": "<b>支部</b>", "kind": "branch", "parent_id": root }),
            "组织名称",
        ),
        (json!({ "name": "支部", "kind": "club", "parent_id": root }), "组织类型"),
        (
            json!({ "name": "支部", "kind": "branch", "parent_id": root, "founded_on": "2026-13-01" }),
            "成立日期",
        ),
        (
            json!({ "name": "党委", "kind": "committee", "parent_id": a1 }),
            "组织类型",
        ),
        (
            json!({ "name": "支部", "kind": "branch", "parent_id": "no-such-org" }),
            "上级组织",
        ),
        (
            json!({ "name": "   ", "kind": "branch", "parent_id": root }),
            "组织名称",
        ),
    ];
    let before = app.api(Method::GET, "/api/v1/orgs", Some(&t), None).await.json()["total"].clone();
    for (body, field) in cases {
        let r = app
            .api(Method::POST, "/api/v1/orgs", Some(&t), Some(body.clone()))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(r.json()["field"], field, "{body}");
    }
    assert_eq!(
        app.api(Method::GET, "/api/v1/orgs", Some(&t), None).await.json()["total"],
        before
    );
    // Metacharacters that are not markup are fine in free text and stored as typed.
    let ok = app
        .api(
            Method::POST,
            "/api/v1/orgs",
            Some(&t),
            Some(json!({ "name": "研发（一）党支部 100%", "kind": "branch", "parent_id": root })),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
}

#[tokio::test]
async fn bad_form_fields_are_named_in_the_page() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let br = app.browser("sec", PW).await;
    let fields = [
        ("password_min_length", "八"),
        ("password_min_classes", "3"),
        ("password_max_age_days", "90"),
        ("password_history", "5"),
        ("session_idle_minutes", "30"),
        ("session_absolute_hours", "12"),
        ("lockout_threshold", "5"),
        ("lockout_minutes", "30"),
        ("audit_hash", "sha256"),
        ("upload_quota_mib", "1024"),
        ("throttle_failures", "20"),
        ("throttle_minutes", "5"),
    ];
    let r = app.form(&br, "/admin/policy", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("密码最小长度：请填写整数"));
    let mut weak = fields;
    weak[0] = ("password_min_length", "4");
    let r = app.form(&br, "/admin/policy", &weak).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("应在 8 到 64 之间"));
    let mut good = fields;
    good[0] = ("password_min_length", "10");
    assert_eq!(app.form(&br, "/admin/policy", &good).await.status, StatusCode::OK);
}
