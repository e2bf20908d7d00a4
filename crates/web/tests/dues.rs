//! Dues through HTTP: the API round trip, errors naming their field, the
//! ledger as an Excel file, the import, and the pages by role.
mod common;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{id_with_check, TestApp, PW};
use serde_json::json;
use tongpin_core::auth::Role;

// The test clock starts at 2026-09-21 (Beijing): this month is 2026-09.

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

/// The tree, an org admin (dw), the secretary of A1 (sj), a member (dy),
/// and a full member in A1 (张三) and in B1 (李四). Returns (app, a1, 张三, 李四).
async fn setup() -> (TestApp, String, String, String) {
    let app = TestApp::new().await;
    let (root, _, a1, _, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("sj", Role::BranchSecretary, Some(&a1)).await;
    app.account("dy", Role::Member, Some(&a1)).await;
    let dw = app.token("dw", PW).await;
    let mut ids = Vec::new();
    for (name, id17, org) in [("张三", "11010519800101001", &a1), ("李四", "11010519800101002", &b1)] {
        let body = json!({ "name": name, "citizen_id": id_with_check(id17), "org_id": org, "status": "正式党员", "joined_on": "2010-07-01" });
        let r = app.api(Method::POST, "/api/v1/people", Some(&dw), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ids.push(r.json()["id"].as_str().unwrap().to_string());
    }
    (app, a1, ids[0].clone(), ids[1].clone())
}

#[tokio::test]
async fn the_api_sets_bases_records_payments_and_reads_the_ledger() {
    let (app, a1, zs, ls) = setup().await;
    let (dw, sj, dy) = (
        app.token("dw", PW).await,
        app.token("sj", PW).await,
        app.token("dy", PW).await,
    );
    let base = |id: &str| format!("/api/v1/people/{id}/dues-base");
    let r = app
        .api(
            Method::PUT,
            &base(&zs),
            Some(&sj),
            Some(json!({ "from_month": "2026-01", "category": "在职", "base_yuan": "4,500.50" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        (r.json()["amount_fen"].clone(), r.json()["rate"].clone()),
        (json!(4_501), json!("1%"))
    );
    let r = app
        .api(
            Method::PUT,
            &base(&zs),
            Some(&sj),
            Some(json!({ "from_month": "2026-06", "category": "working", "base_yuan": 6000 })),
        )
        .await;
    assert_eq!(r.json()["amount_fen"], 9_000);
    // Errors name their field: the JSON key for the body's shape, the
    // Chinese label (as on the form and in the import) for the rules.
    for (body, field) in [
        (
            json!({ "from_month": "2026-06", "category": "在职", "base_yuan": "4500", "base_fen": 450000 }),
            "月工资基数（元）",
        ),
        (
            json!({ "from_month": "2026-06", "category": "在职", "base_yuan": "4500.123" }),
            "月工资基数（元）",
        ),
        (
            json!({ "from_month": "2026-6-1x", "category": "在职", "base_yuan": "4500" }),
            "起始月份",
        ),
        (
            json!({ "from_month": "2026-06", "category": "干部", "base_yuan": "4500" }),
            "类别",
        ),
        (
            json!({ "from_month": "2026-06", "category": "在职", "base_yuan": true }),
            "base_yuan",
        ),
        (
            json!({ "from_month": "2026-06", "category": "在职", "rate": "1%" }),
            "rate",
        ),
        (json!({ "category": "在职", "base_yuan": "4500" }), "from_month"),
    ] {
        let r = app.api(Method::PUT, &base(&zs), Some(&sj), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(r.json()["field"], field, "{body}: {}", r.text());
    }

    let pay = format!("/api/v1/people/{zs}/dues-payments");
    let r = app
        .api(
            Method::POST,
            &pay,
            Some(&sj),
            Some(json!({ "months": ["2026-08", "2026-09"], "paid_on": "2026-09-20" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["total_fen"], 18_000);
    assert_eq!(
        r.json()["months"][0],
        json!({ "month": "2026-08", "amount_fen": 9_000 })
    );
    for months in [json!(["2026-09"]), json!(["2026-10"]), json!(["2009-12"]), json!([])] {
        let r = app
            .api(Method::POST, &pay, Some(&sj), Some(json!({ "months": months })))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{months}");
        assert_eq!(r.json()["field"], "月份");
    }
    let r = app
        .api(
            Method::POST,
            &pay,
            Some(&sj),
            Some(json!({ "months": ["2026-07"], "paid_on": "2026-09-22" })),
        )
        .await;
    assert_eq!(r.json()["field"], "缴纳日期");

    let h = app
        .api(Method::GET, &format!("/api/v1/people/{zs}/dues"), Some(&sj), None)
        .await
        .json();
    assert_eq!(h["months"][0]["month"], "2026-09");
    assert_eq!(h["months"][0]["state"], "paid");
    assert_eq!(h["months"][2]["state"], "arrears");
    assert_eq!(h["bases"][0]["from_month"], "2026-06");
    assert_eq!(h["arrears"], 0);

    let l = app
        .api(
            Method::GET,
            &format!("/api/v1/dues/ledger?org={a1}&month=2026-08"),
            Some(&sj),
            None,
        )
        .await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.text());
    let l = l.json();
    assert_eq!(l["rows"][0]["name"], "张三");
    assert_eq!(l["rows"][0]["due_fen"], 9_000);
    assert_eq!(l["rows"][0]["paid_on"], "2026-09-20");
    assert_eq!(l["totals"]["paid_fen"], 9_000);
    let r = app
        .api(Method::GET, "/api/v1/dues/ledger?month=2026-13", Some(&sj), None)
        .await;
    assert_eq!(r.json()["field"], "月份");

    // 批量登记 for July; the secretary may not touch B1, the member nothing.
    let batch = |ids: Vec<&String>| json!({ "month": "2026-07", "person_ids": ids });
    let r = app
        .api(
            Method::POST,
            "/api/v1/dues/payments",
            Some(&sj),
            Some(batch(vec![&zs, &ls])),
        )
        .await;
    assert_eq!(r.json()["field"], "人员");
    let r = app
        .api(Method::POST, "/api/v1/dues/payments", Some(&sj), Some(batch(vec![&zs])))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json(), json!({ "members": 1, "total_fen": 9_000 }));
    let r = app
        .api(
            Method::PUT,
            &base(&ls),
            Some(&sj),
            Some(json!({ "from_month": "2026-01", "category": "在职", "base_fen": 500000 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for path in ["/api/v1/dues/ledger", "/api/v1/dues/todos"] {
        assert_eq!(
            app.api(Method::GET, path, Some(&dy), None).await.status,
            StatusCode::FORBIDDEN
        );
    }

    // 李四 has owed since January without paying: eight months by August.
    let r = app
        .api(
            Method::PUT,
            &base(&ls),
            Some(&dw),
            Some(json!({ "from_month": "2026-01", "category": "在职", "base_fen": 500000 })),
        )
        .await;
    assert_eq!(r.json()["amount_fen"], 5_000);
    let t = app.api(Method::GET, "/api/v1/dues/todos", Some(&dw), None).await.json();
    assert_eq!(t["total"], 1);
    assert_eq!(t["items"][0]["kind"], "dues");
    assert_eq!(t["items"][0]["overdue"], true);
    assert_eq!(t["items"][0]["href"], format!("/dues/{ls}"));
    let t = app.api(Method::GET, "/api/v1/dues/todos", Some(&sj), None).await.json();
    assert_eq!(t["total"], 0);
    let actions: Vec<String> = app.audit_actions().await.into_iter().map(|a| a.0).collect();
    assert!(actions.iter().any(|a| a == "dues.base") && actions.iter().any(|a| a == "dues.pay"));
}

#[tokio::test]
async fn bases_import_over_http_names_rows_and_columns() {
    let (app, _, zs, _) = setup().await;
    let t = app.token("sj", PW).await;
    let (c1, c2) = (id_with_check("11010519800101001"), id_with_check("11010519800101002"));
    let csv = format!(
        "姓名,身份证号,类别,月工资基数(元),起始月份\n张三,{c1},在职,5200,2026-03\n李四,{c2},在职,5200,2026-03\n张三,{c1},在职,abc,2026-04\n"
    );
    let r = app
        .send(multipart(&t, "/api/v1/dues/bases/import", "基数.csv", csv.as_bytes()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!(j["imported"], 0, "all or nothing");
    assert_eq!(
        j["errors"][0],
        json!({ "row": 3, "column": "身份证号", "message": "党员名册中没有该身份证号，或不在您的管理范围内；请先在党员名册中登记" })
    );
    assert_eq!(
        (j["errors"][1]["row"].clone(), j["errors"][1]["column"].clone()),
        (json!(4), json!("月工资基数（元）"))
    );
    let fixed = format!("姓名,身份证号,类别,月工资基数（元）,起始月份\n张三,{c1},在职,5200,2026-03\n");
    let r = app
        .send(multipart(
            &t,
            "/api/v1/dues/bases/import?dry_run=true",
            "a.csv",
            fixed.as_bytes(),
        ))
        .await
        .json();
    assert_eq!((r["valid"].clone(), r["imported"].clone()), (json!(1), json!(0)));
    let r = app
        .send(multipart(&t, "/api/v1/dues/bases/import", "a.csv", fixed.as_bytes()))
        .await
        .json();
    assert_eq!(r["imported"], 1);
    let h = app
        .api(Method::GET, &format!("/api/v1/people/{zs}/dues"), Some(&t), None)
        .await
        .json();
    assert_eq!(h["bases"][0]["amount_fen"], 7_800);
    let r = app
        .send(multipart(&t, "/api/v1/dues/bases/import", "a.pdf", b"%PDF"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "文件");
}

#[tokio::test]
async fn pages_render_forms_record_and_the_ledger_exports_as_xlsx() {
    let (app, a1, zs, ls) = setup().await;
    let br = app.browser("sj", PW).await;
    // Before any base: the pages say what to do next.
    let r = app.get(&format!("/dues/{zs}"), Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("尚未设置党费基数"));
    // The base form: an error under its field name, then a save.
    let path = format!("/dues/{zs}/base");
    let bad = [
        ("from_month", "2026-01"),
        ("category", "working"),
        ("base_yuan", "4,50"),
    ];
    let r = app.form(&br, &path, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("月工资基数（元）：“4,50”不是有效金额"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"4,50\""), "the typed value is kept");
    let good = [
        ("from_month", "2026-01"),
        ("category", "working"),
        ("base_yuan", "8000"),
    ];
    let r = app.form(&br, &path, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), format!("/dues/{zs}?saved=base"));
    // Pay two months from the person page, one from the ledger.
    let r = app
        .form(
            &br,
            &format!("/dues/{zs}/pay"),
            &[("m.2026-05", "on"), ("m.2026-06", "on"), ("paid_on", "2026-09-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let key = format!("p.{zs}");
    let r = app
        .form(&br, "/dues/pay", &[("month", "2026-07"), ("org", &a1), (&key, "on")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.header("location").ends_with("done=1"), "{}", r.header("location"));
    let r = app.form(&br, "/dues/pay", &[("month", "2026-07"), (&key, "on")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("张三：2026-07 已于"));

    for p in [
        "/dues".to_string(),
        format!("/dues?month=2026-07&org={a1}&state=paid&per_page=10"),
        "/dues?month=2026-99".to_string(),
        format!("/dues/{zs}?saved=pay"),
        "/dues/import".to_string(),
        format!("/people/{zs}"),
    ] {
        let r = app.get(&p, Some(&br.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
    }
    let page = app.get("/dues?month=2026-07", Some(&br.cookie)).await.text();
    assert!(page.contains("党费台账 · 2026年7月") && page.contains("已缴") && page.contains("120.00"));
    let bad_month = app.get("/dues?month=2026-99", Some(&br.cookie)).await.text();
    assert!(bad_month.contains("不是有效月份"));
    let person = app.get(&format!("/people/{zs}"), Some(&br.cookie)).await.text();
    assert!(person.contains(&format!("href=\"/dues/{zs}\"")));
    let mine = app.get(&format!("/dues/{zs}"), Some(&br.cookie)).await.text();
    assert!(mine.contains("2026年6月1日") || mine.contains("2026年9月1日"));
    // Another branch's member is not found for the secretary.
    assert_eq!(
        app.get(&format!("/dues/{ls}"), Some(&br.cookie)).await.status,
        StatusCode::NOT_FOUND
    );

    let r = app.get("/dues/template.xlsx", Some(&br.cookie)).await;
    assert_eq!(&r.body[..2], b"PK");
    let r = app
        .get(&format!("/dues/export?month=2026-07&org={a1}"), Some(&br.cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("spreadsheetml"));
    assert!(r.header("content-disposition").starts_with("attachment"));
    let grid = tongpin_core::sheet::read(&r.body, "x.xlsx").unwrap();
    assert_eq!(grid.rows[0][..3], ["姓名", "所属支部", "类别"]);
    assert_eq!(grid.rows[1][0], "张三");
    assert_eq!(grid.rows[1][5..7], ["120.00", "120.00"]);
    assert_eq!(grid.rows.last().unwrap()[0], "合计");
    assert!(app.audit_actions().await.iter().any(|(a, _, _)| a == "dues.export"));

    // A member has no dues pages; the committee member reads but does not record.
    app.account("wy", Role::CommitteeMember, Some(&a1)).await;
    let wy = app.browser("wy", PW).await;
    let r = app.get("/dues", Some(&wy.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.text().contains("批量登记缴纳"));
    let r = app.form(&wy, &format!("/dues/{zs}/pay"), &[("m.2026-08", "on")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let dy = app.browser("dy", PW).await;
    assert_eq!(app.get("/dues", Some(&dy.cookie)).await.status, StatusCode::FORBIDDEN);
}
