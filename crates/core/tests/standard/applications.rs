//! 申报 and 验收 on whichever engine the tests run: refused with what is
//! missing, locked while waiting, decided only by the direct superior (pass
//! with the suggested grade or another with a reason, fail into a new round
//! with problems), the year-end batch all or none, and dynamic management.
use tongpin_core::standard::applications::{self, AppQuery, Decision};
use tongpin_core::standard::problems::{self, Fields, Found, NewProblem};
use tongpin_core::standard::{checks, history, AppStatus, Grade, Stage, Status};
use tongpin_core::Error;

use crate::common::cli;
use crate::std_common::{answer, audited, count, evidence, world, World, NOW};

/// Answers every baseline item of `org` met (C1 by its secretary) and B1 (75 %).
async fn meet(w: &World, id: &str, org: &str, scope: &tongpin_core::org::Scope) {
    for code in ["A1", "B1"] {
        checks::set_item(&w.db, NOW, &cli(), scope, org, id, code, answer(Some(true)), vec![])
            .await
            .unwrap();
    }
    let f = evidence(&w.db, 9).await;
    checks::set_item(&w.db, NOW, &cli(), scope, org, id, "A2", answer(Some(true)), vec![f])
        .await
        .unwrap();
}

fn found(owner: &str) -> Found {
    Found {
        item_code: "B2".into(),
        fields: Fields {
            cause: "党员先锋作用发挥不充分".into(),
            measure: "设立党员先锋岗".into(),
            owner_id: owner.into(),
            deadline: String::new(),
        },
    }
}

fn pass(grade: Option<&str>, reason: &str) -> Decision {
    Decision {
        passed: true,
        grade: grade.map(String::from),
        grade_reason: reason.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_application_is_refused_with_what_is_missing_then_locks_the_cycle() {
    let w = world().await;
    let id = w.published().await;
    let e = applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap_err();
    match &e {
        Error::Invalid { field, message } => {
            assert_eq!(field, "申报条件");
            for m in ["A1", "A2", "C1", "未达标"] {
                assert!(message.contains(m), "{message}");
            }
        }
        other => panic!("{other}"),
    }
    w.secretaries().await;
    meet(&w, &id, &w.a, &w.s_a).await;
    // An open problem keeps it from applying.
    let p = problems::create(
        &w.db,
        NOW,
        &cli(),
        &w.s_a,
        NewProblem {
            org_id: w.a.clone(),
            standard_id: id.clone(),
            item_code: "B2".into(),
            fields: found(&w.pa[1]).fields,
        },
    )
    .await
    .unwrap();
    let e = applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("1 个问题尚未销号"), "{e}");
    assert_eq!(count(&w.db, "standard_applications").await, 0);
    problems::report(&w.db, NOW, &cli(), &w.s_a, &p, "已设立", vec![])
        .await
        .unwrap();
    let e = applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("尚未销号"),
        "a reported problem is still open: {e}"
    );
    problems::verify(&w.db, NOW, &cli(), &w.s_general, &p, true, "")
        .await
        .unwrap();
    let app = applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap();
    let a = applications::get(&w.db, &w.view_a, &app).await.unwrap();
    assert_eq!(
        (a.status(), a.round, a.share_bp, a.suggested_grade.as_deref()),
        (AppStatus::Pending, 1, 7_500, Some("ii"))
    );
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!((sc.status, sc.stage), (Status::Applied, Stage::Applied));
    // While it waits: no second application, no answer, no new problem.
    assert!(matches!(
        applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id).await,
        Err(Error::Conflict(_))
    ));
    let e = checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "B2", answer(Some(true)), vec![])
        .await
        .unwrap_err();
    assert!(e.to_string().contains("撤回申报"), "{e}");
    let late = NewProblem {
        org_id: w.a.clone(),
        standard_id: id.clone(),
        item_code: "B2".into(),
        fields: found(&w.pa[1]).fields,
    };
    let e = problems::create(&w.db, NOW, &cli(), &w.s_a, late).await.unwrap_err();
    assert!(
        matches!(e, Error::Conflict(ref m) if m.contains("问题清单已锁定")),
        "{e}"
    );
    // Withdrawn, it opens again, and may apply again.
    applications::withdraw(&w.db, NOW, &cli(), &w.s_a, &app).await.unwrap();
    assert!(matches!(
        applications::withdraw(&w.db, NOW, &cli(), &w.s_a, &app).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap().status,
        Status::Met
    );
    applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap();
    assert_eq!(audited(&w.db, "standard.apply").await, 2);
    assert_eq!(audited(&w.db, "standard.withdraw").await, 1);
}

#[tokio::test]
async fn only_the_direct_superior_accepts_with_the_suggested_grade_or_a_reason() {
    let w = world().await;
    let id = w.published().await;
    w.secretaries().await;
    meet(&w, &id, &w.a, &w.s_a).await;
    let app = applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap();
    // The branch itself, and its grandparent, are refused.
    let own = applications::decide(&w.db, NOW, &cli(), &w.s_a, &app, pass(None, ""))
        .await
        .unwrap_err();
    assert!(
        matches!(own, Error::Forbidden(ref m) if m.contains("不能为本组织验收")),
        "{own}"
    );
    let top = applications::decide(&w.db, NOW, &cli(), &w.s_root, &app, pass(None, ""))
        .await
        .unwrap_err();
    assert!(
        matches!(top, Error::Forbidden(ref m) if m.contains("第一党总支")),
        "{top}"
    );
    // Another grade than suggested (ⅱ at 75 %) needs a reason.
    let e = applications::decide(&w.db, NOW, &cli(), &w.s_general, &app, pass(Some("iii"), ""))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, ref message } if field == "定级理由" && message.contains("75%")),
        "{e}"
    );
    let e = applications::decide(&w.db, NOW, &cli(), &w.s_general, &app, pass(Some("iv"), ""))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "定级"), "{e}");
    assert_eq!(audited(&w.db, "standard.accept").await, 0);
    applications::decide(&w.db, NOW, &cli(), &w.s_general, &app, pass(None, ""))
        .await
        .unwrap();
    let a = applications::get(&w.db, &w.s_a, &app).await.unwrap();
    assert_eq!((a.status(), a.grade.as_deref()), (AppStatus::Passed, Some("ii")));
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!((sc.status, sc.grade), (Status::Accepted, Some(Grade::Ii)));
    let again = applications::decide(&w.db, NOW, &cli(), &w.s_general, &app, pass(None, ""))
        .await
        .unwrap_err();
    assert!(
        matches!(again, Error::Conflict(ref m) if m.contains("验收通过")),
        "{again}"
    );
    // Accepted: answers are locked until the superior moves it back.
    assert!(
        checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "B2", answer(Some(true)), vec![])
            .await
            .is_err()
    );
    // Dynamic management: only the direct superior, with a reason.
    assert!(matches!(
        applications::move_back(&w.db, NOW, &cli(), &w.s_root, &w.a, &id, "书记调离").await,
        Err(Error::Forbidden(_))
    ));
    let e = applications::move_back(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, " ")
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "调整理由"),
        "{e}"
    );
    applications::move_back(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "支部书记调离，班子不全")
        .await
        .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!((sc.status, sc.grade, sc.round), (Status::NotMet, None, 2));
    assert!(sc.missing.iter().any(|m| m.contains("动态调整")), "{:?}", sc.missing);
    assert!(matches!(
        applications::move_back(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "再调").await,
        Err(Error::Conflict(_))
    ));
    // A new self-check answer lifts it; then the branch may apply again. A grade other
    // than suggested, with its reason.
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "B2", answer(Some(false)), vec![])
        .await
        .unwrap();
    assert_eq!(
        checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap().status,
        Status::Met
    );
    let app2 = applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap();
    applications::decide(
        &w.db,
        NOW,
        &cli(),
        &w.s_general,
        &app2,
        pass(Some("iii"), "示范作用突出"),
    )
    .await
    .unwrap();
    let a = applications::get(&w.db, &w.s_a, &app2).await.unwrap();
    assert_eq!(
        (a.grade.as_deref(), a.suggested_grade.as_deref(), a.round),
        (Some("iii"), Some("ii"), 2)
    );
    let kinds: Vec<String> = history::of_org(&w.db, &w.s_a, &w.a)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["passed", "applied", "moved_back", "passed", "applied"]);
}

#[tokio::test]
async fn a_failure_opens_a_new_round_and_the_year_end_batch_is_all_or_none() {
    let w = world().await;
    let id = w.published().await;
    w.secretaries().await;
    meet(&w, &id, &w.a, &w.s_a).await;
    meet(&w, &id, &w.b, &w.s_b).await;
    let app_a = applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap();
    let app_b = applications::apply(&w.db, NOW, &cli(), &w.s_b, &w.b, &id)
        .await
        .unwrap();
    // A failure needs its comment and problems, each checked (named by its number).
    let fail = |comment: &str, problems: Vec<Found>| Decision {
        passed: false,
        comment: comment.into(),
        problems,
        ..Default::default()
    };
    let e = applications::decide(
        &w.db,
        NOW,
        &cli(),
        &w.s_general,
        &app_a,
        fail("", vec![found(&w.pa[1])]),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "验收意见"),
        "{e}"
    );
    let e = applications::decide(&w.db, NOW, &cli(), &w.s_general, &app_a, fail("作用发挥不足", vec![]))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "问题清单"),
        "{e}"
    );
    let e = applications::decide(
        &w.db,
        NOW,
        &cli(),
        &w.s_general,
        &app_a,
        fail("作用发挥不足", vec![found(&w.pa[1]), found(&w.pb[0])]),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "第2个问题责任人"),
        "{e}"
    );
    let mut bad = found(&w.pa[1]);
    bad.item_code = "Z9".into();
    let e = applications::decide(
        &w.db,
        NOW,
        &cli(),
        &w.s_general,
        &app_a,
        fail("作用发挥不足", vec![bad]),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "第1个问题项目编号"),
        "{e}"
    );
    assert_eq!(count(&w.db, "standard_problems").await, 0);
    applications::decide(
        &w.db,
        NOW,
        &cli(),
        &w.s_general,
        &app_a,
        fail("作用发挥不足", vec![found(&w.pa[1])]),
    )
    .await
    .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!((sc.status, sc.round, sc.open_problems), (Status::NotMet, 2, 1));
    let ps = problems::list(&w.db, &w.s_a, &Default::default(), NOW).await.unwrap();
    assert_eq!(
        (ps[0].source.as_str(), ps[0].round, ps[0].source_id.as_deref()),
        ("acceptance", 2, Some(app_a.as_str()))
    );
    assert_eq!(
        applications::get(&w.db, &w.s_a, &app_a).await.unwrap().status(),
        AppStatus::Failed
    );
    // The batch: the 党委 decides B (directly below it) but not A (below the 党总支).
    let a2 = {
        problems::report(&w.db, NOW, &cli(), &w.s_a, &ps[0].id, "已设立先锋岗", vec![])
            .await
            .unwrap();
        problems::verify(&w.db, NOW, &cli(), &w.s_general, &ps[0].id, true, "")
            .await
            .unwrap();
        applications::apply(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
            .await
            .unwrap()
    };
    let e = applications::accept_batch(&w.db, NOW, &cli(), &w.s_root, &[app_b.clone(), a2.clone()], "")
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Forbidden(ref m) if m.starts_with("第2个申报")),
        "{e}"
    );
    assert_eq!(
        applications::get(&w.db, &w.s_b, &app_b).await.unwrap().status(),
        AppStatus::Pending,
        "none written"
    );
    let to_decide = applications::list(
        &w.db,
        &w.s_root,
        &AppQuery {
            to_decide: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        to_decide.iter().map(|a| a.id.clone()).collect::<Vec<_>>(),
        vec![app_b.clone()]
    );
    let done = applications::accept_batch(
        &w.db,
        NOW,
        &cli(),
        &w.s_root,
        std::slice::from_ref(&app_b),
        "年终集中验收",
    )
    .await
    .unwrap();
    assert_eq!(done, vec![(app_b.clone(), Grade::Ii)]);
    assert!(applications::accept_batch(&w.db, NOW, &cli(), &w.s_root, &[], "")
        .await
        .is_err());
    // A problem reopened in the year keeps ⅲ away: A at 100 % after B2, suggested ⅱ.
    applications::withdraw(&w.db, NOW, &cli(), &w.s_a, &a2).await.unwrap();
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "B2", answer(Some(true)), vec![])
        .await
        .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(
        (sc.share_bp, sc.suggested_grade),
        (10_000, Grade::Iii),
        "no report was sent back"
    );
    assert_eq!(audited(&w.db, "standard.fail").await, 1);
    assert_eq!(audited(&w.db, "standard.accept").await, 1);
}
