//! 督查调度: the 党委 asks its branches for a progress report; a branch sees
//! it among its to-dos and reports with a file; the requester sees who
//! reported and who is late and follows a report up; refusals name their
//! field or answer as if the object did not exist.
use super::super::*;

async fn dispatch_id(app: &TestApp) -> String {
    tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar::<_, String>(
        "SELECT id FROM standard_dispatches LIMIT 1"
    )
    .fetch_one(p)
    .await
    .unwrap())
}

#[tokio::test]
async fn a_dispatch_is_reported_on_and_followed_up() {
    let w = world().await;
    let dw = w.app.browser("dw", PW).await;
    let good = [
        ("org_id", w.root.as_str()),
        ("title", "标准化建设推进情况调度"),
        ("request", "请报送本季度对标自查和问题整改进展"),
        ("period", "2026-Q3"),
        ("due_on", "2026-09-30"),
        ("org_kinds", "branch"),
    ];
    for (k, v, field) in [
        ("org_id", "", "调度单位"),
        ("title", "", "调度事项"),
        ("period", "三季度", "调度期间"),
        ("due_on", "2026-09-01", "报送时限"),
    ] {
        let mut f = good.to_vec();
        f.retain(|(n, _)| *n != k);
        f.push((k, v));
        let r = w.app.form(&dw, "/standards/dispatches/new", &f).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text());
        assert!(r.text().contains(field), "{field}: {}", r.text());
    }
    assert_eq!(count(&w.app, "standard_dispatches").await, 0);
    let r = w.app.form(&dw, "/standards/dispatches/new", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id = dispatch_id(&w.app).await;
    let page = format!("/standards/dispatches/{id}");

    // The branch's to-do, its report with a file; not for another branch.
    let r = w.call(Method::GET, &w.sja, "/api/v1/todos", None).await;
    assert!(r.text().contains(&page), "{}", r.text());
    let sja = w.app.browser("sja", PW).await;
    let r = w.app.get(&page, Some(&sja.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("dispatch-report"));
    let report = format!("{page}/report");
    let file = Some(("进展台账.pdf", b"%PDF-1.7\n% progress\n".as_slice()));
    for (org, content, status) in [
        (w.a1.as_str(), "", StatusCode::UNPROCESSABLE_ENTITY),
        (w.root.as_str(), "进展", StatusCode::NOT_FOUND),
    ] {
        let fields = [("org_id", org), ("content", content)];
        let r = w.app.send(multipart(&sja, &report, &fields, file)).await;
        assert_eq!(r.status, status, "{org}: {}", r.text());
    }
    assert_eq!(count(&w.app, "standard_dispatch_reports").await, 0);
    let fields = [
        ("org_id", w.a1.as_str()),
        ("content", "已完成全部项目自查，问题整改有序推进"),
    ];
    let r = w.app.send(multipart(&sja, &report, &fields, file)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // Ten days on: B1 is late; the requester sees it and follows A1 up.
    w.app.clock.advance_minutes(10 * 24 * 60);
    let dw = w.app.browser("dw", PW).await;
    let r = w.app.get(&page, Some(&dw.cookie)).await;
    let t = r.text();
    assert!(
        t.contains("已报送") && t.contains("逾期未报") && t.contains("进展台账.pdf"),
        "{t}"
    );
    let rid: String = tongpin_core::with_db!(&w.app.db, |p| sqlx::query_scalar::<_, String>(
        "SELECT id FROM standard_dispatch_reports"
    )
    .fetch_one(p)
    .await
    .unwrap());
    let follow = format!("/standards/dispatch-reports/{rid}/follow-up");
    let sja = w.app.browser("sja", PW).await;
    let r = w
        .app
        .form(&sja, &follow, &[("dispatch_id", id.as_str()), ("comment", "好")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    let r = w
        .app
        .form(&dw, &follow, &[("dispatch_id", id.as_str()), ("comment", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("督办意见"));
    let comment = "请于月底前完成问题整改并报送销号材料";
    let r = w
        .app
        .form(&dw, &follow, &[("dispatch_id", id.as_str()), ("comment", comment)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = w.app.get(&page, Some(&dw.cookie)).await;
    assert!(r.text().contains(comment));
    let r = w.app.get("/standards/dispatches", Some(&dw.cookie)).await;
    assert!(r.text().contains("标准化建设推进情况调度"));
    let actions = w.app.audit_actions().await;
    for a in ["standard.dispatch.report", "standard.dispatch.follow_up"] {
        assert!(actions.iter().any(|x| x.0 == a), "{a}");
    }
}
