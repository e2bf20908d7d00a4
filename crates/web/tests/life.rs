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
