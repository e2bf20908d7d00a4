//! 述职: the branch's staff open the draft assembled from the records, save
//! it, submit it only when complete; the superior reads it only once
//! submitted; another organization does not reach it.
use crate::common::{id_with_check, PW};
use crate::world::{cli, count, scope_of, world};
use axum::http::StatusCode;
use tongpin_core::auth::Power;
use tongpin_core::people::{self, NewPerson};

#[tokio::test]
async fn a_report_is_drafted_saved_submitted_and_read_above() {
    let w = world().await;
    let hr = scope_of(&w.app, "adm-a1", Power::ManagePeople).await;
    let p = NewPerson {
        name: "钱书记".into(),
        citizen_id: id_with_check("11010519800101002"),
        org_id: w.a1.clone(),
        status: "正式党员".into(),
        joined_on: "2010-07-01".into(),
        ..NewPerson::default()
    };
    let person = people::create(&w.app.db, w.app.clock_now(), &cli(), &hr, &p)
        .await
        .unwrap();
    let own = w.app.browser("adm-a1", PW).await;
    let url = format!("/reports/edit?org={}&person={person}&year=2026", w.a1);
    let r = w.app.get(&url, Some(&own.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("钱书记") && r.text().contains("保存草稿"));
    let fields = |integrity: &'static str, action: &'static str| {
        vec![
            ("org_id", w.a1.clone()),
            ("person_id", person.clone()),
            ("year", "2026".to_string()),
            ("business", "完成年度业务目标".to_string()),
            ("party_building", "按期开展组织生活".to_string()),
            ("integrity", integrity.to_string()),
            ("action", action.to_string()),
        ]
    };
    let draft = fields("", "save");
    let d: Vec<(&str, &str)> = draft.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = w.app.form(&own, "/reports", &d).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // The superior does not read a draft.
    let above = w.app.browser("adm-a", PW).await;
    let l = w.app.get("/reports?year=2026", Some(&above.cookie)).await;
    assert!(l.text().contains("本年度暂无述职报告"), "{}", l.text());
    let incomplete = fields("", "submit");
    let incomplete: Vec<(&str, &str)> = incomplete.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = w.app.form(&own, "/reports", &incomplete).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("三部分都填写后才能提交"));
    let full = fields("严守廉洁纪律", "submit");
    let full: Vec<(&str, &str)> = full.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = w.app.form(&own, "/reports", &full).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM assessment_reports WHERE status = 'submitted'").await,
        1
    );
    let l = w.app.get("/reports?year=2026", Some(&above.cookie)).await;
    assert!(
        l.text().contains("钱书记") && l.text().contains("已提交"),
        "{}",
        l.text()
    );
    let r = w.app.get(&url, Some(&above.cookie)).await;
    assert!(r.text().contains("严守廉洁纪律") && !r.text().contains("保存草稿"));
    let r = w.app.form(&own, "/reports", &full).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "submitted is final");
    let other = w.app.browser("adm-b", PW).await;
    assert_eq!(w.app.get(&url, Some(&other.cookie)).await.status, StatusCode::NOT_FOUND);
}
