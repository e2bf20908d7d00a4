//! Meetings that count, through HTTP: a general meeting without its quorum is
//! recorded (201) and its record, print and the compliance API say why it
//! does not count; a talk is one to one; a 党委 records its own 党委会 and
//! not a branch's meetings.
mod common;
use axum::http::{Method, StatusCode};
use common::{id_with_check, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::Role;

// The test clock starts at 2026-09-21 (Beijing).

async fn add(app: &TestApp, token: &str, name: &str, id17: &str, org: &str) -> String {
    let body = json!({ "name": name, "citizen_id": id_with_check(id17), "org_id": org, "status": "正式党员", "joined_on": "2010-07-01", "full_on": "2011-07-01" });
    let r = app.api(Method::POST, "/api/v1/people", Some(token), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
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
async fn an_uncounted_meeting_says_why_and_committees_record_their_own() {
    let app = TestApp::new().await;
    let (root, _, a1, _, _) = app.tree().await;
    tongpin_core::with_db!(&app.db, |p| sqlx::query("UPDATE orgs SET founded_on = '2020-01-01'")
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let dw = app.token("dw", PW).await;
    let mut m = Vec::new();
    for (i, n) in ["赵一", "钱二", "孙三"].iter().enumerate() {
        m.push(add(&app, &dw, n, &format!("1101051980010100{i}"), &a1).await);
    }
    let post = |body: Value| app.api(Method::POST, "/api/v1/meetings", Some(&dw), Some(body));

    // One of three voting members: recorded, not counted.
    let r = post(
        json!({ "org_id": a1, "kind": "general_meeting", "held_at": "2026-09-10T09:00:00+08:00",
        "topic": "一人到会", "attendee_ids": [m[0]] }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let why = "未达到法定人数：应到 3 人，实到 1 人，不计入召开次数";
    let br = app.browser("dw", PW).await;
    for path in [format!("/life/meetings/{id}"), format!("/life/meetings/{id}/print")] {
        let page = app.get(&path, Some(&br.cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains(why), "{path}");
    }
    let c = app
        .api(
            Method::GET,
            &format!("/api/v1/orgs/{a1}/compliance?period=2026-Q3"),
            Some(&dw),
            None,
        )
        .await
        .json();
    let gm = item(&c, "general_meeting");
    assert_eq!(
        (gm["held"].as_i64(), gm["uncounted"].as_i64()),
        (Some(0), Some(1)),
        "{gm}"
    );
    assert!(gm["note"].as_str().unwrap_or("").contains("未达到法定人数"), "{gm}");

    // A talk names its pair: three present is refused.
    let r = post(
        json!({ "org_id": a1, "kind": "talk", "held_at": "2026-09-11T09:00:00+08:00",
        "topic": "谈心谈话", "attendee_ids": m }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "出席人员", "{}", r.text());

    // The 党委: its own 党委会 is recorded and judged (no committee registered: not counted, and said so);
    // a branch's general meeting is not its to record.
    let r = post(
        json!({ "org_id": root, "kind": "party_committee_meeting", "held_at": "2026-09-12T09:00:00+08:00",
        "topic": "研究部署党建工作", "attendee_ids": [m[0], m[1]] }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let page = app.get(&format!("/life/meetings/{id}"), Some(&br.cookie)).await;
    assert!(page.text().contains("未登记委员，无法核定法定人数"));
    let c = app
        .api(
            Method::GET,
            &format!("/api/v1/orgs/{root}/compliance?period=2026-09"),
            Some(&dw),
            None,
        )
        .await
        .json();
    assert_eq!(item(&c, "party_committee_meeting")["label"], "党委会");
    assert_eq!(item(&c, "party_committee_meeting")["uncounted"], 1);
    let r = post(
        json!({ "org_id": root, "kind": "general_meeting", "held_at": "2026-09-13T09:00:00+08:00",
        "topic": "大会", "attendee_ids": [m[0]] }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "会议类型");
    let page = app
        .get(&format!("/life/compliance?org={root}&period=2026"), Some(&br.cookie))
        .await;
    assert!(page.text().contains("理论学习中心组学习") && page.text().contains("民主生活会"));
}
