//! The three admin powers through HTTP, and organization scope.
mod common;
use axum::http::{Method, StatusCode};
use common::{TestApp, PW};
use serde_json::json;
use tongpin_core::auth::Role;

#[tokio::test]
async fn each_admin_can_do_only_their_own_job() {
    let app = TestApp::new().await;
    app.account("sys", Role::SystemAdmin, None).await;
    app.account("sec", Role::SecurityAdmin, None).await;
    app.account("aud", Role::AuditAdmin, None).await;
    let (sys, sec, aud) = (
        app.token("sys", PW).await,
        app.token("sec", PW).await,
        app.token("aud", PW).await,
    );
    let get = |t: &str, p: &'static str| {
        let (app, t) = (&app, t.to_string());
        async move { app.api(Method::GET, p, Some(&t), None).await.status }
    };
    // System admin: accounts and organizations; not the audit log, not policy, not grants.
    assert_eq!(get(&sys, "/api/v1/accounts").await, StatusCode::OK);
    assert_eq!(get(&sys, "/api/v1/orgs").await, StatusCode::OK);
    assert_eq!(get(&sys, "/api/v1/audit").await, StatusCode::FORBIDDEN);
    assert_eq!(get(&sys, "/api/v1/policy").await, StatusCode::FORBIDDEN);
    assert_eq!(get(&sys, "/api/v1/grants").await, StatusCode::FORBIDDEN);
    let r = app
        .api(Method::PUT, "/api/v1/policy", Some(&sys), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.json()["message"].as_str().unwrap().contains("权限"));
    // Security admin: policy and grants; not accounts, not organizations, not the audit log.
    assert_eq!(get(&sec, "/api/v1/policy").await, StatusCode::OK);
    assert_eq!(get(&sec, "/api/v1/grants").await, StatusCode::OK);
    assert_eq!(get(&sec, "/api/v1/accounts").await, StatusCode::FORBIDDEN);
    assert_eq!(get(&sec, "/api/v1/audit").await, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::POST,
            "/api/v1/orgs",
            Some(&sec),
            Some(json!({ "name": "某党委", "kind": "committee", "parent_id": null })),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Audit admin: only the audit log.
    assert_eq!(get(&aud, "/api/v1/audit").await, StatusCode::OK);
    assert_eq!(get(&aud, "/api/v1/audit/verify").await, StatusCode::OK);
    for p in ["/api/v1/accounts", "/api/v1/policy", "/api/v1/grants", "/api/v1/orgs"] {
        assert_eq!(get(&aud, p).await, StatusCode::FORBIDDEN, "{p}");
    }
    // The same separation in the pages.
    let br = app.browser("sys", PW).await;
    assert_eq!(
        app.get("/admin/audit", Some(&br.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/admin/accounts", Some(&br.cookie)).await.status,
        StatusCode::OK
    );
    // Every refusal is in the audit log, readable by the audit admin.
    let log = app
        .api(
            Method::GET,
            "/api/v1/audit?action=permission.denied&per_page=200",
            Some(&aud),
            None,
        )
        .await
        .json();
    assert!(log["total"].as_i64().unwrap() >= 12, "{log}");
    let intact = app
        .api(Method::GET, "/api/v1/audit/verify", Some(&aud), None)
        .await
        .json();
    assert_eq!(intact["intact"], true);
}

#[tokio::test]
async fn the_security_admin_grants_and_separation_holds_over_http() {
    let app = TestApp::new().await;
    let (root, a, _, _, _) = app.tree().await;
    app.account("sec", Role::SecurityAdmin, None).await;
    let sec = app.token("sec", PW).await;
    let person = app.account("member1", Role::Member, Some(&root)).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/grants",
            Some(&sec),
            Some(json!({ "account_id": person, "role": "audit-admin" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.json()["message"].as_str().unwrap().contains("三权分立"));
    let r = app
        .api(
            Method::POST,
            "/api/v1/grants",
            Some(&sec),
            Some(json!({ "account_id": person, "role": "org-admin", "org_id": a })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = app
        .api(
            Method::POST,
            "/api/v1/grants",
            Some(&sec),
            Some(json!({ "account_id": person, "role": "chairman", "org_id": a })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "role");
}

#[tokio::test]
async fn org_roles_see_their_subtree_only() {
    let app = TestApp::new().await;
    let (root, a, a1, _, b1) = app.tree().await;
    app.account("za", Role::OrgAdmin, Some(&a)).await;
    app.account("s1", Role::BranchSecretary, Some(&a1)).await;
    let za = app.token("za", PW).await;
    let names = |v: serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap().to_string())
            .collect()
    };
    let list = app.api(Method::GET, "/api/v1/orgs", Some(&za), None).await.json();
    assert_eq!(names(list), vec!["总支A", "支部A1"]);
    let s1 = app.token("s1", PW).await;
    assert_eq!(
        names(app.api(Method::GET, "/api/v1/orgs", Some(&s1), None).await.json()),
        vec!["支部A1"]
    );
    // The general-branch admin creates inside its subtree, not outside, not at the top.
    let mk = |parent: Option<&str>| json!({ "name": "新支部", "kind": "branch", "parent_id": parent });
    assert_eq!(
        app.api(Method::POST, "/api/v1/orgs", Some(&za), Some(mk(Some(&a))))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.api(Method::POST, "/api/v1/orgs", Some(&za), Some(mk(Some(&b1))))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let top = json!({ "name": "新党委", "kind": "committee", "parent_id": null });
    assert_eq!(
        app.api(Method::POST, "/api/v1/orgs", Some(&za), Some(top)).await.status,
        StatusCode::FORBIDDEN
    );
    // A branch secretary cannot create organizations at all.
    assert_eq!(
        app.api(Method::POST, "/api/v1/orgs", Some(&s1), Some(mk(Some(&a1))))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let _ = root;
}
