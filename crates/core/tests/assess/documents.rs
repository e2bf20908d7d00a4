//! The secretary's 述职 report (一述双报) and the leaders' 一岗双责 lists on
//! whichever engine the tests run: the report's draft assembled from the
//! records and the published results, editable until submitted; the lists
//! with their completion per side; bad input refused naming the field.
use tongpin_core::assess::duties::{self, NewDuty};
use tongpin_core::assess::freeze::close;
use tongpin_core::assess::report::{self, ReportInput};
use tongpin_core::assess::scores::{self, ScoreInput};
use tongpin_core::assess::NewIndicator;
use tongpin_core::Error;

use crate::assess_common::{audited, count, create, ind, now, world};
use crate::common::cli;

#[tokio::test]
async fn the_report_is_assembled_from_the_records_editable_until_submitted() {
    let w = world().await;
    let id = create(
        &w,
        vec![
            NewIndicator {
                side: "business".into(),
                title: "业务工作目标完成情况".into(),
                ..ind("E1", "entered", "60")
            },
            NewIndicator {
                title: "党建工作责任落实".into(),
                ..ind("E2", "entered", "40")
            },
        ],
    )
    .await;
    for t in [&w.a, &w.b, &w.c] {
        for (code, p) in [("E1", "55"), ("E2", "36")] {
            let input = ScoreInput {
                target_id: t.clone(),
                indicator_code: code.into(),
                points: p.into(),
                note: "年度考核".into(),
                ..ScoreInput::default()
            };
            scores::score(&w.db, now(), &cli(), &w.s_root, &w.acc_root, &id, input)
                .await
                .unwrap();
        }
    }
    close(&w.db, now(), &cli(), &w.s_root, &id).await.unwrap();
    duties::add(
        &w.db,
        now(),
        &cli(),
        &w.s_a,
        NewDuty {
            org_id: w.a.clone(),
            year: 2026,
            person_id: w.pa[0].clone(),
            side: "party".into(),
            duty: "讲授专题党课".into(),
        },
    )
    .await
    .unwrap();

    let draft = report::draft(&w.db, &w.s_a, &w.a, &w.pa[0], 2026, now()).await.unwrap();
    assert!(draft.id.is_none() && !draft.submitted);
    assert_eq!(draft.figures.results.len(), 1);
    assert_eq!(draft.figures.results[0].score, Some(9_100));
    assert!(draft.business.contains("业务工作目标完成情况"), "{}", draft.business);
    assert!(
        draft.party_building.contains("党建工作责任落实"),
        "{}",
        draft.party_building
    );
    assert!(
        draft.party_building.contains("得分 91，等次 好"),
        "{}",
        draft.party_building
    );
    assert!(
        draft.party_building.contains("张一党建职责完成 0/1 项"),
        "{}",
        draft.party_building
    );

    let input = ReportInput {
        org_id: w.a.clone(),
        person_id: w.pa[0].clone(),
        year: 2026,
        business: draft.business.clone(),
        party_building: draft.party_building.clone(),
        integrity: String::new(),
    };
    // Submitting needs all three parts.
    let e = report::save(&w.db, now(), &cli(), &w.s_a, input.clone(), true)
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "述职报告"), "{e}");
    let rid = report::save(&w.db, now(), &cli(), &w.s_a, input.clone(), false)
        .await
        .unwrap();
    let edited = ReportInput {
        integrity: "严格遵守中央八项规定精神".into(),
        ..input.clone()
    };
    assert_eq!(
        report::save(&w.db, now(), &cli(), &w.s_a, edited.clone(), false)
            .await
            .unwrap(),
        rid
    );
    let saved = report::draft(&w.db, &w.s_a, &w.a, &w.pa[0], 2026, now()).await.unwrap();
    assert_eq!(
        (saved.id.as_deref(), saved.integrity.as_str()),
        (Some(rid.as_str()), "严格遵守中央八项规定精神")
    );
    report::save(&w.db, now(), &cli(), &w.s_a, edited.clone(), true)
        .await
        .unwrap();
    let e = report::save(&w.db, now(), &cli(), &w.s_a, edited, false)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "fixed once submitted: {e}");
    assert!(
        report::draft(&w.db, &w.s_a, &w.a, &w.pa[0], 2026, now())
            .await
            .unwrap()
            .submitted
    );
    assert_eq!(
        (
            audited(&w.db, "assess.report.save").await,
            audited(&w.db, "assess.report.submit").await
        ),
        (2, 1)
    );
    // Someone not on the branch's roster cannot report for it; another branch cannot touch it.
    let e = report::draft(&w.db, &w.s_a, &w.a, &w.pb[0], 2026, now())
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "述职人"), "{e}");
    assert!(matches!(
        report::draft(&w.db, &w.s_b, &w.a, &w.pa[0], 2026, now()).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn dual_duty_lists_count_their_completion_per_side() {
    let w = world().await;
    let add = |side: &str, duty: &str| NewDuty {
        org_id: w.a.clone(),
        year: 2026,
        person_id: w.pa[1].clone(),
        side: side.into(),
        duty: duty.into(),
    };
    let b1 = duties::add(&w.db, now(), &cli(), &w.s_a, add("business", "完成年度服务指标"))
        .await
        .unwrap();
    duties::add(&w.db, now(), &cli(), &w.s_a, add("business", "推进数字化改造"))
        .await
        .unwrap();
    let p1 = duties::add(&w.db, now(), &cli(), &w.s_a, add("党建", "落实“三会一课”"))
        .await
        .unwrap();
    duties::set_done(&w.db, now(), &cli(), &w.s_a, &b1, "2026-12-20", "已完成")
        .await
        .unwrap();
    duties::set_done(&w.db, now(), &cli(), &w.s_a, &p1, "2026-11-30", "")
        .await
        .unwrap();
    let lists = duties::lists(&w.db, &w.view_a, &w.a, 2026).await.unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(
        (
            lists[0].person_name.as_str(),
            lists[0].business_done,
            lists[0].party_done
        ),
        ("张二", (1, 2), (1, 1))
    );
    // Refusals name the field and write nothing.
    let before = count(&w.db, "assessment_duties").await;
    for (input, field) in [
        (add("other", "x"), "职责类别"),
        (add("business", ""), "职责内容"),
        (add("party", "每日打卡签到率"), "职责内容"),
        (
            NewDuty {
                person_id: w.pb[0].clone(),
                ..add("party", "x")
            },
            "领导干部",
        ),
        (
            NewDuty {
                year: 1999,
                ..add("party", "x")
            },
            "年度",
        ),
    ] {
        let e = duties::add(&w.db, now(), &cli(), &w.s_a, input).await.unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field: f, .. } if f == field),
            "{field}: {e}"
        );
    }
    let e = duties::set_done(&w.db, now(), &cli(), &w.s_a, &b1, "2027-12-31", "")
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "完成日期"), "{e}");
    assert!(matches!(
        duties::set_done(&w.db, now(), &cli(), &w.s_b, &b1, "", "").await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(count(&w.db, "assessment_duties").await, before);
}
