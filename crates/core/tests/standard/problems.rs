//! 问题清单 on whichever engine the tests run: an unmet item becomes a
//! problem (owner on the branch's roster, deadline not before today); the
//! branch reports it rectified; only the direct superior closes it (销号) or
//! sends it back with the reason; the list itself can be returned; overdue
//! problems are counted.
use tongpin_core::standard::problems::{self, Fields, NewProblem, ProblemQuery};
use tongpin_core::standard::{checks, history, ProblemStatus};
use tongpin_core::Error;

use crate::common::cli;
use crate::std_common::{answer, at, audited, count, evidence, world, World, NOW};

fn fields(owner: &str, deadline: &str) -> Fields {
    Fields {
        cause: "支委会记录不全".into(),
        measure: "补齐记录，建立台账".into(),
        owner_id: owner.into(),
        deadline: deadline.into(),
    }
}

fn problem(w: &World, id: &str, code: &str, f: Fields) -> NewProblem {
    NewProblem {
        org_id: w.a.clone(),
        standard_id: id.into(),
        item_code: code.into(),
        fields: f,
    }
}

#[tokio::test]
async fn a_problem_is_refused_unless_its_item_is_unmet_its_owner_on_the_roster_and_its_deadline_ahead() {
    let w = world().await;
    let id = w.published().await;
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "A1", answer(Some(true)), vec![])
        .await
        .unwrap();
    let owner = w.pa[1].clone();
    let e = |p: NewProblem| {
        let (db, scope) = (w.db.clone(), w.s_a.clone());
        async move { problems::create(&db, NOW, &cli(), &scope, p).await.unwrap_err() }
    };
    let field = |e: &Error| match e {
        Error::Invalid { field, .. } => field.clone(),
        other => panic!("{other}"),
    };
    assert_eq!(field(&e(problem(&w, &id, "Z9", fields(&owner, ""))).await), "项目编号");
    let met = e(problem(&w, &id, "A1", fields(&owner, ""))).await;
    assert!(met.to_string().contains("无需列入问题清单"), "{met}");
    // Someone of branch B, or nobody, cannot own A's problem.
    let outside = e(problem(&w, &id, "A2", fields(&w.pb[0], ""))).await;
    assert_eq!(field(&outside), "责任人");
    assert!(outside.to_string().contains("不在第一党支部的名册中"), "{outside}");
    assert_eq!(field(&e(problem(&w, &id, "A2", fields("", ""))).await), "责任人");
    let early = e(problem(&w, &id, "A2", fields(&owner, "2026-11-27"))).await;
    assert!(matches!(&early, Error::Invalid { field, message } if field == "整改时限" && message.contains("早于今天")));
    assert_eq!(
        field(&e(problem(&w, &id, "A2", fields(&owner, "2026-02-30"))).await),
        "整改时限"
    );
    let mut blank = fields(&owner, "");
    blank.cause = " ".into();
    assert_eq!(field(&e(problem(&w, &id, "A2", blank)).await), "问题原因");
    assert_eq!(count(&w.db, "standard_problems").await, 0);
    assert_eq!(audited(&w.db, "standard.problem.create").await, 0);
    // A deadline today is accepted; none takes three months on. A 党小组's member may own it.
    problems::create(
        &w.db,
        NOW,
        &cli(),
        &w.s_a,
        problem(&w, &id, "A2", fields(&w.pa[0], "2026-11-28")),
    )
    .await
    .unwrap();
    let p = problems::create(&w.db, NOW, &cli(), &w.s_a, problem(&w, &id, "C1", fields(&owner, "")))
        .await
        .unwrap();
    let p = problems::get_on(&w.db, &w.view_a, &p, NOW).await.unwrap();
    assert_eq!(
        (p.deadline.as_str(), p.status(), p.source.as_str(), p.round),
        ("2027-02-28", ProblemStatus::Open, "self_check", 1)
    );
    assert_eq!(p.owner_name, "钱二");
    // Editing: checked the same way.
    let e = problems::update(&w.db, NOW, &cli(), &w.s_a, &p.id, fields(&w.pb[1], ""))
        .await
        .unwrap_err();
    assert_eq!(field(&e), "责任人");
    problems::update(&w.db, NOW, &cli(), &w.s_a, &p.id, fields(&w.pa[2], "2026-12-31"))
        .await
        .unwrap();
    let p = problems::get(&w.db, &w.s_a, &p.id).await.unwrap();
    assert_eq!((p.owner_name.as_str(), p.deadline.as_str()), ("孙三", "2026-12-31"));
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(sc.open_problems, 2);
    assert_eq!(sc.items.iter().find(|i| i.item.code == "C1").unwrap().open_problems, 1);
}

#[tokio::test]
async fn only_the_direct_superior_closes_a_reported_problem_or_sends_it_back() {
    let w = world().await;
    let id = w.published().await;
    let p = problems::create(&w.db, NOW, &cli(), &w.s_a, problem(&w, &id, "A2", fields(&w.pa[1], "")))
        .await
        .unwrap();
    // Verifying a problem never reported is refused, even by the direct superior.
    let e = problems::verify(&w.db, NOW, &cli(), &w.s_general, &p, true, "")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(ref m) if m.contains("尚未报告")), "{e}");
    // The branch reports: a note is required; evidence is attached.
    let e = problems::report(&w.db, NOW, &cli(), &w.s_a, &p, " ", vec![])
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "整改情况"),
        "{e}"
    );
    let f = evidence(&w.db, 7).await;
    problems::report(&w.db, NOW, &cli(), &w.s_a, &p, "已补齐全年支委会记录", vec![f])
        .await
        .unwrap();
    assert_eq!(problems::files_of(&w.db, &w.s_a, &p).await.unwrap().len(), 1);
    assert!(matches!(
        problems::report(&w.db, NOW, &cli(), &w.s_a, &p, "再报", vec![]).await,
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        problems::update(&w.db, NOW, &cli(), &w.s_a, &p, fields(&w.pa[1], "")).await,
        Err(Error::Conflict(_))
    ));
    // The branch itself and its grandparent are refused (403), naming the direct superior.
    let own = problems::verify(&w.db, NOW, &cli(), &w.s_a, &p, true, "")
        .await
        .unwrap_err();
    assert!(
        matches!(own, Error::Forbidden(ref m) if m.contains("不能为本组织") && m.contains("第一党总支")),
        "{own}"
    );
    let top = problems::verify(&w.db, NOW, &cli(), &w.s_root, &p, true, "")
        .await
        .unwrap_err();
    assert!(
        matches!(top, Error::Forbidden(ref m) if m.contains("直接上级党组织“第一党总支”")),
        "{top}"
    );
    assert!(matches!(
        problems::verify(&w.db, NOW, &cli(), &w.s_b, &p, true, "").await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        problems::get(&w.db, &w.s_a, &p).await.unwrap().status(),
        ProblemStatus::Reported
    );
    // Sent back: a reason is required; it reopens the problem.
    let e = problems::verify(&w.db, NOW, &cli(), &w.s_general, &p, false, "")
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "退回理由"),
        "{e}"
    );
    problems::verify(&w.db, NOW, &cli(), &w.s_general, &p, false, "缺少第三季度记录")
        .await
        .unwrap();
    let back = problems::get(&w.db, &w.s_a, &p).await.unwrap();
    assert_eq!(
        (back.status(), back.reopened, back.verify_comment.as_str()),
        (ProblemStatus::Open, 1, "缺少第三季度记录")
    );
    // Reported again, verified: 销号, and nothing more.
    problems::report(&w.db, NOW, &cli(), &w.s_a, &p, "已补齐第三季度记录", vec![])
        .await
        .unwrap();
    problems::verify(&w.db, NOW, &cli(), &w.s_general, &p, true, "核验属实")
        .await
        .unwrap();
    assert_eq!(
        problems::get(&w.db, &w.s_a, &p).await.unwrap().status(),
        ProblemStatus::Closed
    );
    let e = problems::verify(&w.db, NOW, &cli(), &w.s_general, &p, true, "")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(ref m) if m.contains("已销号")), "{e}");
    assert_eq!(audited(&w.db, "standard.problem.verify").await, 1);
    assert_eq!(audited(&w.db, "standard.problem.reject").await, 1);
    assert_eq!(audited(&w.db, "standard.problem.report").await, 2);
    // Branch B sits directly under the 党委: there the 党委 verifies, the 党总支 does not reach.
    checks::set_item(&w.db, NOW, &cli(), &w.s_b, &w.b, &id, "A1", answer(Some(false)), vec![])
        .await
        .unwrap();
    let mut nb = problem(&w, &id, "A1", fields(&w.pb[1], ""));
    nb.org_id = w.b.clone();
    let pb = problems::create(&w.db, NOW, &cli(), &w.s_b, nb).await.unwrap();
    problems::report(&w.db, NOW, &cli(), &w.s_b, &pb, "已整改", vec![])
        .await
        .unwrap();
    assert!(matches!(
        problems::verify(&w.db, NOW, &cli(), &w.s_general, &pb, true, "").await,
        Err(Error::NotFound(_))
    ));
    problems::verify(&w.db, NOW, &cli(), &w.s_root, &pb, true, "")
        .await
        .unwrap();
    let kinds: Vec<String> = history::of_org(&w.db, &w.s_a, &w.a)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "problem_closed",
            "problem_reported",
            "problem_rejected",
            "problem_reported",
            "problem"
        ]
    );
}

#[tokio::test]
async fn the_list_is_returned_and_resubmitted_and_overdue_problems_are_counted() {
    let w = world().await;
    let id = w.published().await;
    // Nothing to return yet.
    let e = problems::return_list(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "请细化措施")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    let p = problems::create(
        &w.db,
        NOW,
        &cli(),
        &w.s_a,
        problem(&w, &id, "A2", fields(&w.pa[1], "2026-11-30")),
    )
    .await
    .unwrap();
    // Only the direct superior returns it, with a reason.
    assert!(matches!(
        problems::return_list(&w.db, NOW, &cli(), &w.s_root, &w.a, &id, "请细化措施").await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        problems::return_list(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "请细化措施").await,
        Err(Error::Forbidden(_))
    ));
    let e = problems::return_list(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "")
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "退回理由"),
        "{e}"
    );
    assert!(matches!(
        problems::resubmit_list(&w.db, NOW, &cli(), &w.s_a, &w.a, &id).await,
        Err(Error::Conflict(_))
    ));
    problems::return_list(&w.db, NOW, &cli(), &w.s_general, &w.a, &id, "请细化措施")
        .await
        .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(sc.list_returned.as_ref().map(|r| r.0.as_str()), Some("请细化措施"));
    problems::update(&w.db, NOW, &cli(), &w.s_a, &p, fields(&w.pa[1], "2026-11-30"))
        .await
        .unwrap();
    problems::resubmit_list(&w.db, NOW, &cli(), &w.s_a, &w.a, &id)
        .await
        .unwrap();
    assert!(checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW)
        .await
        .unwrap()
        .list_returned
        .is_none());
    assert_eq!(audited(&w.db, "standard.list.return").await, 1);
    assert_eq!(audited(&w.db, "standard.list.resubmit").await, 1);
    // Overdue from the day after its deadline: on 30 November it is not, on 1 December it is.
    let on = |t: i64| {
        let (db, scope) = (w.db.clone(), w.s_root.clone());
        async move {
            let q = ProblemQuery {
                overdue: true,
                ..Default::default()
            };
            problems::list(&db, &scope, &q, t).await.unwrap().len()
        }
    };
    assert_eq!(on(at(2026, 11, 30)).await, 0);
    assert_eq!(on(at(2026, 12, 1)).await, 1);
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, at(2026, 12, 1))
        .await
        .unwrap();
    assert_eq!(sc.overdue_problems, 1);
    assert!(
        problems::get_on(&w.db, &w.s_a, &p, at(2026, 12, 1))
            .await
            .unwrap()
            .overdue
    );
    // A reported problem waits on the superior: not overdue for the branch.
    problems::report(&w.db, at(2026, 12, 1), &cli(), &w.s_a, &p, "已整改", vec![])
        .await
        .unwrap();
    assert_eq!(on(at(2026, 12, 2)).await, 0);
    // Lists by scope: branch B sees none of A's.
    assert!(problems::list(&w.db, &w.s_b, &ProblemQuery::default(), NOW)
        .await
        .unwrap()
        .is_empty());
    let q = ProblemQuery {
        status: Some("shut".into()),
        ..Default::default()
    };
    assert!(problems::list(&w.db, &w.s_a, &q, NOW).await.is_err());
}
