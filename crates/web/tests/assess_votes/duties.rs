//! 一岗双责: the branch's staff list a leader's duties and mark them done;
//! another organization neither reads nor changes them; bad input is a
//! Chinese 4xx that writes nothing.
use crate::common::{id_with_check, PW};
use crate::world::{cli, count, scope_of, world, World};
use axum::http::StatusCode;
use tongpin_core::auth::Power;
use tongpin_core::people::{self, NewPerson};

async fn leader(w: &World) -> String {
    let hr = scope_of(&w.app, "adm-a1", Power::ManagePeople).await;
    let p = NewPerson {
        name: "赵书记".into(),
        citizen_id: id_with_check("11010519800101001"),
        org_id: w.a1.clone(),
        status: "正式党员".into(),
        joined_on: "2010-07-01".into(),
        ..NewPerson::default()
    };
    people::create(&w.app.db, w.app.clock_now(), &cli(), &hr, &p)
        .await
        .unwrap()
}

#[tokio::test]
async fn duties_are_listed_and_marked_done_by_their_organization() {
    let w = world().await;
    let person = leader(&w).await;
    let br = w.app.browser("adm-a1", PW).await;
    let base = [("org_id", w.a1.as_str()), ("year", "2026")];
    let add = |side: &'static str, duty: &'static str| {
        let mut f = base.to_vec();
        f.extend([("person_id", person.as_str()), ("side", side), ("duty", duty)]);
        f
    };
    for (f, field) in [(add("party", ""), "职责内容"), (add("其他", "抓党建"), "职责类别")] {
        let r = w.app.form(&br, "/duties", &f).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains(field), "{field}");
    }
    assert_eq!(count(&w, "SELECT COUNT(*) FROM assessment_duties").await, 0);
    let r = w
        .app
        .form(&br, "/duties", &add("party", "每季度听取支部党建工作汇报"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = w.app.form(&br, "/duties", &add("business", "完成年度业务目标")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id = crate::world::text(&w, "SELECT id FROM assessment_duties WHERE side = 'party'").await;
    let mut f = base.to_vec();
    f.extend([("done_on", "2099-01-01"), ("note", "")]);
    let r = w.app.form(&br, &format!("/duties/{id}/done"), &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a day to come");
    let mut f = base.to_vec();
    f.extend([("done_on", "2026-06-30"), ("note", "已听取四次汇报")]);
    let r = w.app.form(&br, &format!("/duties/{id}/done"), &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let p = w
        .app
        .get(&format!("/duties?org={}&year=2026", w.a1), Some(&br.cookie))
        .await;
    assert_eq!(p.status, StatusCode::OK);
    let t = p.text();
    assert!(
        t.contains("赵书记") && t.contains("党建职责完成 1/1") && t.contains("业务职责完成 0/1"),
        "{t}"
    );
    assert!(t.contains("已听取四次汇报") && t.contains("列入清单"));
    // Another organization's staff: neither the list nor the change.
    let other = w.app.browser("adm-b", PW).await;
    let p = w
        .app
        .get(&format!("/duties?org={}&year=2026", w.a1), Some(&other.cookie))
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    let mut f = base.to_vec();
    f.extend([("done_on", ""), ("note", "")]);
    let r = w.app.form(&other, &format!("/duties/{id}/done"), &f).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM assessment_duties WHERE done_on IS NOT NULL").await,
        1
    );
}
