//! Results while open and frozen once closed, on whichever engine the
//! tests run: recomputed from the records until the close; then stored
//! under a SHA-256 that verification recomputes, unchanged by later records
//! and refusing new points (Conflict); published to each organization for
//! its own result only.
use tongpin_core::assess::freeze::{close, verify};
use tongpin_core::assess::results::{self, Query, Results};
use tongpin_core::assess::scores::{self, ScoreInput};
use tongpin_core::assess::{read, Grade};
use tongpin_core::db::Db;
use tongpin_core::{with_db, Error};

use crate::assess_common::{audited, computed, create, ind, now, world, World};
use crate::common::cli;

fn entry(target: &str, points: &str) -> ScoreInput {
    ScoreInput {
        target_id: target.into(),
        indicator_code: "E1".into(),
        points: points.into(),
        note: "年度述职评议".into(),
        ..ScoreInput::default()
    }
}

async fn score(w: &World, id: &str, target: &str, points: &str) -> Result<(), Error> {
    scores::score(&w.db, now(), &cli(), &w.s_root, &w.acc_root, id, entry(target, points)).await
}

fn summary(r: &Results) -> Vec<(String, Option<i64>, Option<Grade>, Option<i64>, Vec<Option<i64>>)> {
    r.items
        .iter()
        .map(|i| {
            (
                i.target.id.clone(),
                i.score,
                i.grade,
                i.rank,
                i.lines.iter().map(|l| l.points).collect(),
            )
        })
        .collect()
}

async fn meeting(db: &Db, org: &str) {
    with_db!(db, |p| {
        sqlx::query(
        "INSERT INTO meetings (id, org_id, kind, status, topic, starts_at, month, place, host, recorder, agenda, minutes, \
         dual_life, created_by, created_at, updated_at, counts) VALUES ('late', $1, 'theme_day', 'held', '补录', $2, \
         '2026-05', '', '', '', '', '', FALSE, 't', 0, 0, TRUE)"
    )
    .bind(org)
    .bind(crate::assess_common::at(2026, 5, 10))
    .execute(p)
    .await
    .unwrap()
    .rows_affected()
    });
}

#[tokio::test]
async fn closing_freezes_the_results_under_a_hash_that_verifies() {
    let w = world().await;
    let id = create(
        &w,
        vec![ind("E1", "entered", "80"), computed("L1", "life_compliance", "20")],
    )
    .await;
    for (t, p) in [(&w.a, "72"), (&w.b, "64"), (&w.c, "50")] {
        score(&w, &id, t, p).await.unwrap();
    }
    let q = Query::default();
    let open = results::results(&w.db, &w.s_root, &id, now(), &q).await.unwrap();
    assert!(!open.closed && open.hash.is_none());
    // Recomputed while open: a late record changes the life line.
    let before_a = open.items.iter().find(|i| i.target.id == w.a).unwrap().lines[1].points;
    meeting(&w.db, &w.a).await;
    let open = results::results(&w.db, &w.s_root, &id, now(), &q).await.unwrap();
    let after_a = open.items.iter().find(|i| i.target.id == w.a).unwrap().lines[1].points;
    assert_ne!(before_a, after_a, "open results follow the records");
    assert!(
        verify(&w.db, &w.s_root, &id).await.unwrap().is_none(),
        "nothing to verify while open"
    );
    // Nobody but the assessor sees results while open.
    let hidden = results::results(&w.db, &w.s_a, &id, now(), &q).await.unwrap();
    assert!(!hidden.visible && hidden.items.is_empty());

    let hash = close(&w.db, now(), &cli(), &w.s_root, &id).await.unwrap();
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(audited(&w.db, "assess.close").await, 1);
    let frozen = results::results(&w.db, &w.s_root, &id, now(), &q).await.unwrap();
    assert!(frozen.closed);
    assert_eq!(frozen.hash.as_deref(), Some(hash.as_str()));
    assert_eq!(
        summary(&frozen),
        summary(&open),
        "the frozen rows are the results as they stood"
    );
    assert_eq!(frozen.distribution, open.distribution);
    assert_eq!(frozen.items[0].lines, open.items[0].lines);
    let v = verify(&w.db, &w.s_root, &id).await.unwrap().unwrap();
    assert!(v.ok && v.computed == hash);

    // After the close: later records change nothing, new points are refused.
    with_db!(&w.db, |p| sqlx::query("DELETE FROM meetings WHERE id = 'late'")
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
    let e = score(&w, &id, &w.a, "80").await.unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    let again = results::results(&w.db, &w.s_root, &id, now() + 86_400_000, &q)
        .await
        .unwrap();
    assert_eq!(summary(&again), summary(&frozen));
    assert!(matches!(
        close(&w.db, now(), &cli(), &w.s_root, &id).await,
        Err(Error::Conflict(_))
    ));

    // A change to the stored results shows.
    with_db!(&w.db, |p| sqlx::query(
        "UPDATE assessment_results SET score = score + 1 WHERE target_id = $1"
    )
    .bind(&w.b)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    let v = verify(&w.db, &w.s_root, &id).await.unwrap().unwrap();
    assert!(!v.ok && v.stored.as_deref() == Some(hash.as_str()));
    with_db!(&w.db, |p| sqlx::query(
        "UPDATE assessment_results SET score = score - 1 WHERE target_id = $1"
    )
    .bind(&w.b)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    with_db!(&w.db, |p| sqlx::query(
        "UPDATE assessment_results SET lines = replace(lines, '72', '73') WHERE target_id = $1"
    )
    .bind(&w.a)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    assert!(!verify(&w.db, &w.s_root, &id).await.unwrap().unwrap().ok);
}

#[tokio::test]
async fn published_results_reach_each_organization_for_its_own() {
    let w = world().await;
    let id = create(&w, vec![ind("E1", "entered", "100")]).await;
    for (t, p) in [(&w.a, "95"), (&w.b, "85"), (&w.c, "55")] {
        score(&w, &id, t, p).await.unwrap();
    }
    close(&w.db, now(), &cli(), &w.s_root, &id).await.unwrap();
    let q = Query::default();
    let all = results::results(&w.db, &w.s_root, &id, now(), &q).await.unwrap();
    let grades: Vec<(Option<Grade>, Option<i64>)> = all.items.iter().map(|i| (i.grade, i.rank)).collect();
    assert_eq!(
        grades,
        [
            (Some(Grade::Good), Some(1)),
            (Some(Grade::FairlyGood), Some(2)),
            (Some(Grade::Poor), Some(3))
        ]
    );
    assert_eq!((all.total, all.distribution.good, all.distribution.poor), (3, 1, 1));
    for s in [&w.s_a, &w.view_a] {
        let mine = results::results(&w.db, s, &id, now(), &q).await.unwrap();
        assert!(mine.visible);
        assert_eq!(mine.items.len(), 1);
        assert_eq!(
            (mine.items[0].target.id.as_str(), mine.items[0].rank),
            (w.a.as_str(), Some(1))
        );
        assert!(
            results::result(&w.db, s, &id, &w.b, now()).await.is_err(),
            "another branch's result"
        );
    }
    // Paging in rank order.
    let page = results::results(
        &w.db,
        &w.s_root,
        &id,
        now(),
        &Query {
            target_id: None,
            offset: 1,
            limit: 1,
        },
    )
    .await
    .unwrap();
    assert_eq!((page.total, page.items.len(), page.items[0].rank), (3, 1, Some(2)));
    assert!(read::get(&w.db, &w.s_root, &id).await.unwrap().closed);
}
