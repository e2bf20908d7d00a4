//! 联系点: the superior pairs a leader with a branch, logs visits with their
//! findings and turns a finding into a problem of the branch's 问题清单; the
//! branch itself and anyone outside are refused, bad input names its field.
use super::super::*;

async fn visit_id(app: &TestApp) -> String {
    tongpin_core::with_db!(&app.db, |p| sqlx::query_scalar::<_, String>(
        "SELECT id FROM standard_visits ORDER BY visited_on DESC LIMIT 1"
    )
    .fetch_one(p)
    .await
    .unwrap())
}

#[tokio::test]
async fn a_contact_point_logs_visits_and_its_findings_become_problems() {
    let w = world().await;
    let za = w.app.browser("za", PW).await;
    let sja = w.app.browser("sja", PW).await;
    let sjb = w.app.browser("sjb", PW).await;
    let good = [
        ("org_id", w.a1.as_str()),
        ("leader_id", w.pa[1].as_str()),
        ("since", "2026-09-01"),
        ("note", "指导组织生活规范化"),
    ];
    // The branch does not pair a leader with itself; bad input names its field.
    let r = w.app.form(&sja, "/standards/contacts/new", &good).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    for (k, v, field) in [
        ("org_id", "", "联系点"),
        ("leader_id", w.pb.as_str(), "联系领导"),
        ("since", "2026-10-01", "联系开始日期"),
    ] {
        let mut f = good.to_vec();
        f.retain(|(n, _)| *n != k);
        f.push((k, v));
        let r = w.app.form(&za, "/standards/contacts/new", &f).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text());
        assert!(r.text().contains(field), "{field}: {}", r.text());
    }
    assert_eq!(count(&w.app, "standard_contacts").await, 0);
    let r = w.app.form(&za, "/standards/contacts/new", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = r.header("location");
    let id = page
        .trim_start_matches("/standards/contacts/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let r = w.app.get("/standards/contacts", Some(&za.cookie)).await;
    assert!(r.text().contains("支部A1") && r.text().contains("李四") && r.text().contains("contact-new"));
    let r = w.app.get("/standards/contacts", Some(&sja.cookie)).await;
    assert!(
        r.text().contains("李四") && !r.text().contains("contact-new"),
        "{}",
        r.text()
    );
    let r = w.app.get(&format!("/standards/contacts/{id}"), Some(&sjb.cookie)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Visits: only the superior logs them, on a day of the pairing.
    let visits = format!("/standards/contacts/{id}/visits");
    let visit = [
        ("visited_on", "2026-09-10"),
        ("summary", "参加支部主题党日，查阅会议记录"),
        ("findings", "党员大会记录不完整"),
    ];
    let r = w.app.form(&sja, &visits, &visit).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = w.app.form(&sjb, &visits, &visit).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    for (k, v, field) in [
        ("visited_on", "2026-09-30", "走访日期"),
        ("visited_on", "2026-08-01", "走访日期"),
        ("summary", "", "走访情况"),
    ] {
        let mut f = visit.to_vec();
        f.retain(|(n, _)| *n != k);
        f.push((k, v));
        let r = w.app.form(&za, &visits, &f).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text());
        assert!(r.text().contains(field), "{field}: {}", r.text());
    }
    assert_eq!(count(&w.app, "standard_visits").await, 0);
    let r = w.app.form(&za, &visits, &visit).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = w.app.get(&format!("/standards/contacts/{id}"), Some(&za.cookie)).await;
    assert!(r.text().contains("党员大会记录不完整") && r.text().contains("列入问题清单"));

    // The finding into the problem list.
    let v = visit_id(&w.app).await;
    let to = format!("/standards/visits/{v}/problem");
    let row = [
        ("contact_id", id.as_str()),
        ("standard_id", w.sid.as_str()),
        ("p1_item_code", "A2"),
        ("p1_cause", "党员大会记录不完整"),
        ("p1_measure", "补齐会议记录，建立记录审核制度"),
        ("p1_owner_id", w.pa[0].as_str()),
        ("p1_deadline", "2026-12-31"),
    ];
    let r = w.app.form(&sja, &to, &row).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = w.app.form(&za, &to, &row[..2]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("问题清单"));
    let mut late = row.to_vec();
    late.retain(|(n, _)| *n != "p1_deadline");
    late.push(("p1_deadline", "2026-01-01"));
    let r = w.app.form(&za, &to, &late).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("整改时限"));
    assert_eq!(count(&w.app, "standard_problems").await, 0);
    let r = w.app.form(&za, &to, &row).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.header("location").contains("done=listed"));
    let r = w
        .call(Method::GET, &w.sja, &format!("/api/v1/problems?org_id={}", w.a1), None)
        .await;
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["source"], "visit");
    let r = w.app.get(&format!("/standards/contacts/{id}"), Some(&za.cookie)).await;
    assert!(r.text().contains("已列入"));

    // The end of the pairing: the superior's.
    let end = format!("/standards/contacts/{id}/end");
    let r = w.app.form(&sja, &end, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = w.app.form(&za, &end, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = w.app.form(&za, &end, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let actions = w.app.audit_actions().await;
    for a in [
        "standard.contact.create",
        "standard.visit",
        "standard.visit.problem",
        "standard.contact.end",
    ] {
        assert!(actions.iter().any(|x| x.0 == a), "{a}");
    }
}
