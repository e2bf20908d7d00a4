//! Appeals (申诉) on whichever engine the tests run: only after
//! publication, only by the assessed organization (or member), only within
//! the window; decided by the organization above the assessor; upheld
//! leaves everything as it was, amended changes the line, score, grade and
//! ranks, renews the hash, and keeps the before and after for the appellant.
use tongpin_core::assess::appeals::{self, Appellant, Decision};
use tongpin_core::assess::freeze::{close, verify};
use tongpin_core::assess::results::{self, Query};
use tongpin_core::assess::scores::{self, ScoreInput};
use tongpin_core::assess::{setup, Grade, NewAssessment, NewIndicator};
use tongpin_core::org::Scope;
use tongpin_core::Error;

use crate::assess_common::{audited, count, ind, new_assessment, now, world, World};
use crate::common::cli;

const DAY: i64 = 86_400_000;

async fn closed(w: &World) -> String {
    let sheet = vec![
        ind("E1", "entered", "80"),
        ind("E2", "entered", "20"),
        NewIndicator {
            baseline: true,
            ..ind("B1", "entered", "0")
        },
    ];
    let id = setup::create(&w.db, now(), &cli(), &w.s_root, new_assessment(w, sheet))
        .await
        .unwrap();
    for (t, e1, e2, pass) in [
        (&w.a, "70", "15", true),
        (&w.b, "72", "18", true),
        (&w.c, "75", "20", false),
    ] {
        for (code, p) in [("E1", e1), ("E2", e2)] {
            let input = ScoreInput {
                target_id: t.clone(),
                indicator_code: code.into(),
                points: p.into(),
                note: "述职评议".into(),
                ..ScoreInput::default()
            };
            scores::score(&w.db, now(), &cli(), &w.s_root, &w.acc_root, &id, input)
                .await
                .unwrap();
        }
        let input = ScoreInput {
            target_id: t.clone(),
            indicator_code: "B1".into(),
            passed: Some(pass),
            note: if pass {
                "无违纪".into()
            } else {
                "发生违纪问题".into()
            },
            ..ScoreInput::default()
        };
        scores::score(&w.db, now(), &cli(), &w.s_root, &w.acc_root, &id, input)
            .await
            .unwrap();
    }
    close(&w.db, now(), &cli(), &w.s_root, &id).await.unwrap();
    id
}

fn by(scope: &Scope) -> Appellant<'_> {
    Appellant {
        scope: Some(scope),
        person_id: None,
    }
}

async fn file(w: &World, id: &str, scope: &Scope, target: &str, at: i64) -> Result<String, Error> {
    appeals::file(
        &w.db,
        at,
        &cli(),
        &by(scope),
        id,
        target,
        "E1 得分未计入我支部承办的专项工作",
    )
    .await
}

#[tokio::test]
async fn only_the_assessed_organization_appeals_after_publication_within_the_window() {
    let w = world().await;
    let open = setup::create(
        &w.db,
        now(),
        &cli(),
        &w.s_root,
        new_assessment(&w, vec![ind("E1", "entered", "10")]),
    )
    .await
    .unwrap();
    let e = file(&w, &open, &w.s_a, &w.a, now()).await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, .. } if field == "申诉"),
        "not yet published: {e}"
    );
    let id = closed(&w).await;
    let before = count(&w.db, "assessment_appeals").await;
    for (scope, target) in [(&w.s_b, &w.a), (&w.s_root, &w.a), (&w.s_top, &w.a)] {
        let e = file(&w, &id, scope, target, now()).await.unwrap_err();
        assert!(matches!(e, Error::Forbidden(_)), "by another organization: {e}");
    }
    let e = file(&w, &id, &w.s_a, &w.a, now() + 16 * DAY).await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, message } if field == "申诉期限" && message.contains("15 天")),
        "{e}"
    );
    let e = appeals::file(&w.db, now(), &cli(), &by(&w.s_a), &id, &w.a, "  ")
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "申诉理由"), "{e}");
    assert_eq!(count(&w.db, "assessment_appeals").await, before, "nothing written");
    // The last day of the window still counts; a second one waits for the first.
    file(&w, &id, &w.s_a, &w.a, now() + 15 * DAY).await.unwrap();
    assert!(matches!(
        file(&w, &id, &w.s_a, &w.a, now()).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(audited(&w.db, "assess.appeal").await, 1);
}

#[tokio::test]
async fn the_organization_above_decides_and_an_amendment_keeps_the_trail() {
    let w = world().await;
    let id = closed(&w).await;
    let q = Query::default();
    let before = results::results(&w.db, &w.s_root, &id, now(), &q).await.unwrap();
    let rank = |r: &results::Results, t: &str| {
        let i = r.items.iter().find(|i| i.target.id == t).unwrap();
        (i.score, i.grade, i.rank)
    };
    // A 85 (较好, 2nd), B 90 (好, 1st), C 95 but vetoed (差, 3rd).
    assert_eq!(rank(&before, &w.a), (Some(8_500), Some(Grade::FairlyGood), Some(2)));
    assert_eq!(rank(&before, &w.b), (Some(9_000), Some(Grade::Good), Some(1)));
    assert_eq!(rank(&before, &w.c), (Some(9_500), Some(Grade::Poor), Some(3)));
    let hash_before = before.hash.clone().unwrap();

    // Upheld: nothing changes.
    let first = file(&w, &id, &w.s_a, &w.a, now()).await.unwrap();
    let upheld = Decision {
        upheld: true,
        comment: "经核实，专项工作已计入 E2".into(),
        ..Decision::default()
    };
    let todo = |s: &Scope| {
        let s = s.clone();
        let db = w.db.clone();
        async move { tongpin_core::assess::todos::todos(&db, &s, now()).await.unwrap() }
    };
    let waiting = todo(&w.s_top).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].title, "处理考核申诉：第一党支部（2026年度党支部考核）");
    assert!(todo(&w.s_a).await.is_empty());
    // The assessor itself does not decide; the organization above it does.
    let e = appeals::decide(&w.db, now(), &cli(), &w.s_root, &first, upheld.clone())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e}");
    appeals::decide(&w.db, now(), &cli(), &w.s_top, &first, upheld.clone())
        .await
        .unwrap();
    assert!(matches!(
        appeals::decide(&w.db, now(), &cli(), &w.s_top, &first, upheld).await,
        Err(Error::Conflict(_))
    ));
    assert!(todo(&w.s_top).await.is_empty(), "decided");
    let same = results::results(&w.db, &w.s_root, &id, now(), &q).await.unwrap();
    assert_eq!(same.hash.as_deref(), Some(hash_before.as_str()));

    // Amended: bad points refused, then E1 70 → 78 makes A 93: 好 and first.
    let second = file(&w, &id, &w.s_a, &w.a, now() + DAY).await.unwrap();
    let amend = |points: &str| Decision {
        upheld: false,
        indicator_code: "E1".into(),
        points: points.into(),
        comment: "专项工作应计 8 分".into(),
        ..Decision::default()
    };
    let e = appeals::decide(&w.db, now(), &cli(), &w.s_top, &second, amend("81"))
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "分值"), "{e}");
    let e = appeals::decide(
        &w.db,
        now(),
        &cli(),
        &w.s_top,
        &second,
        Decision {
            indicator_code: "ZZ".into(),
            ..amend("1")
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "指标编码"), "{e}");
    appeals::decide(&w.db, now() + DAY, &cli(), &w.s_top, &second, amend("78"))
        .await
        .unwrap();
    let after = results::results(&w.db, &w.s_root, &id, now(), &q).await.unwrap();
    assert_eq!(rank(&after, &w.a), (Some(9_300), Some(Grade::Good), Some(1)));
    assert_eq!(
        rank(&after, &w.b),
        (Some(9_000), Some(Grade::Good), Some(2)),
        "the others' ranks follow"
    );
    assert_eq!(rank(&after, &w.c), (Some(9_500), Some(Grade::Poor), Some(3)));
    let a_line = &after.items.iter().find(|i| i.target.id == w.a).unwrap().lines[0];
    assert_eq!(a_line.points, Some(7_800));
    assert!(a_line.note.contains("经申诉改为 78 分（原 70 分）"), "{}", a_line.note);
    let new_hash = after.hash.clone().unwrap();
    assert_ne!(new_hash, hash_before);
    assert!(
        verify(&w.db, &w.s_root, &id).await.unwrap().unwrap().ok,
        "the renewed hash verifies"
    );

    // The appellant sees the trail; another branch does not see A's appeals.
    let mine = appeals::list(&w.db, &w.s_a, &id).await.unwrap();
    assert_eq!(mine.len(), 2);
    let x = mine.iter().find(|x| x.id == second).unwrap();
    assert_eq!(x.status, "amended");
    assert_eq!((x.points_before, x.points_after), (Some(7_000), Some(7_800)));
    assert_eq!((x.score_before, x.score_after), (Some(8_500), Some(9_300)));
    assert_eq!(
        (x.grade_before.as_deref(), x.grade_after.as_deref()),
        (Some("fairly_good"), Some("good"))
    );
    assert_eq!((x.rank_before, x.rank_after), (Some(2), Some(1)));
    assert_eq!(
        (x.hash_before.as_deref(), x.hash_after.as_deref()),
        (Some(hash_before.as_str()), Some(new_hash.as_str()))
    );
    assert_eq!(mine.iter().find(|x| x.id == first).unwrap().status, "upheld");
    assert!(appeals::list(&w.db, &w.s_b, &id).await.unwrap().is_empty());
    assert_eq!(appeals::list(&w.db, &w.s_top, &id).await.unwrap().len(), 2);
    assert_eq!(audited(&w.db, "assess.appeal.decide").await, 2);
}

#[tokio::test]
async fn a_vetoed_baseline_amended_on_appeal_lifts_the_veto_and_a_member_appeals_for_themselves() {
    let w = world().await;
    let id = closed(&w).await;
    let x = file(&w, &id, &w.s_c, &w.c, now()).await.unwrap();
    let d = Decision {
        upheld: false,
        indicator_code: "B1".into(),
        passed: Some(true),
        comment: "经复核，所涉问题不属于本支部".into(),
        ..Decision::default()
    };
    appeals::decide(&w.db, now(), &cli(), &w.s_top, &x, d).await.unwrap();
    let c = results::result(&w.db, &w.s_root, &id, &w.c, now()).await.unwrap();
    assert_eq!((c.vetoed, c.grade, c.rank), (false, Some(Grade::Good), Some(1)));

    // 一考双评: a member appeals their own result; a fellow member cannot.
    let new = NewAssessment {
        org_id: w.a.clone(),
        subject: "members".into(),
        target_ids: w.pa.clone(),
        ..new_assessment(&w, vec![ind("E1", "entered", "10")])
    };
    let m = setup::create(&w.db, now(), &cli(), &w.s_a, new).await.unwrap();
    close(&w.db, now(), &cli(), &w.s_a, &m).await.unwrap();
    let me = Appellant {
        scope: None,
        person_id: Some(&w.pa[0]),
    };
    let other = Appellant {
        scope: None,
        person_id: Some(&w.pa[1]),
    };
    assert!(matches!(
        appeals::file(&w.db, now(), &cli(), &other, &m, &w.pa[0], "理由").await,
        Err(Error::Forbidden(_))
    ));
    let x = appeals::file(&w.db, now(), &cli(), &me, &m, &w.pa[0], "本人学习记录未计入")
        .await
        .unwrap();
    // Decided by the 党委 above branch A, the assessor.
    assert!(matches!(
        appeals::decide(
            &w.db,
            now(),
            &cli(),
            &w.s_a,
            &x,
            Decision {
                upheld: true,
                comment: "维持".into(),
                ..Decision::default()
            }
        )
        .await,
        Err(Error::Forbidden(_))
    ));
    appeals::decide(
        &w.db,
        now(),
        &cli(),
        &w.s_root,
        &x,
        Decision {
            upheld: true,
            comment: "维持".into(),
            ..Decision::default()
        },
    )
    .await
    .unwrap();
}
