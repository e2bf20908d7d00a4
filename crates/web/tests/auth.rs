//! Logins, lockout, sessions and passwords, through HTTP.
mod common;
use axum::http::{Method, StatusCode};
use common::{TestApp, PW};
use serde_json::json;
use tongpin_core::auth::Role;

async fn login(app: &TestApp, user: &str, pw: &str) -> common::Resp {
    app.api(
        Method::POST,
        "/api/v1/session",
        None,
        Some(json!({ "username": user, "password": pw })),
    )
    .await
}

#[tokio::test]
async fn five_failures_lock_for_thirty_minutes_whether_or_not_the_user_exists() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    for user in ["sec", "nobody"] {
        for i in 1..=4 {
            let r = login(&app, user, "wrong").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{user} attempt {i}");
            assert!(r.json()["message"].as_str().unwrap().contains("用户名或密码错误"));
        }
        let fifth = login(&app, user, "wrong").await;
        assert_eq!(fifth.status, StatusCode::LOCKED, "{user}");
        let sixth = login(&app, user, "wrong").await;
        assert_eq!(sixth.status, StatusCode::LOCKED);
        assert!(sixth.json()["message"].as_str().unwrap().contains("账号已锁定"));
    }
    // Even the right password waits out the lock.
    assert_eq!(login(&app, "sec", PW).await.status, StatusCode::LOCKED);
    app.clock.advance_minutes(29);
    assert_eq!(login(&app, "sec", PW).await.status, StatusCode::LOCKED);
    app.clock.advance_minutes(2);
    assert_eq!(login(&app, "sec", PW).await.status, StatusCode::OK);
    // Failures and the lock are audited.
    let acts = app.audit_actions().await;
    assert!(acts
        .iter()
        .any(|(a, o, r)| a == "login" && o == "nobody" && r == "failed"));
    assert!(acts.iter().any(|(a, o, r)| a == "login" && o == "sec" && r == "denied"));
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let app = TestApp::new().await;
    app.account("m", Role::SecurityAdmin, None).await;
    for _ in 0..4 {
        login(&app, "m", "wrong").await;
    }
    assert_eq!(login(&app, "m", PW).await.status, StatusCode::OK);
    for _ in 0..4 {
        assert_eq!(login(&app, "m", "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn bearer_tokens_work_until_deleted() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let t = app.token("sec", PW).await;
    let me = app.api(Method::GET, "/api/v1/me", Some(&t), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["roles"][0]["role"], "security-admin");
    assert_eq!(
        app.api(Method::DELETE, "/api/v1/session", Some(&t), None).await.status,
        StatusCode::NO_CONTENT
    );
    let after = app.api(Method::GET, "/api/v1/me", Some(&t), None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(after.json()["message"].as_str().unwrap().contains("登录"));
}

#[tokio::test]
async fn the_cookie_is_httponly_lax_and_secure_behind_tls() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let r = app
        .form_raw("/login", &[("username", "sec"), ("password", PW)], None)
        .await;
    let c = r.header("set-cookie");
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"),
        "{c}"
    );
    let tls = TestApp::with_config(tongpin_web::Config {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    tls.account("sec", Role::SecurityAdmin, None).await;
    let r = tls
        .form_raw("/login", &[("username", "sec"), ("password", PW)], None)
        .await;
    assert!(r.header("set-cookie").contains("Secure"));
}

#[tokio::test]
async fn login_rotates_the_session_and_logout_ends_it() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let first = app.browser("sec", PW).await;
    // Logging in again from the same browser replaces the old session.
    let r = app
        .form_raw("/login", &[("username", "sec"), ("password", PW)], Some(&first.cookie))
        .await;
    let second = r.header("set-cookie").split(';').next().unwrap().to_string();
    assert_ne!(second, first.cookie);
    assert_eq!(app.get("/", Some(&first.cookie)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/", Some(&second)).await.status, StatusCode::OK);
    // Logout ends the session on the server, not just in the browser.
    let page = app.get("/password", Some(&second)).await.text();
    let csrf = page
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let br = common::Browser {
        cookie: second.clone(),
        csrf,
    };
    let out = app.form(&br, "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/", Some(&second)).await.status, StatusCode::SEE_OTHER);
    assert!(app.audit_actions().await.iter().any(|(a, _, _)| a == "logout"));
}

#[tokio::test]
async fn idle_and_absolute_timeouts() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let t = app.token("sec", PW).await;
    app.clock.advance_minutes(29);
    assert_eq!(
        app.api(Method::GET, "/api/v1/me", Some(&t), None).await.status,
        StatusCode::OK
    );
    app.clock.advance_minutes(31);
    let r = app.api(Method::GET, "/api/v1/me", Some(&t), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json()["message"].as_str().unwrap().contains("长时间未操作"));

    // Active every 20 minutes (11h40m in all), the session still ends past 12 hours.
    let t = app.token("sec", PW).await;
    for _ in 0..35 {
        app.clock.advance_minutes(20);
        assert_eq!(
            app.api(Method::GET, "/api/v1/me", Some(&t), None).await.status,
            StatusCode::OK
        );
    }
    app.clock.advance_minutes(21);
    let r = app.api(Method::GET, "/api/v1/me", Some(&t), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "12h01m after login");
    assert!(r.json()["message"].as_str().unwrap().contains("最长时间"));
}

#[tokio::test]
async fn the_security_admin_can_change_the_timeouts() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let t = app.token("sec", PW).await;
    let r = app
        .api(
            Method::PUT,
            "/api/v1/policy",
            Some(&t),
            Some(json!({ "session_idle_minutes": 10 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    app.clock.advance_minutes(11);
    assert_eq!(
        app.api(Method::GET, "/api/v1/me", Some(&t), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(app.audit_actions().await.iter().any(|(a, _, _)| a == "policy.update"));
}

#[tokio::test]
async fn an_admin_set_password_must_be_changed_first() {
    let app = TestApp::new().await;
    app.account("sys", Role::SystemAdmin, None).await;
    let sys = app.token("sys", PW).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/accounts",
            Some(&sys),
            Some(json!({ "username": "newbie", "display_name": "新同志", "password": "Initial#2026" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let t = app.token("newbie", "Initial#2026").await;
    for path in ["/api/v1/me", "/api/v1/orgs"] {
        let r = app.api(Method::GET, path, Some(&t), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.json()["message"].as_str().unwrap().contains("修改密码"));
    }
    let br = app
        .form_raw("/login", &[("username", "newbie"), ("password", "Initial#2026")], None)
        .await;
    assert_eq!(br.header("location"), "/password");
    let cookie = br.header("set-cookie").split(';').next().unwrap().to_string();
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/password", Some(&cookie)).await.status, StatusCode::OK);

    let r = app
        .api(
            Method::POST,
            "/api/v1/me/password",
            Some(&t),
            Some(json!({ "old_password": "Initial#2026", "new_password": "Changed#2026" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(
        app.api(Method::GET, "/api/v1/me", Some(&t), None).await.status,
        StatusCode::OK
    );
    // The change ended the account's other sessions (the browser's).
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn passwords_follow_the_policy_and_are_not_reused() {
    let app = TestApp::new().await;
    app.account("zhangsan", Role::SecurityAdmin, None).await;
    let t = app.token("zhangsan", PW).await;
    let change = |old: &'static str, new: &'static str| {
        let app = &app;
        let t = t.clone();
        async move {
            app.api(
                Method::POST,
                "/api/v1/me/password",
                Some(&t),
                Some(json!({ "old_password": old, "new_password": new })),
            )
            .await
        }
    };
    assert_eq!(
        change("nope", "Valid#2026x").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    for bad in ["Sh0rt!", "alllowercase1", "Zhangsan#2026"] {
        let r = change(PW, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(r.json()["field"], "新密码");
    }
    assert_eq!(
        change(PW, PW).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "same as current"
    );
    // Walk through five new passwords; the first one is then reusable only after five more.
    let seq = [
        "First#2026a",
        "Second#2026b",
        "Third#2026c",
        "Fourth#2026d",
        "Fifth#2026e",
    ];
    let mut cur = PW;
    for p in seq {
        assert_eq!(change(cur, p).await.status, StatusCode::NO_CONTENT, "{p}");
        cur = p;
    }
    assert_eq!(
        change(cur, "First#2026a").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reuse within 5"
    );
    assert_eq!(
        change(cur, PW).await.status,
        StatusCode::NO_CONTENT,
        "6 changes ago is allowed"
    );
}

#[tokio::test]
async fn a_password_older_than_ninety_days_must_be_changed() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    app.clock.advance_minutes(89 * 24 * 60);
    let t = app.token("sec", PW).await;
    assert_eq!(
        app.api(Method::GET, "/api/v1/me", Some(&t), None).await.status,
        StatusCode::OK
    );
    app.clock.advance_minutes(2 * 24 * 60);
    let t = app.token("sec", PW).await;
    let r = app.api(Method::GET, "/api/v1/me", Some(&t), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.json()["message"].as_str().unwrap().contains("到期"));
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("sys", Role::SystemAdmin, None).await;
    let victim = app.account("member", Role::Member, Some(&root)).await;
    let sys = app.token("sys", PW).await;
    let t = app.token("member", PW).await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/accounts/{victim}/disable"),
            Some(&sys),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.api(Method::GET, "/api/v1/me", Some(&t), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = login(&app, "member", PW).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(again.json()["message"].as_str().unwrap().contains("停用"));
}

#[tokio::test]
async fn the_web_login_page_shows_chinese_errors() {
    let app = TestApp::new().await;
    let r = app
        .form_raw("/login", &[("username", "ghost"), ("password", "x")], None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("用户名或密码错误"));
    for _ in 0..5 {
        app.form_raw("/login", &[("username", "ghost"), ("password", "x")], None)
            .await;
    }
    let r = app
        .form_raw("/login", &[("username", "ghost"), ("password", "x")], None)
        .await;
    assert_eq!(r.status, StatusCode::LOCKED);
    assert!(r.text().contains("账号已锁定"));
}

#[tokio::test]
async fn the_security_admin_lifts_a_lock_early() {
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    app.account("aud", Role::AuditAdmin, None).await;
    let sec = app.token("sec", PW).await;
    for _ in 0..5 {
        login(&app, "aud", "wrong").await;
    }
    assert_eq!(login(&app, "aud", PW).await.status, StatusCode::LOCKED);
    let locks = app.api(Method::GET, "/api/v1/locks", Some(&sec), None).await.json();
    assert_eq!(locks["items"][0]["username"], "aud");
    assert_eq!(
        app.api(Method::DELETE, "/api/v1/locks/aud", Some(&sec), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(login(&app, "aud", PW).await.status, StatusCode::OK);
    assert_eq!(
        app.api(Method::DELETE, "/api/v1/locks/aud", Some(&sec), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(app
        .audit_actions()
        .await
        .iter()
        .any(|(a, o, _)| a == "account.unlock" && o == "aud"));
}

#[tokio::test]
async fn two_servers_on_one_database_share_sessions_and_the_chain() {
    use tower::ServiceExt;
    let app = TestApp::new().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    // A second server: its own state, the same database.
    let other = tongpin_web::router(tongpin_web::AppState::new(
        app.db.clone(),
        app.clock.clone(),
        Default::default(),
    ));
    let t = app.token("sec", PW).await;
    let req = axum::http::Request::builder()
        .uri("/api/v1/me")
        .header("authorization", format!("Bearer {t}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(other.clone().oneshot(req).await.unwrap().status(), StatusCode::OK);
    // Logging out on one ends the session on the other.
    let req = axum::http::Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/session")
        .header("authorization", format!("Bearer {t}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(other.oneshot(req).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.api(Method::GET, "/api/v1/me", Some(&t), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(tongpin_core::audit::verify(&app.db).await.unwrap().is_ok());
}
