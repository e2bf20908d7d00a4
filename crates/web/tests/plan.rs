//! The annual plan through HTTP: the API of the issue (goals with KPIs,
//! values, tasks, fusion), a business system's KPI token, scope, the pages,
//! and progress with an evidence file.
mod common;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{Browser, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::Role;

// The test clock starts at 2026-09-21 (Beijing): August is the last ended month.

struct World {
    app: TestApp,
    root: String,
    a1: String,
    b1: String,
    /// Tokens: the committee's admin, the secretaries of A1 and B1.
    dw: String,
    sja: String,
    sjb: String,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let (root, _, a1, _, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("sja", Role::BranchSecretary, Some(&a1)).await;
    app.account("sjb", Role::BranchSecretary, Some(&b1)).await;
    World {
        dw: app.token("dw", PW).await,
        sja: app.token("sja", PW).await,
        sjb: app.token("sjb", PW).await,
        app,
        root,
        a1,
        b1,
    }
}

impl World {
    async fn call(&self, m: Method, token: &str, path: &str, body: Option<Value>) -> common::Resp {
        self.app.api(m, path, Some(token), body).await
    }
    async fn goal(&self, token: &str, org: &str, title: &str, difficult: bool) -> (String, String) {
        let body = json!({ "org_id": org, "year": 2026, "title": title, "difficult": difficult,
            "kpis": [{ "name": "办件满意度", "unit": "%", "baseline": 90, "target": 98.5, "direction": "higher" }] });
        let r = self.call(Method::POST, token, "/api/v1/goals", Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let j = r.json();
        (
            j["id"].as_str().unwrap().into(),
            j["kpis"][0]["id"].as_str().unwrap().into(),
        )
    }
    async fn task(&self, token: &str, org: &str, title: &str, goals: &[&str], deadline: &str) -> common::Resp {
        let body = json!({ "org_id": org, "year": 2026, "title": title, "goal_ids": goals, "deadline": deadline });
        self.call(Method::POST, token, "/api/v1/tasks", Some(body)).await
    }
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(p)
        .await
        .unwrap())
}

async fn fusion(w: &World) -> Value {
    let path = format!("/api/v1/orgs/{}/fusion?year=2026", w.root);
    w.call(Method::GET, &w.dw, &path, None).await.json()
}

#[tokio::test]
async fn the_issue_api_creates_goals_values_tasks_and_answers_fusion() {
    let w = world().await;
    let (g, k) = w.goal(&w.dw, &w.root, "政务服务“一网通办”", true).await;
    assert_eq!(fusion(&w).await["difficult_goals_without_tasks"], json!([g]));

    let v = |period: &str, value: Value| json!({ "period": period, "value": value });
    let path = format!("/api/v1/kpis/{k}/values");
    let r = w.call(Method::POST, &w.sja, &path, Some(v("2026-08", json!(95)))).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a branch cannot enter its committee's figures"
    );
    let r = w
        .call(Method::POST, &w.dw, &path, Some(v("2026-08", json!("94.25"))))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["period"], "2026-08");
    for (body, field) in [
        (v("2026-Q3", json!(1)), "期间"),
        (v("2025-12", json!(1)), "期间"),
        (json!({ "period": "2026-07", "value": 1, "unit": "件" }), "单位"),
        (v("2026-07", json!("九十")), "指标值"),
    ] {
        let r = w.call(Method::POST, &w.dw, &path, Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.json()["field"].as_str().unwrap().starts_with(field), "{}", r.text());
    }
    assert_eq!(count(&w.app, "kpi_values").await, 1);

    // Target = baseline: refused, nothing written.
    let before = count(&w.app, "goals").await;
    let bad = json!({ "org_id": w.root, "year": 2026, "title": "空目标",
        "kpis": [{ "name": "x", "unit": "个", "baseline": 5, "target": 5, "direction": "higher" }] });
    let r = w.call(Method::POST, &w.dw, "/api/v1/goals", Some(bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("不能等于基准值"));
    assert_eq!(count(&w.app, "goals").await, before);

    // Two Party tasks link the goal (one the branch's own, serving its superior's goal).
    let r = w.task(&w.dw, &w.root, "党员先锋岗", &[&g], "2026-12-31").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = w.task(&w.sja, &w.a1, "窗口结对共建", &[&g], "2026-10-31").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = w.task(&w.dw, &w.root, "早于年度", &[&g], "2025-12-31").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "截止日期");
    let f = fusion(&w).await;
    assert_eq!(
        (f["tasks_total"].as_i64(), f["tasks_linked"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(f["difficult_goals_without_tasks"], json!([]));
    assert_eq!(f["linked_attainment_bp"], 5_000, "(94.25 − 90) ÷ (98.5 − 90)");
    // The board reads the same figure.
    let b = w
        .call(
            Method::GET,
            &w.dw,
            &format!("/api/v1/orgs/{}/plan?year=2026", w.root),
            None,
        )
        .await
        .json();
    assert_eq!(b["goals"][0]["kpis"][0]["latest"]["value"], "94.25");
}

#[tokio::test]
async fn a_branch_cannot_link_or_touch_another_branchs_items() {
    let w = world().await;
    let (gb, kb) = w.goal(&w.sjb, &w.b1, "B 的目标", false).await;
    let r = w.task(&w.sja, &w.a1, "越界关联", &[&gb], "2026-12-31").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "服务的业务目标");
    let r = w.task(&w.sjb, &w.b1, "B 的任务", &[&gb], "2026-12-31").await;
    let tb = r.json()["id"].as_str().unwrap().to_string();
    for (m, path) in [
        (Method::GET, format!("/api/v1/goals/{gb}")),
        (Method::DELETE, format!("/api/v1/goals/{gb}")),
        (Method::GET, format!("/api/v1/tasks/{tb}")),
        (Method::DELETE, format!("/api/v1/tasks/{tb}")),
        (Method::POST, format!("/api/v1/tasks/{tb}/accept")),
        (Method::GET, format!("/api/v1/kpis/{kb}/values")),
    ] {
        let r = w.call(m.clone(), &w.sja, &path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {path}: {}", r.text());
    }
    let r = w
        .call(
            Method::POST,
            &w.sja,
            &format!("/api/v1/tasks/{tb}/progress"),
            Some(json!({ "percent": 10, "note": "x" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&w.app, "tasks").await, 1);
}

#[tokio::test]
async fn deployed_tasks_are_accepted_reported_and_overdue_ones_reach_the_bell() {
    let w = world().await;
    let (g, _) = w.goal(&w.dw, &w.root, "重大项目攻坚", true).await;
    let t = w.task(&w.dw, &w.root, "党员突击队", &[&g], "2026-09-20").await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = w
        .call(
            Method::POST,
            &w.dw,
            &format!("/api/v1/tasks/{t}/deploy"),
            Some(json!({ "org_ids": [w.a1, w.b1] })),
        )
        .await;
    assert_eq!(r.json()["deployed"], 2, "{}", r.text());
    let board = w
        .call(
            Method::GET,
            &w.sja,
            &format!("/api/v1/orgs/{}/plan?year=2026", w.a1),
            None,
        )
        .await
        .json();
    let mine = board["pending"][0]["id"].as_str().unwrap().to_string();
    let todos = w.call(Method::GET, &w.sja, "/api/v1/todos", None).await.json();
    assert!(todos.to_string().contains("接收任务：党员突击队"), "{todos}");
    assert_eq!(
        w.call(Method::POST, &w.sja, &format!("/api/v1/tasks/{mine}/accept"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let todos = w.call(Method::GET, &w.sja, "/api/v1/todos", None).await.json();
    assert!(todos.to_string().contains("任务逾期：党员突击队（支部A1）"), "{todos}");
    let r = w
        .call(
            Method::POST,
            &w.sja,
            &format!("/api/v1/tasks/{mine}/progress"),
            Some(json!({ "percent": 100, "note": "已完成" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let todos = w.call(Method::GET, &w.sja, "/api/v1/todos", None).await.json();
    assert!(!todos.to_string().contains("党员突击队"), "{todos}");
    let m = w
        .call(
            Method::GET,
            &w.dw,
            &format!("/api/v1/orgs/{}/matrix?year=2026", w.root),
            None,
        )
        .await
        .json();
    assert_eq!(m["orgs"].as_array().unwrap().len(), 2, "{m}");
}

#[tokio::test]
async fn a_kpi_token_sends_only_its_organizations_figures() {
    let w = world().await;
    let (_, ka) = w.goal(&w.sja, &w.a1, "A 的目标", false).await;
    let (_, kb) = w.goal(&w.sjb, &w.b1, "B 的目标", false).await;
    let br = w.app.browser("sja", PW).await;
    let page = w
        .app
        .form(&br, "/plan/tokens", &[("org_id", &w.a1), ("name", "经营管理系统")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let token = page
        .text()
        .split("token-value\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(token.starts_with("tpk_"));
    let send = |kpi: &str| {
        let (path, token) = (format!("/api/v1/kpis/{kpi}/values"), token.clone());
        let app = &w.app;
        async move {
            app.api(
                Method::POST,
                &path,
                Some(&token),
                Some(json!({ "period": "2026-08", "value": "96%" })),
            )
            .await
        }
    };
    assert_eq!(send(&ka).await.status, StatusCode::CREATED);
    assert_eq!(send(&kb).await.status, StatusCode::NOT_FOUND);
    // Nothing else answers to it.
    let r = w
        .app
        .api(Method::GET, &format!("/api/v1/orgs/{}/plan", w.a1), Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let v = w
        .call(Method::GET, &w.sja, &format!("/api/v1/kpis/{ka}/values"), None)
        .await
        .json();
    assert_eq!(v["values"][0]["source"], "api");
    assert!(w.app.audit_actions().await.iter().any(|(a, _, _)| a == "kpi.value"));
}

fn multipart(br: &Browser, uri: &str, fields: &[(&str, &str)], file: (&str, &[u8])) -> Request<Body> {
    let b = "----tongpin-plan-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes());
    }
    body.extend(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n", file.0)
            .into_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend(format!("\r\n--{b}--\r\n").into_bytes());
    Request::builder()
        .method(Method::POST)
        .uri(format!("{uri}?_csrf={}", br.csrf))
        .header(header::HOST, "tongpin.test")
        .header(header::ORIGIN, "http://tongpin.test")
        .header(header::COOKIE, &br.cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn pages_render_and_progress_carries_evidence() {
    let w = world().await;
    let (g, k) = w.goal(&w.sja, &w.a1, "窗口服务提质", true).await;
    let t = w.task(&w.sja, &w.a1, "党员示范岗", &[&g], "2026-12-31").await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let br = w.app.browser("sja", PW).await;
    let q = format!("org={}&year=2026", w.a1);
    for (path, expect) in [
        (format!("/plan?{q}"), "窗口服务提质"),
        (format!("/plan/fusion?{q}"), "融合度"),
        (format!("/plan/matrix?{q}"), "督导矩阵"),
        (format!("/plan/timeline?{q}"), "党员示范岗"),
        (format!("/plan/tasks/{t}"), "报告进展"),
        (format!("/plan/kpis/{k}"), "办件满意度"),
        (format!("/plan/goals/new?{q}"), "新增业务目标"),
        (format!("/plan/goals/{g}/edit"), "已有指标"),
        (format!("/plan/tasks/new?{q}&goal={g}"), "服务的业务目标"),
        (format!("/plan/import?{q}"), "导入年度计划"),
        (format!("/plan/values?{q}"), "指标填报表"),
        (format!("/plan/start?{q}"), "从模板开始"),
    ] {
        let r = w.app.get(&path, Some(&br.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        assert!(r.text().contains(expect), "{path} lacks {expect}");
    }
    let export = w.app.get(&format!("/plan/export?{q}"), Some(&br.cookie)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.header("content-disposition").contains("attachment"));

    // A file whose content does not match its name: refused, nothing written.
    let uri = format!("/plan/tasks/{t}/progress");
    let fields = [("percent", "40"), ("note", "已设岗 3 个")];
    let r = w
        .app
        .send(multipart(&br, &uri, &fields, ("总结.pdf", b"<html>not a pdf</html>")))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("PDF"), "{}", r.text());
    assert_eq!(
        (count(&w.app, "task_progress").await, count(&w.app, "files").await),
        (0, 0)
    );
    let r = w
        .app
        .send(multipart(
            &br,
            &uri,
            &fields,
            ("示范岗名单.pdf", b"%PDF-1.7\n1 0 obj\n"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = w.app.get(&format!("/plan/tasks/{t}"), Some(&br.cookie)).await.text();
    assert!(page.contains("示范岗名单.pdf") && page.contains("40%"));
    let href = page
        .split("href=\"/plan/evidence/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let file = w.app.get(&format!("/plan/evidence/{href}"), Some(&br.cookie)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.header("content-disposition").starts_with("attachment"));
    // Another branch's secretary cannot fetch it.
    let other = w.app.browser("sjb", PW).await;
    assert_eq!(
        w.app
            .get(&format!("/plan/evidence/{href}"), Some(&other.cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Deleting the task removes its evidence when nothing else refers to it.
    assert_eq!(
        w.call(Method::DELETE, &w.sja, &format!("/api/v1/tasks/{t}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        (count(&w.app, "files").await, count(&w.app, "file_chunks").await),
        (0, 0)
    );
}

fn pdf_of(len: usize, seed: u8) -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    v.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v
}

#[tokio::test]
async fn nothing_is_stored_before_the_target_is_checked_and_each_account_has_a_quota() {
    let w = world().await;
    let (g, _) = w.goal(&w.sja, &w.a1, "窗口服务提质", true).await;
    let t = w.task(&w.sja, &w.a1, "党员示范岗", &[&g], "2026-12-31").await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let fields = [("percent", "40"), ("note", "已设岗 3 个")];
    let file = pdf_of(1000, 1);
    // A task that does not exist, and another branch's task: refused before the file is read.
    let other = w.app.browser("sjb", PW).await;
    for uri in [
        "/plan/tasks/no-such-task/progress".to_string(),
        format!("/plan/tasks/{t}/progress"),
    ] {
        let r = w.app.send(multipart(&other, &uri, &fields, ("名单.pdf", &file))).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.text());
        assert_eq!(count(&w.app, "files").await, 0, "{uri}");
    }
    // Each account's uploads count against the security policy's quota.
    let policy = tongpin_core::auth::Policy {
        upload_quota_mib: 1,
        ..Default::default()
    };
    let actor = tongpin_core::audit::Actor::anonymous("测试", "127.0.0.1");
    policy
        .save(&w.app.db, 0, &actor, &tongpin_core::auth::cap::command_line())
        .await
        .unwrap();
    let br = w.app.browser("sja", PW).await;
    let uri = format!("/plan/tasks/{t}/progress");
    let r = w
        .app
        .send(multipart(&br, &uri, &fields, ("一.pdf", &pdf_of(600 * 1024, 2))))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = w
        .app
        .send(multipart(&br, &uri, &fields, ("二.pdf", &pdf_of(600 * 1024, 3))))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("超出您的上传配额"), "{}", r.text());
    assert_eq!(
        (count(&w.app, "files").await, count(&w.app, "task_progress").await),
        (1, 1)
    );
}

#[tokio::test]
async fn a_linked_account_sees_the_overdue_task_it_is_responsible_for() {
    let w = world().await;
    let cid = common::id_with_check("11010519800101001");
    let body = json!({ "name": "王强", "citizen_id": cid, "org_id": w.a1, "status": "正式党员", "joined_on": "2010-07-01", "full_on": "2011-07-01" });
    let r = w.call(Method::POST, &w.sja, "/api/v1/people", Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (g, _) = w.goal(&w.sja, &w.a1, "窗口服务", false).await;
    let body = json!({ "org_id": w.a1, "year": 2026, "title": "服务承诺公开", "goal_ids": [g], "deadline": "2026-09-01", "assignees": ["王强"] });
    assert_eq!(
        w.call(Method::POST, &w.sja, "/api/v1/tasks", Some(body)).await.status,
        StatusCode::CREATED
    );
    let acc = w.app.account("wq", Role::Member, Some(&w.a1)).await;
    w.app.account("sys", Role::SystemAdmin, None).await;
    let sys = w.app.browser("sys", PW).await;
    let r = w
        .app
        .form(
            &sys,
            &format!("/admin/accounts/{acc}/link"),
            &[("citizen_id", "110105198001019999")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a malformed ID (wrong check digit) names the field"
    );
    let r = w
        .app
        .form(&sys, &format!("/admin/accounts/{acc}/link"), &[("citizen_id", &cid)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let wq = w.app.token("wq", PW).await;
    let todos = w.call(Method::GET, &wq, "/api/v1/todos", None).await.json();
    assert!(todos.to_string().contains("任务逾期：服务承诺公开"), "{todos}");
    assert!(w.app.audit_actions().await.iter().any(|(a, _, _)| a == "account.link"));
}

#[tokio::test]
async fn a_kpi_scoring_online_time_is_refused_on_the_api_and_the_page() {
    let w = world().await;
    let before = count(&w.app, "kpis").await;
    let body = json!({ "org_id": w.a1, "year": 2026, "title": "学习实效",
        "kpis": [{ "name": "在线学习时长", "unit": "分钟", "baseline": 0, "target": 300, "direction": "higher" }] });
    let r = w.call(Method::POST, &w.sja, "/api/v1/goals", Some(body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("指标1名称"), "{}", r.text());
    assert!(
        r.text().contains("2024年整治形式主义为基层减负若干规定"),
        "{}",
        r.text()
    );
    let br = w.app.browser("sja", PW).await;
    let r = w
        .app
        .form(
            &br,
            "/plan/goals/new",
            &[
                ("org_id", &w.a1),
                ("year", "2026"),
                ("title", "学习实效"),
                ("k1_name", "每日打卡率"),
                ("k1_baseline", "0"),
                ("k1_target", "100"),
                ("k1_direction", "higher"),
                ("k1_period", "month"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("不符合基层减负规定"), "{}", r.text());
    // A required course's class hours may count.
    let body = json!({ "org_id": w.a1, "year": 2026, "title": "学习实效",
        "kpis": [{ "name": "必修课程学时", "unit": "学时", "baseline": 0, "target": 40, "direction": "higher" }] });
    let r = w.call(Method::POST, &w.sja, "/api/v1/goals", Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(count(&w.app, "kpis").await, before + 1);
}

#[tokio::test]
async fn the_person_picker_tells_namesakes_apart_by_id() {
    let w = world().await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let body = json!({ "name": "王强", "gender": "男", "org_id": w.a1, "status": "正式党员", "joined_on": "2010-07-01", "full_on": "2011-07-01" });
        let r = w.call(Method::POST, &w.dw, "/api/v1/people", Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ids.push(r.json()["id"].as_str().unwrap().to_string());
    }
    let (g, _) = w.goal(&w.sja, &w.a1, "窗口服务提质", false).await;
    let br = w.app.browser("sja", PW).await;
    let base = [
        ("org_id", w.a1.as_str()),
        ("year", "2026"),
        ("title", "党员示范岗"),
        ("goal_id", g.as_str()),
        ("deadline", "2026-12-31"),
    ];
    // Typed, the name is two people: refused, naming the field.
    let mut typed = base.to_vec();
    typed.push(("assignees", "王强"));
    let r = w.app.form(&br, "/plan/tasks/new", &typed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("多位名为 王强"));
    // Picked, it is one person: the second 王强.
    let mut picked = base.to_vec();
    picked.push(("assignees", ""));
    picked.push(("assignees", ids[1].as_str()));
    let r = w.app.form(&br, "/plan/tasks/new", &picked).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let task: String = tongpin_core::with_db!(&w.app.db, |p| sqlx::query_scalar(
        "SELECT item_id FROM plan_people WHERE person_id = $1"
    )
    .bind(&ids[1])
    .fetch_one(p)
    .await
    .unwrap());
    let edit = w
        .app
        .get(&format!("/plan/tasks/{task}/edit"), Some(&br.cookie))
        .await
        .text();
    assert!(
        edit.contains(&format!(
            "王强<input type=\"hidden\" name=\"assignees\" value=\"{}\">",
            ids[1]
        )),
        "the edit page shows the chosen person as a chip"
    );
    assert!(!edit.contains(&ids[0]));
}
