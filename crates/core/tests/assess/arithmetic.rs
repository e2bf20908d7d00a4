//! The scorecard's arithmetic, exact: points and weights parsed without
//! floating point, group means, Σ weight × mean, baseline vetoes, the bonus
//! cap, missing data, grade boundaries and ranks with ties — first as pure
//! rules, then through the store on whichever engine the tests run.
use tongpin_core::assess::ratings::{self, Rater, RatingInput};
use tongpin_core::assess::results::{self, Query};
use tongpin_core::assess::rules::{
    check_weights, grade_for, mean, parse_points, parse_share, ranks, rated_points, share_points, total, LinePoints,
};
use tongpin_core::assess::scores::{self, ScoreInput};
use tongpin_core::assess::{Grade, NewIndicator, Thresholds, Tier, Weights};
use tongpin_core::Error;

use crate::assess_common::{count, create, ind, now, rated, world, World};
use crate::common::cli;

const TH: Thresholds = Thresholds {
    good_bp: 9_000,
    fairly_good_bp: 8_000,
    fair_bp: 6_000,
};

fn lp(tier: Tier, full: i64, points: Option<i64>, passed: Option<bool>) -> LinePoints {
    LinePoints {
        tier,
        full,
        points,
        passed,
    }
}

#[test]
fn points_and_shares_parse_exactly() {
    assert_eq!(parse_points("分值", "8.5").unwrap(), 850);
    assert_eq!(parse_points("分值", "１０").unwrap(), 1000);
    assert_eq!(parse_points("分值", "0.05").unwrap(), 5);
    for bad in ["8.555", "-1", "", "abc", "1e3"] {
        let e = parse_points("分值", bad).unwrap_err().to_string();
        assert!(e.starts_with("分值："), "{bad}: {e}");
    }
    assert_eq!(parse_share("权重", "0.5").unwrap(), 5_000);
    assert_eq!(parse_share("权重", "50%").unwrap(), 5_000);
    assert_eq!(parse_share("权重", "0.3333").unwrap(), 3_333);
    assert_eq!(parse_share("权重", "1").unwrap(), 10_000);
    for bad in ["1.5", "101%", "0.33333", "-0.5", "半"] {
        assert!(parse_share("权重", bad).is_err(), "{bad}");
    }
}

#[test]
fn weights_must_sum_to_exactly_one() {
    let w = |s, p, m, x| Weights {
        superior: s,
        peers: p,
        masses: m,
        self_rating: x,
    };
    assert!(check_weights("权重", &w(5_000, 0, 5_000, 0)).is_ok());
    assert!(check_weights("权重", &w(3_333, 3_333, 3_334, 0)).is_ok());
    let e = check_weights("权重", &w(5_000, 0, 4_000, 0)).unwrap_err().to_string();
    assert!(e.contains("之和应为 1") && e.contains("90%"), "{e}");
    assert!(
        check_weights("权重", &w(3_333, 3_333, 3_333, 0)).is_err(),
        "0.9999 is not 1"
    );
    assert!(check_weights("权重", &w(6_000, 0, 5_000, 0)).is_err());
}

#[test]
fn means_and_weighted_sums_round_half_up_once() {
    assert_eq!(mean(2_550, 3), Some(850));
    assert_eq!(mean(1, 2), Some(1), "0.5 hundredths rounds up");
    assert_eq!(mean(5, 0), None);
    assert_eq!(share_points(1_000, 2, 3), Some(667));
    assert_eq!(share_points(1_000, 1, 3), Some(333));
    assert_eq!(share_points(1_000, 5, 3), Some(1_000), "never above full");
    assert_eq!(
        share_points(1_000, 0, 0),
        None,
        "nothing due: missing, not full or zero"
    );
    assert_eq!(rated_points(&[(5_000, Some(900)), (5_000, Some(700))]), Some(800));
    // 0.3333 × 10 + 0.6667 × 5 = 6.6665 → 6.67
    assert_eq!(rated_points(&[(3_333, Some(1_000)), (6_667, Some(500))]), Some(667));
    assert_eq!(
        rated_points(&[(5_000, Some(900)), (5_000, None)]),
        None,
        "a group missing"
    );
    assert_eq!(
        rated_points(&[(10_000, Some(900)), (0, None)]),
        Some(900),
        "a group of no weight"
    );
}

#[test]
fn veto_bonus_cap_missing_data_and_grades() {
    // 80 of 100 with 3 + 4 bonus points capped at 5: 85 → 较好.
    let t = total(
        &[
            lp(Tier::Normal, 6_000, Some(5_000), None),
            lp(Tier::Normal, 4_000, Some(3_000), None),
            lp(Tier::Bonus, 500, Some(300), None),
            lp(Tier::Bonus, 500, Some(400), None),
        ],
        &TH,
        500,
    );
    assert_eq!(
        (t.score, t.full, t.bonus, t.grade),
        (Some(8_500), 10_000, 500, Some(Grade::FairlyGood))
    );
    // A failed baseline item: 差 whatever the score.
    let t = total(
        &[
            lp(Tier::Normal, 10_000, Some(10_000), None),
            lp(Tier::Baseline, 0, Some(0), Some(false)),
        ],
        &TH,
        500,
    );
    assert_eq!((t.score, t.vetoed, t.grade), (Some(10_000), true, Some(Grade::Poor)));
    // Missing data: no score and no grade — unless a baseline already failed.
    let t = total(&[lp(Tier::Normal, 10_000, None, None)], &TH, 500);
    assert_eq!((t.score, t.complete, t.grade), (None, false, None));
    let t = total(
        &[
            lp(Tier::Normal, 10_000, None, None),
            lp(Tier::Baseline, 0, Some(0), Some(false)),
        ],
        &TH,
        500,
    );
    assert_eq!((t.score, t.complete, t.grade), (None, false, Some(Grade::Poor)));
    // A bonus item not scored adds nothing and leaves the score complete.
    let t = total(
        &[
            lp(Tier::Normal, 10_000, Some(9_000), None),
            lp(Tier::Bonus, 500, None, None),
        ],
        &TH,
        500,
    );
    assert_eq!((t.score, t.grade), (Some(9_000), Some(Grade::Good)));
    // Boundaries compared exactly on the share of the full score.
    assert_eq!(grade_for(9_000, 10_000, &TH), Grade::Good);
    assert_eq!(grade_for(8_999, 10_000, &TH), Grade::FairlyGood);
    assert_eq!(grade_for(6_000, 10_000, &TH), Grade::Fair);
    assert_eq!(grade_for(5_999, 10_000, &TH), Grade::Poor);
    assert_eq!(grade_for(2_700, 3_000, &TH), Grade::Good, "90% of 30");
    assert_eq!(grade_for(10_500, 10_000, &TH), Grade::Good, "bonus above full");
}

#[test]
fn ties_share_a_rank_vetoed_after_the_rest_incomplete_unranked() {
    let r = ranks(&[
        (Some(9_000), false),
        (Some(9_000), false),
        (Some(8_000), false),
        (None, false),
        (Some(9_500), true),
        (Some(9_600), false),
    ]);
    assert_eq!(r, vec![Some(2), Some(2), Some(4), None, Some(5), Some(1)]);
    assert_eq!(ranks(&[]), Vec::<Option<i64>>::new());
    assert_eq!(ranks(&[(Some(1), true), (Some(1), true)]), vec![Some(1), Some(1)]);
}

fn entry(target: &str, code: &str, points: &str) -> ScoreInput {
    ScoreInput {
        target_id: target.into(),
        indicator_code: code.into(),
        points: points.into(),
        note: "依据年度述职评议".into(),
        ..ScoreInput::default()
    }
}

fn sheet() -> Vec<NewIndicator> {
    vec![
        ind("E1", "entered", "40"),
        rated("R1", "60", &[("superior", "0.6"), ("peers", "40%")]),
        NewIndicator {
            baseline: true,
            ..ind("B1", "entered", "0")
        },
        NewIndicator {
            bonus: true,
            ..ind("X1", "entered", "10")
        },
    ]
}

async fn peer(w: &World, id: &str, acc: &str, scope: &tongpin_core::org::Scope, target: &str, pts: &str) {
    let rater = Rater {
        account_id: acc,
        person_id: None,
        manage: Some(scope),
    };
    let input = RatingInput {
        target_id: target.into(),
        group: "peers".into(),
        points: vec![("R1".into(), pts.into())],
        note: String::new(),
    };
    ratings::rate(&w.db, now(), &cli(), &rater, id, input).await.unwrap();
}

#[tokio::test]
async fn a_sheet_scores_through_the_store_with_veto_bonus_cap_and_tied_ranks() {
    let w = world().await;
    let id = create(&w, sheet()).await;
    let actor = cli();
    let s = |input: ScoreInput| scores::score(&w.db, now(), &actor, &w.s_root, &w.acc_root, &id, input);
    for (t, e1, r1, x1) in [
        (&w.a, "36", "50", "8"),
        (&w.b, "40", "60", "0"),
        (&w.c, "36", "50", "8"),
    ] {
        s(entry(t, "E1", e1)).await.unwrap();
        s(entry(t, "R1", r1)).await.unwrap();
        s(entry(t, "X1", x1)).await.unwrap();
    }
    for (t, passed) in [(&w.a, true), (&w.b, false)] {
        s(ScoreInput {
            passed: Some(passed),
            ..entry(t, "B1", "")
        })
        .await
        .unwrap();
    }
    // Peers: B and C rate A 40 and 45 (mean 42.5); A and B rate C likewise; A and C rate B 60.
    peer(&w, &id, &w.acc_b, &w.s_b, &w.a, "40").await;
    let p_c = crate::assess_common::principal(&w.db, "sc2", tongpin_core::auth::Role::BranchSecretary, &w.c).await;
    let s_c = p_c.scope(tongpin_core::auth::Power::ManageAssessment).unwrap();
    peer(&w, &id, &p_c.account_id, &s_c, &w.a, "45").await;
    peer(&w, &id, &w.acc_a, &w.s_a, &w.c, "40").await;
    peer(&w, &id, &w.acc_b, &w.s_b, &w.c, "45").await;
    peer(&w, &id, &w.acc_a, &w.s_a, &w.b, "60").await;
    peer(&w, &id, &p_c.account_id, &s_c, &w.b, "60").await;

    let r = results::results(&w.db, &w.s_root, &id, now(), &Query::default())
        .await
        .unwrap();
    let item = |t: &str| r.items.iter().find(|i| i.target.id == t).unwrap().clone();
    // C has no baseline entry yet: incomplete, no score, no rank.
    let c = item(&w.c);
    assert_eq!((c.score, c.grade, c.rank, c.complete), (None, None, None, false));
    let a = item(&w.a);
    // R1 = 0.6 × 50 + 0.4 × 42.5 = 47; 36 + 47 + capped 5 = 88 of 100 → 较好.
    assert_eq!(a.lines[1].points, Some(4_700));
    assert!(a.lines[1].note.contains("互评 42.5 分 × 40%"), "{}", a.lines[1].note);
    assert_eq!(
        (a.score, a.bonus, a.full, a.grade),
        (Some(8_800), 500, 10_000, Some(Grade::FairlyGood))
    );
    let b = item(&w.b);
    assert_eq!((b.score, b.vetoed, b.grade), (Some(10_000), true, Some(Grade::Poor)));
    assert!(b.lines[2].note.contains("一票否决"), "{}", b.lines[2].note);
    assert_eq!((a.rank, b.rank), (Some(1), Some(2)), "the vetoed one after the rest");
    assert_eq!(
        (
            r.distribution.fairly_good,
            r.distribution.poor,
            r.distribution.incomplete
        ),
        (1, 1, 1)
    );

    // C passes its baseline: tied with A at 88, both first; B third.
    s(ScoreInput {
        passed: Some(true),
        ..entry(&w.c, "B1", "")
    })
    .await
    .unwrap();
    let r = results::results(&w.db, &w.s_root, &id, now(), &Query::default())
        .await
        .unwrap();
    let ranks: Vec<(String, Option<i64>, Option<i64>)> = r
        .items
        .iter()
        .map(|i| (i.target.name.clone(), i.score, i.rank))
        .collect();
    assert_eq!(
        ranks,
        vec![
            ("第一党支部".to_string(), Some(8_800), Some(1)),
            ("第三党支部".to_string(), Some(8_800), Some(1)),
            ("第二党支部".to_string(), Some(10_000), Some(3)),
        ]
    );
}

#[tokio::test]
async fn points_above_full_and_misdirected_entries_write_nothing() {
    let w = world().await;
    let id = create(&w, sheet()).await;
    let before = (count(&w.db, "assessment_scores").await, count(&w.db, "audit_log").await);
    let actor = cli();
    let s = |input: ScoreInput| scores::score(&w.db, now(), &actor, &w.s_root, &w.acc_root, &id, input);
    let e = s(entry(&w.a, "E1", "40.01")).await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, message } if field == "分值" && message.contains("超过该指标满分 40 分")),
        "{e}"
    );
    let e = s(entry(&w.a, "NOPE", "1")).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "指标编码"), "{e}");
    let e = s(entry(&w.root, "E1", "1")).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "考核对象"), "{e}");
    let e = s(ScoreInput {
        note: String::new(),
        ..entry(&w.a, "E1", "30")
    })
    .await
    .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "说明"), "{e}");
    let e = s(entry(&w.a, "B1", "")).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "是否达标"), "{e}");
    // A branch's secretary is not the assessor.
    let e = scores::score(&w.db, now(), &cli(), &w.s_a, &w.acc_a, &id, entry(&w.a, "E1", "40"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e}");
    // A peer cannot rate itself as a peer, nor an indicator without peers.
    let me = Rater {
        account_id: &w.acc_a,
        person_id: None,
        manage: Some(&w.s_a),
    };
    let input = |t: &str, code: &str| RatingInput {
        target_id: t.into(),
        group: "peers".into(),
        points: vec![(code.into(), "10".into())],
        note: String::new(),
    };
    let e = ratings::rate(&w.db, now(), &cli(), &me, &id, input(&w.a, "R1"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e}");
    let e = ratings::rate(&w.db, now(), &cli(), &me, &id, input(&w.b, "E1"))
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "指标编码"), "{e}");
    let e = ratings::rate(&w.db, now(), &cli(), &me, &id, input(&w.b, "R1").clone_with("61"))
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "R1分值"), "{e}");
    assert_eq!(
        (count(&w.db, "assessment_scores").await, count(&w.db, "audit_log").await),
        before
    );
    // The rater sees their own points only.
    ratings::rate(&w.db, now(), &cli(), &me, &id, input(&w.b, "R1"))
        .await
        .unwrap();
    let mine = ratings::my_ratings(&w.db, &me, &id).await.unwrap();
    assert_eq!(mine.len(), 1);
    let other = Rater {
        account_id: &w.acc_b,
        person_id: None,
        manage: Some(&w.s_b),
    };
    assert!(ratings::my_ratings(&w.db, &other, &id).await.unwrap().is_empty());
}

trait WithPoints {
    fn clone_with(self, p: &str) -> Self;
}

impl WithPoints for RatingInput {
    fn clone_with(mut self, p: &str) -> Self {
        for x in &mut self.points {
            x.1 = p.into();
        }
        self
    }
}

#[tokio::test]
async fn a_figure_converts_to_points_and_a_rated_line_shows_only_group_means() {
    use tongpin_core::assess::evidence::evidence;
    use tongpin_core::assess::NewFigure;
    let w = world().await;
    let figure = NewIndicator {
        figure: Some(NewFigure {
            unit: "件".into(),
            baseline: "10".into(),
            target: "0".into(),
            direction: "lower".into(),
        }),
        ..ind("F1", "entered", "30")
    };
    let id = create(
        &w,
        vec![
            figure,
            rated("R1", "60", &[("superior", "0.6"), ("peers", "40%")]),
            ind("B0", "entered", "0").baseline(),
        ],
    )
    .await;
    let actor = cli();
    let s = |input: ScoreInput| scores::score(&w.db, now(), &actor, &w.s_root, &w.acc_root, &id, input);
    // 3 complaints against a baseline of 10 and a target of 0: 70 % of 30 points.
    s(ScoreInput {
        figure: "3".into(),
        ..entry(&w.a, "F1", "")
    })
    .await
    .unwrap();
    let e = s(entry(&w.a, "F1", "")).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "数值"), "{e}");
    // A pass/fail item of no points takes a pass or fail, not points.
    let e = s(entry(&w.a, "B0", "0")).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "是否达标"), "{e}");
    s(entry(&w.a, "R1", "50")).await.unwrap();
    peer(&w, &id, &w.acc_b, &w.s_b, &w.a, "40").await;
    let item = results::result(&w.db, &w.s_root, &id, &w.a, now()).await.unwrap();
    assert_eq!(item.lines[0].points, Some(2_100));
    assert!(item.lines[0].note.starts_with("录入数值 3件"), "{}", item.lines[0].note);
    let recs = evidence(&w.db, &w.s_root, &id, &w.a, "R1", now()).await.unwrap();
    let figs: Vec<(&str, &str)> = recs.iter().map(|r| (r.kind.as_str(), r.figure.as_str())).collect();
    assert_eq!(
        figs,
        [("组织评价", "平均 50 分，权重 60%"), ("互评", "平均 40 分，权重 40%")]
    );
    let recs = evidence(&w.db, &w.s_root, &id, &w.a, "F1", now()).await.unwrap();
    assert_eq!((recs.len(), recs[0].figure.as_str()), (1, "数值 3"));
}

trait Baseline {
    fn baseline(self) -> Self;
}

impl Baseline for NewIndicator {
    fn baseline(self) -> Self {
        NewIndicator { baseline: true, ..self }
    }
}
