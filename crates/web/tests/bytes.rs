//! Characters no stored text may hold (U+0000, other C0 controls, U+FFFF and
//! the other noncharacters) are refused at the edge with a 422 naming the
//! field, so an unauthenticated login cannot plant them in the audit log and
//! break its Excel export or `tongpin copy` to PostgreSQL.
mod common;
use axum::http::{Method, StatusCode};
use common::{TestApp, PW};
use serde_json::json;
use std::sync::Arc;
use tongpin_core::auth::Role;
use tongpin_core::clock::ManualClock;
use tongpin_core::db::{copy_all, testing};
use tongpin_web::{AppState, Config};

/// The app on SQLite whatever the engine under test, so the copy below goes
/// SQLite → PostgreSQL when the tests run on PostgreSQL.
async fn sqlite_app() -> TestApp {
    let db = testing::fresh_sqlite().await.unwrap();
    let clock = Arc::new(ManualClock::new(common::T0));
    let state = AppState::new(db.clone(), clock.clone(), Config::default());
    TestApp {
        router: tongpin_web::router(state),
        db,
        clock,
    }
}

fn stored_names_hold_no_nul(names: &[String]) -> bool {
    names.iter().all(|n| !n.contains('\u{0}') && !n.contains('\u{ffff}'))
}

#[tokio::test]
async fn a_login_with_a_nul_is_refused_and_exports_and_copies_still_work() {
    let app = sqlite_app().await;
    app.account("shenji", Role::AuditAdmin, None).await;

    // The login form, the JSON login and a query string: each a 422 naming the field.
    let r = app
        .form_raw("/login", &[("username", "a\u{0}b"), ("password", "x")], None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("username") && r.text().contains("U+0000"),
        "{}",
        r.text()
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({ "username": "a\u{ffff}b", "password": "x" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["field"], "username");
    let r = app.get("/login?msg=a%00b", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Tab, newline and CR are ordinary text.
    let r = app
        .form_raw("/login", &[("username", "a\tb"), ("password", "x\r\ny")], None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());

    let names: Vec<String> = tongpin_core::audit::list(
        &app.db,
        &tongpin_core::auth::cap::command_line(),
        &Default::default(),
        0,
        1000,
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.actor_name)
    .collect();
    assert!(stored_names_hold_no_nul(&names), "{names:?}");

    // The audit log still exports, and its workbook reads back.
    let br = app.browser("shenji", PW).await;
    let r = app.get("/admin/audit/export", Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let grid = tongpin_core::sheet::read(&r.body, "audit.xlsx").unwrap();
    assert!(grid.rows.len() > 2);

    // And the whole database copies (to PostgreSQL when the tests run on it).
    let target = testing::fresh_db().await.unwrap();
    copy_all(&app.db, &target).await.unwrap();
}

#[tokio::test]
async fn path_segments_and_query_values_are_checked_too() {
    let app = TestApp::new().await;
    app.account("sys", Role::SystemAdmin, None).await;
    let t = app.token("sys", PW).await;
    let r = app.api(Method::GET, "/api/v1/orgs/a%00b", Some(&t), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["field"], "地址");
    let r = app.api(Method::GET, "/api/v1/people?q=%EF%B7%90", Some(&t), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["field"], "q");
}

/// A redirect after a committed write echoes a posted value: a newline or
/// Chinese in it is percent-encoded, never a 500 for a change that was made.
#[tokio::test]
async fn a_newline_in_a_redirect_after_a_write_is_encoded() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("zuzhi", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("zuzhi", PW).await;
    let r = app
        .form(&br, "/plan/tokens", &[("org_id", root.as_str()), ("name", "业务系统")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let id: String = tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar("SELECT id FROM kpi_tokens")
        .fetch_one(p)
        .await
        .unwrap());
    let r = app
        .form(
            &br,
            &format!("/plan/tokens/{id}/revoke"),
            &[("org_id", "甲\r\nSet-Cookie: x=1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.header("location"),
        "/plan/tokens?org=%E7%94%B2%0D%0ASet-Cookie:%20x=1"
    );
    assert!(r.header("set-cookie").is_empty());
    let revoked: Option<i64> = tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar(
        "SELECT revoked_at FROM kpi_tokens WHERE id = $1"
    )
    .bind(&id)
    .fetch_one(p)
    .await
    .unwrap());
    assert!(revoked.is_some());
}
