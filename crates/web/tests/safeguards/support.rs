//! 书记培训 and 基础保障: a training recorded with its hours, the resources
//! of a branch for a year; bad input names its field, nothing written.
use super::super::*;

#[tokio::test]
async fn trainings_and_resources_are_recorded() {
    let w = world().await;
    let za = w.app.browser("za", PW).await;
    let good = [
        ("org_id", w.a1.as_str()),
        ("person_id", w.pa[0].as_str()),
        ("title", "基层党组织书记示范培训班"),
        ("organizer", "市委组织部"),
        ("started_on", "2026-09-01"),
        ("ended_on", "2026-09-05"),
        ("hours", "32"),
    ];
    for (k, v, field) in [("title", "", "培训名称"), ("hours", "很多", "学时")] {
        let mut f = good.to_vec();
        f.retain(|(n, _)| *n != k);
        f.push((k, v));
        let r = w.app.form(&za, "/standards/training/new", &f).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text());
        assert!(r.text().contains(field), "{field}: {}", r.text());
    }
    assert_eq!(count(&w.app, "standard_trainings").await, 0);
    let r = w.app.form(&za, "/standards/training/new", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = w.app.get("/standards/training?year=2026", Some(&za.cookie)).await;
    assert!(r.text().contains("基层党组织书记示范培训班") && r.text().contains("张三"));
    // Outside the scope: refused naming the field, as if it did not exist.
    let sjb = w.app.browser("sjb", PW).await;
    let r = w.app.form(&sjb, "/standards/training/new", &good).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("所在组织：所选组织不存在或不在您的管理范围内"),
        "{}",
        r.text()
    );

    let res = [
        ("org_id", w.a1.as_str()),
        ("year", "2026"),
        ("full_time_staff", "1"),
        ("part_time_staff", "2"),
        ("budget_yuan", "12000"),
        ("venue", "党员活动室"),
        ("venue_area", "60"),
    ];
    let mut bad = res.to_vec();
    bad.retain(|(n, _)| *n != "budget_yuan");
    bad.push(("budget_yuan", "一万"));
    let r = w.app.form(&za, "/standards/resources", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("党建工作经费"));
    assert_eq!(count(&w.app, "standard_resources").await, 0);
    let r = w.app.form(&za, "/standards/resources", &res).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = w.app.get("/standards/resources?year=2026", Some(&za.cookie)).await;
    assert!(
        r.text().contains("党员活动室") && r.text().contains("12000.00"),
        "{}",
        r.text()
    );
}
