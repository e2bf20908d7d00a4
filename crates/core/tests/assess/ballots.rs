//! The masses' one-time anonymous ballots, on whichever engine the tests
//! run: tokens stored only as hashes, each used once, forged ones refused;
//! a ballot leaves only tallies — nothing in the database links it to an
//! account, an address or a time finer than the day; a group's mean shows
//! only from the threshold (样本不足 below, the score incomplete).
use tongpin_core::assess::ballots::{self, IssueInput};
use tongpin_core::assess::results;
use tongpin_core::assess::scores::{self, ScoreInput};
use tongpin_core::db::Db;
use tongpin_core::rules::assess::MIN_BALLOTS;
use tongpin_core::{with_db, Error};

use crate::assess_common::{audited, count, create, now, rated, world, World};
use crate::common::cli;

async fn setup(w: &World) -> String {
    create(
        w,
        vec![
            rated("M1", "10", &[("superior", "0.5"), ("masses", "0.5")]),
            rated("M2", "20", &[("masses", "1")]),
        ],
    )
    .await
}

async fn issue(w: &World, id: &str, target: &str, n: i64) -> Vec<String> {
    let input = IssueInput {
        target_id: target.into(),
        group: "masses".into(),
        count: n,
    };
    ballots::issue(&w.db, now(), &cli(), &w.s_root, id, input)
        .await
        .unwrap()
}

fn vote(m1: &str, m2: &str) -> Vec<(String, String)> {
    vec![("M1".into(), m1.into()), ("M2".into(), m2.into())]
}

/// The column names of a table, whichever the engine.
async fn columns(db: &Db, table: &str) -> Vec<String> {
    use sqlx::{Column, Row};
    let sql = format!("SELECT * FROM {table} LIMIT 1");
    with_db!(db, |p| sqlx::query(&sql)
        .fetch_one(p)
        .await
        .unwrap()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect())
}

#[tokio::test]
async fn a_tally_shows_from_the_threshold_and_no_ballot_can_be_read_back() {
    let w = world().await;
    let id = setup(&w).await;
    let tokens = issue(&w, &id, &w.a, 6).await;
    assert_eq!(tokens.len(), 6);
    assert!(tokens.iter().all(|t| t.starts_with("tpb_") && t.len() > 60));
    let form = ballots::form(&w.db, &tokens[0]).await.unwrap();
    assert_eq!((form.target_name.as_str(), form.indicators.len()), ("第一党支部", 2));
    scores::score(
        &w.db,
        now(),
        &cli(),
        &w.s_root,
        &w.acc_root,
        &id,
        ScoreInput {
            target_id: w.a.clone(),
            indicator_code: "M1".into(),
            points: "9".into(),
            ..ScoreInput::default()
        },
    )
    .await
    .unwrap();
    let points = ["6", "7", "8", "9", "10"];
    for (t, p) in tokens.iter().zip(points).take(4) {
        ballots::cast(&w.db, now() + 123_456, t, &vote(p, "20")).await.unwrap();
    }
    let item = results::result(&w.db, &w.s_root, &id, &w.a, now()).await.unwrap();
    assert_eq!(
        (item.lines[0].points, item.lines[1].points, item.score),
        (None, None, None)
    );
    assert!(
        item.lines[0].note.contains("群众评议 样本不足（4/5 票）"),
        "{}",
        item.lines[0].note
    );
    assert!(!item.complete);
    ballots::cast(&w.db, now(), &tokens[4], &vote(points[4], "15"))
        .await
        .unwrap();
    let item = results::result(&w.db, &w.s_root, &id, &w.a, now()).await.unwrap();
    // Masses' mean of M1 = 8; 0.5 × 9 + 0.5 × 8 = 8.5. M2: (4 × 20 + 15) ÷ 5 = 19.
    assert_eq!(MIN_BALLOTS, 5);
    assert_eq!(
        (item.lines[0].points, item.lines[1].points, item.score),
        (Some(850), Some(1_900), Some(2_750))
    );
    assert_eq!(ballots::counts(&w.db, &w.s_root, &id, &w.a).await.unwrap(), (6, 5));

    // Only tallies exist: one row per target and indicator, whatever the number of ballots.
    assert_eq!(count(&w.db, "assessment_tallies").await, 2);
    assert_eq!(
        columns(&w.db, "assessment_tallies").await,
        ["assessment_id", "target_id", "code", "ballots", "points_sum"]
    );
    assert_eq!(
        columns(&w.db, "assessment_ballot_tokens").await,
        ["token_hash", "assessment_id", "target_id", "grp", "issued_on", "used"]
    );
    // No token is stored in the clear.
    let stored: Vec<String> = with_db!(&w.db, |p| sqlx::query_scalar(
        "SELECT token_hash FROM assessment_ballot_tokens"
    )
    .fetch_all(p)
    .await
    .unwrap());
    assert!(stored.iter().all(|h| h.len() == 64 && !tokens.contains(h)));
    // The ballots' audit records: no account, no address, no target, the day only.
    let rows: Vec<(Option<String>, String, String, String, i64)> = with_db!(&w.db, |p| sqlx::query_as(
        "SELECT actor_id, client_addr, object, detail, at FROM audit_log WHERE action = 'assess.ballot'"
    )
    .fetch_all(p)
    .await
    .unwrap());
    assert_eq!(rows.len(), 5);
    for (actor, addr, object, detail, at) in rows {
        assert_eq!((actor, addr.as_str()), (None, ""));
        assert!(!object.contains("第一党支部") && !detail.contains("第一党支部"));
        assert_eq!((at + 8 * 3_600_000) % 86_400_000, 0, "Beijing midnight, not the moment");
    }
    assert_eq!(audited(&w.db, "assess.ballots.issue").await, 1);
}

#[tokio::test]
async fn a_token_is_used_once_and_a_forged_or_bad_ballot_changes_nothing() {
    let w = world().await;
    let id = setup(&w).await;
    let tokens = issue(&w, &id, &w.a, 2).await;
    ballots::cast(&w.db, now(), &tokens[0], &vote("5", "5")).await.unwrap();
    let before = (count(&w.db, "audit_log").await, tally(&w.db).await);
    let e = ballots::cast(&w.db, now(), &tokens[0], &vote("5", "5"))
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Conflict(m) if m.contains("已使用")), "{e}");
    assert!(matches!(
        ballots::form(&w.db, &tokens[0]).await,
        Err(Error::Conflict(_))
    ));
    let forged = format!("tpb_{}", "0".repeat(64));
    let e = ballots::cast(&w.db, now(), &forged, &vote("5", "5")).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "选票"), "{e}");
    // Points above full, an unknown item, an item missing: refused, the token still good.
    let e = ballots::cast(&w.db, now(), &tokens[1], &vote("10.5", "5"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, message } if field == "指标M1分值" && message.contains("超过满分")),
        "{e}"
    );
    let e = ballots::cast(&w.db, now(), &tokens[1], &[("M1".into(), "5".into())])
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, .. } if field == "指标M2分值"),
        "{e}"
    );
    let mut extra = vote("5", "5");
    extra.push(("E9".into(), "1".into()));
    assert!(ballots::cast(&w.db, now(), &tokens[1], &extra).await.is_err());
    assert_eq!(
        (count(&w.db, "audit_log").await, tally(&w.db).await),
        before,
        "nothing written"
    );
    ballots::cast(&w.db, now(), &tokens[1], &vote("5", "5")).await.unwrap();
    // Only the masses vote by token; a branch cannot issue them; never more than allowed at once.
    let bad = |group: &str, count: i64| IssueInput {
        target_id: w.a.clone(),
        group: group.into(),
        count,
    };
    for (g, n) in [("peers", 3), ("masses", 0), ("masses", 1_001)] {
        let e = ballots::issue(&w.db, now(), &cli(), &w.s_root, &id, bad(g, n))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Invalid { .. }), "{g} {n}: {e}");
    }
    let e = ballots::issue(&w.db, now(), &cli(), &w.s_a, &id, bad("masses", 3))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e}");
}

async fn tally(db: &Db) -> Vec<(String, i64, i64)> {
    with_db!(db, |p| sqlx::query_as(
        "SELECT code, ballots, points_sum FROM assessment_tallies ORDER BY code"
    )
    .fetch_all(p)
    .await
    .unwrap())
}

#[tokio::test]
async fn ballots_close_with_the_assessment() {
    let w = world().await;
    let id = setup(&w).await;
    let tokens = issue(&w, &id, &w.a, 1).await;
    tongpin_core::assess::freeze::close(&w.db, now(), &cli(), &w.s_root, &id)
        .await
        .unwrap();
    let e = ballots::cast(&w.db, now(), &tokens[0], &vote("5", "5"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    let input = IssueInput {
        target_id: w.a.clone(),
        group: "masses".into(),
        count: 1,
    };
    let e = ballots::issue(&w.db, now(), &cli(), &w.s_root, &id, input)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    assert_eq!(count(&w.db, "assessment_tallies").await, 0);
}
