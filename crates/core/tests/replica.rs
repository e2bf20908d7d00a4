//! Several servers on one database: reads from a replica (只读副本) and the
//! recount lock every server takes.
use std::time::Duration;
use tongpin_core::db::{testing, Db, Pool};
use tongpin_core::Error;

/// The URL of the test's PostgreSQL database, as a second server would open it.
async fn url_of(db: &Db) -> String {
    let Pool::Postgres(p) = &db.pool else {
        unreachable!("PostgreSQL only")
    };
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(p)
        .await
        .unwrap();
    let server = testing::pg_url().unwrap();
    let base = &server[..server.rfind('/').unwrap()];
    format!("{base}/{name}")
}

static LOCAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
static OTHER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn views_read_a_replica_that_keeps_up_and_write_to_the_primary() {
    let db = testing::fresh_db().await.unwrap();
    if db.is_sqlite() {
        let e = db.clone().with_replica("postgres://127.0.0.1:1/x").await.unwrap_err();
        assert!(matches!(e, Error::Invalid { .. }), "{e:?}");
        assert_eq!(db.for_reading().await.lag_seconds, None, "no replica: the primary");
        return;
    }
    // A server that is not a standby stands in for a replica that has caught up.
    let with = db.clone().with_replica(&url_of(&db).await).await.unwrap();
    let r = with.for_reading().await;
    assert_eq!(r.lag_seconds, Some(0.0));
    assert!(r.note().unwrap().contains("只读副本"), "{:?}", r.note());
    // A transaction begun from the reading handle goes to the primary.
    let mut tx = r.db.begin().await.unwrap();
    tongpin_core::with_tx!(tx, |c| sqlx::query("CREATE TABLE replica_probe (x INT)")
        .execute(c)
        .await
        .unwrap()
        .rows_affected());
    tx.commit().await.unwrap();
    assert!(r.db.writer().ping().await);

    // A replica that does not answer: the primary answers, and the page says nothing.
    let gone = db
        .clone()
        .with_replica("postgres://postgres@127.0.0.1:1/none")
        .await
        .unwrap();
    let r = gone.for_reading().await;
    assert_eq!((r.lag_seconds, r.note()), (None, None));
}

#[tokio::test]
async fn a_recount_lock_holds_across_servers() {
    let db = testing::fresh_db().await.unwrap();
    let held = db.exclusive(&LOCAL, 42).await.unwrap();
    // The same process waits for it.
    assert!(
        tokio::time::timeout(Duration::from_millis(200), db.exclusive(&LOCAL, 42))
            .await
            .is_err()
    );
    if db.is_sqlite() {
        return;
    }
    // Another server (its own pool and its own process lock) waits too ...
    let other = Db::connect(&url_of(&db).await).await.unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(300), other.exclusive(&OTHER, 42))
            .await
            .is_err()
    );
    // ... a different key does not ...
    drop(other.exclusive(&OTHER, 43).await.unwrap());
    // ... and gets it once the first lets go.
    drop(held);
    let again = tokio::time::timeout(Duration::from_secs(5), other.exclusive(&OTHER, 42)).await;
    assert!(matches!(again, Ok(Ok(_))));
}
