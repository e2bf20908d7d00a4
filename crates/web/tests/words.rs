//! Words users read (ui.md): no raw keys, dates as 2026年9月21日.
mod common;
use axum::http::{Method, StatusCode};
use common::{TestApp, PW};
use serde_json::json;
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

/// Help texts and messages name the rule table's numbers, not literals: a
/// changed number in `rules.rs` shows in every sentence that names it.
#[tokio::test]
async fn help_texts_name_the_rule_tables_numbers() {
    use tongpin_core::rules::words::{fraction, numeral, share};
    use tongpin_core::rules::{dues, life};
    let app = TestApp::new().await;
    let (root, _, a1, ..) = app.tree().await;
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let br = app.browser("dw", PW).await;

    // 党费台账: the filter, the count and the help read the arrears months.
    let page = app.get("/dues", Some(&br.cookie)).await.text();
    let first = dues::ARREARS_FIRST_WARNING_MONTHS;
    let leaving = dues::ARREARS_LEAVING_MONTHS;
    assert!(page.contains(&format!(">欠缴 {first} 个月以上</option>")), "{page}");
    assert!(page.contains(&format!("连续欠缴 {first} 个月以上 <b")), "{page}");
    assert!(page.contains(&format!("连续 {leaving} 个月不交纳")), "{page}");

    // 落实情况: quorum, the secretary's lectures, the months of art. 9.
    let page = app
        .get(&format!("/life/compliance?org={a1}"), Some(&br.cookie))
        .await
        .text();
    for want in [
        format!("到会不超过{}", share(life::QUORUM)),
        format!("书记每年至少讲{}次党课", numeral(life::SECRETARY_LECTURES_PER_YEAR)),
        format!("连续{}个月不参加", numeral(life::ABSENCE_LEAVING_MONTHS)),
        format!(
            "连续 {} 个月、{} 个月",
            life::ABSENCE_WARNING_MONTHS[0],
            life::ABSENCE_WARNING_MONTHS[1]
        ),
    ] {
        assert!(page.contains(&want), "{want}: {page}");
    }
    let page = app
        .get(&format!("/life/meetings/new?org={a1}"), Some(&br.cookie))
        .await
        .text();
    assert!(
        page.contains(&format!("须有{}以上有表决权的党员到会", share(life::QUORUM))),
        "{page}"
    );

    // 频次设置: the defaults come from the table, one clause per organization type.
    let page = app.get("/life/frequencies", Some(&br.cookie)).await.text();
    let defaults = tongpin_core::life::frequencies::defaults_text();
    assert!(page.contains(&defaults), "{page}");
    let (kind, org_kind, period, times) = life::FREQUENCIES[0];
    assert_eq!((kind, org_kind, period), ("general_meeting", "branch", "quarter"));
    assert!(
        defaults.contains(&format!("党支部：支部党员大会每季度 {times} 次")),
        "{defaults}"
    );

    // The API document: the ⅓ is a setting, named as its default.
    let doc = app.get("/api/openapi.json", None).await.text();
    let excellent = format!(
        "优秀一般不超过规定比例，默认{}，可在规则设置中调整",
        fraction(life::EXCELLENT_MAX_SHARE)
    );
    assert!(doc.contains(&excellent), "{doc}");
    assert!(doc.contains(&format!(
        "支部书记每年至少讲{}次党课",
        numeral(life::SECRETARY_LECTURES_PER_YEAR)
    )));
    assert!(doc.contains(&format!("连续欠缴 {first} 个月以上的人数")));
    assert!(doc.contains(&format!("3 为已满{}个月", numeral(life::ABSENCE_LEAVING_MONTHS))));
}

/// A branch with a member and a committee meeting whose topic starts with its kind.
async fn life_world(app: &TestApp) -> (String, String, String) {
    let (root, _, a1, ..) = app.tree().await;
    tongpin_core::with_db!(&app.db, |p| sqlx::query("UPDATE orgs SET founded_on = '2020-01-01'")
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
    app.account("dw", Role::OrgAdmin, Some(&root)).await;
    let dw = app.token("dw", PW).await;
    let body = json!({ "name": "赵一", "citizen_id": common::id_with_check("11010519800101001"), "org_id": a1, "status": "正式党员", "joined_on": "2010-07-01", "full_on": "2011-07-01" });
    let r = app.api(Method::POST, "/api/v1/people", Some(&dw), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let person = r.json()["id"].as_str().unwrap().to_string();
    let body = json!({ "org_id": a1, "kind": "committee_meeting", "held_at": "2026-08-10T09:00:00+08:00",
        "topic": "支委会：研究三季度工作", "attendee_ids": [person] });
    let r = app.api(Method::POST, "/api/v1/meetings", Some(&dw), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let meeting = r.json()["id"].as_str().unwrap().to_string();
    (root, a1, meeting)
}

#[tokio::test]
async fn period_codes_read_as_chinese_on_the_life_pages() {
    let app = TestApp::new().await;
    let (root, a1, _) = life_world(&app).await;
    let br = app.browser("dw", PW).await;
    for (path, org) in [
        ("/life/compliance", &a1),
        ("/life/supervision", &root),
        ("/life/ledger", &a1),
    ] {
        let page = app
            .get(&format!("{path}?org={org}&period=2026-Q3"), Some(&br.cookie))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.text();
        let body = html.split("<body").nth(1).unwrap_or_default();
        // Shown text only: attribute values (links, option values) may carry codes.
        let shown: String = body
            .split('<')
            .filter_map(|s| s.split_once('>').map(|(_, t)| t))
            .collect();
        assert!(!shown.contains("-Q") && !shown.contains("2026-0"), "{path}: {shown}");
        assert!(shown.contains("2026年第三季度"), "{path}: {shown}");
    }
    // A quarter's windows name their months: 2026年7月：…
    let page = app
        .get(&format!("/life/compliance?org={a1}&period=2026-Q3"), Some(&br.cookie))
        .await
        .text();
    assert!(page.contains("2026年7月："), "{page}");
}

#[tokio::test]
async fn every_period_page_uses_the_one_period_picker() {
    let app = TestApp::new().await;
    let (_, a1, _) = life_world(&app).await;
    let br = app.browser("dw", PW).await;
    for (path, kinds) in [
        (format!("/life?org={a1}"), &["month"][..]),
        (format!("/life/compliance?org={a1}"), &["month", "quarter", "year"][..]),
        (format!("/life/supervision?org={a1}"), &["month", "quarter", "year"][..]),
        (format!("/life/ledger?org={a1}"), &["month", "quarter", "year"][..]),
        ("/dues".to_string(), &["month"][..]),
        (format!("/plan?org={a1}&year=2026"), &["year"][..]),
        (format!("/plan/values?org={a1}&year=2026"), &["year"][..]),
        (format!("/study/plans?org={a1}&year=2026"), &["year"][..]),
    ] {
        let page = app.get(&path, Some(&br.cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.text();
        assert_eq!(html.matches("class=\"period-picker\"").count(), 1, "{path}: {html}");
        for k in ["month", "quarter", "year"] {
            assert_eq!(
                html.contains(&format!("data-period-kind=\"{k}\"")),
                kinds.contains(&k),
                "{path}: {k}"
            );
        }
        assert!(!html.contains("placeholder=\"2026-03 / 2026-Q1 / 2026\""), "{path}");
    }
    // The picker's codes are the ones the pages parse.
    let html = app
        .get(&format!("/life/ledger?org={a1}&period=2026-Q3"), Some(&br.cookie))
        .await
        .text();
    assert!(
        html.contains("<option value=\"2026-Q3\" selected>2026年第三季度</option>"),
        "{html}"
    );
    assert!(html.contains("<option value=\"2026\">2026年度</option>"), "{html}");
}

#[tokio::test]
async fn a_meeting_title_says_its_kind_once() {
    let app = TestApp::new().await;
    let (_, a1, m) = life_world(&app).await;
    let br = app.browser("dw", PW).await;
    for path in [
        format!("/life/meetings/{m}"),
        format!("/life/meetings/{m}/print"),
        format!("/life?org={a1}&month=2026-08"),
        format!("/life/ledger?org={a1}&period=2026-08"),
    ] {
        let page = app.get(&path, Some(&br.cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.text();
        assert!(
            !html.contains("支委会：研究") && !html.contains("支委会：支委会"),
            "{path}: {html}"
        );
        assert!(html.contains("研究三季度工作"), "{path}");
    }
    let detail = app.get(&format!("/life/meetings/{m}"), Some(&br.cookie)).await.text();
    assert!(detail.contains("支委会「研究三季度工作」"), "{detail}");
}
