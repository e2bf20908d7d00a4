//! Health, security headers, pages by role, the OpenAPI snapshot.
mod common;
use axum::http::{Method, StatusCode};
use common::{TestApp, PW};
use tongpin_core::auth::Role;

#[tokio::test]
async fn healthz_follows_the_database() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    app.db.close().await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    app.account("sys", Role::SystemAdmin, None).await;
    let br = app.browser("sys", PW).await;
    for (path, cookie) in [
        ("/login", None),
        ("/", Some(br.cookie.as_str())),
        ("/api/openapi.json", None),
        ("/nowhere", None),
    ] {
        let r = app.get(path, cookie).await;
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert!(!r.header("referrer-policy").is_empty());
        assert_eq!(r.header("cache-control"), "no-store", "{path}");
    }
    let css = app.get("/assets/app.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").starts_with("text/css"));
}

#[tokio::test]
async fn pages_answer_in_chinese_for_each_role() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("sys", Role::SystemAdmin, None).await;
    app.account("sec", Role::SecurityAdmin, None).await;
    app.account("aud", Role::AuditAdmin, None).await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let pages: [(&str, &[&str]); 4] = [
        ("sys", &["/", "/orgs", "/admin/accounts", "/password"]),
        ("sec", &["/", "/admin/grants", "/admin/policy"]),
        (
            "aud",
            &[
                "/",
                "/admin/audit",
                "/admin/audit?actor=sys&result=ok&from=2026-01-01&to=2026-12-31&page=2&per_page=10",
            ],
        ),
        ("dw", &["/", "/orgs"]),
    ];
    for (user, paths) in pages {
        let br = app.browser(user, PW).await;
        for p in paths {
            let r = app.get(p, Some(&br.cookie)).await;
            assert_eq!(r.status, StatusCode::OK, "{user} {p}");
            let html = r.text();
            assert!(html.contains("首页") && html.contains("退出登录"), "{user} {p}");
        }
    }
    // The menu follows the role.
    let aud = app.browser("aud", PW).await;
    let home = app.get("/", Some(&aud.cookie)).await.text();
    assert!(home.contains("审计日志") && !home.contains("账号管理") && !home.contains("安全策略"));
    // Unknown pages and unknown API paths answer 404 in Chinese.
    let r = app.get("/no/such/page", Some(&aud.cookie)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("不存在"));
    let r = app.api(Method::GET, "/api/v1/nothing", None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_audit_export_is_an_excel_file_and_is_audited() {
    let app = TestApp::new().await;
    app.account("aud", Role::AuditAdmin, None).await;
    let br = app.browser("aud", PW).await;
    let r = app.get("/admin/audit/export?result=ok", Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("spreadsheetml"));
    assert!(r.header("content-disposition").starts_with("attachment"));
    assert_eq!(&r.body[..2], b"PK");
    assert!(app.audit_actions().await.iter().any(|(a, _, _)| a == "audit.export"));
    let bad = app.get("/admin/audit/export?from=2026-99-01", Some(&br.cookie)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("开始日期"));
}

#[tokio::test]
async fn unauthenticated_pages_redirect_to_login_and_api_says_401() {
    let app = TestApp::new().await;
    let r = app.get("/admin/accounts", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("location").starts_with("/login"));
    let r = app.api(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json()["message"].as_str().unwrap().contains("登录"));
}

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let doc = serde_json::to_string_pretty(&tongpin_web::openapi_document()).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &doc).unwrap();
    }
    let want = std::fs::read_to_string(&path).expect("snapshot missing: run with UPDATE_SNAPSHOTS=1");
    assert_eq!(
        doc,
        want.trim_end(),
        "the API changed: review and run with UPDATE_SNAPSHOTS=1"
    );
}

/// What is wrong with the schemas under `v` (at `at`): an object of no known
/// shape, an empty or dangling `required`, a `$ref` to no component.
fn schema_faults(v: &serde_json::Value, at: &str, doc: &serde_json::Value, faults: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(o) => {
            let shaped = ["properties", "additionalProperties", "$ref"]
                .iter()
                .any(|k| o.contains_key(*k));
            if o.get("type").and_then(|t| t.as_str()) == Some("object") && !shaped {
                faults.push(format!("{at}: an object schema without properties"));
            }
            if let Some(required) = o.get("required").and_then(|r| r.as_array()) {
                if required.is_empty() {
                    faults.push(format!("{at}: an empty required"));
                }
                for name in required.iter().filter_map(|n| n.as_str()) {
                    if o.get("properties").is_some_and(|p| p.get(name).is_none()) {
                        faults.push(format!("{at}: required {name} is not among its properties"));
                    }
                }
            }
            if let Some(r) = o.get("$ref").and_then(|r| r.as_str()) {
                let name = r.trim_start_matches("#/components/schemas/");
                if doc["components"]["schemas"].get(name).is_none() {
                    faults.push(format!("{at}: $ref to a missing schema {r}"));
                }
            }
            for (k, x) in o {
                schema_faults(x, &format!("{at}/{k}"), doc, faults);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                schema_faults(x, &format!("{at}/{i}"), doc, faults);
            }
        }
        _ => {}
    }
}

#[test]
fn every_schema_of_the_openapi_document_has_a_shape() {
    let doc = tongpin_web::openapi_document();
    let mut faults = Vec::new();
    schema_faults(&doc, "", &doc, &mut faults);
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn the_schema_walk_finds_shapeless_objects_and_empty_required() {
    let doc = serde_json::json!({ "components": { "schemas": { "A": { "type": "object", "properties": {} } } },
        "paths": { "/x": { "get": { "responses": { "200": { "content": { "application/json": { "schema": {
            "type": "object", "properties": { "a": { "type": "object" }, "b": { "$ref": "#/components/schemas/B" } },
            "required": ["c"] } } } } } } },
        "post": { "schema": { "type": "object", "properties": {}, "required": [] } } } });
    let mut faults = Vec::new();
    schema_faults(&doc, "", &doc, &mut faults);
    let faults = faults.join("\n");
    for want in [
        "properties/a: an object schema without properties",
        "required c is not among",
        "missing schema #/components/schemas/B",
        "/post/schema: an empty required",
    ] {
        assert!(faults.contains(want), "{want} not in:\n{faults}");
    }
}

#[tokio::test]
async fn org_pages_and_tree_changes() {
    let app = TestApp::new().await;
    let (root, a, a1, b, _) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    for p in [
        "/orgs".to_string(),
        format!("/orgs/{a1}"),
        "/orgs/elections".to_string(),
    ] {
        assert_eq!(app.get(&p, Some(&br.cookie)).await.status, StatusCode::OK, "{p}");
    }
    let r = app
        .form(
            &br,
            &format!("/orgs/{a1}/term"),
            &[("elected_on", "2024-01-01"), ("term_years", "3")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.form(&br, &format!("/orgs/{a}/move"), &[("parent_id", &a1)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("下级组织之下"));
    let t = app.token("dw", PW).await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/orgs/{a1}/move"),
            Some(&t),
            Some(serde_json::json!({ "parent_id": b })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(app.audit_actions().await.iter().any(|(a, _, _)| a == "org.move"));
}

#[tokio::test]
async fn the_tree_page_shows_one_level_at_a_time_within_the_scope() {
    let app = TestApp::new().await;
    let (root, a, a1, _b, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    // The top of the scope and its children, not the branches below them.
    let html = app.get("/orgs", Some(&br.cookie)).await.text();
    assert!(
        html.contains("机关党委") && html.contains("总支A") && html.contains("总支B"),
        "{html}"
    );
    assert!(!html.contains("支部A1") && !html.contains("支部B1"), "{html}");
    assert!(
        html.contains(&format!("href=\"/orgs?org={a}\"")) && html.contains("下级 1 个"),
        "{html}"
    );
    // One level down: the way back up, the general branch, its branch.
    let html = app.get(&format!("/orgs?org={a}"), Some(&br.cookie)).await.text();
    assert!(html.contains(&format!("href=\"/orgs?org={root}\"")), "{html}");
    assert!(
        html.contains("支部A1") && !html.contains("支部B1") && !html.contains("总支B"),
        "{html}"
    );
    // A branch secretary starts at their branch and cannot look above it.
    app.account("sj", Role::BranchSecretary, Some(&a1)).await;
    let sj = app.browser("sj", PW).await;
    let html = app.get("/orgs", Some(&sj.cookie)).await.text();
    assert!(html.contains("支部A1") && !html.contains("总支A</a>"), "{html}");
    for other in [&root, &b1, &"不存在".to_string()] {
        let r = app.get(&format!("/orgs?org={other}"), Some(&sj.cookie)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{other}");
    }
}

#[tokio::test]
async fn the_bell_lists_due_re_elections() {
    let app = TestApp::new().await;
    let (root, _, a1, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    // The test clock stands at 2026-09-21 (Beijing): a term from 2023-10-01 ends within 90 days.
    app.form(
        &br,
        &format!("/orgs/{a1}/term"),
        &[("elected_on", "2023-10-01"), ("term_years", "3")],
    )
    .await;
    let t = app.token("dw", PW).await;
    let j = app.api(Method::GET, "/api/v1/todos", Some(&t), None).await.json();
    assert_eq!(j["total"], 1, "{j}");
    assert!(j["items"][0]["title"].as_str().unwrap().contains("换届"));
    let page = app.get("/todos", Some(&br.cookie)).await;
    assert!(page.text().contains("支部A1：换届"));
}

#[tokio::test]
async fn business_units_attach_to_organizations() {
    let app = TestApp::new().await;
    let (root, _, a1, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let t = app.token("dw", PW).await;
    let unit = |body: serde_json::Value| app.api(Method::POST, "/api/v1/units", Some(&t), Some(body));
    let bad = unit(serde_json::json!({ "name": "综合处", "kind": "科室", "owner_org_id": root })).await;
    assert_eq!(bad.json()["field"], "单元类型");
    let r = unit(serde_json::json!({ "name": "综合处", "kind": "处室", "owner_org_id": root })).await;
    let unit = r.json()["id"].as_str().unwrap().to_string();
    let br = app.browser("dw", PW).await;
    let r = app.form(&br, &format!("/orgs/{a1}/units"), &[("unit_id", &unit)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.get("/units", Some(&br.cookie)).await.text().contains("支部A1"));
    assert!(app
        .get(&format!("/orgs/{a1}"), Some(&br.cookie))
        .await
        .text()
        .contains("综合处（处室）"));
}

#[tokio::test]
async fn business_units_stay_in_their_subtree() {
    let app = TestApp::new().await;
    let (root, ga, a1, gb, b1) = app.tree().await;
    app.account("dwa", Role::OrgAdmin, Some(&ga)).await;
    app.account("dwb", Role::OrgAdmin, Some(&gb)).await;
    let (ta, tb) = (app.token("dwa", PW).await, app.token("dwb", PW).await);
    let post = |t: &str, body: serde_json::Value| {
        let t = t.to_string();
        let app = &app;
        async move { app.api(Method::POST, "/api/v1/units", Some(&t), Some(body)).await }
    };
    // A sub-tree admin cannot make a unit of the whole system, nor one for another sub-tree.
    let r = post(&ta, serde_json::json!({ "name": "全局处", "kind": "处室" })).await;
    assert_eq!(
        (r.status, r.json()["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, "所属组织".into())
    );
    let r = post(
        &ta,
        serde_json::json!({ "name": "越权处", "kind": "处室", "owner_org_id": root }),
    )
    .await;
    assert_eq!(r.json()["field"], "所属组织");
    let r = post(
        &ta,
        serde_json::json!({ "name": "A项目组", "kind": "项目组", "owner_org_id": ga }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let a_unit = r.json()["id"].as_str().unwrap().to_string();
    let bra = app.browser("dwa", PW).await;
    let r = app
        .form(&bra, &format!("/orgs/{a1}/units"), &[("unit_id", &a_unit)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The other sub-tree sees neither the unit nor the organizations attached to it.
    let listed = app.api(Method::GET, "/api/v1/units", Some(&tb), None).await.text();
    assert!(!listed.contains("A项目组"), "{listed}");
    let brb = app.browser("dwb", PW).await;
    let page = app.get("/units", Some(&brb.cookie)).await.text();
    assert!(!page.contains("A项目组") && !page.contains("支部A1"), "{page}");
    let r = app
        .form(&brb, &format!("/orgs/{b1}/units"), &[("unit_id", &a_unit)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("不在您的管理范围内"));
    // The whole tree's admin sees both, and may make a unit of the whole system.
    let t = app.token("tree-sys", PW).await;
    let r = post(&t, serde_json::json!({ "name": "办公室", "kind": "处室" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let listed = app.api(Method::GET, "/api/v1/units", Some(&t), None).await.text();
    assert!(listed.contains("A项目组") && listed.contains("办公室"), "{listed}");
    // …which every sub-tree sees and may attach to.
    assert!(app
        .api(Method::GET, "/api/v1/units", Some(&tb), None)
        .await
        .text()
        .contains("办公室"));
}

/// A GET as a browser that accepts gzip sends it.
async fn get_gzip(app: &TestApp, path: &str, cookie: Option<&str>) -> common::Resp {
    use axum::body::Body;
    use axum::http::{header, Request};
    let mut b = Request::builder().uri(path).header(header::ACCEPT_ENCODING, "gzip");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    app.send(b.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn pages_styles_and_scripts_are_served_gzip_and_downloads_untouched() {
    let app = TestApp::new().await;
    app.account("aud", Role::AuditAdmin, None).await;
    let br = app.browser("aud", PW).await;
    for (path, cookie) in [
        ("/", Some(br.cookie.as_str())),
        ("/admin/audit", Some(br.cookie.as_str())),
        ("/login", None),
        ("/assets/app.css", None),
        ("/assets/app.js", None),
        ("/api/openapi.json", None),
    ] {
        let r = get_gzip(&app, path, cookie).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header("content-encoding"), "gzip", "{path}");
        assert_eq!(&r.body[..2], &[0x1f, 0x8b], "{path}");
        assert!(
            r.header("vary").to_ascii_lowercase().contains("accept-encoding"),
            "{path}"
        );
    }
    // Without Accept-Encoding the text comes as it is.
    let plain = app.get("/assets/app.css", None).await;
    assert_eq!(plain.header("content-encoding"), "");
    // A download (an .xlsx attachment) is sent as it is, still a zip file.
    let r = get_gzip(&app, "/admin/audit/export?result=ok", Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-encoding"), "");
    assert_eq!(&r.body[..2], b"PK");
}

/// 规则设置: the top organization's 党务管理员 changes the "usually" numbers
/// (a bad one is refused naming the field), the structure warning follows,
/// and a branch secretary only reads them.
#[tokio::test]
async fn the_rule_settings_page_sets_the_top_organizations_numbers() {
    let app = TestApp::new().await;
    let (root, _, a1, _, _) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("sj", Role::BranchSecretary, Some(&a1)).await;
    let br = app.browser("dw", PW).await;
    let page = app.get("/orgs/settings", Some(&br.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("一般不超过参加评定人数的三分之一") && html.contains("name=\"excellent_num\""),
        "{html}"
    );
    assert!(app
        .get("/orgs", Some(&br.cookie))
        .await
        .text()
        .contains("href=\"/orgs/settings\""));
    let form = |num: &'static str, max: &'static str| {
        vec![
            ("excellent_num", num),
            ("excellent_den", "5"),
            ("branch_max_members", max),
            ("committee_min_seats", "2"),
            ("committee_max_seats", "4"),
        ]
    };
    let r = app.form(&br, "/orgs/settings", &form("6", "40")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("优秀比例上限") && r.text().contains("未保存"));
    let r = app.form(&br, "/orgs/settings", &form("2", "40")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = app.get("/orgs/settings?saved=1", Some(&br.cookie)).await.text();
    assert!(html.contains("已保存") && html.contains("当前为五分之二"), "{html}");
    assert!(app
        .audit_actions()
        .await
        .iter()
        .any(|(a, _, _)| a == "org.rule_settings"));
    let sj = app.browser("sj", PW).await;
    let html = app.get("/orgs/settings", Some(&sj.cookie)).await.text();
    assert!(
        html.contains("五分之二") && !html.contains("name=\"excellent_num\""),
        "{html}"
    );
    let r = app.form(&sj, "/orgs/settings", &form("1", "40")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The organization type: set on the detail page, the term defaults from it.
    let r = app
        .form(&br, &format!("/orgs/{a1}/type"), &[("org_type", "village")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = app.get(&format!("/orgs/{a1}"), Some(&br.cookie)).await.text();
    assert!(html.contains("<dd>村</dd>") && html.contains("5 年（默认）"), "{html}");
    assert!(html.contains("name=\"term_years\" value=\"5\""), "{html}");
}
