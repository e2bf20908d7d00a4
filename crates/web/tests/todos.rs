//! The to-do center (待办): overdue only after the deadline (Beijing dates),
//! start dates (起可) apart from deadlines, filters and groups by module and
//! status.
mod common;
use axum::http::{Method, StatusCode};
use common::{id_with_check, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::Role;

fn items(j: &Value) -> Vec<Value> {
    j["items"].as_array().cloned().unwrap_or_default()
}

fn find(j: &Value, part: &str) -> Value {
    items(j)
        .into_iter()
        .find(|t| t["title"].as_str().unwrap_or("").contains(part))
        .unwrap_or_else(|| panic!("no to-do with {part}: {j}"))
}

#[tokio::test]
async fn a_deadline_is_overdue_only_from_the_next_beijing_day() {
    let app = TestApp::new().await;
    let (root, _, a1, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    // The clock stands at 2026-09-21 22:13 in Beijing; the term ends today.
    let r = app
        .form(
            &br,
            &format!("/orgs/{a1}/term"),
            &[("elected_on", "2023-09-21"), ("term_years", "3")],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.text());
    let t = app.token("dw", PW).await;
    let j = app.api(Method::GET, "/api/v1/todos", Some(&t), None).await.json();
    let e = find(&j, "支部A1：换届");
    assert_eq!(e["due"], "2026-09-21");
    assert_eq!(e["overdue"], false, "due today is not late: {e}");
    assert_eq!(e["status"], "soon");
    assert_eq!(j["overdue"], 0);
    // Two hours on it is 2026-09-22 in Beijing (still the 21st in UTC): late.
    app.clock.advance_minutes(120);
    let t = app.token("dw", PW).await;
    let j = app.api(Method::GET, "/api/v1/todos", Some(&t), None).await.json();
    let e = find(&j, "支部A1：换届");
    assert_eq!(e["overdue"], true, "{e}");
    assert_eq!(e["status"], "overdue");
    assert_eq!(j["overdue"], 1);
    let br = app.browser("dw", PW).await;
    let page = app.get("/todos", Some(&br.cookie)).await.text();
    assert!(page.contains("截止 2026年9月21日") && page.contains("已逾期"), "{page}");
}

#[tokio::test]
async fn five_months_of_dues_unpaid_is_not_overdue_before_its_deadline() {
    let app = TestApp::new().await;
    let (root, _, a1, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let dw = app.token("dw", PW).await;
    let body = json!({ "name": "张三", "citizen_id": id_with_check("11010519800101001"), "org_id": a1,
        "status": "正式党员", "joined_on": "2010-07-01" });
    let r = app.api(Method::POST, "/api/v1/people", Some(&dw), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    // Owed from April, nothing paid: April to August is 5 months by September.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/people/{id}/dues-base"),
            Some(&dw),
            Some(json!({ "from_month": "2026-04", "category": "在职", "base_fen": 500000 })),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let j = app.api(Method::GET, "/api/v1/todos", Some(&dw), None).await.json();
    let e = find(&j, "连续 5 个月未交纳");
    assert_eq!(e["due"], "2026-09-30");
    assert_eq!(e["overdue"], false, "a deadline in the future is never late: {e}");
    assert_ne!(e["status"], "overdue");
    let j = app.api(Method::GET, "/api/v1/dues/todos", Some(&dw), None).await.json();
    assert_eq!(j["items"][0]["overdue"], false, "{j}");
}

fn step(no: u8, on: &str, body: &str) -> Value {
    json!({ "step": no, "done_on": on, "body": body, "responsible": "张志强" })
}

#[tokio::test]
async fn a_start_date_is_not_a_deadline_and_the_list_filters_by_module_and_status() {
    let app = TestApp::new().await;
    let (root, _, a1, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let dw = app.token("dw", PW).await;
    let body = json!({ "name": "赵小军", "citizen_id": id_with_check("11010519950315001"), "org_id": a1,
        "status": "群众" });
    let r = app.api(Method::POST, "/api/v1/people", Some(&dw), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let zhao = r.json()["id"].as_str().unwrap().to_string();
    // An activist since 2025-10-01: a candidate from 2026-10-01 (起可), not by then.
    for s in [
        step(1, "2025-09-01", "applicant"),
        step(2, "2025-09-20", "branch"),
        step(3, "2025-10-01", "支委会"),
    ] {
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/people/{zhao}/steps"),
                Some(&dw),
                Some(s),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    // And a re-election overdue since 2026-09-01.
    let br = app.browser("dw", PW).await;
    app.form(
        &br,
        &format!("/orgs/{a1}/term"),
        &[("elected_on", "2023-09-01"), ("term_years", "3")],
    )
    .await;
    let j = app.api(Method::GET, "/api/v1/todos", Some(&dw), None).await.json();
    let e = find(&j, "（第 7 步）");
    assert_eq!(e["from"], "2026-10-01", "{e}");
    assert_eq!(e["due"], Value::Null, "{e}");
    assert_eq!(e["overdue"], false);
    assert_eq!(e["module"], "发展党员");
    let page = app.get("/todos", Some(&br.cookie)).await.text();
    let row = page
        .split("<tr>")
        .find(|r| r.contains("（第 7 步）"))
        .unwrap_or_default();
    assert!(row.contains("2026年10月1日起可办理") && !row.contains("截止"), "{row}");
    // Grouped by module, each with its name.
    for g in ["发展党员", "换届"] {
        assert!(page.contains(&format!("<h2 class=\"card-title\">{g}")), "{g}: {page}");
    }
    // Filters: by module, by status, both; the API takes the same query.
    let j = app
        .api(Method::GET, "/api/v1/todos?module=org", Some(&dw), None)
        .await
        .json();
    assert!(
        !items(&j).is_empty() && items(&j).iter().all(|t| t["kind"] == "org"),
        "{j}"
    );
    let j = app
        .api(Method::GET, "/api/v1/todos?status=overdue", Some(&dw), None)
        .await
        .json();
    assert!(
        !items(&j).is_empty() && items(&j).iter().all(|t| t["status"] == "overdue"),
        "{j}"
    );
    let j = app
        .api(
            Method::GET,
            "/api/v1/todos?module=develop&status=overdue",
            Some(&dw),
            None,
        )
        .await
        .json();
    assert!(
        items(&j).iter().all(|t| t["kind"] == "develop" && t["overdue"] == true),
        "{j}"
    );
    let page = app.get("/todos?module=org", Some(&br.cookie)).await.text();
    assert!(page.contains("支部A1：换届") && !page.contains("赵小军"), "{page}");
    let page = app.get("/todos?status=overdue", Some(&br.cookie)).await.text();
    assert!(page.contains("支部A1：换届") && !page.contains("第 7 步"), "{page}");
    // An unknown filter is a clear 422, not a silent empty list.
    let r = app.api(Method::GET, "/api/v1/todos?status=late", Some(&dw), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("状态"));
}
