//! The superior's ledger (台账), year over year, overrides and to-dos on
//! whichever engine the tests run: counts by status and grade, a row per
//! organization agreeing with its self-check, counts by the organizations
//! right below the root; to-dos for the branch, the owner and the direct
//! superior; a computed baseline item that lapses after acceptance.
use tongpin_core::org::{self, NewOrg};
use tongpin_core::standard::applications::{self, Decision};
use tongpin_core::standard::checks::{self, SetItem};
use tongpin_core::standard::ledger::{self, LedgerQuery};
use tongpin_core::standard::problems::{self, Fields, NewProblem};
use tongpin_core::standard::{standards, todos, Grade, Status};
use tongpin_core::Error;

use crate::common::cli;
use crate::std_common::{answer, at, evidence, items, new_standard, person, world, World, NOW};

async fn meet(w: &World, id: &str, org: &str) {
    for code in ["A1", "B1"] {
        checks::set_item(&w.db, NOW, &cli(), &w.s_root, org, id, code, answer(Some(true)), vec![])
            .await
            .unwrap();
    }
    let f = evidence(&w.db, 5).await;
    checks::set_item(
        &w.db,
        NOW,
        &cli(),
        &w.s_root,
        org,
        id,
        "A2",
        answer(Some(true)),
        vec![f],
    )
    .await
    .unwrap();
}

fn problem(org: &str, id: &str, owner: &str, deadline: &str) -> NewProblem {
    NewProblem {
        org_id: org.into(),
        standard_id: id.into(),
        item_code: "B2".into(),
        fields: Fields {
            cause: "先锋岗未设立".into(),
            measure: "设立党员先锋岗".into(),
            owner_id: owner.into(),
            deadline: deadline.into(),
        },
    }
}

#[tokio::test]
async fn the_ledger_counts_every_state_by_status_grade_and_sub_committee() {
    let w = world().await;
    let id = w.published().await;
    w.secretaries().await;
    let add = |name: &str, parent: &String| NewOrg {
        name: name.into(),
        kind: "branch".into(),
        parent_id: Some(parent.clone()),
        founded_on: Some("2020-01-01".into()),
    };
    let c = org::create(&w.db, NOW, &cli(), &w.orgs, add("第三党支部", &w.general))
        .await
        .unwrap();
    let d = org::create(&w.db, NOW, &cli(), &w.orgs, add("第四党支部", &w.root))
        .await
        .unwrap();
    let pd = person(&w.db, &w.hr, "吴六", &d, "full").await;
    // A accepted (ⅱ), B applied, C untouched, D not met with an overdue problem.
    meet(&w, &id, &w.a).await;
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
    meet(&w, &id, &w.b).await;
    applications::apply(&w.db, NOW, &cli(), &w.s_b, &w.b, &id)
        .await
        .unwrap();
    checks::set_item(
        &w.db,
        NOW,
        &cli(),
        &w.s_root,
        &d,
        &id,
        "A1",
        answer(Some(false)),
        vec![],
    )
    .await
    .unwrap();
    problems::create(&w.db, NOW, &cli(), &w.s_root, problem(&d, &id, &pd, "2026-11-30"))
        .await
        .unwrap();
    let later = at(2026, 12, 2);

    let l = ledger::ledger(&w.db, &w.s_root, &id, &LedgerQuery::default(), later)
        .await
        .unwrap();
    assert_eq!((l.root_id.as_str(), l.total), (w.root.as_str(), 4));
    assert_eq!(
        (
            l.counts.not_started,
            l.counts.not_met,
            l.counts.met,
            l.counts.applied,
            l.counts.accepted
        ),
        (1, 1, 0, 1, 1)
    );
    assert_eq!((l.grades.i, l.grades.ii, l.grades.iii), (0, 1, 0));
    assert_eq!((l.open_problems, l.overdue_problems), (1, 1));
    let row = |org: &str| l.rows.iter().find(|r| r.org_id == org).unwrap().clone();
    assert_eq!(
        (row(&w.a).status, row(&w.a).grade, row(&w.a).group_id.as_str()),
        (Status::Accepted, Some(Grade::Ii), w.general.as_str())
    );
    assert_eq!(
        (row(&d).status, row(&d).overdue_problems, row(&d).group_id.as_str()),
        (Status::NotMet, 1, d.as_str())
    );
    assert_eq!(row(&c).status, Status::NotStarted);
    // Each row agrees with the organization's own self-check.
    for r in &l.rows {
        let sc = checks::self_check(&w.db, &w.s_root, &r.org_id, &id, later)
            .await
            .unwrap();
        assert_eq!(
            (sc.status, sc.open_problems, sc.overdue_problems),
            (r.status, r.open_problems, r.overdue_problems),
            "{}",
            r.org_name
        );
    }
    // By the organizations below the root: the 党总支 holds A and C.
    let g = l.groups.iter().find(|g| g.org_id == w.general).unwrap();
    assert_eq!((g.counts.accepted, g.counts.not_started, g.grades.ii), (1, 1, 1));
    assert_eq!(l.groups.len(), 3, "党总支, B, D");
    // Filtered and cut, the counts stay whole.
    let q = LedgerQuery {
        status: Some("not_met".into()),
        limit: Some(10),
        ..Default::default()
    };
    let f = ledger::ledger(&w.db, &w.s_root, &id, &q, later).await.unwrap();
    assert_eq!((f.rows.len(), f.counts.accepted), (1, 1));
    let bad = LedgerQuery {
        status: Some("done".into()),
        ..Default::default()
    };
    assert!(matches!(
        ledger::ledger(&w.db, &w.s_root, &id, &bad, later).await,
        Err(Error::Invalid { .. })
    ));
    // The 党总支's staff see their own subtree of the 党委's standard; a branch its own row.
    let lg = ledger::ledger(&w.db, &w.s_general, &id, &LedgerQuery::default(), later)
        .await
        .unwrap();
    let mut orgs: Vec<String> = lg.rows.iter().map(|r| r.org_id.clone()).collect();
    orgs.sort();
    let mut want = vec![w.a.clone(), c.clone()];
    want.sort();
    assert_eq!((lg.root_id.as_str(), orgs), (w.general.as_str(), want));
    let la = ledger::ledger(&w.db, &w.view_a, &id, &LedgerQuery::default(), later)
        .await
        .unwrap();
    assert_eq!(la.rows.len(), 1);
    // No ledger of a draft.
    let draft = standards::create(&w.db, NOW, &cli(), &w.s_root, new_standard(&w.root, items()))
        .await
        .unwrap();
    assert!(matches!(
        ledger::ledger(&w.db, &w.s_root, &draft, &LedgerQuery::default(), NOW).await,
        Err(Error::Conflict(_))
    ));
    // Year over year, from the stored standings.
    let t = ledger::trend(&w.db, &w.s_root, &w.root).await.unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(
        (
            t[0].year,
            t[0].applied,
            t[0].accepted,
            t[0].grades.ii,
            t[0].open_problems
        ),
        (2026, 1, 1, 1, 1)
    );
}

#[tokio::test]
async fn to_dos_reach_the_branch_the_owner_and_the_direct_superior() {
    let w = world().await;
    let id = w.published().await;
    w.secretaries().await;
    let p = problems::create(&w.db, NOW, &cli(), &w.s_a, problem(&w.a, &id, &w.pa[1], "2026-11-30"))
        .await
        .unwrap();
    let titles = |v: Vec<tongpin_core::todo::Todo>| v.into_iter().map(|t| t.title).collect::<Vec<_>>();
    let mine = titles(todos::todos(&w.db, &w.s_a, NOW).await.unwrap());
    assert_eq!(mine, ["整改问题：第一党支部“项目B2”"]);
    let owner = todos::person_todos(&w.db, &w.pa[1], NOW).await.unwrap();
    assert_eq!((owner.len(), owner[0].due.as_deref()), (1, Some("2026-11-30")));
    // Overdue: the direct superior is told; the grandparent is not.
    let later = at(2026, 12, 1);
    assert!(titles(todos::todos(&w.db, &w.s_general, later).await.unwrap())
        .contains(&"督促整改：第一党支部有 1 个问题逾期未整改".to_string()));
    assert!(titles(todos::todos(&w.db, &w.s_root, later).await.unwrap()).is_empty());
    // Reported: the direct superior verifies; returned list: the branch revises.
    problems::report(&w.db, NOW, &cli(), &w.s_a, &p, "已设立", vec![])
        .await
        .unwrap();
    assert_eq!(
        titles(todos::todos(&w.db, &w.s_general, NOW).await.unwrap()),
        ["核验销号：第一党支部“项目B2”"]
    );
    problems::verify(&w.db, NOW, &cli(), &w.s_general, &p, false, "未见照片")
        .await
        .unwrap();
    let back = todos::todos(&w.db, &w.s_a, NOW).await.unwrap();
    assert!(back[0].detail.contains("未见照片"), "{back:?}");
    problems::return_list(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "措施不具体")
        .await
        .unwrap();
    assert!(titles(todos::todos(&w.db, &w.s_a, NOW).await.unwrap()).contains(&"修改问题清单：第一党支部".to_string()));
    // An application waits on the direct superior only.
    meet(&w, &id, &w.b).await;
    applications::apply(&w.db, NOW, &cli(), &w.s_b, &w.b, &id)
        .await
        .unwrap();
    assert!(titles(todos::todos(&w.db, &w.s_root, NOW).await.unwrap())
        .iter()
        .any(|t| t.starts_with("达标验收：第二党支部")));
    assert!(!titles(todos::todos(&w.db, &w.s_general, NOW).await.unwrap())
        .iter()
        .any(|t| t.starts_with("达标验收")));
}

#[tokio::test]
async fn an_accepted_branch_whose_computed_item_lapses_is_raised_to_its_direct_superior() {
    let w = world().await;
    let id = w.published().await;
    w.secretaries().await;
    meet(&w, &id, &w.a).await;
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
    assert!(todos::lapses(&w.db, &w.s_general, NOW).await.unwrap().is_empty());
    // The secretary leaves the post: C1 (committee_seated) no longer holds.
    let officers = org::overview(&w.db, &w.orgs, chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.org.id == w.a)
        .unwrap()
        .officers;
    org::remove_officer(&w.db, NOW, &cli(), &w.orgs, &w.a, &officers[0].id)
        .await
        .unwrap();
    let l = todos::lapses(&w.db, &w.s_general, NOW).await.unwrap();
    assert_eq!(
        (l.len(), l[0].code.as_str(), l[0].detail.as_str()),
        (1, "C1", "未配备书记")
    );
    assert!(
        todos::lapses(&w.db, &w.s_root, NOW).await.unwrap().is_empty(),
        "not the grandparent's"
    );
    let t = todos::lapse_todos(&w.db, &w.s_general, NOW).await.unwrap();
    assert!(t[0].title.contains("已不再达标") && t[0].overdue);
    // The stored status is still accepted until the superior decides; an override is listed for review.
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(sc.status, Status::Accepted);
    applications::move_back(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "书记空缺")
        .await
        .unwrap();
    let reason = SetItem {
        override_reason: "新书记已选出，待上级批复".into(),
        ..answer(Some(true))
    };
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "C1", reason, vec![])
        .await
        .unwrap();
    let o = ledger::overrides(&w.db, &w.s_general, &id).await.unwrap();
    assert_eq!(
        (o.len(), o[0].code.as_str(), o[0].reason.as_str()),
        (1, "C1", "新书记已选出，待上级批复")
    );
}

#[tokio::test]
async fn the_ledger_and_the_problem_list_export_as_audited_sheets() {
    use tongpin_core::standard::export;
    let w = world().await;
    let id = w.published().await;
    problems::create(&w.db, NOW, &cli(), &w.s_a, problem(&w.a, &id, &w.pa[1], "2026-11-30"))
        .await
        .unwrap();
    let t = export::ledger_table(&w.db, at(2026, 12, 1), &cli(), &w.s_root, &id, &LedgerQuery::default())
        .await
        .unwrap();
    assert_eq!((t.headers.len(), t.rows.len()), (8, 3), "two branches and the totals");
    assert!(t.rows[2][0].starts_with("合计 2"), "{:?}", t.rows[2]);
    let p = export::problems_table(&w.db, at(2026, 12, 1), &cli(), &w.s_root, &Default::default())
        .await
        .unwrap();
    assert_eq!((p.rows.len(), p.rows[0][8].as_str()), (1, "逾期"));
    assert!(!tongpin_core::sheet::to_xlsx(&p).unwrap().is_empty());
    assert_eq!(crate::std_common::audited(&w.db, "standard.export").await, 2);
}
