//! 软弱涣散预警: the flagged branches with the records behind them (JSON,
//! the warnings page, the ledger's badge), and the rectification round only
//! the direct superior gives, refused with nothing written otherwise.
use super::super::*;

fn rectify_form<'a>(w: &'a World, reason: &'a str, deadline: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("standard_id", w.sid.as_str()),
        ("reason", reason),
        ("p1_item_code", "A1"),
        ("p1_cause", "党员人数不足，组织生活难以正常开展"),
        ("p1_measure", "做好发展党员工作，调整支部设置"),
        ("p1_owner_id", w.pa[0].as_str()),
        ("p1_deadline", deadline),
    ]
}

#[tokio::test]
async fn weak_branches_are_flagged_with_their_records() {
    let w = world().await;
    let r = w
        .call(Method::GET, &w.dw, &format!("/api/v1/orgs/{}/weak-orgs", w.root), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    let a1 = items.iter().find(|i| i["org_id"] == w.a1.as_str()).expect("A1 flagged");
    let few = a1["flags"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["code"] == "few_members"))
        .expect("few members");
    assert!(
        few["detail"].as_str().unwrap_or_default().contains("正式党员 2 人"),
        "{few}"
    );
    assert_eq!(few["records"][0]["href"], format!("/people?org={}", w.a1).as_str());
    // Outside the scope: as if it did not exist.
    let r = w
        .call(Method::GET, &w.sjb, &format!("/api/v1/orgs/{}/weak-orgs", w.a1), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // The page: the direct superior sees the rectify button, the grandparent not.
    let rectify = format!("/standards/warnings/{}/rectify", w.a1);
    let za = w.app.browser("za", PW).await;
    let r = w.app.get("/standards/warnings", Some(&za.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = r.text();
    assert!(
        t.contains("支部A1") && t.contains("党员不足") && t.contains(&rectify),
        "{t}"
    );
    assert!(
        t.contains(&format!("/people?org={}", w.a1)),
        "the roster behind the flag is linked"
    );
    let dw = w.app.browser("dw", PW).await;
    let r = w
        .app
        .get(&format!("/standards/warnings?org={}", w.root), Some(&dw.cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("支部A1") && !r.text().contains(&rectify));
    // The ledger shows the badge and the count.
    let r = w
        .app
        .get(&format!("/standards/ledger?standard={}", w.sid), Some(&dw.cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("软弱涣散预警") && r.text().contains(">软弱涣散</a>"));
}

#[tokio::test]
async fn only_the_direct_superior_gives_a_rectification_round() {
    let w = world().await;
    let path = format!("/standards/warnings/{}/rectify", w.a1);
    let before = count(&w.app, "standard_problems").await;
    // The branch itself and the grandparent are refused; another branch does not see it.
    for (user, status) in [
        ("sja", StatusCode::FORBIDDEN),
        ("dw", StatusCode::FORBIDDEN),
        ("sjb", StatusCode::NOT_FOUND),
    ] {
        let br = w.app.browser(user, PW).await;
        let r = w.app.form(&br, &path, &rectify_form(&w, "整顿", "2026-12-31")).await;
        assert_eq!(r.status, status, "{user}: {}", r.text());
        let r = w.app.get(&path, Some(&br.cookie)).await;
        assert_eq!(r.status, status, "{user}: {}", r.text());
    }
    let za = w.app.browser("za", PW).await;
    let r = w.app.get(&path, Some(&za.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("党员不足") && r.text().contains("下达整顿"));
    // Bad input: a Chinese message naming the field, nothing written.
    for (form, field) in [
        (rectify_form(&w, "", "2026-12-31"), "整顿原因"),
        (rectify_form(&w, "软弱涣散整顿", "2026-01-01"), "整改时限"),
        (
            vec![("standard_id", w.sid.as_str()), ("reason", "软弱涣散整顿")],
            "问题清单",
        ),
        (vec![("standard_id", ""), ("reason", "软弱涣散整顿")], "建设标准"),
    ] {
        let r = w.app.form(&za, &path, &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text());
        assert!(r.text().contains(field), "{field}: {}", r.text());
    }
    assert_eq!(count(&w.app, "standard_problems").await, before);
    // The direct superior's round: the problem reaches A1's list, from the warning.
    let r = w
        .app
        .form(&za, &path, &rectify_form(&w, "党员人数不足，限期整顿", "2026-12-31"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.header("location").contains("done=rectified"));
    let r = w
        .call(Method::GET, &w.sja, &format!("/api/v1/problems?org_id={}", w.a1), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["source"], "warning");
    assert_eq!(items[0]["round"], 2);
    assert!(w.app.audit_actions().await.iter().any(|a| a.0 == "standard.rectify"));
}
