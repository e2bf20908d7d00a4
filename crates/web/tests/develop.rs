//! Member development through HTTP: the API round trip, refusals naming the
//! rule (422), scope, and the pages.
mod common;
use axum::http::{Method, StatusCode};
use common::{id_with_check, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::Role;

/// The committee's org admin and A1's secretary, and people: two full
/// members, an applicant-to-be in A1 and one in B1. (root, token dw,
/// token sj, person in A1, person in B1).
async fn setup(app: &TestApp) -> (String, String, String, String, String) {
    let (root, _, a1, _, b1) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    app.account("sj", Role::BranchSecretary, Some(&a1)).await;
    let dw = app.token("dw", PW).await;
    let sj = app.token("sj", PW).await;
    let mut ids = Vec::new();
    for (i, (name, org, status)) in [
        ("王芳", &a1, "正式党员"),
        ("李明", &a1, "正式党员"),
        ("赵小军", &a1, "群众"),
        ("孙丽", &b1, "群众"),
    ]
    .into_iter()
    .enumerate()
    {
        let (joined, born) = if status == "正式党员" {
            ("2010-07-01", "1975")
        } else {
            ("", "1995")
        };
        let body = json!({ "name": name, "citizen_id": id_with_check(&format!("110105{born}031500{i}")), "org_id": org,
            "status": status, "joined_on": joined });
        let r = app.api(Method::POST, "/api/v1/people", Some(&dw), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ids.push(r.json()["id"].as_str().unwrap().to_string());
    }
    (root, dw, sj, ids[2].clone(), ids[3].clone())
}

fn step(no: u8, on: &str, body: &str) -> Value {
    json!({ "step": no, "done_on": on, "body": body, "responsible": "张志强" })
}

#[tokio::test]
async fn steps_round_trip_through_the_api_and_refusals_name_the_rule() {
    let app = TestApp::new().await;
    let (root, dw, sj, zhao, sun) = setup(&app).await;
    let steps = format!("/api/v1/people/{zhao}/steps");
    // Today is 2026-09-22 in Beijing.
    let r = app
        .api(
            Method::POST,
            &steps,
            Some(&sj),
            Some(step(1, "2026-09-01", "applicant")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(r.json()["id"].is_string());
    let r = app.api(Method::GET, &steps, Some(&sj), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let j = r.json();
    assert_eq!(j["items"][0]["name"], "递交入党申请");
    assert_eq!(j["items"][0]["document"], "入党申请书");
    assert_eq!(j["next_step"], 2);
    assert_eq!(
        j["due"][0],
        json!({ "step": 2, "kind": "step", "on": "2026-10-01", "overdue": false,
        "text": "2026-10-01 前谈话", "rule": "收到入党申请书后一个月内派人谈话" })
    );
    // Out of order, by the wrong body, too late: 422 naming field and rule.
    let refused = |r: common::Resp, field: &str, rule: &str| {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let j = r.json();
        assert_eq!(j["code"], "invalid");
        assert_eq!(j["field"], field, "{j}");
        assert!(j["message"].as_str().unwrap().contains(&format!("「{rule}」")), "{j}");
    };
    let r = app
        .api(
            Method::POST,
            &steps,
            Some(&sj),
            Some(step(3, "2026-09-10", "branch_committee")),
        )
        .await;
    refused(r, "步骤", "发展党员按二十五个步骤依次办理");
    let r = app
        .api(
            Method::POST,
            &steps,
            Some(&sj),
            Some(step(2, "2026-09-10", "branch_committee")),
        )
        .await;
    refused(r, "办理组织", "各步骤由规定的组织办理");
    let r = app
        .api(Method::POST, &steps, Some(&sj), Some(step(2, "2026-09-23", "branch")))
        .await;
    refused(r, "办理日期", "办理日期不得晚于当天");
    let r = app
        .api(
            Method::POST,
            &steps,
            Some(&sj),
            Some(json!({ "step": 2, "date": "2026-09-10" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "date");
    assert_eq!(
        app.api(Method::GET, &steps, Some(&sj), None).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // In order: the talk, then the activist; the status follows.
    for s in [step(2, "2026-09-10", "branch"), step(3, "2026-09-15", "支委会")] {
        let r = app.api(Method::POST, &steps, Some(&sj), Some(s)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let p = app
        .api(Method::GET, &format!("/api/v1/people/{zhao}"), Some(&sj), None)
        .await;
    assert_eq!(p.json()["status"], "activist");
    // The secretary of A1 cannot record for B1's person; the org admin can.
    let other = format!("/api/v1/people/{sun}/steps");
    let r = app
        .api(
            Method::POST,
            &other,
            Some(&sj),
            Some(step(1, "2026-09-01", "applicant")),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(
            Method::POST,
            &other,
            Some(&dw),
            Some(step(1, "2026-08-01", "applicant")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // The pipeline: the committee's, the branch's, and the to-dos.
    let r = app.api(Method::GET, "/api/v1/develop/pipeline", Some(&dw), None).await;
    let counts: Vec<i64> = r.json()["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [1, 1, 0, 0, 0]);
    let r = app.api(Method::GET, "/api/v1/develop/pipeline", Some(&sj), None).await;
    assert_eq!(r.json()["people"].as_array().unwrap().len(), 1);
    assert_eq!(r.json()["people"][0]["next_step"], 4);
    let r = app.api(Method::GET, "/api/v1/develop/todos", Some(&dw), None).await;
    let items = r.json()["items"].as_array().unwrap().clone();
    let talk = items.iter().find(|t| t["href"] == format!("/develop/{sun}")).unwrap();
    assert_eq!(talk["overdue"], true, "{talk}");
    assert_eq!(talk["title"], "孙丽：谈话（第 2 步）");
    // Each recording is audited.
    let n = app
        .audit_actions()
        .await
        .iter()
        .filter(|(a, _, r)| a == "develop.step" && r == "ok")
        .count();
    assert_eq!(n, 4);
    // A member may not see the pipeline, nor record.
    app.account("dy", Role::Member, Some(&root)).await;
    let dy = app.token("dy", PW).await;
    let r = app.api(Method::GET, "/api/v1/develop/pipeline", Some(&dy), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(Method::POST, &steps, Some(&dy), Some(step(4, "2026-09-16", "branch")))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_pages_show_the_pipeline_and_record_the_next_step() {
    let app = TestApp::new().await;
    let (_, _, sj, zhao, sun) = setup(&app).await;
    let br = app.browser("sj", PW).await;
    let post = |no: &str, on: &str, body: &str| {
        vec![
            ("step", no.to_string()),
            ("done_on", on.to_string()),
            ("body", body.to_string()),
            ("responsible", "张志强".to_string()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let path = format!("/develop/{zhao}/steps");
        let br = &br;
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.form(br, &path, &f).await
        }
    };
    let r = send(post("1", "2026-09-01", "applicant")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header("location"), format!("/develop/{zhao}?done=1"));
    let page = app.get(&format!("/develop/{zhao}?done=1"), Some(&br.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("已登记第 1 步「递交入党申请」"), "{html}");
    assert!(html.contains("办理第 2 步：谈话"));
    assert!(html.contains("2026-10-01 前谈话"));
    // A refused step shows the rule under the form, and nothing is written.
    let r = send(post("2", "2026-10-05", "branch")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("「收到入党申请书后一个月内派人谈话」"), "{html}");
    assert!(html.contains("未保存"));
    assert!(html.contains("aria-invalid=\"true\""));
    let steps = app
        .api(Method::GET, &format!("/api/v1/people/{zhao}/steps"), Some(&sj), None)
        .await;
    assert_eq!(steps.json()["items"].as_array().unwrap().len(), 1);
    // A number that is not one is refused as a field, too.
    let mut bad = post("2", "2026-09-10", "branch");
    bad[0].1 = "二".into();
    assert_eq!(send(bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The pipeline page, its stage cards and the other branch.
    let r = app.get("/develop", Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("赵小军") && html.contains("入党申请人") && html.contains("待办提醒"),
        "{html}"
    );
    assert!(!html.contains("孙丽"));
    let r = app.get("/develop?stage=activist", Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.text().contains("赵小军"));
    let r = app.get(&format!("/develop/{sun}"), Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A full member who joined before the system has nothing to record.
    let r = app
        .api(Method::GET, "/api/v1/people?status=full", Some(&sj), None)
        .await;
    let wang = r.json()["items"][0]["id"].as_str().unwrap().to_string();
    let html = app.get(&format!("/develop/{wang}"), Some(&br.cookie)).await.text();
    assert!(
        html.contains("已是正式党员，未在本系统办理发展过程") && !html.contains("name=\"done_on\""),
        "{html}"
    );
    // The person's detail page links to the development tab.
    let r = app.get(&format!("/people/{zhao}"), Some(&br.cookie)).await;
    assert!(r.text().contains(&format!("href=\"/develop/{zhao}\"")));
}

#[tokio::test]
async fn the_page_records_an_activists_reviews_and_reports() {
    let app = TestApp::new().await;
    let (_, _, sj, zhao, _) = setup(&app).await;
    let steps = format!("/api/v1/people/{zhao}/steps");
    for (no, on, body) in [
        (1, "2026-01-05", "applicant"),
        (2, "2026-01-20", "branch"),
        (3, "2026-02-01", "branch_committee"),
    ] {
        let r = app.api(Method::POST, &steps, Some(&sj), Some(step(no, on, body))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let br = app.browser("sj", PW).await;
    let page = app.get(&format!("/develop/{zhao}"), Some(&br.cookie)).await.text();
    // Nothing recorded yet: the first report and review come due, with the
    // rule table's periods.
    assert!(page.contains("2026-05-01 前提交思想汇报（每 3 个月一次）"), "{page}");
    assert!(page.contains("2026-08-01 前进行半年考察（每 6 个月一次）"), "{page}");
    assert!(page.contains("action=\"/develop/"), "{page}");
    let path = format!("/develop/{zhao}/records");
    let r = app
        .form(
            &br,
            &path,
            &[("kind", "report"), ("done_on", "2026-04-28"), ("note", "第一季度")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header("location"), format!("/develop/{zhao}?kept=report"));
    let page = app.get(&r.header("location"), Some(&br.cookie)).await.text();
    assert!(page.contains("已登记思想汇报。"), "{page}");
    assert!(page.contains("2026-07-28 前提交思想汇报"), "{page}");
    assert!(page.contains("2026-04-28 思想汇报"), "{page}");
    // Before becoming an activist: refused with the rule, nothing written.
    let r = app
        .form(&br, &path, &[("kind", "review"), ("done_on", "2026-01-31")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("早于确定为入党积极分子的日期 2026-02-01") && html.contains("未保存"),
        "{html}"
    );
    let r = app.api(Method::GET, &steps, Some(&sj), None).await;
    assert_eq!(r.json()["kept"].as_array().unwrap().len(), 1, "{}", r.text());
    // Through the API: a review is recorded; an extension for an activist is refused.
    let kept = format!("/api/v1/people/{zhao}/development-records");
    let r = app
        .api(
            Method::POST,
            &kept,
            Some(&sj),
            Some(json!({ "kind": "review", "done_on": "2026-08-01" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = app
        .api(
            Method::POST,
            &kept,
            Some(&sj),
            Some(json!({ "kind": "extension", "done_on": "2026-08-01", "months": 6 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("尚未批准为预备党员"), "{}", r.text());
}
