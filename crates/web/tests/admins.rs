//! The three admin powers through HTTP, and organization scope.
mod common;
use axum::http::{Method, StatusCode};
use common::{TestApp, PW};
use serde_json::json;
use tongpin_core::auth::{self, Role};

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

/// The three admins and a plain account, each with a second holder of
/// their kind to act on.
struct Admins {
    app: TestApp,
    org: String,
    /// (kind, the acting admin's token, the other holder's account id)
    kinds: Vec<(Role, String, String)>,
    plain: String,
}

async fn admins() -> Admins {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    let mut kinds = Vec::new();
    for (kind, name) in [
        (Role::SystemAdmin, "sys"),
        (Role::SecurityAdmin, "sec"),
        (Role::AuditAdmin, "aud"),
    ] {
        app.account(name, kind, None).await;
        let other = app.account(&format!("{name}2"), kind, None).await;
        kinds.push((kind, app.token(name, PW).await, other));
    }
    let plain = app.account("plain", Role::Member, Some(&root)).await;
    Admins {
        app,
        org: root,
        kinds,
        plain,
    }
}

/// Every admin kind against every kind and a plain account: resetting,
/// disabling and granting a business role go only to one's own kind's job
/// and never into another kind's account; an admin kind is never granted or
/// revoked on the web, by anyone.
#[tokio::test]
async fn no_admin_reaches_into_another_kinds_account() {
    let w = admins().await;
    let app = &w.app;
    let targets: Vec<(Option<Role>, String)> = w
        .kinds
        .iter()
        .map(|(k, _, id)| (Some(*k), id.clone()))
        .chain([(None, w.plain.clone())])
        .collect();
    for (actor, token, _) in &w.kinds {
        for (target, id) in &targets {
            let pair = format!("{} → {}", actor.label(), target.map_or("普通账号", Role::label));
            // Accounts: the system admin's job, within its own kind or plain accounts.
            let own = *actor == Role::SystemAdmin && matches!(target, None | Some(Role::SystemAdmin));
            let expect = if own {
                StatusCode::NO_CONTENT
            } else {
                StatusCode::FORBIDDEN
            };
            let reset = json!({ "password": "Fresh-Passw0rd" });
            let r = app
                .api(
                    Method::POST,
                    &format!("/api/v1/accounts/{id}/password"),
                    Some(token),
                    Some(reset),
                )
                .await;
            assert_eq!(r.status, expect, "reset {pair}: {}", r.text());
            let r = app
                .api(
                    Method::POST,
                    &format!("/api/v1/accounts/{id}/disable"),
                    Some(token),
                    None,
                )
                .await;
            assert_eq!(r.status, expect, "disable {pair}: {}", r.text());
            if own {
                let r = app
                    .api(
                        Method::POST,
                        &format!("/api/v1/accounts/{id}/enable"),
                        Some(token),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::NO_CONTENT, "enable {pair}");
            }
            // Grants: the security admin's job, business roles to plain accounts only.
            let body = json!({ "account_id": id, "role": "org-admin", "org_id": w.org });
            let r = app.api(Method::POST, "/api/v1/grants", Some(token), Some(body)).await;
            let expect = match (actor, target) {
                (Role::SecurityAdmin, None) => StatusCode::CREATED,
                (Role::SecurityAdmin, Some(Role::SecurityAdmin)) => StatusCode::CONFLICT,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(r.status, expect, "grant org-admin {pair}: {}", r.text());
            if r.status == StatusCode::CREATED {
                let gid = r.json()["id"].as_str().unwrap().to_string();
                let r = app
                    .api(Method::DELETE, &format!("/api/v1/grants/{gid}"), Some(token), None)
                    .await;
                assert_eq!(r.status, StatusCode::NO_CONTENT, "revoke {pair}");
            }
            for kind in ["system-admin", "security-admin", "audit-admin"] {
                let body = json!({ "account_id": id, "role": kind });
                let r = app.api(Method::POST, "/api/v1/grants", Some(token), Some(body)).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "grant {kind} {pair}: {}", r.text());
            }
        }
        // Nobody revokes an admin kind on the web.
        for g in auth::list_grants(&app.db, None).await.unwrap() {
            if Role::from_code(&g.role).is_some_and(Role::is_separated_admin) {
                let r = app
                    .api(Method::DELETE, &format!("/api/v1/grants/{}", g.id), Some(token), None)
                    .await;
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "revoke {} by {}",
                    g.role,
                    actor.label()
                );
            }
        }
    }
    // The other kinds' second holders still log in with their own password,
    // still hold their kind, and nothing else.
    for name in ["sec2", "aud2"] {
        app.token(name, PW).await;
    }
    let grants = auth::list_grants(&app.db, None).await.unwrap();
    for (kind, _, id) in &w.kinds {
        let held: Vec<&str> = grants
            .iter()
            .filter(|g| &g.account_id == id)
            .map(|g| g.role.as_str())
            .collect();
        assert_eq!(held, vec![kind.code()]);
    }
    let denied = app.audit_actions().await;
    assert!(denied.iter().any(|(a, _, r)| a == "permission.denied" && r == "denied"));
}

/// The pages offer only what the role can do: no admin kind to grant, no
/// admin account to grant to, no revoking of an admin kind, no reset or
/// disable of another kind's account.
#[tokio::test]
async fn the_pages_offer_no_control_over_another_kind() {
    let w = admins().await;
    let app = &w.app;
    let sec = app.browser("sec", PW).await;
    let page = app.get("/admin/grants", Some(&sec.cookie)).await.text();
    for code in [
        "value=\"system-admin\"",
        "value=\"security-admin\"",
        "value=\"audit-admin\"",
    ] {
        assert!(!page.contains(code), "{code} offered");
    }
    assert!(page.contains("value=\"org-admin\""));
    for (_, _, id) in &w.kinds {
        assert!(!page.contains(id.as_str()), "admin account {id} listed on 角色授权");
    }
    assert!(page.contains(w.plain.as_str()));
    let sys = app.browser("sys", PW).await;
    let page = app.get("/admin/accounts", Some(&sys.cookie)).await.text();
    for (kind, _, id) in &w.kinds {
        let controls = page.contains(&format!("/admin/accounts/{id}/reset"));
        assert_eq!(controls, *kind == Role::SystemAdmin, "{}", kind.label());
    }
    assert!(page.contains(&format!("/admin/accounts/{}/reset", w.plain)));
    // The form posts answer the same as the API.
    let (_, _, sec2) = &w.kinds[1];
    let r = app
        .form(
            &sys,
            &format!("/admin/accounts/{sec2}/reset"),
            &[("password", "Fresh-Passw0rd")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("三员分立"), "{}", r.text());
    let r = app
        .form(
            &sec,
            "/admin/grants",
            &[("account_id", &w.plain), ("role", "audit-admin"), ("org_id", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("命令行"), "{}", r.text());
}

/// 关联人员 answers the same whether or not the citizen ID is on the roster,
/// so the system admin cannot probe the roster through it.
#[tokio::test]
async fn linking_does_not_tell_whether_an_id_is_on_the_roster() {
    let w = admins().await;
    let app = &w.app;
    app.account("orgadmin", Role::OrgAdmin, Some(&w.org)).await;
    let oa = app.token("orgadmin", PW).await;
    let on_roster = common::id_with_check("11010519800101001");
    let body = json!({ "name": "王强", "citizen_id": on_roster, "org_id": w.org, "status": "正式党员", "joined_on": "2010-07-01" });
    let r = app.api(Method::POST, "/api/v1/people", Some(&oa), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let absent = common::id_with_check("11010519800101002");
    let sys = app.browser("sys", PW).await;
    let link = |cid: String| {
        let (sys, plain) = (&sys, w.plain.clone());
        async move {
            let r = app
                .form(sys, &format!("/admin/accounts/{plain}/link"), &[("citizen_id", &cid)])
                .await;
            (r.status, r.header("location"), r.text())
        }
    };
    let found = link(on_roster).await;
    let missing = link(absent).await;
    assert_eq!(found.0, StatusCode::SEE_OTHER);
    assert_eq!(found, missing, "the answers differ");
    assert!(!found.1.contains("%E7%8E%8B"), "the name is not shown");
    // Linked in fact; the audit log (not the system admin) has both outcomes.
    let linked: Option<String> = sqlx_person(app, &w.plain).await;
    assert!(linked.is_some());
    let log = app.audit_actions().await;
    let links: Vec<&str> = log
        .iter()
        .filter(|(a, _, _)| a == "account.link")
        .map(|(_, _, r)| r.as_str())
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links.contains(&"ok") && links.contains(&"failed"), "{links:?}");
}

async fn sqlx_person(app: &TestApp, account: &str) -> Option<String> {
    use tongpin_core::with_db;
    let r: Option<String> = with_db!(&app.db, |p| sqlx::query_scalar(
        "SELECT person_id FROM accounts WHERE id = $1"
    )
    .bind(account)
    .fetch_one(p)
    .await
    .unwrap());
    r
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

/// Admin capabilities reach the handlers only through `Auth::capability`
/// (a principal holding the power): the web code never takes the command
/// line's door, nor makes an admin account.
#[test]
fn the_web_code_never_mints_a_capability_or_an_admin() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 20);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for door in ["command_line", "create_admin"] {
            assert!(!text.contains(door), "{} uses {door}", f.display());
        }
    }
}
