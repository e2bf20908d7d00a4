//! 标准化建设 through HTTP: a standard drafted, edited, published and
//! frozen; a branch's self-check with evidence and an override only with
//! its reason; problems closed (销号) only when the direct superior
//! verifies; applications refused until met and decided only by the direct
//! superior, with the grade, a failure opening a new round, a move back,
//! the year-end batch; the ledger, its print and Excel; and every refusal a
//! 4xx naming the field with nothing written. Runs on PostgreSQL too when
//! TONGPIN_TEST_PG is set.
mod common;
mod safeguards;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{id_with_check, Browser, Resp, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::{self, Power, Role};

// The test clock starts at 2026-09-21 (Beijing).

struct World {
    app: TestApp,
    root: String,
    a1: String,
    /// On A1's roster: 张三, 李四; on B1's: 王五.
    pa: Vec<String>,
    pb: String,
    /// Tokens: the 党委's admin, 总支A's admin (A1's direct superior), the
    /// secretaries of A1 and B1, a member of A1.
    dw: String,
    za: String,
    sja: String,
    sjb: String,
    dy: String,
    /// The 党委's published standard for its branches.
    sid: String,
}

fn items() -> Value {
    json!([
        { "code": "A1", "dimension": "政治建设", "title": "理论学习", "criteria": "按计划开展集中学习", "points": 10, "tier": "baseline" },
        { "code": "A2", "dimension": "组织建设", "title": "组织生活会", "criteria": "按期召开并整改", "points": 10, "tier": "baseline", "evidence_required": true },
        { "code": "C1", "dimension": "组织建设", "title": "班子健全", "points": 10, "tier": "refined", "rule": "committee_seated" },
        { "code": "B1", "dimension": "党建业务融合", "title": "党建引领业务", "points": 30, "tier": "refined" },
        { "code": "B2", "dimension": "党建业务融合", "title": "品牌创建", "points": 10, "tier": "refined" }
    ])
}

async fn person(app: &TestApp, scope: &tongpin_core::org::Scope, name: &str, org: &str, seq: &str) -> String {
    let p = tongpin_core::people::NewPerson {
        name: name.into(),
        citizen_id: id_with_check(&format!("110105198001010{seq}")),
        org_id: org.into(),
        status: "正式党员".into(),
        joined_on: "2010-07-01".into(),
        ..Default::default()
    };
    let actor = tongpin_core::audit::Actor::anonymous("测试", "local");
    tongpin_core::people::create(&app.db, app.clock_now(), &actor, scope, &p)
        .await
        .unwrap()
}

async fn world() -> World {
    let app = TestApp::new().await;
    let (root, a, a1, _, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("za", Role::OrgAdmin, Some(&a)).await;
    app.account("sja", Role::BranchSecretary, Some(&a1)).await;
    app.account("sjb", Role::BranchSecretary, Some(&b1)).await;
    app.account("dy", Role::Member, Some(&a1)).await;
    let now = app.clock_now();
    let ok = auth::login(&app.db, now, "dw", PW, "api", "local").await.unwrap();
    let who = auth::authenticate(&app.db, now, &ok.token).await.unwrap();
    let hr = who.scope(Power::ManagePeople).unwrap();
    let pa = vec![
        person(&app, &hr, "张三", &a1, "01").await,
        person(&app, &hr, "李四", &a1, "02").await,
    ];
    let pb = person(&app, &hr, "王五", &b1, "03").await;
    let dw = app.token("dw", PW).await;
    let body = json!({ "org_id": root, "year": 2026, "title": "机关党委2026年度党支部建设标准", "org_kinds": ["branch"], "items": items() });
    let r = app.api(Method::POST, "/api/v1/standards", Some(&dw), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let sid = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/standards/{sid}/publish"),
            Some(&dw),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    World {
        za: app.token("za", PW).await,
        sja: app.token("sja", PW).await,
        sjb: app.token("sjb", PW).await,
        dy: app.token("dy", PW).await,
        dw,
        app,
        root,
        a1,
        pa,
        pb,
        sid,
    }
}

impl World {
    async fn call(&self, m: Method, token: &str, path: &str, body: Option<Value>) -> Resp {
        self.app.api(m, path, Some(token), body).await
    }
    async fn answer(&self, token: &str, code: &str, body: Value) -> Resp {
        let path = format!("/api/v1/orgs/{}/self-check/{}/items/{code}", self.a1, self.sid);
        self.call(Method::PUT, token, &path, Some(body)).await
    }
    async fn check(&self, token: &str) -> Value {
        let path = format!("/api/v1/orgs/{}/self-check?standard_id={}", self.a1, self.sid);
        let r = self.call(Method::GET, token, &path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()
    }
    async fn problem(&self, code: &str, owner: &str, deadline: &str) -> Resp {
        let body = json!({ "org_id": self.a1, "standard_id": self.sid, "item_code": code, "cause": "学习流于形式",
            "measure": "制定月度学习计划并逐月落实", "owner_id": owner, "deadline": deadline });
        self.call(Method::POST, &self.sja, "/api/v1/problems", Some(body)).await
    }
    /// Every baseline item of A1 met; B1 (30 of the refined 50 points) and
    /// C1 overridden met (10): 80 %, suggested ⅱ.
    async fn meet(&self) {
        for (code, body) in [
            ("A1", json!({ "met": true })),
            ("B1", json!({ "met": true })),
            (
                "C1",
                json!({ "met": true, "override_reason": "书记已于 9 月到任，任职文件待录入" }),
            ),
        ] {
            let r = self.answer(&self.sja, code, body).await;
            assert_eq!(r.status, StatusCode::NO_CONTENT, "{code}: {}", r.text());
        }
        let br = self.app.browser("sja", PW).await;
        let r = self
            .app
            .send(multipart(
                &br,
                &format!("/standards/{}/orgs/{}/check", self.sid, self.a1),
                &[
                    ("code", "A2"),
                    ("met", "1"),
                    ("note", "已召开专题组织生活会"),
                    ("files_listed", "1"),
                ],
                Some(("会议记录.pdf", b"%PDF-1.7\n% minutes\n")),
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    async fn apply(&self, token: &str) -> Resp {
        let body = json!({ "org_id": self.a1, "standard_id": self.sid });
        self.call(Method::POST, token, "/api/v1/applications", Some(body)).await
    }
    async fn ledger(&self, token: &str) -> Value {
        let path = format!("/api/v1/orgs/{}/standard-ledger?standard_id={}", self.root, self.sid);
        let r = self.call(Method::GET, token, &path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()
    }
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(p)
        .await
        .unwrap())
}

/// A multipart form as the page posts it (CSRF token in the query), with an optional evidence file.
fn multipart(br: &Browser, uri: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Request<Body> {
    let b = "----tongpin-standard-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes());
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .into_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{b}--\r\n").into_bytes());
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

fn field(r: &Resp) -> String {
    r.json()["field"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn standards_are_drafted_published_frozen_and_versioned() {
    let w = world().await;
    let before = count(&w.app, "standards").await;
    let mut bad = items();
    bad[0]["tier"] = json!("core");
    let body = json!({ "org_id": w.root, "year": 2026, "title": "草稿", "org_kinds": ["branch"], "items": bad });
    let r = w.call(Method::POST, &w.dw, "/api/v1/standards", Some(body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(field(&r), "第1项类别");
    let body = json!({ "org_id": w.a1, "year": 2026, "title": "支部标准", "org_kinds": ["branch"], "items": items() });
    let r = w.call(Method::POST, &w.sja, "/api/v1/standards", Some(body)).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a branch publishes no standard"
    );
    assert!(r.text().contains("党委或党总支"), "{}", r.text());
    let body =
        json!({ "org_id": w.root, "year": 2026, "title": "党小组标准", "org_kinds": ["group"], "items": items() });
    let r = w.call(Method::POST, &w.dw, "/api/v1/standards", Some(body)).await;
    assert_eq!(field(&r), "适用组织类型");
    assert_eq!(count(&w.app, "standards").await, before, "nothing written");

    // Published: frozen, read by the branches below, changed only by the publisher.
    let s = w
        .call(Method::GET, &w.sja, &format!("/api/v1/standards/{}", w.sid), None)
        .await;
    assert_eq!(s.status, StatusCode::OK);
    assert_eq!(s.json()["status"], "published");
    assert_eq!(s.json()["items"].as_array().unwrap().len(), 5);
    let again = w
        .call(
            Method::POST,
            &w.dw,
            &format!("/api/v1/standards/{}/publish", w.sid),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let r = w
        .call(
            Method::POST,
            &w.sja,
            &format!("/api/v1/standards/{}/publish", w.sid),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let dw = w.app.browser("dw", PW).await;
    let edit = w.app.get(&format!("/standards/{}/edit", w.sid), Some(&dw.cookie)).await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER, "a frozen standard's page says so");
    assert_eq!(edit.header("location"), format!("/standards/{}?done=frozen", w.sid));
    let r = w
        .app
        .form(
            &dw,
            &format!("/standards/{}/edit", w.sid),
            &[("title", "改名"), ("kind", "branch")],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(r.text().contains("冻结"), "{}", r.text());

    // A draft from the 机关 template, edited on the page, then copied to next year.
    let r = w
        .app
        .form(
            &dw,
            "/standards/new",
            &[
                ("org_id", &w.root),
                ("year", "2027"),
                ("mode", "template"),
                ("template", "agency"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let draft = r.header("location");
    let draft_id = draft
        .trim_start_matches("/standards/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = w.app.get(&draft, Some(&dw.cookie)).await.text();
    assert!(
        page.contains("草稿") && page.contains("计算：") && page.contains("发布"),
        "{page}"
    );
    let form = w
        .app
        .get(&format!("/standards/{draft_id}/edit"), Some(&dw.cookie))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let rows = [
        ("title", "机关党委2027年度党支部建设标准"),
        ("kind", "branch"),
        ("grade_ii", "70"),
        ("grade_iii", "92.5"),
        ("r1_code", "A1"),
        ("r1_dimension", "政治建设"),
        ("r1_title", "理论学习"),
        ("r1_tier", "baseline"),
        ("r1_points", "十"),
    ];
    let r = w.app.form(&dw, &format!("/standards/{draft_id}/edit"), &rows).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("第1项分值"), "{}", r.text());
    let mut rows = rows.to_vec();
    rows[8] = ("r1_points", "10");
    rows.extend([
        ("r2_code", "B1"),
        ("r2_dimension", "党建业务融合"),
        ("r2_title", "融合项目"),
        ("r2_tier", "refined"),
        ("r2_points", "20"),
        ("r2_rule", "difficult_goals_supported"),
    ]);
    let r = w.app.form(&dw, &format!("/standards/{draft_id}/edit"), &rows).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let s = w
        .call(Method::GET, &w.dw, &format!("/api/v1/standards/{draft_id}"), None)
        .await
        .json();
    assert_eq!(
        (s["grade_ii_bp"].as_i64(), s["grade_iii_bp"].as_i64()),
        (Some(7_000), Some(9_250))
    );
    assert_eq!(s["items"].as_array().unwrap().len(), 2);
    assert_eq!(s["items"][1]["rule"], "difficult_goals_supported");
    let r = w
        .app
        .form(
            &dw,
            "/standards/new",
            &[
                ("org_id", &w.root),
                ("year", "2028"),
                ("mode", "copy"),
                ("from_id", &draft_id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = w
        .app
        .form(
            &dw,
            "/standards/new",
            &[("org_id", &w.root), ("year", "2028"), ("mode", "copy")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("复制来源"));
    let r = w.app.form(&dw, &format!("/standards/{draft_id}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // A new version of the published one takes its place when published.
    let r = w.app.form(&dw, &format!("/standards/{}/version", w.sid), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let v2 = r
        .header("location")
        .trim_start_matches("/standards/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = w.app.form(&dw, &format!("/standards/{v2}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let old = w
        .call(Method::GET, &w.dw, &format!("/api/v1/standards/{}", w.sid), None)
        .await
        .json();
    assert_eq!(old["status"], "superseded");
    let list = w.app.get("/standards?year=2026", Some(&dw.cookie)).await.text();
    assert!(list.contains("已被新版本取代") && list.contains("第2版"), "{list}");
    let list = w
        .call(Method::GET, &w.sjb, "/api/v1/standards?year=2026", None)
        .await
        .json();
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        2,
        "the branch reads the published versions"
    );
}

#[tokio::test]
async fn the_self_check_computes_declares_overrides_with_a_reason_and_keeps_evidence() {
    let w = world().await;
    let sc = w.check(&w.sja).await;
    assert_eq!(sc["status"], "not_started");
    assert_eq!(sc["items"].as_array().unwrap().len(), 5);
    let c1 = &sc["items"][2];
    assert_eq!(
        (c1["code"].as_str(), c1["computed"].as_bool()),
        (Some("C1"), Some(true))
    );
    assert_eq!(c1["met"], false, "no secretary in post");
    // The organization's own standard in force, without standard_id.
    let r = w
        .call(Method::GET, &w.sja, &format!("/api/v1/orgs/{}/self-check", w.a1), None)
        .await;
    assert_eq!(r.json()["standard_id"], w.sid.as_str());
    let r = w
        .call(Method::GET, &w.dw, &format!("/api/v1/orgs/{}/self-check", w.root), None)
        .await;
    assert_eq!(
        (r.status, r.json()["standard_id"].clone()),
        (StatusCode::OK, Value::Null)
    );

    let r = w.answer(&w.sja, "Z9", json!({ "met": true })).await;
    assert_eq!(
        (r.status, field(&r)),
        (StatusCode::UNPROCESSABLE_ENTITY, "项目编号".into())
    );
    let r = w.answer(&w.sja, "A2", json!({ "met": true })).await;
    assert_eq!(field(&r), "佐证材料", "evidence required: {}", r.text());
    let r = w.answer(&w.sja, "C1", json!({ "met": true })).await;
    assert_eq!(field(&r), "覆盖理由", "{}", r.text());
    let r = w
        .answer(&w.sja, "A1", json!({ "met": true, "override_reason": "理由" }))
        .await;
    assert_eq!(field(&r), "覆盖理由", "a declared item has nothing to override");
    let r = w.answer(&w.dy, "A1", json!({ "met": true })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a member reads, never answers");
    let r = w
        .call(
            Method::PUT,
            &w.sjb,
            &format!("/api/v1/orgs/{}/self-check/{}/items/A1", w.a1, w.sid),
            Some(json!({ "met": true })),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another branch's self-check is not in scope"
    );
    assert_eq!(count(&w.app, "standard_checks").await, 0, "nothing written");

    w.meet().await;
    let sc = w.check(&w.dy).await;
    assert_eq!(sc["status"], "met", "{sc}");
    assert_eq!(sc["share_bp"], 8_000);
    assert_eq!(sc["suggested_grade"], "ii");
    let c1 = &sc["items"][2];
    assert_eq!(
        (c1["met"].as_bool(), c1["computed_met"].as_bool()),
        (Some(true), Some(false))
    );
    assert!(c1["override_reason"].as_str().unwrap().contains("书记"));
    let a2 = &sc["items"][1];
    assert_eq!(a2["file_ids"].as_array().unwrap().len(), 1);
    let file = a2["file_ids"][0].as_str().unwrap().to_string();

    // The page: figures, evidence to download, and the controls of each role.
    let br = w.app.browser("sja", PW).await;
    let page = w
        .app
        .get(&format!("/standards/{}/orgs/{}", w.sid, w.a1), Some(&br.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("已覆盖计算结果") && html.contains("会议记录.pdf") && html.contains("申报验收"),
        "{html}"
    );
    assert!(
        !html.contains("退回问题清单"),
        "the branch does not return its own list"
    );
    let dl = w.app.get(&format!("/standards/files/{file}"), Some(&br.cookie)).await;
    assert_eq!(dl.status, StatusCode::OK);
    assert!(dl.header("content-disposition").starts_with("attachment"));
    let other = w.app.browser("sjb", PW).await;
    assert_eq!(
        w.app
            .get(&format!("/standards/files/{file}"), Some(&other.cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let member = w.app.browser("dy", PW).await;
    let html = w
        .app
        .get(&format!("/standards/{}/orgs/{}", w.sid, w.a1), Some(&member.cookie))
        .await
        .text();
    assert!(
        !html.contains("check-form") && !html.contains("申报验收</button>"),
        "a member sees no controls"
    );
    // Dropping the kept file and the override over the page form.
    let r = w
        .app
        .send(multipart(
            &br,
            &format!("/standards/{}/orgs/{}/check", w.sid, w.a1),
            &[("code", "A2"), ("met", "1"), ("files_listed", "1")],
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "met without evidence");
    assert!(r.text().contains("佐证材料"));
    let r = w
        .app
        .send(multipart(
            &br,
            &format!("/standards/{}/orgs/{}/check", w.sid, w.a1),
            &[("code", "C1"), ("met", ""), ("files_listed", "1")],
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let sc = w.check(&w.sja).await;
    assert_eq!(sc["items"][2]["met"], false, "back to what the records say");
    assert_eq!(
        sc["items"][1]["file_ids"].as_array().unwrap().len(),
        1,
        "the refused form changed nothing"
    );
}

#[tokio::test]
async fn problems_close_only_when_the_direct_superior_verifies() {
    let w = world().await;
    let r = w.problem("B2", &w.pb, "2026-12-31").await;
    assert_eq!(
        (r.status, field(&r)),
        (StatusCode::UNPROCESSABLE_ENTITY, "责任人".into()),
        "{}",
        r.text()
    );
    let r = w.problem("B2", &w.pa[0], "2026-09-20").await;
    assert_eq!(field(&r), "整改时限", "{}", r.text());
    assert!(r.text().contains("早于今天"));
    let r = w.problem("Z9", &w.pa[0], "2026-12-31").await;
    assert_eq!(field(&r), "项目编号");
    w.answer(&w.sja, "A1", json!({ "met": true })).await;
    let r = w.problem("A1", &w.pa[0], "2026-12-31").await;
    assert_eq!(field(&r), "项目编号", "a met item is no problem: {}", r.text());
    assert_eq!(count(&w.app, "standard_problems").await, 0, "nothing written");

    let r = w.problem("B2", &w.pa[0], "2026-12-31").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let path = |act: &str| format!("/api/v1/problems/{id}/{act}");
    let verify = |accepted: bool, comment: &str| json!({ "accepted": accepted, "comment": comment });
    let r = w
        .call(Method::POST, &w.za, &path("verify"), Some(verify(true, "")))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "never reported: {}", r.text());
    assert!(r.text().contains("尚未报告"));
    let r = w
        .call(Method::POST, &w.sja, &path("report"), Some(json!({ "note": "" })))
        .await;
    assert_eq!(field(&r), "整改情况");
    let r = w
        .call(
            Method::POST,
            &w.sja,
            &path("report"),
            Some(json!({ "note": "已制定并落实月度学习计划" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    for (who, token) in [("the branch itself", &w.sja), ("the grandparent", &w.dw)] {
        let r = w
            .call(Method::POST, token, &path("verify"), Some(verify(true, "")))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.text());
        assert!(r.text().contains("总支A"), "names the direct superior: {}", r.text());
    }
    let r = w
        .call(Method::POST, &w.sjb, &path("verify"), Some(verify(true, "")))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "outside the scope");
    let r = w
        .call(Method::POST, &w.za, &path("verify"), Some(verify(false, " ")))
        .await;
    assert_eq!(field(&r), "退回理由");
    let p = w
        .call(Method::GET, &w.za, &format!("/api/v1/problems/{id}"), None)
        .await
        .json();
    assert_eq!(p["status"], "reported", "nothing written");
    let r = w
        .call(
            Method::POST,
            &w.za,
            &path("verify"),
            Some(verify(false, "缺少学习记录佐证")),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let p = w
        .call(Method::GET, &w.sja, &format!("/api/v1/problems/{id}"), None)
        .await
        .json();
    assert_eq!((p["status"].as_str(), p["reopened"].as_i64()), (Some("open"), Some(1)));
    assert_eq!(p["verify_comment"], "缺少学习记录佐证");

    // Reported again over the page, with evidence; the superior's bell, then 销号 on the page.
    let br = w.app.browser("sja", PW).await;
    let r = w
        .app
        .send(multipart(
            &br,
            &format!("/standards/problems/{id}/report"),
            &[("note", "补充了 9 月学习记录")],
            Some(("学习记录.pdf", b"%PDF-1.7\n% study\n")),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let za = w.app.browser("za", PW).await;
    let todos = w.app.get("/todos", Some(&za.cookie)).await.text();
    assert!(todos.contains("核验销号"), "{todos}");
    let page = w
        .app
        .get(&format!("/standards/problems/{id}"), Some(&za.cookie))
        .await
        .text();
    assert!(
        page.contains("核验通过，销号") && page.contains("学习记录.pdf"),
        "{page}"
    );
    let dw = w.app.browser("dw", PW).await;
    let page = w
        .app
        .get(&format!("/standards/problems/{id}"), Some(&dw.cookie))
        .await
        .text();
    assert!(
        !page.contains("核验通过，销号"),
        "only the direct superior sees the verification"
    );
    let r = w
        .app
        .form(&za, &format!("/standards/problems/{id}/verify"), &[("comment", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "no decision chosen");
    let r = w
        .app
        .form(
            &za,
            &format!("/standards/problems/{id}/verify"),
            &[("accepted", "1"), ("comment", "整改到位")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let p = w
        .call(Method::GET, &w.sja, &format!("/api/v1/problems/{id}"), None)
        .await
        .json();
    assert_eq!(p["status"], "closed");
    assert_eq!(p["files"].as_array().unwrap().len(), 1);
    let r = w
        .call(Method::POST, &w.sja, &path("report"), Some(json!({ "note": "再报" })))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "closed stays closed");

    // The superior returns a whole list; the branch resubmits it.
    let r = w.problem("B1", &w.pa[1], "").await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "deadline defaults to three months: {}",
        r.text()
    );
    let p2 = r.json()["id"].as_str().unwrap().to_string();
    let p = w
        .call(Method::GET, &w.sja, &format!("/api/v1/problems/{p2}"), None)
        .await
        .json();
    assert_eq!(p["deadline"], "2026-12-21");
    let ret = format!("/standards/{}/return-list", w.sid);
    let r = w.app.form(&za, &ret, &[("org_id", &w.a1), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("退回理由"));
    let r = w
        .app
        .form(&br, &ret, &[("org_id", &w.a1), ("reason", "措施不具体")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the branch cannot return its own list");
    let r = w
        .app
        .form(
            &za,
            &ret,
            &[("org_id", &w.a1), ("reason", "整改措施不具体，请明确完成标志")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = w
        .app
        .get(&format!("/standards/{}/orgs/{}", w.sid, w.a1), Some(&br.cookie))
        .await
        .text();
    assert!(
        page.contains("问题清单已被上级党组织退回") && page.contains("完成标志"),
        "{page}"
    );
    let todos = w.app.get("/todos", Some(&br.cookie)).await.text();
    assert!(todos.contains("修改问题清单"), "{todos}");
    let r = w
        .app
        .form(&br, &format!("/standards/{}/resubmit", w.sid), &[("org_id", &w.a1)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // The owner's to-do, the list's filters, print and Excel.
    let list = w
        .app
        .get(
            &format!("/standards/problems?org={}&status=open", w.a1),
            Some(&dw.cookie),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.text().contains("李四") && !list.text().contains("已销号</span>"),
        "{}",
        list.text()
    );
    let print = w
        .app
        .get(&format!("/standards/problems/print?org={}", w.a1), Some(&dw.cookie))
        .await;
    assert!(print.text().contains("问题清单") && print.text().contains("李四"));
    let xlsx = w
        .app
        .get(&format!("/standards/problems/export?org={}", w.a1), Some(&dw.cookie))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(
        xlsx.header("content-type").contains("spreadsheetml"),
        "{}",
        xlsx.header("content-type")
    );
    assert!(xlsx.body.starts_with(b"PK"));
    let bad = w.app.get("/standards/problems?status=lost", Some(&dw.cookie)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let api = w
        .call(Method::GET, &w.dy, &format!("/api/v1/problems?org_id={}", w.a1), None)
        .await
        .json();
    assert_eq!(api["items"].as_array().unwrap().len(), 2, "{api}");
    let api = w.call(Method::GET, &w.sjb, "/api/v1/problems", None).await.json();
    assert_eq!(
        api["items"].as_array().unwrap().len(),
        0,
        "another branch's problems are not in scope"
    );
}

#[tokio::test]
async fn applications_wait_for_the_standard_and_only_the_direct_superior_decides() {
    let w = world().await;
    let r = w.apply(&w.sja).await;
    assert_eq!(
        (r.status, field(&r)),
        (StatusCode::UNPROCESSABLE_ENTITY, "申报条件".into())
    );
    assert!(
        r.text().contains("A1") && r.text().contains("未自查"),
        "names what is missing: {}",
        r.text()
    );
    w.meet().await;
    let r = w.problem("B2", &w.pa[0], "2026-12-31").await;
    let pid = r.json()["id"].as_str().unwrap().to_string();
    let r = w.apply(&w.sja).await;
    assert_eq!(field(&r), "申报条件");
    assert!(r.text().contains("问题尚未销号"), "{}", r.text());
    assert_eq!(count(&w.app, "standard_applications").await, 0, "nothing written");
    w.call(
        Method::POST,
        &w.sja,
        &format!("/api/v1/problems/{pid}/report"),
        Some(json!({ "note": "已整改" })),
    )
    .await;
    w.call(
        Method::POST,
        &w.za,
        &format!("/api/v1/problems/{pid}/verify"),
        Some(json!({ "accepted": true })),
    )
    .await;
    let r = w.apply(&w.sja).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let app_id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(w.apply(&w.sja).await.status, StatusCode::CONFLICT, "applied once");
    let r = w.answer(&w.sja, "B2", json!({ "met": true })).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "answers are locked while it waits");

    let decide = format!("/api/v1/applications/{app_id}/decide");
    for (who, token) in [("the branch itself", &w.sja), ("the grandparent", &w.dw)] {
        let r = w
            .call(Method::POST, token, &decide, Some(json!({ "passed": true })))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.text());
    }
    let r = w
        .call(
            Method::POST,
            &w.za,
            &decide,
            Some(json!({ "passed": true, "grade": "iv" })),
        )
        .await;
    assert_eq!(field(&r), "定级");
    let r = w
        .call(
            Method::POST,
            &w.za,
            &decide,
            Some(json!({ "passed": true, "grade": "iii" })),
        )
        .await;
    assert_eq!(
        field(&r),
        "定级理由",
        "another grade than the suggested ⅱ needs a reason: {}",
        r.text()
    );
    let r = w
        .call(
            Method::POST,
            &w.za,
            &decide,
            Some(json!({ "passed": false, "comment": "材料不全" })),
        )
        .await;
    assert_eq!(field(&r), "问题清单", "a failure lists its problems");
    let a = w
        .call(Method::GET, &w.sja, &format!("/api/v1/applications/{app_id}"), None)
        .await
        .json();
    assert_eq!(
        (a["status"].as_str(), a["suggested_grade"].as_str()),
        (Some("pending"), Some("ii"))
    );
    // The page: the direct superior decides, with the suggested grade preselected.
    let za = w.app.browser("za", PW).await;
    let page = w
        .app
        .get(&format!("/standards/applications/{app_id}"), Some(&za.cookie))
        .await
        .text();
    assert!(
        page.contains("验收通过</button>") && page.contains("（建议）"),
        "{page}"
    );
    let dw = w.app.browser("dw", PW).await;
    let page = w
        .app
        .get(&format!("/standards/applications/{app_id}"), Some(&dw.cookie))
        .await
        .text();
    assert!(
        !page.contains("验收通过</button>"),
        "the grandparent sees no decision form"
    );
    let r = w
        .app
        .form(
            &za,
            &format!("/standards/applications/{app_id}/decide"),
            &[("decision", "pass"), ("grade", "ii"), ("comment", "同意")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let l = w.ledger(&w.dw).await;
    assert_eq!(l["counts"]["accepted"], 1, "{l}");
    assert_eq!(l["grades"]["ii"], 1);
    let row = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["org_id"] == w.a1.as_str())
        .unwrap();
    assert_eq!(
        (row["status"].as_str(), row["grade"].as_str()),
        (Some("accepted"), Some("ii"))
    );
    assert_eq!(
        w.apply(&w.sja).await.status,
        StatusCode::CONFLICT,
        "accepted: nothing to apply for"
    );

    // Dynamic management: moved back by the direct superior only, with a reason.
    let back = format!("/standards/{}/move-back", w.sid);
    let sja = w.app.browser("sja", PW).await;
    let r = w
        .app
        .form(&sja, &back, &[("org_id", &w.a1), ("reason", "自我调整")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.app.form(&za, &back, &[("org_id", &w.a1), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .form(
            &za,
            &back,
            &[("org_id", &w.a1), ("reason", "督查发现三会一课连续两月未按期召开")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let sc = w.check(&w.sja).await;
    assert_eq!(
        (sc["status"].as_str(), sc["round"].as_i64()),
        (Some("not_met"), Some(2))
    );
    assert!(sc["missing"].to_string().contains("动态调整"), "{sc}");

    // Round 2: checked again, applied, failed with a problem (round 3), withdrawn, batch-accepted.
    w.answer(&w.sja, "A1", json!({ "met": true })).await;
    let r = w.apply(&w.sja).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let second = r.json()["id"].as_str().unwrap().to_string();
    let fail = json!({ "passed": false, "comment": "品牌创建未见成效",
        "problems": [{ "item_code": "B2", "cause": "品牌创建未见成效", "measure": "打造一支部一品牌", "owner_id": w.pa[1], "deadline": "2026-12-31" }] });
    let mut bad = fail.clone();
    bad["problems"][0]["owner_id"] = json!(w.pb);
    let r = w
        .call(
            Method::POST,
            &w.za,
            &format!("/api/v1/applications/{second}/decide"),
            Some(bad),
        )
        .await;
    assert_eq!(field(&r), "第1个问题责任人", "{}", r.text());
    let r = w
        .call(
            Method::POST,
            &w.za,
            &format!("/api/v1/applications/{second}/decide"),
            Some(fail),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let sc = w.check(&w.sja).await;
    assert_eq!(
        (
            sc["status"].as_str(),
            sc["round"].as_i64(),
            sc["open_problems"].as_i64()
        ),
        (Some("not_met"), Some(3), Some(1))
    );
    let list = w.call(Method::GET, &w.sja, "/api/v1/standards", None).await;
    assert_eq!(list.status, StatusCode::OK);
    let pid = {
        let page = w
            .app
            .get(
                &format!("/standards/problems?org={}&status=open", w.a1),
                Some(&sja.cookie),
            )
            .await
            .text();
        assert!(page.contains("验收未通过"), "{page}");
        let before = page.split("\">查看</a>").next().unwrap();
        before.rsplit("/standards/problems/").next().unwrap().to_string()
    };
    w.call(
        Method::POST,
        &w.sja,
        &format!("/api/v1/problems/{pid}/report"),
        Some(json!({ "note": "品牌已创建" })),
    )
    .await;
    w.call(
        Method::POST,
        &w.za,
        &format!("/api/v1/problems/{pid}/verify"),
        Some(json!({ "accepted": true })),
    )
    .await;
    let third = w.apply(&w.sja).await.json()["id"].as_str().unwrap().to_string();
    let r = w
        .app
        .form(&sja, &format!("/standards/applications/{third}/withdraw"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let fourth = w.apply(&w.sja).await.json()["id"].as_str().unwrap().to_string();
    let list = w.app.get("/standards/applications", Some(&za.cookie)).await.text();
    assert!(list.contains("批量验收通过"), "{list}");
    let r = w.app.form(&za, "/standards/applications/batch", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "nothing chosen");
    let r = w
        .app
        .form(
            &za,
            "/standards/applications/batch",
            &[("id", &fourth), ("comment", "年底集中验收")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let a = w
        .call(Method::GET, &w.za, &format!("/api/v1/applications/{fourth}"), None)
        .await
        .json();
    assert_eq!(
        (a["status"].as_str(), a["grade"].as_str()),
        (Some("passed"), Some("ii"))
    );
}

#[tokio::test]
async fn the_ledger_counts_by_status_and_grade_and_prints_and_exports() {
    let w = world().await;
    let l = w.ledger(&w.dw).await;
    assert_eq!(l["counts"]["not_started"], 2, "{l}");
    assert_eq!(l["total"], 2);
    w.meet().await;
    let l = w.ledger(&w.dw).await;
    assert_eq!(
        (l["org_id"].as_str(), l["counts"]["met"].as_i64()),
        (Some(w.root.as_str()), Some(1))
    );
    let dw = w.app.browser("dw", PW).await;
    let page = w
        .app
        .get(&format!("/standards/ledger?standard={}", w.sid), Some(&dw.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("达标定级台账") && html.contains("总支A") && html.contains("支部A1"),
        "{html}"
    );
    assert!(html.contains("计算项覆盖"), "the override awaits review: {html}");
    let met = w
        .app
        .get(
            &format!("/standards/ledger?standard={}&status=met", w.sid),
            Some(&dw.cookie),
        )
        .await
        .text();
    assert!(met.contains("支部A1") && !met.contains(">支部B1</a>"), "{met}");
    let print = w
        .app
        .get(&format!("/standards/ledger/print?standard={}", w.sid), Some(&dw.cookie))
        .await;
    assert!(print.text().contains("达标定级台账") && !print.text().contains("class=\"sidebar\""));
    let xlsx = w
        .app
        .get(
            &format!("/standards/ledger/export?standard={}", w.sid),
            Some(&dw.cookie),
        )
        .await;
    assert!(xlsx.body.starts_with(b"PK") && xlsx.header("content-disposition").contains("attachment"));
    let bad = w
        .app
        .get(
            &format!("/standards/ledger?standard={}&status=lost", w.sid),
            Some(&dw.cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .call(
            Method::GET,
            &w.sja,
            &format!("/api/v1/orgs/{}/standard-ledger", w.a1),
            None,
        )
        .await
        .json();
    assert_eq!(r["total"], 1, "a branch's ledger is itself: {r}");
    let r = w
        .call(
            Method::GET,
            &w.sjb,
            &format!("/api/v1/orgs/{}/standard-ledger", w.a1),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The menu and the entry page.
    let sja = w.app.browser("sja", PW).await;
    let r = w.app.get("/standards/check", Some(&sja.cookie)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), format!("/standards/{}/orgs/{}", w.sid, w.a1));
    let entry = w.app.get("/standards/check", Some(&dw.cookie)).await;
    assert_eq!(entry.status, StatusCode::OK);
    assert!(entry.text().contains("没有适用的") && entry.text().contains("查看下级组织自查情况"));
    let member = w.app.browser("dy", PW).await;
    let home = w.app.get("/", Some(&member.cookie)).await.text();
    let menu = home.split("</nav>").next().unwrap_or("");
    assert!(menu.contains("摸底自查") && !menu.contains("达标验收"), "{menu}");
}
