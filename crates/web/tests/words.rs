//! Words users read (ui.md): no raw keys, dates as 2026年9月21日.
mod common;
use axum::http::StatusCode;
use common::{TestApp, PW};
use tongpin_core::auth::Role;

#[tokio::test]
async fn the_audit_log_names_powers_and_clients_in_chinese() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("dy", Role::Member, Some(&root)).await;
    app.account("aud", Role::AuditAdmin, None).await;
    let dy = app.browser("dy", PW).await;
    assert_eq!(app.get("/people", Some(&dy.cookie)).await.status, StatusCode::FORBIDDEN);
    let aud = app.browser("aud", PW).await;
    let page = app.get("/admin/audit", Some(&aud.cookie)).await.text();
    let rows = page.split("<tbody>").nth(1).unwrap_or_default();
    assert!(!rows.contains("ViewPeople") && rows.contains("查看党员名册"), "{rows}");
    assert!(!rows.contains("<td>web</td>") && rows.contains("网页登录"), "{rows}");
}

#[tokio::test]
async fn to_dos_and_the_work_bench_read_dates_in_chinese() {
    let app = TestApp::new().await;
    let (root, _, a1, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    app.form(
        &br,
        &format!("/orgs/{a1}/term"),
        &[("elected_on", "2023-09-01"), ("term_years", "3")],
    )
    .await;
    let page = app.get("/todos", Some(&br.cookie)).await.text();
    assert!(page.contains("任期已于 2026年9月1日 届满"), "{page}");
    assert!(!page.contains("2026-09-01"), "{page}");
    // The clock stands at 2026-09-21 (Beijing): no leading zero anywhere.
    let home = app.get("/", Some(&br.cookie)).await.text();
    assert!(home.contains("2026年9月21日") && !home.contains("2026年09月"), "{home}");
}

#[tokio::test]
async fn the_menu_marks_the_page_shown_and_names_it_as_the_page_does() {
    let app = TestApp::new().await;
    let (root, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;
    for (path, label) in [
        ("/todos", "待办事项"),
        ("/units", "业务单元"),
        ("/plan/values", "指标填报"),
        ("/plan/fusion", "融合度分析"),
        ("/life/frequencies", "频次设置"),
    ] {
        let page = app.get(path, Some(&br.cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.text();
        let active: Vec<&str> = html
            .split("class=\"menu-item active\"")
            .skip(1)
            .filter_map(|s| s.split('>').nth(1)?.split('<').next())
            .collect();
        assert_eq!(active, [label], "{path}");
        assert!(html.contains(&format!("<title>{label} - ")), "{path}");
    }
}
