//! Anonymous ballots: the assessor issues them (slips with links and QR
//! codes), anyone holding one votes once with no login, a reused, forged or
//! wrong one is refused with a Chinese page, bad points write nothing, and
//! the board shows counts and the mean only from the threshold.
use crate::common::{TestApp, PW};
use crate::world::{assessment, count, ind, world, World};
use axum::http::{Method, StatusCode};
use serde_json::json;

/// The ballot tokens in a page or JSON text.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split("/ballot/")
        .skip(1)
        .map(|s| {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect()
        })
        .filter(|t: &String| t.starts_with("tpb_"))
        .collect();
    out.dedup();
    out
}

async fn issue(w: &World, n: &str) -> Vec<String> {
    let br = w.app.browser("adm-a", PW).await;
    let r = w
        .app
        .form(
            &br,
            &format!("/assessments/{}/ballots", w.id),
            &[("target_id", w.a1.as_str()), ("count", n)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = r.text();
    assert!(t.contains("群众评议选票") && t.contains("<svg"), "slips with QR codes");
    assert!(t.contains("http://tongpin.test/ballot/tpb_"), "absolute links");
    tokens(&t)
}

async fn vote(app: &TestApp, token: &str, points: &str) -> crate::common::Resp {
    app.form_raw(&format!("/ballot/{token}"), &[("p_M1", points)], None)
        .await
}

async fn tally(w: &World) -> i64 {
    count(
        w,
        "SELECT CAST(COALESCE(SUM(ballots), 0) AS BIGINT) FROM assessment_tallies",
    )
    .await
}

#[tokio::test]
async fn issued_ballots_vote_once_without_login_and_show_from_the_threshold() {
    let w = world().await;
    let ts = issue(&w, "6").await;
    assert_eq!(ts.len(), 6);
    let page = w.app.get(&format!("/ballot/{}", ts[0]), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("支部A1") && page.text().contains("name=\"p_M1\""));
    let br = w.app.browser("adm-a", PW).await;
    let board = format!("/assessments/{}/ballots", w.id);
    for (i, t) in ts.iter().take(4).enumerate() {
        let r = vote(&w.app, t, &format!("{}", 6 + i)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("投票成功"));
    }
    let r = w.app.get(&board, Some(&br.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text().contains("样本不足") && r.text().contains("4/5"),
        "{}",
        r.text()
    );
    // A logged-in browser votes too: the ballot is its own credential (no CSRF token asked).
    let r = w
        .app
        .form_raw(&format!("/ballot/{}", ts[4]), &[("p_M1", "10")], Some(&br.cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = w.app.get(&board, Some(&br.cookie)).await;
    // (6 + 7 + 8 + 9 + 10) / 5 = 8
    assert!(
        r.text().contains("8 / 10") && r.text().contains("6 张") && r.text().contains("5 张"),
        "{}",
        r.text()
    );
    let api = w.app.token("adm-a", PW).await;
    let j = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/assessments/{}/ballots", w.id),
            Some(&api),
            None,
        )
        .await;
    assert_eq!(j.status, StatusCode::OK);
    let t = &j.json()["targets"][0];
    assert_eq!(
        (t["issued"].as_i64(), t["cast"].as_i64(), t["mean"].as_i64()),
        (Some(6), Some(5), Some(800))
    );
    // Nothing about the voter: the ballot's audit record has no account or address.
    let addr = count(
        &w,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'assess.ballot' AND (client_addr <> '' OR actor_id IS NOT NULL)",
    )
    .await;
    assert_eq!(addr, 0);
}

#[tokio::test]
async fn a_ballot_is_refused_when_used_forged_or_given_bad_points() {
    let w = world().await;
    let ts = issue(&w, "2").await;
    let before = tally(&w).await;
    for bad in ["11", "-1", "abc", ""] {
        let r = vote(&w.app, &ts[0], bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.text());
        assert!(r.text().contains("指标M1分值"), "{}", r.text());
    }
    assert_eq!(tally(&w).await, before, "nothing written");
    let r = vote(&w.app, &ts[0], "9.5").await;
    assert_eq!(r.status, StatusCode::OK);
    let again = vote(&w.app, &ts[0], "9.5").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("该选票已使用"));
    let page = w.app.get(&format!("/ballot/{}", ts[0]), None).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    for forged in ["tpb_nothing", "x"] {
        let r = w.app.get(&format!("/ballot/{forged}"), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.text().contains("选票无效"));
        assert_eq!(vote(&w.app, forged, "5").await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(tally(&w).await, before + 1);
    // From another site: refused before anything.
    let r = w
        .app
        .send(
            axum::http::Request::builder()
                .method(Method::POST)
                .uri(format!("/ballot/{}", ts[1]))
                .header("host", "tongpin.test")
                .header("origin", "http://evil.test")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from("p_M1=5"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(tally(&w).await, before + 1);
}

#[tokio::test]
async fn one_ballot_cast_twice_at_once_counts_once() {
    let w = world().await;
    let ts = issue(&w, "3").await;
    for t in &ts {
        let (x, y) = tokio::join!(vote(&w.app, t, "7"), vote(&w.app, t, "8"));
        let ok = [x.status, y.status].iter().filter(|s| s.is_success()).count();
        assert_eq!(ok, 1, "{} {}", x.status, y.status);
        let other = if x.status.is_success() { y.status } else { x.status };
        assert_eq!(other, StatusCode::CONFLICT);
    }
    assert_eq!(tally(&w).await, 3);
}

#[tokio::test]
async fn only_the_assessor_issues_and_only_for_its_targets_and_masses_items() {
    let w = world().await;
    let path = format!("/api/v1/assessments/{}/ballots", w.id);
    for u in ["adm-b", "adm-a1"] {
        let tok = w.app.token(u, PW).await;
        let r = w
            .app
            .api(
                Method::POST,
                &path,
                Some(&tok),
                Some(json!({ "target_id": w.a1, "count": 2 })),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{u}: {}", r.text());
        let br = w.app.browser(u, PW).await;
        let r = w
            .app
            .get(&format!("/assessments/{}/ballots", w.id), Some(&br.cookie))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{u}");
    }
    let tok = w.app.token("adm-a", PW).await;
    for (body, field) in [
        (json!({ "target_id": w.b1, "count": 2 }), "考核对象"),
        (json!({ "target_id": w.a1, "count": 0 }), "张数"),
        (json!({ "target_id": w.a1, "count": 1001 }), "张数"),
    ] {
        let r = w.app.api(Method::POST, &path, Some(&tok), Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(r.json()["field"], field);
    }
    let br = w.app.browser("adm-a", PW).await;
    let r = w
        .app
        .form(
            &br,
            &format!("/assessments/{}/ballots", w.id),
            &[("target_id", w.a1.as_str()), ("count", "两张")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("张数"));
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM assessment_ballot_tokens").await,
        0,
        "nothing written"
    );
    // An assessment without a masses item issues none; a ballot of one assessment is not another's.
    let other = assessment(
        &w.app,
        &w.a,
        &w.a1,
        "2026年度专项考核",
        vec![ind("E9", "entered", "100", false)],
    )
    .await;
    let r = w
        .app
        .api(
            Method::POST,
            &format!("/api/v1/assessments/{other}/ballots"),
            Some(&tok),
            Some(json!({ "target_id": w.a1, "count": 1 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "评价主体");
    let r = w
        .app
        .api(
            Method::POST,
            &path,
            Some(&tok),
            Some(json!({ "target_id": w.a1, "count": 1 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let t = r.json()["tokens"][0].as_str().unwrap().to_string();
    let v = w.app.form_raw(&format!("/ballot/{t}"), &[("p_E9", "50")], None).await;
    assert_eq!(v.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", v.text());
    assert!(v.text().contains("不是群众评议的指标"));
    assert_eq!(tally(&w).await, 0);
}

#[tokio::test]
async fn a_closed_assessment_takes_no_ballot() {
    let w = world().await;
    let ts = issue(&w, "1").await;
    crate::world::close(&w).await;
    let r = vote(&w.app, &ts[0], "5").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("考核已结束"));
    let br = w.app.browser("adm-a", PW).await;
    let r = w
        .app
        .form(
            &br,
            &format!("/assessments/{}/ballots", w.id),
            &[("target_id", w.a1.as_str()), ("count", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
}
