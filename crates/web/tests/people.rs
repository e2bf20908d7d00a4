//! The roster through HTTP: who may see, edit, reveal, import and export.
mod common;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{id_with_check, TestApp, PW};
use serde_json::json;
use tongpin_core::auth::Role;

fn multipart(token: &str, uri: &str, filename: &str, bytes: &[u8]) -> Request<Body> {
    let b = "----tongpin-test-boundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn roles_decide_who_sees_and_who_reveals() {
    let app = TestApp::new().await;
    let (root, _, a1, _, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("sj", Role::BranchSecretary, Some(&a1)).await;
    app.account("dy", Role::Member, Some(&a1)).await;
    app.account("sys", Role::SystemAdmin, None).await;
    let (dw, sj, dy, sys) = (
        app.token("dw", PW).await,
        app.token("sj", PW).await,
        app.token("dy", PW).await,
        app.token("sys", PW).await,
    );
    let body = |name: &str, id17: &str, org: &str| json!({ "name": name, "citizen_id": id_with_check(id17), "phone": "13812345678", "org_id": org, "status": "正式党员", "joined_on": "2010-07-01" });
    let r = app
        .api(
            Method::POST,
            "/api/v1/people",
            Some(&sj),
            Some(body("张三", "11010519800101001", &a1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let zs = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .api(
            Method::POST,
            "/api/v1/people",
            Some(&sj),
            Some(body("李四", "11010519800101002", &b1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "所属组织");
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/people",
            Some(&dw),
            Some(body("李四", "11010519800101002", &b1))
        )
        .await
        .status,
        StatusCode::CREATED
    );

    let list = app
        .api(Method::GET, "/api/v1/people?q=zs", Some(&sj), None)
        .await
        .json();
    assert_eq!(list["total"], 1);
    let masked = format!("110105********{}", &id_with_check("11010519800101001")[14..]);
    assert_eq!(list["items"][0]["citizen_id"], masked);
    assert_eq!(list["items"][0]["phone"], "138****5678");
    assert_eq!(
        app.api(Method::GET, "/api/v1/people", Some(&sj), None).await.json()["total"],
        1
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/people", Some(&dw), None).await.json()["total"],
        2
    );
    // Members and the system admin do not read the roster; the secretary does not reveal.
    assert_eq!(
        app.api(Method::GET, "/api/v1/people", Some(&dy), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/people", Some(&sys), None).await.status,
        StatusCode::FORBIDDEN
    );
    let path = format!("/api/v1/people/{zs}/reveal");
    assert_eq!(
        app.api(Method::POST, &path, Some(&sj), None).await.status,
        StatusCode::FORBIDDEN
    );
    let full = app.api(Method::POST, &path, Some(&dw), None).await.json();
    assert_eq!(full["citizen_id"], id_with_check("11010519800101001"));
    assert!(app.audit_actions().await.iter().any(|(a, _, _)| a == "person.reveal"));
    // Bad JSON fields are named.
    let r = app
        .api(
            Method::POST,
            "/api/v1/people",
            Some(&dw),
            Some(json!({ "name": "王五", "sex": "男" })),
        )
        .await;
    assert_eq!(r.json()["field"], "sex");
}

#[tokio::test]
async fn import_over_http_reports_rows_and_columns() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let t = app.token("dw", PW).await;
    let good = format!(
        "张三,男,{},13812345678,总支A/支部A1,正式党员,2010-07-01",
        id_with_check("11010519800101001")
    );
    let csv = format!("姓名,性别,身份证号,手机号,所属组织,人员类别,入党日期\n{good}\n李四,男,123,13812345678,支部A1,正式党员,2010-07-01\n");
    let r = app
        .send(multipart(
            &t,
            "/api/v1/people/import?dry_run=true",
            "a.csv",
            csv.as_bytes(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!(j["imported"], 0);
    assert_eq!(j["errors"][0]["row"], 3);
    assert_eq!(j["errors"][0]["column"], "身份证号");
    let r = app
        .send(multipart(
            &t,
            "/api/v1/people/import?dry_run=false",
            "a.csv",
            csv.as_bytes(),
        ))
        .await
        .json();
    assert_eq!(r["imported"], 0, "all or nothing");
    let fixed = format!("姓名,性别,身份证号,手机号,所属组织,人员类别,入党日期\n{good}\n");
    let r = app
        .send(multipart(
            &t,
            "/api/v1/people/import?dry_run=false",
            "a.csv",
            fixed.as_bytes(),
        ))
        .await
        .json();
    assert_eq!(r["imported"], 1);
    let r = app.send(multipart(&t, "/api/v1/people/import", "a.pdf", b"%PDF")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["message"].as_str().unwrap().contains("xlsx、csv"));
}

/// The import page's form as a browser posts it: a file part (empty when
/// none is chosen) and text fields.
fn page_form(br: &common::Browser, file: Option<(&str, &[u8])>, fields: &[(&str, &str)]) -> Request<Body> {
    let b = "----tongpin-page-boundary";
    let (name, bytes) = file.unwrap_or(("", b""));
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    for (k, v) in fields {
        body.extend_from_slice(
            format!("\r\n--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}").as_bytes(),
        );
    }
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri(format!("/people/import?_csrf={}", br.csrf))
        .header(header::HOST, "tongpin.test")
        .header(header::ORIGIN, "http://tongpin.test")
        .header(header::COOKIE, &br.cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap()
}

/// The page keeps the dry run's file: 导入 then works without choosing it
/// again, and a forged token is refused as 文件.
#[tokio::test]
async fn the_import_page_imports_the_file_its_dry_run_checked() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    let csv = format!(
        "姓名,性别,身份证号,手机号,所属组织,人员类别,入党日期\n示例：张三,男,{},,总支A/支部A1,正式党员,2005-07-01\n李四,男,{},,总支A/支部A1,正式党员,40360\n",
        id_with_check("11010519800101001"),
        id_with_check("11010519800101003")
    );
    let r = app
        .send(page_form(&br, Some(("名册.csv", csv.as_bytes())), &[("check", "1")]))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("检查通过：共 1 行"), "{html}");
    assert!(html.contains("第 2 行为模板示例行，不导入"), "{html}");
    assert!(html.contains("已检查的文件：名册.csv"), "{html}");
    let token = html
        .split("name=\"staged\" value=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .unwrap()
        .to_string();
    // 导入 with no file chosen: the kept one is imported.
    let r = app
        .send(page_form(&br, None, &[("staged", &token), ("staged_name", "名册.csv")]))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("导入完成：新增 1 人"), "{html}");
    assert!(!html.contains("name=\"staged\""), "{html}");
    let list = app.get("/people?q=李四", Some(&br.cookie)).await.text();
    assert!(list.contains("李四"), "{list}");
    // No file and no token; a forged token.
    let r = app.send(page_form(&br, None, &[])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请选择要导入的文件"));
    let forged = "f".repeat(64);
    let r = app.send(page_form(&br, None, &[("staged", &forged)])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("已过期"));
}

/// A dry run whose file cannot be read keeps nothing: no staged contents,
/// nothing counted against the uploader's quota.
#[tokio::test]
async fn a_dry_run_of_a_file_it_cannot_read_stages_nothing() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    // Passes the evidence allow-list (a ZIP's signature) but is no workbook.
    let broken: &[u8] = b"PK\x03\x04 not a workbook";
    let r = app
        .send(page_form(&br, Some(("名册.xlsx", broken)), &[("check", "1")]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(!r.text().contains("name=\"staged\""), "{}", r.text());
    for table in ["files", "file_chunks", "file_uploads"] {
        let n: i64 = tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table}"
        ))
        .fetch_one(p)
        .await
        .unwrap());
        assert_eq!(n, 0, "{table}");
    }
}

#[tokio::test]
async fn pages_for_the_roster_render() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    for p in ["/people", "/people?q=zs&status=full", "/people/new", "/people/import"] {
        let r = app.get(p, Some(&br.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
    }
    let r = app.get("/people/template.xlsx", Some(&br.cookie)).await;
    assert_eq!(&r.body[..2], b"PK");
    let r = app.get("/people/export?format=csv", Some(&br.cookie)).await;
    assert!(r.header("content-type").starts_with("text/csv"));
    assert!(r.text().contains("姓名,性别,身份证号"));
    // The form reports a bad ID under its name and writes nothing.
    let r = app
        .form(
            &br,
            "/people/new",
            &[
                ("name", "王五"),
                ("citizen_id", "110105198001010010"),
                ("status", "群众"),
                ("org_id", &root),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("身份证号：校验位错误"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_while_a_large_file_is_checked() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let (root, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let t = app.token("dw", PW).await;
    let mut csv = String::from("姓名,性别,身份证号,手机号,所属组织,人员类别,入党日期\n");
    for k in 0..100_000u32 {
        let birth = format!("19{:02}{:02}{:02}", 60 + k % 40, 1 + k % 12, 1 + k % 28);
        let id = id_with_check(&format!("370202{birth}{:03}", k / 13_440 * 100 + k % 100));
        csv.push_str(&format!("张{k},,{id},,总支A/支部A1,群众,\n"));
    }
    let big = app.clone();
    let import = tokio::spawn(async move {
        big.send(multipart(
            &t,
            "/api/v1/people/import?dry_run=true",
            "big.csv",
            csv.as_bytes(),
        ))
        .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let busy = !import.is_finished();
    let health = tokio::time::timeout(std::time::Duration::from_secs(2), app.get("/healthz", None)).await;
    assert_eq!(
        health.expect("healthz answered while the file was checked").status,
        StatusCode::OK
    );
    let r = import.await.unwrap();
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["total"], 100_000);
    // When this machine checks the file faster than the pause above, the overlap was not exercised.
    if !busy {
        eprintln!("import finished within 100 ms; responsiveness not exercised");
    }
}

/// The organization chooser's type-ahead: a few organizations of the
/// caller's scope by part of their name, with name paths; nothing outside.
#[tokio::test]
async fn the_organization_chooser_suggests_only_what_the_scope_holds() {
    let app = TestApp::new().await;
    let (root, a, _, _, _) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("zz", Role::OrgAdmin, Some(&a)).await;
    let (dw, zz) = (app.token("dw", PW).await, app.token("zz", PW).await);
    let names = |r: &common::Resp| -> Vec<(String, String)> {
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["name"].as_str().unwrap().to_string(),
                    i["org_name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let r = app
        .api(Method::GET, "/api/v1/orgs/pick?for=people&q=支部", Some(&dw), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        names(&r),
        vec![
            ("支部A1".to_string(), "机关党委/总支A/支部A1".to_string()),
            ("支部B1".to_string(), "机关党委/总支B/支部B1".to_string())
        ]
    );
    let r = app
        .api(Method::GET, "/api/v1/orgs/pick?for=people&q=支部", Some(&zz), None)
        .await;
    assert_eq!(
        names(&r),
        vec![("支部A1".to_string(), "机关党委/总支A/支部A1".to_string())]
    );
    let r = app
        .api(Method::GET, "/api/v1/orgs/pick?for=people", Some(&zz), None)
        .await;
    assert_eq!(
        names(&r).len(),
        2,
        "an empty box lists the scope in tree order: 总支A and 支部A1"
    );
    let r = app.api(Method::GET, "/api/v1/orgs/pick?q=%25", Some(&dw), None).await;
    assert!(names(&r).is_empty(), "% is a character, not a wildcard");
    // The roster page names the chosen organization by its path, and refuses one outside.
    let br = app.browser("zz", PW).await;
    let page = app.get(&format!("/people?org={a}"), Some(&br.cookie)).await;
    assert!(page.text().contains("机关党委/总支A"), "{}", page.text());
    let page = app.get(&format!("/people?org={root}"), Some(&br.cookie)).await;
    assert!(page.text().contains("所选组织不在您的管理范围内"));
}

/// The chooser narrows as a page asks (kinds, below an organization, the
/// organizations granted on themselves, the managing scope); a transfer's
/// destination is searched in the whole system; a form keeps its choice
/// and refuses one outside the scope, naming the field.
#[tokio::test]
async fn the_organization_chooser_narrows_and_forms_check_the_choice() {
    let app = TestApp::new().await;
    let (root, a, a1, b, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("zz", Role::OrgAdmin, Some(&a)).await;
    let (dw, zz) = (app.token("dw", PW).await, app.token("zz", PW).await);
    let r = app
        .api(
            Method::POST,
            "/api/v1/orgs",
            Some(&dw),
            Some(json!({ "name": "第一党小组", "kind": "group", "parent_id": a1 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let names = |r: &common::Resp| -> Vec<String> {
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let get = |q: &'static str, t: &str| {
        let t = t.to_string();
        let app = &app;
        async move {
            app.api(Method::GET, &format!("/api/v1/orgs/pick?{q}"), Some(&t), None)
                .await
        }
    };
    let r = get("for=people&kinds=leading", &dw).await;
    assert_eq!(names(&r), ["机关党委", "总支A", "总支B"]);
    let r = get("for=people&q=党小组", &dw).await;
    assert_eq!(names(&r), ["第一党小组"]);
    let r = get("for=people&q=党小组&kinds=units", &dw).await;
    assert!(names(&r).is_empty(), "units leave the 党小组 out");
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/orgs/pick?for=plan&manage=1&kinds=units&under={a}"),
            Some(&dw),
            None,
        )
        .await;
    assert_eq!(names(&r), ["支部A1"], "strictly below 总支A, no 党小组");
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/orgs/pick?for=plan&under={b}"),
            Some(&zz),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "below an organization outside the scope"
    );
    let r = get("for=assess&manage=1&held=1", &zz).await;
    assert_eq!(names(&r), ["总支A"], "granted on itself, not the branches below");
    let r = get("for=transfer&q=支部", &zz).await;
    assert_eq!(names(&r), ["支部A1", "支部B1"], "a destination anywhere in the system");
    let r = get("for=transfer&q=党小组", &zz).await;
    assert!(names(&r).is_empty(), "a membership is not transferred to a 党小组");
    let r = get("for=orgs&manage=1&kinds=general_branch", &dw).await;
    assert_eq!(names(&r), ["总支A", "总支B"]);

    // The person form: a chooser, no list of the scope; an organization
    // outside is refused naming the field, and the choice is kept.
    let br = app.browser("zz", PW).await;
    let page = app.get("/people/new", Some(&br.cookie)).await;
    assert!(
        page.text().contains("/api/v1/orgs/pick?for=people&#38;manage=1"),
        "{}",
        page.text()
    );
    assert!(!page.text().contains("支部B1"));
    fn fields(org: &str) -> Vec<(&'static str, &str)> {
        vec![
            ("name", "张三"),
            ("gender", "男"),
            ("status", "正式党员"),
            ("joined_on", "2010-07-01"),
            ("full_on", "2011-07-01"),
            ("org_id", org),
        ]
    }
    let r = app.form(&br, "/people/new", &fields(&b1)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("所属组织"), "{}", r.text());
    assert!(r.text().contains("不在您的管理范围内"), "{}", r.text());
    let mut typed = fields(&a1);
    typed[0].1 = "";
    let r = app.form(&br, "/people/new", &typed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains(&format!("value=\"{a1}\"")), "the chosen id is kept");
    assert!(r.text().contains("机关党委/总支A/支部A1"), "and shown by its path");
}
