//! Setting up an assessment on whichever engine the tests run: the sheet
//! is stored as given, forbidden sources are refused naming the rule, bad
//! weights, points, codes, tiers and targets are refused naming the field,
//! and a refusal writes nothing. Who sees the assessment.
use tongpin_core::assess::{read, setup, Kind, Metric, NewAssessment, NewFigure, NewIndicator, Side, Subject, Tier};
use tongpin_core::Error;

use crate::assess_common::{computed, count, create, ind, new_assessment, now, rated, world, World};
use crate::common::cli;

async fn refused(w: &World, new: NewAssessment) -> (String, String) {
    let before = (count(&w.db, "assessments").await, count(&w.db, "audit_log").await);
    let e = setup::create(&w.db, now(), &cli(), &w.s_root, new).await.unwrap_err();
    assert_eq!(
        (count(&w.db, "assessments").await, count(&w.db, "audit_log").await),
        before,
        "nothing written"
    );
    match e {
        Error::Invalid { field, message } => (field, message),
        other => panic!("not a field error: {other}"),
    }
}

#[tokio::test]
async fn a_sheet_is_stored_with_party_and_business_side_by_side() {
    let w = world().await;
    let id = create(
        &w,
        vec![
            computed("L1", "life_compliance", "20"),
            computed("K1", "kpi_attainment", "20"),
            rated(
                "M1",
                "30",
                &[
                    ("superior", "0.5"),
                    ("masses", "0.3"),
                    ("peers", "0.1"),
                    ("self", "10%"),
                ],
            ),
            NewIndicator {
                baseline: true,
                pass_share: "100%".into(),
                ..ind("B1", "entered", "0")
            },
            NewIndicator {
                bonus: true,
                ..ind("X1", "entered", "5")
            },
            NewIndicator {
                figure: Some(NewFigure {
                    unit: "件".into(),
                    baseline: "10".into(),
                    target: "0".into(),
                    direction: "lower".into(),
                }),
                ..ind("F1", "entered", "30")
            },
        ],
    )
    .await;
    let a = read::get(&w.db, &w.s_root, &id).await.unwrap();
    assert_eq!((a.period.as_str(), a.subject, a.closed), ("2026", Subject::Orgs, false));
    assert_eq!((a.thresholds.good_bp, a.bonus_cap, a.appeal_days), (9_000, 500, 15));
    let inds = read::indicators(&w.db, &id).await.unwrap();
    let codes: Vec<&str> = inds.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["L1", "K1", "M1", "B1", "X1", "F1"]);
    assert_eq!(
        (inds[0].metric, inds[0].side),
        (Some(Metric::LifeCompliance), Side::Party)
    );
    assert_eq!(
        (inds[1].kind, inds[1].side),
        (Kind::Computed, Side::Business),
        "KPIs are business"
    );
    assert_eq!(inds[2].weights.sum(), 10_000);
    assert_eq!((inds[3].tier, inds[4].tier), (Tier::Baseline, Tier::Bonus));
    assert_eq!(inds[5].figure.as_ref().map(|f| f.target), Some(0));
    assert_eq!(read::targets(&w.db, &id).await.unwrap().len(), 3);
    assert_eq!(crate::assess_common::audited(&w.db, "assess.create").await, 1);
    // The year is over: the assessor is reminded to close and publish.
    let todos = tongpin_core::assess::todos::todos(&w.db, &w.s_root, now())
        .await
        .unwrap();
    assert_eq!(todos.len(), 1);
    assert_eq!(todos[0].from.as_deref(), Some("2027-01-01"));
    assert!(todos[0].title.starts_with("结束考核并公布结果"));
    assert!(tongpin_core::assess::todos::todos(&w.db, &w.s_a, now())
        .await
        .unwrap()
        .is_empty());
    // The assessor's staff and each assessed branch see it; a member of A too.
    for s in [&w.s_root, &w.s_a, &w.view_a, &w.s_top] {
        assert_eq!(read::list(&w.db, s, None, Some("2026")).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn forbidden_sources_are_refused_naming_the_rule() {
    let w = world().await;
    for metric in [
        "online_time",
        "clicks",
        "likes",
        "check_ins",
        "login_count",
        "points_ranking",
        "app_minutes",
    ] {
        let (field, msg) = refused(&w, new_assessment(&w, vec![computed("Z1", metric, "10")])).await;
        assert_eq!(field, "第1项指标（Z1）计算来源", "{metric}");
        assert!(
            msg.contains("不得作为考核来源") && msg.contains("2024年整治形式主义为基层减负若干规定"),
            "{metric}: {msg}"
        );
    }
    // Any source outside the list, and a forbidden one named on another kind.
    let (_, msg) = refused(
        &w,
        new_assessment(&w, vec![computed("Z1", "meeting_photos_count", "10")]),
    )
    .await;
    assert!(msg.contains("2024年整治形式主义为基层减负若干规定"), "{msg}");
    let (_, msg) = refused(&w, new_assessment(&w, vec![computed("Z1", "anything_else", "10")])).await;
    assert!(
        msg.contains("可选：life_compliance") && msg.contains("基层减负"),
        "{msg}"
    );
    let (field, msg) = refused(
        &w,
        new_assessment(
            &w,
            vec![NewIndicator {
                metric: "likes".into(),
                ..ind("Z1", "entered", "10")
            }],
        ),
    )
    .await;
    assert!(field.ends_with("计算来源") && msg.contains("点赞"), "{msg}");
    // A title that scores time in the app.
    let (field, msg) = refused(
        &w,
        new_assessment(
            &w,
            vec![NewIndicator {
                title: "党员在线学习时长".into(),
                ..ind("Z1", "entered", "10")
            }],
        ),
    )
    .await;
    assert!(field.ends_with("名称") && msg.contains("不符合基层减负规定"), "{msg}");
}

#[tokio::test]
async fn bad_weights_points_codes_tiers_and_targets_are_refused_naming_the_field() {
    let w = world().await;
    let one = |i: NewIndicator| new_assessment(&w, vec![i]);
    let (f, m) = refused(&w, one(rated("R1", "10", &[("superior", "0.5"), ("masses", "0.4")]))).await;
    assert_eq!(f, "第1项指标（R1）评价主体权重");
    assert!(m.contains("之和应为 1") && m.contains("90%"), "{m}");
    let (f, _) = refused(&w, one(rated("R1", "10", &[("superior", "0.5"), ("superior", "0.5")]))).await;
    assert_eq!(f, "第1项指标（R1）评价主体权重");
    let (f, _) = refused(&w, one(rated("R1", "10", &[("leaders", "1")]))).await;
    assert_eq!(f, "第1项指标（R1）评价主体权重");
    let (f, _) = refused(&w, one(rated("R1", "10", &[]))).await;
    assert_eq!(f, "第1项指标（R1）评价主体权重");
    let (f, _) = refused(
        &w,
        one(NewIndicator {
            raters: vec![("superior".into(), "1".into())],
            ..ind("E1", "entered", "10")
        }),
    )
    .await;
    assert_eq!(f, "第1项指标（E1）评价主体权重");
    let (f, _) = refused(&w, one(ind("E1", "entered", "100.01"))).await;
    assert_eq!(f, "第1项指标（E1）满分");
    let (f, _) = refused(&w, one(ind("E1", "entered", "-5"))).await;
    assert_eq!(f, "第1项指标（E1）满分");
    let (f, _) = refused(&w, one(ind("E 1", "entered", "5"))).await;
    assert_eq!(f, "第1项指标编码");
    let (f, _) = refused(&w, one(ind("E1", "guessed", "5"))).await;
    assert_eq!(f, "第1项指标（E1）类型");
    let (f, _) = refused(
        &w,
        one(NewIndicator {
            baseline: true,
            bonus: true,
            ..ind("E1", "entered", "5")
        }),
    )
    .await;
    assert_eq!(f, "第1项指标（E1）类别");
    let (f, _) = refused(
        &w,
        one(NewIndicator {
            pass_share: "80%".into(),
            ..ind("E1", "entered", "5")
        }),
    )
    .await;
    assert_eq!(f, "第1项指标（E1）达标比例");
    let (f, _) = refused(
        &w,
        new_assessment(&w, vec![ind("E1", "entered", "5"), ind("E1", "entered", "5")]),
    )
    .await;
    assert_eq!(f, "第2项指标编码");
    let (f, _) = refused(
        &w,
        new_assessment(
            &w,
            vec![NewIndicator {
                bonus: true,
                ..ind("X1", "entered", "5")
            }],
        ),
    )
    .await;
    assert_eq!(f, "考核指标", "bonus items alone measure nothing");
    let (f, _) = refused(&w, new_assessment(&w, vec![])).await;
    assert_eq!(f, "考核指标");
    let base = || new_assessment(&w, vec![ind("E1", "entered", "5")]);
    let (f, _) = refused(
        &w,
        NewAssessment {
            period: "2026-13".into(),
            ..base()
        },
    )
    .await;
    assert_eq!(f, "期间");
    let (f, _) = refused(
        &w,
        NewAssessment {
            subject: "units".into(),
            ..base()
        },
    )
    .await;
    assert_eq!(f, "考核对象类型");
    let (f, _) = refused(
        &w,
        NewAssessment {
            good: "85%".into(),
            fairly_good: "90%".into(),
            ..base()
        },
    )
    .await;
    assert_eq!(f, "等次分数线");
    let (f, _) = refused(
        &w,
        NewAssessment {
            bonus_cap: "25".into(),
            ..base()
        },
    )
    .await;
    assert_eq!(f, "高线加分上限");
    let (f, _) = refused(
        &w,
        NewAssessment {
            appeal_days: Some(0),
            ..base()
        },
    )
    .await;
    assert_eq!(f, "申诉期限");
    // Targets: the assessor itself, an organization above it, one that does not exist, none.
    for bad in [vec![w.root.clone()], vec![w.top.clone()], vec!["no-such-org".into()]] {
        let (f, _) = refused(
            &w,
            NewAssessment {
                target_ids: bad,
                ..base()
            },
        )
        .await;
        assert_eq!(f, "考核对象");
    }
    let (f, _) = refused(
        &w,
        NewAssessment {
            target_ids: vec![],
            ..base()
        },
    )
    .await;
    assert_eq!(f, "考核对象");
    // A member target must be a Party member under the assessor.
    let (f, _) = refused(
        &w,
        NewAssessment {
            subject: "members".into(),
            target_ids: vec![w.pa[0].clone(), w.a.clone()],
            ..base()
        },
    )
    .await;
    assert_eq!(f, "考核对象");
    // A branch's secretary cannot set up an assessment of the 党委's branches.
    let e = setup::create(&w.db, now(), &cli(), &w.s_a, base()).await.unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e}");
}

#[tokio::test]
async fn targets_by_kind_and_members_of_the_subtree() {
    let w = world().await;
    let by_kind = NewAssessment {
        target_ids: vec![],
        target_kinds: vec!["branch".into()],
        ..new_assessment(&w, vec![ind("E1", "entered", "5")])
    };
    let id = setup::create(&w.db, now(), &cli(), &w.s_root, by_kind).await.unwrap();
    assert_eq!(read::targets(&w.db, &id).await.unwrap().len(), 3);
    let members = NewAssessment {
        subject: "members".into(),
        title: "2026年度民主评议党员".into(),
        target_ids: vec![],
        ..new_assessment(&w, vec![ind("E1", "entered", "5")])
    };
    let id = setup::create(
        &w.db,
        now(),
        &cli(),
        &w.s_a,
        NewAssessment {
            org_id: w.a.clone(),
            ..members
        },
    )
    .await
    .unwrap();
    let t = read::targets(&w.db, &id).await.unwrap();
    assert_eq!(t.len(), 3);
    assert!(t.iter().all(|t| t.org_id == w.a && w.pa.contains(&t.id)));
    assert!(t.iter().any(|t| t.name == "张一"));
}
