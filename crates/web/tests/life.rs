//! Organizational life through HTTP: the API (record a meeting,
//! compliance by period), refusals naming their field, duplicates, the
//! superior's view, and the pages.
mod common;
use axum::http::{Method, StatusCode};
use common::{id_with_check, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::Role;

// The test clock starts at 2026-09-21 (Beijing): August has ended, September is open.

struct World {
    app: TestApp,
    root: String,
    a1: String,
    dw: String,
    sja: String,
    /// Members of A1, and one of B1.
    members: Vec<String>,
    outsider: String,
}

async fn add(app: &TestApp, token: &str, name: &str, id17: &str, org: &str) -> String {
    let body = json!({ "name": name, "citizen_id": id_with_check(id17), "org_id": org, "status": "正式党员", "joined_on": "2010-07-01", "full_on": "2011-07-01" });
    let r = app.api(Method::POST, "/api/v1/people", Some(token), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
}

async fn world() -> World {
    let app = TestApp::new().await;
    let (root, _, a1, _, b1) = app.tree().await;
    // The tree was founded years ago (it is created at the test clock's start).
    tongpin_core::with_db!(&app.db, |p| sqlx::query("UPDATE orgs SET founded_on = '2020-01-01'")
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("sja", Role::BranchSecretary, Some(&a1)).await;
    let dw = app.token("dw", PW).await;
    let mut members = Vec::new();
    for (i, n) in ["赵一", "钱二", "孙三"].iter().enumerate() {
        members.push(add(&app, &dw, n, &format!("1101051980010100{i}"), &a1).await);
    }
    let outsider = add(&app, &dw, "李四", "11010519800101009", &b1).await;
    World {
        sja: app.token("sja", PW).await,
        app,
        root,
        a1,
        dw,
        members,
        outsider,
    }
}

impl World {
    async fn post(&self, body: Value) -> common::Resp {
        self.app
            .api(Method::POST, "/api/v1/meetings", Some(&self.sja), Some(body))
            .await
    }
    async fn compliance(&self, period: &str) -> Value {
        let path = format!("/api/v1/orgs/{}/compliance?period={period}", self.a1);
        self.app.api(Method::GET, &path, Some(&self.sja), None).await.json()
    }
}

/// The meeting form as a browser posts it (multipart, with the CSRF token in
/// the query). A field named "attachment:名称.pdf" is a file of that name.
async fn multipart_form(app: &TestApp, br: &common::Browser, path: &str, fields: &[(String, String)]) -> common::Resp {
    let b = "----tongpin-life-boundary";
    let mut body = String::new();
    for (k, v) in fields {
        let disposition = match k.strip_prefix("attachment:") {
            Some(file) => format!("name=\"attachment\"; filename=\"{file}\""),
            None => format!("name=\"{k}\""),
        };
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; {disposition}\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{b}--\r\n"));
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(format!("{path}?_csrf={}", br.csrf))
        .header(axum::http::header::HOST, "tongpin.test")
        .header(axum::http::header::ORIGIN, "http://tongpin.test")
        .header(axum::http::header::COOKIE, &br.cookie)
        .header(
            axum::http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={b}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(req).await
}

fn item<'a>(v: &'a Value, kind: &str) -> &'a Value {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap()
}

#[tokio::test]
async fn a_recorded_theme_day_turns_august_from_overdue_to_met() {
    let w = world().await;
    let c = w.compliance("2026-08").await;
    assert_eq!(
        (
            item(&c, "theme_day")["status"].as_str(),
            item(&c, "theme_day")["due"].as_i64()
        ),
        (Some("overdue"), Some(1))
    );
    assert_eq!(
        item(&c, "committee_meeting")["status"],
        "not_applicable",
        "three full members elect no committee"
    );
    assert_eq!(
        item(&w.compliance("2026-09").await, "theme_day")["status"],
        "due",
        "September is still open"
    );

    let body = json!({ "org_id": w.a1, "kind": "theme_day", "held_at": "2026-08-28T15:00:00+08:00", "topic": "参观红色教育基地",
        "attendee_ids": [w.members[0], w.members[1]], "absentees": [{ "person_id": w.members[2], "reason": "出差" }], "goal_ids": [] });
    let r = w.post(body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let again = w.post(body).await;
    assert_eq!(again.status, StatusCode::OK, "a double submission is deduplicated");
    assert_eq!(again.json()["id"], id.as_str());
    let c = w.compliance("2026-08").await;
    assert_eq!(item(&c, "theme_day")["status"], "met");
    assert_eq!(item(&c, "theme_day")["held"], 1);
    // The quarter: August met, July missing.
    assert_eq!(item(&w.compliance("2026-Q3").await, "theme_day")["status"], "overdue");
    // The superior sees the branch and its gaps.
    let s = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/orgs/{}/supervision?period=2026-08", w.root),
            Some(&w.dw),
            None,
        )
        .await
        .json();
    let orgs = s["orgs"].as_array().unwrap();
    assert!(orgs.iter().any(|o| o["name"] == "支部A1"), "{s}");
    let shown = w
        .app
        .api(Method::GET, &format!("/api/v1/meetings/{id}"), Some(&w.dw), None)
        .await
        .json();
    assert_eq!(shown["attendance"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn bad_meetings_name_their_field_and_write_nothing() {
    let w = world().await;
    let base = json!({ "org_id": w.a1, "kind": "general_meeting", "held_at": "2026-09-10T09:00:00+08:00", "topic": "支部党员大会",
        "attendee_ids": [w.members[0]] });
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (body, field) in [
        (with("held_at", json!("2026-10-01T09:00:00+08:00")), "会议时间"),
        (with("attendee_ids", json!([w.members[0], w.outsider])), "参会人员"),
        (with("kind", json!("party_day")), "会议类型"),
        (
            with("resolutions", json!([{ "title": "决定事项", "votes_for": 1 }])),
            "表决",
        ),
    ] {
        let r = w.post(body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(r.json()["field"], field, "{}", r.text());
    }
    let r = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/orgs/{}/meetings?from=2026-01&to=2026-12", w.a1),
            Some(&w.sja),
            None,
        )
        .await;
    assert_eq!(r.json()["items"], json!([]));
}

#[tokio::test]
async fn the_pages_render_for_the_secretary_and_the_superior() {
    let w = world().await;
    let body = json!({ "org_id": w.a1, "kind": "committee_meeting", "held_at": "2026-09-10T09:00:00+08:00", "topic": "研究发展党员工作",
        "attendee_ids": w.members, "minutes": "会议研究了……" });
    let id = w.post(body).await.json()["id"].as_str().unwrap().to_string();
    let br = w.app.browser("sja", PW).await;
    let q = format!("org={}", w.a1);
    for (path, expect) in [
        (format!("/life?{q}&month=2026-09"), "研究发展党员工作"),
        (format!("/life/meetings/new?{q}"), "出席与缺席"),
        (format!("/life/meetings/{id}"), "会议记录"),
        (format!("/life/meetings/{id}/print"), "支委会会议记录"),
        (format!("/life/meetings/{id}/edit"), "赵一"),
        (format!("/life/compliance?{q}&period=2026-Q3"), "落实情况"),
        (format!("/life/supervision?{q}&period=2026"), "组织生活督查"),
        (format!("/life/ledger?{q}&month=2026-09"), "三会一课"),
        ("/life/frequencies".to_string(), "组织生活频次"),
    ] {
        let r = w.app.get(&path, Some(&br.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        assert!(r.text().contains(expect), "{path} lacks {expect}");
    }
    for path in [
        format!("/life/supervision/export?{q}&period=2026-Q3"),
        format!("/life/ledger/export?{q}&month=2026-09"),
    ] {
        let r = w.app.get(&path, Some(&br.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.header("content-disposition").starts_with("attachment"));
    }
    // A branch secretary may not change the frequencies; the page form answers 403.
    let r = w
        .app
        .form(
            &br,
            "/life/frequencies",
            &[
                ("org_kind", "branch"),
                ("kind", "theme_day"),
                ("period", "quarter"),
                ("times", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_planned_meeting_prints_as_planned_and_is_not_counted() {
    let w = world().await;
    // Planned for August and never held: August stays overdue.
    let body = json!({ "org_id": w.a1, "kind": "theme_day", "held_at": "2026-08-20T15:00:00+08:00", "topic": "参观红色教育基地",
        "status": "planned", "attendee_ids": w.members, "agenda": "一、参观学习" });
    let r = w.post(body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(item(&w.compliance("2026-08").await, "theme_day")["status"], "overdue");
    let br = w.app.browser("sja", PW).await;
    let page = w.app.get(&format!("/life/meetings/{id}/print"), Some(&br.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("计划召开") && text.contains("一、参观学习"), "{text}");
    for absent in ["会议记录</h1>", "实到人数", "出席人员", "赵一", "主持人签字"] {
        assert!(!text.contains(absent), "a planned meeting's sheet shows no {absent}");
    }
}

#[tokio::test]
async fn the_ledger_honours_its_month_quarter_and_year() {
    let w = world().await;
    for (at, topic) in [
        ("2026-07-10T09:00:00+08:00", "七月主题党日"),
        ("2026-08-10T09:00:00+08:00", "八月主题党日"),
        ("2026-09-10T09:00:00+08:00", "九月主题党日"),
        ("2026-03-10T09:00:00+08:00", "三月主题党日"),
    ] {
        let body =
            json!({ "org_id": w.a1, "kind": "theme_day", "held_at": at, "topic": topic, "attendee_ids": w.members });
        assert_eq!(w.post(body).await.status, StatusCode::CREATED);
    }
    let br = w.app.browser("sja", PW).await;
    let all = ["七月主题党日", "八月主题党日", "九月主题党日", "三月主题党日"];
    for (query, title, shown) in [
        ("period=2026-08", "2026年8月", &all[1..2]),
        ("month=2026-08", "2026年8月", &all[1..2]),
        ("period=2026-Q3", "三季度", &all[..3]),
        ("period=2026", "2026年度", &all[..]),
        ("", "2026年9月", &all[2..3]),
    ] {
        let r = w
            .app
            .get(&format!("/life/ledger?org={}&{query}", w.a1), Some(&br.cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        let text = r.text();
        assert!(
            text.contains(&format!("{title}“三会一课”台账")),
            "{query}: title {title}"
        );
        for t in all {
            assert_eq!(text.contains(t), shown.contains(&t), "{query}: {t}");
        }
    }
    let r = w
        .app
        .get(
            &format!("/life/ledger/export?org={}&period=2026-Q3", w.a1),
            Some(&br.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").contains("attachment"));
}

#[tokio::test]
async fn hosts_and_recorders_are_picked_from_the_roster_and_stored_as_people() {
    let w = world().await;
    // The picker: initials or a name's start, in the caller's scope only, nothing sensitive.
    let pick = |q: &str, token: &str| {
        let path = format!("/api/v1/people/pick?for=life&q={q}");
        let token = token.to_string();
        let app = &w.app;
        async move { app.api(Method::GET, &path, Some(&token), None).await }
    };
    let r = pick("qe", &w.sja).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        (items[0]["name"].as_str(), items[0]["org_name"].as_str()),
        (Some("钱二"), Some("支部A1"))
    );
    assert!(items[0].get("citizen_id").is_none() && items[0].get("phone").is_none());
    assert!(!r.text().contains("1101051980"), "no ID numbers");
    let encoded = "%E6%9D%8E"; // 李
    assert_eq!(
        pick(encoded, &w.sja).await.json()["items"],
        json!([]),
        "李四 is in another branch"
    );
    assert_eq!(pick(encoded, &w.dw).await.json()["items"].as_array().unwrap().len(), 1);
    // An organization outside the caller's subtree is refused (the same words whether it exists or not),
    // not searched; without a session, nothing.
    let r = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/people/pick?for=life&q=qe&org={}", w.root),
            Some(&w.sja),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("不在您的管理范围内"), "{}", r.text());
    let r = w
        .app
        .api(Method::GET, "/api/v1/people/pick?for=life&q=qe", None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());

    let body = json!({ "org_id": w.a1, "kind": "theme_day", "held_at": "2026-09-10T09:00:00+08:00", "topic": "重温入党誓词",
        "attendee_ids": w.members, "host_person_id": w.members[0], "recorder_person_id": w.members[1], "host": "typed" });
    let r = w.post(body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let shown = w
        .app
        .api(Method::GET, &format!("/api/v1/meetings/{id}"), Some(&w.sja), None)
        .await
        .json();
    let m = &shown["meeting"];
    assert_eq!(
        (m["host"].as_str(), m["recorder"].as_str()),
        (Some("赵一"), Some("钱二")),
        "{shown}"
    );
    assert_eq!(m["host_person_id"], w.members[0].as_str());
    // Someone of a sibling branch cannot be picked as this branch's host.
    let mut other = body;
    other["topic"] = json!("另一次");
    other["host_person_id"] = json!(w.outsider);
    let r = w.post(other).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["field"], "主持人");
    // An older record's typed names stay as they were.
    let old = json!({ "org_id": w.a1, "kind": "theme_day", "held_at": "2026-09-11T09:00:00+08:00", "topic": "旧式登记",
        "attendee_ids": w.members, "host": "王书记" });
    let id = w.post(old).await.json()["id"].as_str().unwrap().to_string();
    let shown = w
        .app
        .api(Method::GET, &format!("/api/v1/meetings/{id}"), Some(&w.sja), None)
        .await
        .json();
    assert_eq!(shown["meeting"]["host"], "王书记");
    assert!(shown["meeting"]["host_person_id"].is_null());
}

#[tokio::test]
async fn the_committee_meeting_form_lists_the_committee_first_and_grades_only_for_appraisal() {
    let w = world().await;
    // 孙三 is on the committee (支委).
    tongpin_core::with_db!(&w.app.db, |p| {
        sqlx::query(
        "INSERT INTO org_officers (id, org_id, person_id, post, since, created_at) VALUES ('o1', $1, $2, 'secretary', '2024-01-01', 0)"
    )
    .bind(&w.a1)
    .bind(&w.members[2])
    .execute(p)
    .await
    .unwrap()
    .rows_affected()
    });
    let br = w.app.browser("sja", PW).await;
    let page = |kind: &str| {
        let path = format!("/life/meetings/new?org={}&kind={kind}", w.a1);
        let app = &w.app;
        let cookie = br.cookie.clone();
        async move { app.get(&path, Some(&cookie)).await.text() }
    };
    let text = page("committee_meeting").await;
    let at = |name: &str| text.find(&format!("<td>{name}")).unwrap_or_else(|| panic!("{name}"));
    assert!(
        at("孙三") < at("钱二") && at("钱二") < at("赵一"),
        "committee first, then by pinyin"
    );
    assert!(text.contains("孙三 <span class=\"tag tag-gold\">支委</span>"));
    assert!(text.contains("全部出席"));
    assert!(
        text.contains("<th class=\"only-appraisal\" hidden>"),
        "no grades outside 民主评议"
    );
    let text = page("theme_day").await;
    let at = |name: &str| text.find(&format!("<td>{name}")).unwrap();
    assert!(
        at("钱二") < at("孙三") && at("孙三") < at("赵一"),
        "by pinyin for other kinds"
    );
    let text = page("appraisal").await;
    assert!(text.contains("<th class=\"only-appraisal\">评议等次</th>"));
    // The reason of an absence is a choice, stored so the art. 9 warnings can judge it.
    let mut fields: Vec<(String, String)> = vec![
        ("org_id".into(), w.a1.clone()),
        ("kind".into(), "theme_day".into()),
        ("status".into(), "held".into()),
        ("held_at".into(), "2026-09-12T09:00".into()),
        ("topic".into(), "学习党章".into()),
        ("host".into(), "赵一".into()),
        ("host_person_id".into(), w.members[0].clone()),
    ];
    fields.push((format!("att_{}", w.members[0]), "present".into()));
    fields.push((format!("att_{}", w.members[1]), "present".into()));
    fields.push((format!("att_{}", w.members[2]), "absent".into()));
    fields.push((format!("reasonkind_{}", w.members[2]), "sick".into()));
    fields.push((format!("reason_{}", w.members[2]), "住院".into()));
    let r = multipart_form(&w.app, &br, "/life/meetings/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r.header("location");
    let id = loc
        .trim_start_matches("/life/meetings/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let shown = w
        .app
        .api(Method::GET, &format!("/api/v1/meetings/{id}"), Some(&w.sja), None)
        .await
        .json();
    let absent = shown["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["present"] == false)
        .unwrap()
        .clone();
    assert_eq!(
        (absent["reason_kind"].as_str(), absent["reason"].as_str()),
        (Some("sick"), Some("住院"))
    );
    assert_eq!(shown["meeting"]["host_person_id"], w.members[0].as_str());
    let detail = w
        .app
        .get(&format!("/life/meetings/{id}"), Some(&br.cookie))
        .await
        .text();
    assert!(detail.contains("孙三（病假：住院）"), "{detail}");
}

#[tokio::test]
async fn no_attachment_is_stored_for_a_meeting_the_caller_may_not_record() {
    let w = world().await;
    let b1 = tongpin_core::with_db!(&w.app.db, |p| sqlx::query_scalar::<_, String>(
        "SELECT org_id FROM people WHERE id = $1"
    )
    .bind(&w.outsider)
    .fetch_one(p)
    .await
    .unwrap());
    w.app.account("sjb", Role::BranchSecretary, Some(&b1)).await;
    let br = w.app.browser("sjb", PW).await;
    let fields: Vec<(String, String)> = [
        ("org_id", w.a1.as_str()),
        ("kind", "theme_day"),
        ("status", "held"),
        ("held_at", "2026-09-10T09:00"),
        ("topic", "主题党日"),
        ("attachment:签到表.pdf", "%PDF-1.7 签到表"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let files = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            tongpin_core::with_db!(&db, |p| sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM files")
                .fetch_one(p)
                .await
                .unwrap())
        }
    };
    let r = multipart_form(&w.app, &br, "/life/meetings/new", &fields).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert_eq!(files(&w.app).await, 0);
    let r = multipart_form(&w.app, &br, "/life/meetings/no-such-meeting/edit", &fields).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert_eq!(files(&w.app).await, 0);
}
