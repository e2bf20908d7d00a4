//! 考评 through HTTP: an assessment created with computed, entered and rated
//! indicators (a forbidden source refused naming the rule, weights not
//! summing to 1 refused, nothing written), the assessor's points and 组织评价,
//! peers' and self ratings by account, results with lines and the records
//! behind them, print and Excel, closing under a SHA-256 that verifies and
//! a score after it refused; the pages of each; and the refusals of those
//! who may not. Runs on PostgreSQL too when TONGPIN_TEST_PG is set.
mod common;
use axum::http::{Method, StatusCode};
use common::{Browser, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::Role;
use tongpin_core::with_db;

struct World {
    app: TestApp,
    root: String,
    a1: String,
    b1: String,
    /// Tokens: the 党委's admin, the secretaries of A1 and B1, a member of A1.
    dw: String,
    sja: String,
    sjb: String,
    dy: String,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let (root, _a, a1, _b, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("sja", Role::BranchSecretary, Some(&a1)).await;
    app.account("sjb", Role::BranchSecretary, Some(&b1)).await;
    app.account("dy", Role::Member, Some(&a1)).await;
    World {
        dw: app.token("dw", PW).await,
        sja: app.token("sja", PW).await,
        sjb: app.token("sjb", PW).await,
        dy: app.token("dy", PW).await,
        app,
        root,
        a1,
        b1,
    }
}

fn sheet() -> Value {
    json!([
        { "code": "A1", "dimension": "组织建设", "title": "三会一课按期开展", "full_points": 40, "kind": "computed", "metric": "life_compliance" },
        { "code": "B1", "dimension": "业务工作", "side": "business", "title": "重点工作", "full_points": "30", "kind": "entered" },
        { "code": "C1", "dimension": "综合评价", "title": "满意度", "full_points": 30, "kind": "rated",
          "raters": { "superior": 0.5, "peers": 0.3, "self": 0.2 } }
    ])
}

fn body(w: &World, indicators: Value) -> Value {
    json!({ "org_id": w.root, "title": "2026年度党支部考核", "period": "2026", "subject": "orgs",
        "target_ids": [w.a1, w.b1], "indicators": indicators })
}

async fn count(w: &World, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(&w.app.db, |p| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(p)
        .await
        .unwrap())
}

async fn create(w: &World) -> String {
    let r = w
        .app
        .api(Method::POST, "/api/v1/assessments", Some(&w.dw), Some(body(w, sheet())))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
}

async fn score(w: &World, token: &str, id: &str, v: Value) -> common::Resp {
    w.app
        .api(
            Method::POST,
            &format!("/api/v1/assessments/{id}/scores"),
            Some(token),
            Some(v),
        )
        .await
}

#[tokio::test]
async fn bad_sheets_are_refused_naming_the_field_and_nothing_is_written() {
    let w = world().await;
    let mut forbidden = sheet();
    forbidden[0]["metric"] = json!("online_time");
    let mut weights = sheet();
    weights[2]["raters"] = json!({ "superior": 0.5, "peers": 0.3 });
    let mut above = sheet();
    above[1]["full_points"] = json!(1000);
    for (bad, word) in [
        (forbidden, "2024年整治形式主义为基层减负若干规定"),
        (weights, "权重"),
        (above, "满分"),
    ] {
        let r = w
            .app
            .api(Method::POST, "/api/v1/assessments", Some(&w.dw), Some(body(&w, bad)))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains(word), "{}", r.text());
    }
    let r = w
        .app
        .api(
            Method::POST,
            "/api/v1/assessments",
            Some(&w.dw),
            Some(json!({ "indicators": [1] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = w
        .app
        .api(
            Method::POST,
            "/api/v1/assessments",
            Some(&w.dy),
            Some(body(&w, sheet())),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&w, "assessments").await, 0);
    assert_eq!(count(&w, "assessment_indicators").await, 0);
}

#[tokio::test]
async fn the_api_scores_rates_ranks_closes_and_verifies() {
    let w = world().await;
    let id = create(&w).await;
    let r = w
        .app
        .api(Method::GET, &format!("/api/v1/assessments/{id}"), Some(&w.dw), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["indicators"].as_array().unwrap().len(), 3);
    assert_eq!(v["indicators"][2]["raters"]["superior"], 5000);
    assert_eq!(v["targets"].as_array().unwrap().len(), 2);
    let r = w
        .app
        .api(Method::GET, "/api/v1/assessments?period=2026", Some(&w.sja), None)
        .await;
    assert_eq!(
        r.json()["items"].as_array().unwrap().len(),
        1,
        "the assessed branch sees it"
    );

    // The assessor's entries and 组织评价; refusals write nothing.
    for (target, b1, c1) in [(&w.a1, "28", "27"), (&w.b1, "20", "24")] {
        let r = score(
            &w,
            &w.dw,
            &id,
            json!({ "target_id": target, "indicator_code": "B1", "points": b1, "note": "台账核定" }),
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let r = score(
            &w,
            &w.dw,
            &id,
            json!({ "target_id": target, "indicator_code": "C1", "points": c1 }),
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    }
    let before = count(&w, "assessment_scores").await;
    for (v, status) in [
        (
            json!({ "target_id": w.a1, "indicator_code": "B1", "points": 31, "note": "超过满分" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "target_id": w.a1, "indicator_code": "B1", "points": 10 }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "target_id": w.a1, "indicator_code": "A1", "points": 10, "note": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "target_id": w.root, "indicator_code": "B1", "points": 10, "note": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let r = score(&w, &w.dw, &id, v).await;
        assert_eq!(r.status, status, "{}", r.text());
        assert!(
            r.json()["field"].is_string() || r.text().contains("message"),
            "{}",
            r.text()
        );
    }
    let r = score(
        &w,
        &w.sja,
        &id,
        json!({ "target_id": w.a1, "indicator_code": "B1", "points": 30, "note": "自己打分" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "a branch is not its own assessor");
    let r = score(&w, &w.dy, &id, json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&w, "assessment_scores").await, before);

    // Peers and self by account: each sees only their own points.
    let rate = |token: String, v: Value| {
        let app = &w.app;
        let path = format!("/api/v1/assessments/{id}/ratings");
        async move { app.api(Method::POST, &path, Some(&token), Some(v)).await }
    };
    let r = rate(
        w.sja.clone(),
        json!({ "target_id": w.a1, "group": "self", "points": { "C1": 29 } }),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = rate(
        w.sja.clone(),
        json!({ "target_id": w.b1, "group": "peers", "points": { "C1": 25 } }),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = rate(
        w.sjb.clone(),
        json!({ "target_id": w.a1, "group": "peers", "points": { "C1": 26 } }),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = rate(
        w.sjb.clone(),
        json!({ "target_id": w.a1, "group": "self", "points": { "C1": 30 } }),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = rate(
        w.sjb.clone(),
        json!({ "target_id": w.b1, "group": "self", "points": { "C1": 31 } }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{id}/ratings"),
            Some(&w.sjb),
            None,
        )
        .await;
    let mine = r.json()["mine"].clone();
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine[0]["target_id"], json!(w.a1));

    // Results: the assessor sees them while open; the branch only once closed.
    let r = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{id}/results"),
            Some(&w.dw),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["closed"], json!(false));
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    let c1 = &v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["target_id"] == json!(w.a1))
        .unwrap()["lines"][2];
    // 27 × 0.5 + 26 × 0.3 + 29 × 0.2 = 27.1
    assert_eq!(c1["points"], json!(27.1), "{c1}");
    let r = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{id}/results"),
            Some(&w.sja),
            None,
        )
        .await;
    assert_eq!(r.json()["visible"], json!(false));
    assert!(r.json()["items"].as_array().unwrap().is_empty());
    let r = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{id}/results/{}", w.b1),
            Some(&w.dw),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["lines"][1]["points"], json!(20.0));

    // Close: only the assessor; then a score is refused and the results stand.
    let r = w
        .app
        .api(
            Method::POST,
            &format!("/api/v1/assessments/{id}/close"),
            Some(&w.sja),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .app
        .api(
            Method::POST,
            &format!("/api/v1/assessments/{id}/close"),
            Some(&w.dw),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let hash = r.json()["hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);
    let frozen = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{id}/results"),
            Some(&w.dw),
            None,
        )
        .await
        .json();
    let r = score(
        &w,
        &w.dw,
        &id,
        json!({ "target_id": w.a1, "indicator_code": "B1", "points": 10, "note": "封存后" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let after = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{id}/results"),
            Some(&w.dw),
            None,
        )
        .await
        .json();
    assert_eq!(frozen, after);
    assert_eq!(after["hash"], json!(hash));
    let r = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{id}/verify"),
            Some(&w.sja),
            None,
        )
        .await;
    assert_eq!(r.json()["ok"], json!(true), "{}", r.text());
    let r = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{id}/results"),
            Some(&w.sja),
            None,
        )
        .await;
    assert_eq!(
        r.json()["items"].as_array().unwrap().len(),
        1,
        "the branch sees its own result once published"
    );
}

async fn page(w: &World, br: &Browser, path: &str) -> String {
    let r = w.app.get(path, Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    r.text()
}

#[tokio::test]
async fn the_pages_create_score_show_and_close() {
    let w = world().await;
    let dw = w.app.browser("dw", PW).await;
    assert!(page(&w, &dw, "/assessments").await.contains("新建考评"));
    let form = page(&w, &dw, "/assessments/new").await;
    assert!(
        form.contains("life_compliance") && form.contains("90%"),
        "the sheet and the thresholds are prefilled"
    );

    let mut fields: Vec<(String, String)> = vec![
        ("org_id".into(), w.root.clone()),
        ("title".into(), "2026年第四季度党支部考核".into()),
        ("period".into(), "2026-Q4".into()),
        ("subject".into(), "orgs".into()),
        ("target_kinds".into(), "branch".into()),
    ];
    let row = |n: usize, k: &str, v: &str| (format!("i{n}.{k}"), v.to_string());
    fields.extend([
        row(1, "code", "A1"),
        row(1, "title", "三会一课"),
        row(1, "full_points", "40"),
        row(1, "kind", "computed"),
        row(1, "metric", "clicks"),
        row(1, "dimension", "组织建设"),
        row(2, "code", "B1"),
        row(2, "title", "重点工作"),
        row(2, "full_points", "30"),
        row(2, "kind", "entered"),
        row(2, "dimension", "业务工作"),
        row(3, "code", "C1"),
        row(3, "title", "满意度"),
        row(3, "full_points", "30"),
        row(3, "kind", "rated"),
        row(3, "dimension", "综合评价"),
        row(3, "superior", "1"),
    ]);
    let send = |f: Vec<(String, String)>| {
        let (app, dw) = (&w.app, &dw);
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.form(dw, "/assessments/new", &pairs).await
        }
    };
    let r = send(fields.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("2024年整治形式主义为基层减负若干规定"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("三会一课"), "the form keeps what was typed");
    assert_eq!(count(&w, "assessments").await, 0);
    for f in fields.iter_mut() {
        if f.0 == "i1.metric" {
            f.1 = "life_compliance".into();
        }
    }
    let r = send(fields.clone()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r.header("location");
    let id = loc
        .trim_start_matches("/assessments/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    assert!(page(&w, &dw, &loc).await.contains("评价打分：组织评价 100%"));

    // Scores through the page; a bad one answers the page with the message.
    let score = page(&w, &dw, &format!("/assessments/{id}/score")).await;
    assert!(score.contains("支部A1") && score.contains("name=\"points\""));
    let path = format!("/assessments/{id}/score");
    let r = w
        .app
        .form(
            &dw,
            &path,
            &[("target_id", &w.a1), ("code", "B1"), ("points", "40"), ("note", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("超过该指标满分"), "{}", r.text());
    for t in [&w.a1, &w.b1] {
        let r = w
            .app
            .form(
                &dw,
                &path,
                &[("target_id", t), ("code", "B1"), ("points", "25"), ("note", "台账核定")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = w
            .app
            .form(&dw, &path, &[("target_id", t), ("code", "C1"), ("points", "28")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }

    // Results, the drill-down to a computed line's records, print and Excel.
    let res = page(&w, &dw, &format!("/assessments/{id}/results")).await;
    assert!(res.contains("结束考评并封存") && res.contains("得分明细"), "{res}");
    let t = page(&w, &dw, &format!("/assessments/{id}/targets/{}?line=A1", w.a1)).await;
    assert!(t.contains("A1 的记录") && t.contains("台账核定"), "{t}");
    assert!(page(&w, &dw, &format!("/assessments/{id}/results/print"))
        .await
        .contains("考核组织（盖章）"));
    let x = w
        .app
        .get(&format!("/assessments/{id}/results/export"), Some(&dw.cookie))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.header("content-type").contains("spreadsheetml"));

    // A member sees the list but no button, cannot close, sees no results yet.
    let dy = w.app.browser("dy", PW).await;
    let list = page(&w, &dy, "/assessments").await;
    assert!(!list.contains("新建考评"));
    assert_eq!(
        w.app.get("/assessments/new", Some(&dy.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.app.form(&dy, &format!("/assessments/{id}/close"), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(page(&w, &dy, &format!("/assessments/{id}/results"))
        .await
        .contains("考评结束并封存后"));

    // Close: the hash shows and verifies; scoring is then refused.
    let r = w.app.form(&dw, &format!("/assessments/{id}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let res = page(&w, &dw, &format!("/assessments/{id}/results")).await;
    assert!(
        res.contains("验证通过") && !res.contains("结束考评并封存</button>"),
        "{res}"
    );
    let r = w
        .app
        .form(
            &dw,
            &path,
            &[("target_id", &w.a1), ("code", "B1"), ("points", "20"), ("note", "x")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a form answers a conflict with its page"
    );
    assert!(r.text().contains("考核已结束并封存"), "{}", r.text());
    assert!(page(&w, &dy, &format!("/assessments/{id}/results"))
        .await
        .contains("得分明细"));
}
