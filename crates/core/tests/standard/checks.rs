//! 摸底自查 on whichever engine the tests run: answers with notes and
//! evidence, computed items that answer themselves and are overridden only
//! with a reason the superior sees, and the status each answer leads to.
use tongpin_core::standard::checks::{self, SetItem};
use tongpin_core::standard::{standards, Grade, Stage, Status};
use tongpin_core::Error;

use crate::common::cli;
use crate::std_common::{answer, audited, count, evidence, items, new_standard, world, NOW};

#[tokio::test]
async fn answers_are_checked_and_evidence_is_kept_or_dropped_as_told() {
    let w = world().await;
    let id = w.published().await;
    let set = |org: &str, code: &str, s: SetItem, files| {
        let (db, scope) = (w.db.clone(), w.s_a.clone());
        let (org, code, id) = (org.to_string(), code.to_string(), id.clone());
        async move { checks::set_item(&db, NOW, &cli(), &scope, &org, &id, &code, s, files).await }
    };
    // An item not in the standard, a 党小组, another branch, a draft: refused, nothing written.
    let e = set(&w.a, "Z9", answer(Some(true)), vec![]).await.unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "项目编号"),
        "{e}"
    );
    let e = set(&w.group, "A1", answer(Some(true)), vec![]).await.unwrap_err();
    assert!(e.to_string().contains("不适用"), "{e}");
    assert!(matches!(
        set(&w.b, "A1", answer(Some(true)), vec![]).await,
        Err(Error::NotFound(_))
    ));
    let draft = standards::create(&w.db, NOW, &cli(), &w.s_root, new_standard(&w.root, items()))
        .await
        .unwrap();
    // The branch does not see a draft; its publisher cannot run the cycle on it.
    assert!(matches!(
        checks::set_item(
            &w.db,
            NOW,
            &cli(),
            &w.s_a,
            &w.a,
            &draft,
            "A1",
            answer(Some(true)),
            vec![]
        )
        .await,
        Err(Error::NotFound(_))
    ));
    let e = checks::set_item(
        &w.db,
        NOW,
        &cli(),
        &w.s_root,
        &w.a,
        &draft,
        "A1",
        answer(Some(true)),
        vec![],
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("尚未发布"), "{e}");
    // A2 requires evidence to be met.
    let e = set(&w.a, "A2", answer(Some(true)), vec![]).await.unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "佐证材料"),
        "{e}"
    );
    let e = set(
        &w.a,
        "A1",
        SetItem {
            override_reason: "情况特殊".into(),
            ..answer(Some(true))
        },
        vec![],
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("只有计算项"), "{e}");
    let e = set(
        &w.a,
        "A1",
        SetItem {
            note: "说".repeat(501),
            ..answer(Some(true))
        },
        vec![],
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "说明"), "{e}");
    assert_eq!(count(&w.db, "standard_checks").await, 0);
    assert_eq!(audited(&w.db, "standard.check").await, 0);
    let sc = checks::self_check(&w.db, &w.view_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(sc.status, Status::NotStarted);

    let f1 = evidence(&w.db, 1).await;
    set(
        &w.a,
        "A2",
        SetItem {
            note: "支委会记录".into(),
            ..answer(Some(true))
        },
        vec![f1.clone()],
    )
    .await
    .unwrap();
    let sc = checks::self_check(&w.db, &w.view_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(sc.status, Status::NotMet, "answered, A1 and C1 still missing");
    let a2 = sc.items.iter().find(|i| i.item.code == "A2").unwrap();
    assert_eq!(
        (a2.met, a2.files.len(), a2.note.as_str()),
        (Some(true), 1, "支委会记录")
    );
    let kept = a2.files[0].id.clone();
    // A file id not of this item is refused; dropping the only evidence of a met item too.
    let e = set(
        &w.a,
        "A2",
        SetItem {
            file_ids: Some(vec!["nope".into()]),
            ..answer(Some(true))
        },
        vec![],
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("不是该项已上传的佐证材料"), "{e}");
    let e = set(
        &w.a,
        "A2",
        SetItem {
            file_ids: Some(vec![]),
            ..answer(Some(true))
        },
        vec![],
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("要求提供佐证材料"), "{e}");
    // Adding a second and keeping the first; then not met, evidence dropped.
    let f2 = evidence(&w.db, 2).await;
    set(
        &w.a,
        "A2",
        SetItem {
            file_ids: Some(vec![kept.clone()]),
            ..answer(Some(true))
        },
        vec![f2],
    )
    .await
    .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(sc.items.iter().find(|i| i.item.code == "A2").unwrap().files.len(), 2);
    set(
        &w.a,
        "A2",
        SetItem {
            file_ids: Some(vec![]),
            ..answer(Some(false))
        },
        vec![],
    )
    .await
    .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    let a2 = sc.items.iter().find(|i| i.item.code == "A2").unwrap();
    assert_eq!((a2.met, a2.files.len()), (Some(false), 0));
    assert!(sc.missing.iter().any(|m| m.contains("A2")), "{:?}", sc.missing);
    assert_eq!(audited(&w.db, "standard.check").await, 3);
    // The superior may answer for the branch too (its scope holds it).
    checks::set_item(
        &w.db,
        NOW,
        &cli(),
        &w.s_root,
        &w.a,
        &id,
        "A1",
        answer(Some(true)),
        vec![],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_computed_item_answers_itself_and_is_overridden_only_with_a_reason() {
    let w = world().await;
    let id = w.published().await;
    let set = |s: SetItem| {
        let (db, scope, a, id) = (w.db.clone(), w.s_a.clone(), w.a.clone(), id.clone());
        async move { checks::set_item(&db, NOW, &cli(), &scope, &a, &id, "C1", s, vec![]).await }
    };
    let c1 = |sc: &checks::SelfCheck| sc.items.iter().find(|i| i.item.code == "C1").cloned().unwrap();
    // No secretary: the records say not met, with the organization behind it.
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    let c = c1(&sc);
    assert!(c.computed);
    assert_eq!((c.met, c.computed_met), (Some(false), Some(false)));
    assert_eq!(c.detail.as_deref(), Some("未配备书记"));
    assert_eq!(c.records[0].kind, "org");
    // Setting it against the records needs a reason; a reason needs an answer.
    let e = set(answer(Some(true))).await.unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "覆盖理由"),
        "{e}"
    );
    let e = set(SetItem {
        override_reason: "书记已选出待批复".into(),
        ..answer(None)
    })
    .await
    .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "达标情况"),
        "{e}"
    );
    // Agreeing with the records is no override.
    set(answer(Some(false))).await.unwrap();
    assert_eq!(
        c1(&checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap()).override_reason,
        ""
    );
    set(SetItem {
        override_reason: "书记已选出待批复".into(),
        ..answer(Some(true))
    })
    .await
    .unwrap();
    // The superior sees the override and its reason, beside the records' answer.
    let sc = checks::self_check(&w.db, &w.s_general, &w.a, &id, NOW).await.unwrap();
    let c = c1(&sc);
    assert_eq!(
        (c.met, c.computed_met, c.override_reason.as_str()),
        (Some(true), Some(false), "书记已选出待批复")
    );
    // Removing the override returns to the records, which now say met.
    w.secretaries().await;
    set(answer(None)).await.unwrap();
    let c = c1(&checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap());
    assert_eq!((c.met, c.override_reason.as_str()), (Some(true), ""));
}

#[tokio::test]
async fn the_status_follows_the_answers_and_the_grade_the_refined_points() {
    let w = world().await;
    let id = w.published().await;
    w.secretaries().await;
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(
        (sc.status, sc.stage, sc.round, sc.grade),
        (Status::NotStarted, Stage::Open, 1, None)
    );
    assert_eq!(sc.missing.len(), 2, "A1 and A2 unanswered: {:?}", sc.missing);
    let f = evidence(&w.db, 3).await;
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "A1", answer(Some(true)), vec![])
        .await
        .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(sc.status, Status::NotMet);
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "A2", answer(Some(true)), vec![f])
        .await
        .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!((sc.status, sc.share_bp, sc.suggested_grade), (Status::Met, 0, Grade::I));
    assert!(sc.missing.is_empty());
    // B1 is 30 of the 40 refined points: 75 %, ⅱ; with B2 too, 100 %, ⅲ.
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "B1", answer(Some(true)), vec![])
        .await
        .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!((sc.share_bp, sc.suggested_grade), (7_500, Grade::Ii));
    checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "B2", answer(Some(true)), vec![])
        .await
        .unwrap();
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!((sc.share_bp, sc.suggested_grade), (10_000, Grade::Iii));
    // Branch B is untouched: its own status.
    let sb = checks::self_check(&w.db, &w.s_b, &w.b, &id, NOW).await.unwrap();
    assert_eq!(sb.status, Status::NotStarted);
}
