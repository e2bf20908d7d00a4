//! Appeals: only after the close, only by the assessed organization, only
//! within the window; decided only by the organization above the assessor;
//! an amendment keeps the before and after for the appellant; bad input is a
//! Chinese 4xx that writes nothing.
use crate::common::PW;
use crate::world::{close, count, world, World};
use axum::http::{Method, StatusCode};
use serde_json::json;

async fn file(w: &World, user: &str, reason: &str) -> crate::common::Resp {
    let tok = w.app.token(user, PW).await;
    let path = format!("/api/v1/assessments/{}/appeals", w.id);
    w.app
        .api(
            Method::POST,
            &path,
            Some(&tok),
            Some(json!({ "target_id": w.a1, "reason": reason })),
        )
        .await
}

async fn decide(w: &World, user: &str, appeal: &str, body: serde_json::Value) -> crate::common::Resp {
    let tok = w.app.token(user, PW).await;
    w.app
        .api(
            Method::POST,
            &format!("/api/v1/appeals/{appeal}/decide"),
            Some(&tok),
            Some(body),
        )
        .await
}

async fn appeals(w: &World) -> i64 {
    count(w, "SELECT COUNT(*) FROM assessment_appeals").await
}

#[tokio::test]
async fn an_appeal_is_filed_after_the_close_and_decided_by_the_superior() {
    let w = world().await;
    let r = file(&w, "adm-a1", "党员大会记录未计入").await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "before the close: {}",
        r.text()
    );
    assert!(r.json()["message"].as_str().unwrap().contains("尚未公布"));
    close(&w).await;
    // Another organization does not see the assessment at all.
    for (u, status) in [("adm-b", StatusCode::NOT_FOUND), ("adm-b1", StatusCode::NOT_FOUND)] {
        let r = file(&w, u, "理由").await;
        assert_eq!(r.status, status, "{u}: {}", r.text());
    }
    let r = file(&w, "adm-a1", "  ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "申诉理由");
    assert_eq!(appeals(&w).await, 0, "nothing written");
    let r = file(&w, "adm-a1", "党员大会记录未计入").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(file(&w, "adm-a1", "再次申诉").await.status, StatusCode::CONFLICT);
    let amend = json!({ "upheld": false, "indicator_code": "E1", "points": "80", "comment": "经核实予以改正" });
    // The assessor itself (总支A) and another organization do not decide; the 党委 above it does.
    for (u, status) in [
        ("adm-a", StatusCode::FORBIDDEN),
        ("adm-a1", StatusCode::FORBIDDEN),
        ("adm-b", StatusCode::NOT_FOUND),
    ] {
        let r = decide(&w, u, &id, amend.clone()).await;
        assert_eq!(r.status, status, "{u}: {}", r.text());
    }
    for (bad, field) in [
        (
            json!({ "upheld": false, "indicator_code": "E1", "points": "91", "comment": "改正" }),
            "分值",
        ),
        (
            json!({ "upheld": false, "indicator_code": "X9", "points": "1", "comment": "改正" }),
            "指标编码",
        ),
        (
            json!({ "upheld": false, "indicator_code": "E1", "points": "八十", "comment": "改正" }),
            "分值",
        ),
    ] {
        let r = decide(&w, "adm-root", &id, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(r.json()["field"], field);
    }
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM assessment_appeals WHERE status = 'pending'").await,
        1
    );
    let r = decide(&w, "adm-root", &id, amend.clone()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(decide(&w, "adm-root", &id, amend).await.status, StatusCode::CONFLICT);
    let tok = w.app.token("adm-a1", PW).await;
    let l = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{}/appeals", w.id),
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(l.status, StatusCode::OK);
    let x = &l.json()["items"][0];
    assert_eq!(x["status"], "amended");
    assert_eq!(
        (x["points_before"].as_i64(), x["points_after"].as_i64()),
        (None, Some(8000))
    );
    // The appellant's page shows the before and after.
    let br = w.app.browser("adm-a1", PW).await;
    let p = w
        .app
        .get(&format!("/assessments/{}/appeals", w.id), Some(&br.cookie))
        .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.text().contains("已改正") && p.text().contains("→ 80 分") && p.text().contains("经核实予以改正"),
        "{}",
        p.text()
    );
    assert!(!p.text().contains("提交处理结果"), "no decision form for the appellant");
    let tok_b = w.app.token("adm-b", PW).await;
    let l = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{}/appeals", w.id),
            Some(&tok_b),
            None,
        )
        .await;
    assert_eq!(l.status, StatusCode::NOT_FOUND, "another organization sees nothing");
}

#[tokio::test]
async fn the_pages_file_and_uphold_and_the_window_ends() {
    let w = world().await;
    close(&w).await;
    let br = w.app.browser("adm-a1", PW).await;
    let page = format!("/assessments/{}/appeals", w.id);
    let p = w.app.get(&page, Some(&br.cookie)).await;
    assert!(p.text().contains("提交申诉"), "{}", p.text());
    let r = w
        .app
        .form(
            &br,
            &page,
            &[("target_id", w.a1.as_str()), ("line", "E1"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("申诉理由"));
    let r = w
        .app
        .form(
            &br,
            &page,
            &[("target_id", w.a1.as_str()), ("line", "E1"), ("reason", "记录漏计")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: String = crate::world::text(&w, "SELECT id FROM assessment_appeals").await;
    assert_eq!(
        crate::world::text(&w, "SELECT reason FROM assessment_appeals").await,
        "【E1 指标E1】记录漏计"
    );
    let root = w.app.browser("adm-root", PW).await;
    let p = w.app.get(&page, Some(&root.cookie)).await;
    assert!(p.text().contains("提交处理结果"));
    let r = w
        .app
        .form(&root, &format!("/appeals/{id}/decide"), &[("outcome", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("处理结果"));
    let r = w
        .app
        .form(
            &root,
            &format!("/appeals/{id}/decide"),
            &[("outcome", "upheld"), ("comment", "维持")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let p = w.app.get(&page, Some(&br.cookie)).await;
    assert!(p.text().contains("维持原结果"));
    // Past the window (15 days after the close): refused, nothing written.
    w.app.clock.advance_minutes(16 * 24 * 60);
    let r = file(&w, "adm-a1", "逾期申诉").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["field"], "申诉期限");
    assert_eq!(appeals(&w).await, 1);
}
