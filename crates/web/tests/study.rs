//! Study through HTTP: the plan filed, returned and approved by the
//! superior only, records (own and a session), course completion at the
//! boundary, a person's year, refused input, and the pages.
mod common;
use axum::http::{Method, StatusCode};
use common::{id_with_check, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::{self, Power, Role};

// The test clock starts at 2026-09-21 (Beijing).

struct World {
    app: TestApp,
    root: String,
    a1: String,
    b1: String,
    /// 张三, a member of A1 whose account "zs" is linked to him.
    zs: String,
    /// Tokens: the committee's admin, the secretaries of A1 and B1, the member.
    dw: String,
    sja: String,
    sjb: String,
    tzs: String,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let (root, _, a1, _, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("sja", Role::BranchSecretary, Some(&a1)).await;
    app.account("sjb", Role::BranchSecretary, Some(&b1)).await;
    app.account("zs", Role::Member, Some(&a1)).await;
    let now = app.clock_now();
    let ok = auth::login(&app.db, now, "dw", PW, "api", "local").await.unwrap();
    let who = auth::authenticate(&app.db, now, &ok.token).await.unwrap();
    let p = tongpin_core::people::NewPerson {
        name: "张三".into(),
        citizen_id: id_with_check("11010519800101001"),
        org_id: a1.clone(),
        status: "正式党员".into(),
        joined_on: "2010-07-01".into(),
        ..Default::default()
    };
    let scope = who.scope(Power::ManagePeople).unwrap();
    let zs = tongpin_core::people::create(
        &app.db,
        now,
        &tongpin_core::audit::Actor::anonymous("测试", "local"),
        &scope,
        &p,
    )
    .await
    .unwrap();
    tongpin_core::with_db!(&app.db, |c| sqlx::query(
        "UPDATE accounts SET person_id = $1 WHERE username = 'zs'"
    )
    .bind(&zs)
    .execute(c)
    .await
    .unwrap()
    .rows_affected());
    World {
        dw: app.token("dw", PW).await,
        sja: app.token("sja", PW).await,
        sjb: app.token("sjb", PW).await,
        tzs: app.token("zs", PW).await,
        app,
        root,
        a1,
        b1,
        zs,
    }
}

impl World {
    async fn call(&self, m: Method, token: &str, path: &str, body: Option<Value>) -> common::Resp {
        self.app.api(m, path, Some(token), body).await
    }
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(p)
        .await
        .unwrap())
}

#[tokio::test]
async fn the_api_files_returns_and_approves_a_plan_and_counts_hours() {
    let w = world().await;
    let bad = json!({ "org_id": w.a1, "year": 2026, "items": [{ "month": 13, "topic": "学习党章", "hours": "2" }] });
    let r = w.call(Method::POST, &w.sja, "/api/v1/study/plans", Some(bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("1 至 12"), "{}", r.text());
    assert_eq!(count(&w.app, "study_plans").await, 0);
    let good = json!({ "org_id": w.a1, "year": 2026,
        "items": [{ "month": 1, "topic": "学习党章", "hours": "2" }, { "month": 3, "topic": "专题研讨", "form": "专题研讨", "hours": 1.5 }] });
    let r = w
        .call(Method::POST, &w.sja, "/api/v1/study/plans", Some(good.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let path = |act: &str| format!("/api/v1/study/plans/{id}/{act}");
    assert_eq!(
        w.call(Method::POST, &w.sja, &path("file"), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        w.call(Method::POST, &w.sja, &path("approve"), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.call(Method::POST, &w.sjb, &path("approve"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let r = w
        .call(Method::POST, &w.dw, &path("return"), Some(json!({ "comment": "" })))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("退回时须填写意见"));
    let r = w
        .call(
            Method::POST,
            &w.dw,
            &path("return"),
            Some(json!({ "comment": "请增加党课安排" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let p = w
        .call(Method::GET, &w.sja, &format!("/api/v1/study/plans/{id}"), None)
        .await
        .json();
    assert_eq!(
        (p["status"].as_str(), p["review_comment"].as_str()),
        (Some("returned"), Some("请增加党课安排"))
    );
    assert_eq!(p["items"][1]["hours"], "1.5");
    assert_eq!(
        w.call(Method::POST, &w.sja, "/api/v1/study/plans", Some(good))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        w.call(Method::POST, &w.sja, &path("file"), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        w.call(Method::POST, &w.dw, &path("approve"), None).await.status,
        StatusCode::NO_CONTENT
    );
    let list = w
        .call(
            Method::GET,
            &w.dw,
            &format!("/api/v1/study/plans?org={}&year=2026", w.root),
            None,
        )
        .await
        .json();
    assert_eq!(list["below"][0]["status"], "approved");
    assert_eq!(list["missing"][0]["org_id"].as_str(), Some(w.b1.as_str()));

    // A course of 2 class hours: 1.5 by the member and 0.5 at a session complete it.
    let c = json!({ "org_id": w.root, "year": 2026, "title": "党章党规", "hours": "2" });
    let r = w.call(Method::POST, &w.dw, "/api/v1/study/courses", Some(c)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let course = r.json()["id"].as_str().unwrap().to_string();
    let rec = |on: &str, hours: &str| json!({ "studied_on": on, "topic": "学习党章", "hours": hours, "course_id": course, "notes": "心得" });
    for (body, msg) in [
        (rec("2026-09-22", "1"), "晚于今天"),
        (rec("2026-09-01", "-1"), "负数"),
        (
            json!({ "studied_on": "2026-09-01", "topic": " ", "hours": "1" }),
            "学习内容",
        ),
    ] {
        let r = w.call(Method::POST, &w.tzs, "/api/v1/study/records", Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains(msg), "{}", r.text());
    }
    assert_eq!(count(&w.app, "study_records").await, 0);
    let r = w
        .call(
            Method::POST,
            &w.tzs,
            "/api/v1/study/records",
            Some(rec("2026-09-01", "1.5")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let me = format!("/api/v1/people/{}/study?year=2026", w.zs);
    assert_eq!(
        w.call(Method::GET, &w.tzs, &me, None).await.json()["courses_completed"],
        0
    );
    // A member cannot log for others; an account without a person cannot log its own.
    let mut session = rec("2026-09-10", "0.5");
    session["person_ids"] = json!([w.zs]);
    let r = w
        .call(Method::POST, &w.tzs, "/api/v1/study/records", Some(session.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .call(Method::POST, &w.sjb, "/api/v1/study/records", Some(session.clone()))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "B's secretary cannot log for A1's member"
    );
    let r = w
        .call(
            Method::POST,
            &w.sja,
            "/api/v1/study/records",
            Some(rec("2026-09-01", "1")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .call(Method::POST, &w.sja, "/api/v1/study/records", Some(session))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let y = w.call(Method::GET, &w.tzs, &me, None).await.json();
    assert_eq!(
        (y["hours"].as_str(), y["courses_completed"].as_i64()),
        (Some("2"), Some(1))
    );
    assert_eq!(y["courses"][0]["recorded"], "2");
    assert_eq!(w.call(Method::GET, &w.sja, &me, None).await.status, StatusCode::OK);
    assert_eq!(
        w.call(Method::GET, &w.sjb, &me, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_pages_render_file_review_and_refuse_with_422() {
    let w = world().await;
    let br = w.app.browser("sja", PW).await;
    let q = format!("org={}&year=2026", w.a1);
    let page = w.app.get(&format!("/study/plans?{q}"), Some(&br.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(
        text.contains("组织生活") && text.contains("还没有 2026 年度学习计划"),
        "{text}"
    );
    assert_eq!(
        w.app
            .get(&format!("/study/plans/edit?{q}"), Some(&br.cookie))
            .await
            .status,
        StatusCode::OK
    );
    let row = |m: &'static str, hours: &'static str| {
        vec![
            ("org_id", w.a1.as_str()),
            ("year", "2026"),
            ("r1_month", m),
            ("r1_topic", "学习党章"),
            ("r1_form", "集中学习"),
            ("r1_hours", hours),
            ("r1_notes", ""),
        ]
    };
    let r = w.app.form(&br, "/study/plans/edit", &row("2", "-1")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("负数") && r.text().contains("学习党章"),
        "typed text kept"
    );
    let r = w.app.form(&br, "/study/plans/edit", &row("2", "2")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: String = tongpin_core::with_db!(&w.app.db, |p| sqlx::query_scalar("SELECT id FROM study_plans")
        .fetch_one(p)
        .await
        .unwrap());
    let r = w.app.form(&br, &format!("/study/plans/{id}/file"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let text = w.app.get(&format!("/study/plans?{q}"), Some(&br.cookie)).await.text();
    assert!(text.contains("已报备待审核") && !text.contains("审核通过</button>"));

    let dw = w.app.browser("dw", PW).await;
    let review = w
        .app
        .get(&format!("/study/review?org={}&year=2026", w.root), Some(&dw.cookie))
        .await;
    assert!(review.text().contains("支部A1") && review.text().contains("支部B1"));
    let bell = w.app.get("/api/v1/todos", Some(&dw.cookie)).await.text();
    assert!(bell.contains("审核学习计划：支部A1"), "{bell}");
    let plan = w.app.get(&format!("/study/plans?{q}"), Some(&dw.cookie)).await.text();
    assert!(plan.contains("审核通过</button>") && plan.contains("退回</button>"));
    let r = w
        .app
        .form(&dw, &format!("/study/plans/{id}/return"), &[("comment", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("退回时须填写意见"));
    let r = w
        .app
        .form(
            &dw,
            &format!("/study/plans/{id}/return"),
            &[("comment", "请补充专题学习")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let text = w.app.get(&format!("/study/plans?{q}"), Some(&br.cookie)).await.text();
    assert!(text.contains("请补充专题学习") && text.contains("重新报备"));

    for path in ["/study/records", "/study/records/batch", "/study/courses"] {
        let r = w.app.get(&format!("{path}?{q}"), Some(&br.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    let batch = [
        ("org_id", w.a1.as_str()),
        ("year", "2026"),
        ("studied_on", "2026-09-20"),
        ("topic", "集中学习党章"),
        ("hours", "2"),
        ("form", "集中学习"),
        ("person_id", w.zs.as_str()),
    ];
    let r = w.app.form(&br, "/study/records/batch", &batch).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let zs = w.app.browser("zs", PW).await;
    let mine = w.app.get(&format!("/study/records?{q}"), Some(&zs.cookie)).await.text();
    assert!(mine.contains("我的学习") && mine.contains("集中学习党章"));
    let own = [("studied_on", "2026-12-01"), ("topic", "自学党史"), ("hours", "1")];
    let r = w.app.form(&zs, &format!("/study/records?{q}"), &own).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("晚于今天") && r.text().contains("自学党史"));
    let own = [("studied_on", "2026-09-21"), ("topic", "自学党史"), ("hours", "1")];
    assert_eq!(
        w.app.form(&zs, &format!("/study/records?{q}"), &own).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&w.app, "study_records").await, 2);
}
