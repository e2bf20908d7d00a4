//! 软弱涣散 warnings on whichever engine the tests run: each flag computed
//! from the records at its edge, with the records behind it; a flagged
//! branch given a rectification round by its direct superior only.
use tongpin_core::org::{self, NewOrg};
use tongpin_core::standard::applications::{self, Decision};
use tongpin_core::standard::problems::{self, Fields, Found, NewProblem};
use tongpin_core::standard::warnings::{self, Flag};
use tongpin_core::standard::{checks, history, Status};
use tongpin_core::Error;

use crate::common::cli;
use crate::std_common::{answer, at, audited, evidence, world, World, NOW};

async fn flags(w: &World, org: &str, now: i64) -> Vec<Flag> {
    warnings::flags_of(&w.db, &w.s_root, org, now).await.unwrap()
}

fn codes(f: &[Flag]) -> Vec<&'static str> {
    let mut c: Vec<&'static str> = f.iter().map(|f| f.code).collect();
    c.sort();
    c
}

/// Officers of an organization, as the overview lists them.
async fn officers(w: &World, org: &str) -> Vec<org::Officer> {
    org::overview(&w.db, &w.orgs, chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.org.id == org)
        .unwrap()
        .officers
}

#[tokio::test]
async fn each_flag_is_raised_from_the_records_at_its_edge() {
    let w = world().await;
    // B: two full members, no secretary since its founding in 2020, no meetings.
    let b = codes(&flags(&w, &w.b, NOW).await);
    assert_eq!(b, ["few_members", "life_overdue", "secretary_vacant"]);
    let life = flags(&w, &w.b, NOW)
        .await
        .into_iter()
        .find(|f| f.code == "life_overdue")
        .unwrap();
    assert!(
        life.records.len() >= 2 && life.records.iter().all(|r| r.kind == "life_window"),
        "{life:?}"
    );
    // The secretary leaves the post on 28 November: vacant for more than three months from 1 March.
    w.secretaries().await;
    assert!(!codes(&flags(&w, &w.a, NOW).await).contains(&"secretary_vacant"));
    let post = officers(&w, &w.a).await;
    org::remove_officer(&w.db, NOW, &cli(), &w.orgs, &w.a, &post[0].id)
        .await
        .unwrap();
    assert!(!codes(&flags(&w, &w.a, at(2027, 2, 28)).await).contains(&"secretary_vacant"));
    let vacant = flags(&w, &w.a, at(2027, 3, 1)).await;
    let v = vacant.iter().find(|f| f.code == "secretary_vacant").unwrap();
    assert!(v.detail.contains("2026-11-28"), "{}", v.detail);
    // The term: overdue the day after it ends.
    org::set_term(&w.db, NOW, &cli(), &w.orgs, &w.a, "2023-11-29", 3)
        .await
        .unwrap();
    assert!(!codes(&flags(&w, &w.a, at(2026, 11, 29)).await).contains(&"term_overdue"));
    assert!(codes(&flags(&w, &w.a, at(2026, 11, 30)).await).contains(&"term_overdue"));
    // Rectification problems overdue.
    let id = w.published().await;
    let p = NewProblem {
        org_id: w.a.clone(),
        standard_id: id.clone(),
        item_code: "B2".into(),
        fields: Fields {
            cause: "先锋岗未设立".into(),
            measure: "设立".into(),
            owner_id: w.pa[1].clone(),
            deadline: "2026-12-15".into(),
        },
    };
    let pid = problems::create(&w.db, NOW, &cli(), &w.s_a, p).await.unwrap();
    assert!(!codes(&flags(&w, &w.a, at(2026, 12, 15)).await).contains(&"problems_overdue"));
    let late = flags(&w, &w.a, at(2026, 12, 16)).await;
    let o = late.iter().find(|f| f.code == "problems_overdue").unwrap();
    assert_eq!((o.records[0].kind, o.records[0].id.as_str()), ("problem", pid.as_str()));
    // The superior's list holds only flagged organizations in its scope.
    let list = warnings::weak_orgs(&w.db, &w.s_general, &w.general, NOW).await.unwrap();
    assert!(
        list.iter().all(|x| x.org_id == w.a || x.org_id == w.general),
        "{list:?}"
    );
}

#[tokio::test]
async fn meetings_missed_in_two_consecutive_periods_flag_across_the_year_end() {
    let w = world().await;
    let new = NewOrg {
        name: "新建党支部".into(),
        kind: "branch".into(),
        parent_id: Some(w.root.clone()),
        founded_on: Some("2026-10-20".into()),
    };
    let c = org::create(&w.db, NOW, &cli(), &w.orgs, new).await.unwrap();
    for n in ["甲", "乙", "丙"] {
        crate::std_common::person(&w.db, &w.hr, n, &c, "full").await;
    }
    // October owes nothing (founded the 20th); November alone is one period.
    assert!(!codes(&flags(&w, &c, at(2026, 12, 1)).await).contains(&"life_overdue"));
    let f = flags(&w, &c, at(2027, 1, 1)).await;
    let life = f.iter().find(|f| f.code == "life_overdue").unwrap();
    assert!(
        life.detail.contains("主题党日连续 2 个期间未按规定召开"),
        "{}",
        life.detail
    );
    assert!(life.records[1].label.contains("2026年12月"), "{:?}", life.records);
}

#[tokio::test]
async fn a_flagged_branch_gets_a_rectification_round_from_its_direct_superior() {
    let w = world().await;
    let id = w.published().await;
    w.secretaries().await;
    // A (three members, a secretary, no meetings yet this year) is accepted first.
    for code in ["A1", "B1"] {
        checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, code, answer(Some(true)), vec![])
            .await
            .unwrap();
    }
    let f = evidence(&w.db, 4).await;
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "A2", answer(Some(true)), vec![f])
        .await
        .unwrap();
    let app = applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap();
    applications::decide(
        &w.db,
        NOW,
        &cli(),
        &w.s_general,
        &app,
        Decision {
            passed: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let found = || {
        vec![Found {
            item_code: "A1".into(),
            fields: Fields {
                cause: "组织生活长期不开".into(),
                measure: "按月召开主题党日".into(),
                owner_id: w.pa[0].clone(),
                deadline: String::new(),
            },
        }]
    };
    // A is flagged (meetings missed); only its direct superior rectifies, with a reason and problems.
    assert!(!flags(&w, &w.a, NOW).await.is_empty());
    let e = warnings::rectify(&w.db, NOW, &cli(), &w.s_root, &w.a, &id, "整顿", found())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e}");
    let e = warnings::rectify(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "", found())
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "整顿原因"),
        "{e}"
    );
    let e = warnings::rectify(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "整顿", vec![])
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "问题清单"),
        "{e}"
    );
    warnings::rectify(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "组织生活不正常", found())
        .await
        .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(
        (sc.status, sc.grade, sc.round, sc.open_problems),
        (Status::NotMet, None, 2, 1)
    );
    let ps = problems::list(&w.db, &w.s_a, &Default::default(), NOW).await.unwrap();
    assert_eq!(ps[0].source, "warning");
    assert_eq!(
        history::of_org(&w.db, &w.s_a, &w.a).await.unwrap()[0].kind,
        "rectification"
    );
    assert_eq!(audited(&w.db, "standard.rectify").await, 1);
    // An organization without a flag is not rectified: a fresh, healthy branch.
    let new = NewOrg {
        name: "健全党支部".into(),
        kind: "branch".into(),
        parent_id: Some(w.root.clone()),
        founded_on: Some("2026-11-20".into()),
    };
    let ok = org::create(&w.db, NOW, &cli(), &w.orgs, new).await.unwrap();
    let mut ps = Vec::new();
    for n in ["甲", "乙", "丙"] {
        ps.push(crate::std_common::person(&w.db, &w.hr, n, &ok, "full").await);
    }
    org::add_officer(&w.db, NOW, &cli(), &w.orgs, &ok, &ps[0], "secretary")
        .await
        .unwrap();
    assert!(flags(&w, &ok, NOW).await.is_empty());
    let mut f = found();
    f[0].fields.owner_id = ps[1].clone();
    let e = warnings::rectify(&w.db, NOW, &cli(), &w.s_root, &ok, &id, "整顿", f)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Conflict(ref m) if m.contains("没有软弱涣散预警")),
        "{e}"
    );
}
