//! The demo's organizational life and study, on whichever engine the tests
//! run: meetings in every ended month, gaps the superior's view flags,
//! the art. 9 warnings at five and three months, a planned meeting on the
//! linked member's to-dos, and study plans in every status.
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::testing::fresh_db;
use tongpin_core::life::{compliance, participation, store, Kind, Standing};
use tongpin_core::study::plans;
use tongpin_core::{audit, org, seed, with_db};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;

#[tokio::test]
async fn the_demo_has_a_year_of_organizational_life() {
    let db = fresh_db().await.unwrap();
    let t = std::time::Instant::now();
    seed::seed_demo(&db, NOW).await.unwrap();
    eprintln!("demo seeded in {:.1} s", t.elapsed().as_secs_f64());
    let sys = common::scope_of(&db, NOW, "check-sys", Role::SystemAdmin, None, Power::ManageOrgs).await;
    let orgs = org::list(&db, &sys).await.unwrap();
    let root = orgs[0].clone();
    let all = common::scope_of(&db, NOW, "check", Role::OrgAdmin, Some(&root.id), Power::ViewLife).await;

    // Every branch held its 主题党日 or 支委会 in every ended month.
    let months: Vec<(String, String)> = with_db!(&db, |p| {
        sqlx::query_as(
        "SELECT DISTINCT org_id, month FROM meetings WHERE status = 'held' AND kind IN ('theme_day', 'committee_meeting')"
    )
    .fetch_all(p)
    .await
    .unwrap()
    });
    let branches: Vec<&org::Org> = orgs.iter().filter(|o| o.kind == "branch").collect();
    assert_eq!(branches.len(), 10);
    for b in &branches {
        for m in 1..=10 {
            let month = format!("2026-{m:02}");
            assert!(
                months.iter().any(|(o, mm)| *o == b.id && *mm == month),
                "{} {month}",
                b.name
            );
        }
    }

    let view = compliance::supervision(&db, &all, &root.id, "2026", NOW).await.unwrap();
    let overdue = |name: &str, kind: Kind| {
        view.iter()
            .any(|c| c.org.name == name && c.items.iter().any(|i| i.kind == kind && i.status == Standing::Overdue))
    };
    assert!(overdue("秘书处党支部", Kind::ThemeDay));
    assert!(overdue("秘书处党支部", Kind::CommitteeMeeting));
    assert!(overdue("审计处党支部", Kind::PartyLecture));
    assert!(!overdue("综合处党支部", Kind::ThemeDay));

    let zonghe = branches.iter().find(|o| o.name == "综合处党支部").unwrap();
    let absent = participation::absences(&db, &all, &zonghe.id, NOW).await.unwrap();
    let months: Vec<u32> = absent.iter().map(|a| a.months).collect();
    assert_eq!(months, [5, 3], "{absent:#?}");
    let all_absent = participation::absences(&db, &all, &root.id, NOW).await.unwrap();
    assert_eq!(all_absent.len(), 2, "{all_absent:#?}");

    let person: Option<String> = with_db!(&db, |p| sqlx::query_scalar(
        "SELECT person_id FROM accounts WHERE username = 'dangyuan'"
    )
    .fetch_one(p)
    .await
    .unwrap());
    let mine = store::person_todos(&db, &person.unwrap(), NOW).await.unwrap();
    assert!(
        mine.iter()
            .any(|t| t.title.starts_with("参加主题党日") && t.title.contains("综合处党支部")),
        "{mine:#?}"
    );

    let ps = plans::below(&db, &all, &root.id, 2026).await.unwrap();
    let mut statuses: Vec<(String, String)> = ps.iter().map(|p| (p.org_name.clone(), p.status.clone())).collect();
    statuses.sort();
    assert_eq!(ps.len(), 9, "{statuses:?}");
    let status_of = |name: &str| statuses.iter().find(|(n, _)| n == name).map(|(_, s)| s.as_str());
    assert_eq!(status_of("综合处党支部"), Some("approved"), "{statuses:?}");
    assert_eq!(status_of("机关后勤服务中心党支部"), Some("returned"), "{statuses:?}");
    assert_eq!(status_of("人事处党支部"), None);
    assert_eq!(statuses.iter().filter(|(_, s)| s == "filed").count(), 7, "{statuses:?}");
    assert!(audit::verify(&db).await.unwrap().is_ok());
}
