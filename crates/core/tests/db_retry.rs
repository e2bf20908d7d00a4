//! Concurrent writers: a busy SQLite or a PostgreSQL serialization failure is
//! waited for and retried, decided on the error code; no caller sees it.
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tongpin_core::db::{testing, Db};
use tongpin_core::{with_tx, Error};

const KEY: &str = "test.counter";

async fn counter(db: &Db) -> i64 {
    let v: String = tongpin_core::with_db!(db, |p| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(KEY)
        .fetch_one(p)
        .await
        .unwrap());
    v.parse().unwrap()
}

async fn start_counter(db: &Db) {
    tongpin_core::with_db!(db, |p| sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, '0')"
    )
    .bind(KEY)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
}

/// Reads the counter, then writes it plus one: the pattern that, in a
/// deferred SQLite transaction, fails at once with SQLITE_BUSY_SNAPSHOT when
/// another writer committed in between.
async fn increment(db: &Db) -> Result<(), Error> {
    db.transaction(|tx| {
        Box::pin(async move {
            let v: String = with_tx!(tx, |c| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(KEY)
                .fetch_one(c)
                .await?);
            let next = v.parse::<i64>().unwrap_or(0) + 1;
            with_tx!(tx, |c| sqlx::query("UPDATE settings SET value = $1 WHERE key = $2")
                .bind(next.to_string())
                .bind(KEY)
                .execute(c)
                .await?
                .rows_affected());
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sqlite_writers_never_see_a_locked_database() {
    let db = testing::fresh_sqlite().await.unwrap();
    start_counter(&db).await;
    const WRITERS: usize = 16;
    const EACH: usize = 15;
    let mut tasks = Vec::new();
    for _ in 0..WRITERS {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..EACH {
                increment(&db).await?;
            }
            Ok::<_, Error>(())
        }));
    }
    for t in tasks {
        if let Err(e) = t.await.unwrap() {
            panic!("a writer saw: {e}");
        }
    }
    assert_eq!(counter(&db).await, (WRITERS * EACH) as i64);
}

#[tokio::test]
async fn a_busy_sqlite_is_retryable_by_its_code() {
    let path = std::env::temp_dir().join(format!("tongpin-busy-{}.db", tongpin_core::ids::new_id()));
    let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .unwrap()
        .create_if_missing(true)
        .busy_timeout(Duration::ZERO);
    let pool = SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(opts)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE t (x INTEGER)").execute(&pool).await.unwrap();
    let holder = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
    let busy = pool.begin_with("BEGIN IMMEDIATE").await.unwrap_err();
    let e = Error::from(busy);
    assert!(e.is_retryable(), "{e:?}");
    holder.rollback().await.unwrap();
    // A constraint failure is not worth retrying.
    sqlx::query("CREATE TABLE u (x INTEGER NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    let refused = sqlx::query("INSERT INTO u (x) VALUES (NULL)")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(!Error::from(refused).is_retryable());
}

/// Two serializable transactions read the counter, wait for each other,
/// then write it: PostgreSQL fails the second with 40001, which is retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_serialization_failure_is_retried() {
    let Some(url) = testing::pg_url() else { return };
    let db = testing::fresh_pg(&url).await.unwrap();
    start_counter(&db).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let runs = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let (db, barrier, runs) = (db.clone(), barrier.clone(), runs.clone());
        tasks.push(tokio::spawn(async move {
            db.transaction(|tx| {
                let (barrier, runs) = (barrier.clone(), runs.clone());
                Box::pin(async move {
                    let first = runs.fetch_add(1, Ordering::SeqCst) < 2;
                    with_tx!(tx, |c| sqlx::query("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                        .execute(c)
                        .await?
                        .rows_affected());
                    let v: String = with_tx!(tx, |c| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                        .bind(KEY)
                        .fetch_one(c)
                        .await?);
                    if first {
                        barrier.wait().await;
                    }
                    let next = v.parse::<i64>().unwrap_or(0) + 1;
                    with_tx!(tx, |c| sqlx::query("UPDATE settings SET value = $1 WHERE key = $2")
                        .bind(next.to_string())
                        .bind(KEY)
                        .execute(c)
                        .await?
                        .rows_affected());
                    Ok(())
                })
            })
            .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(counter(&db).await, 2);
    assert_eq!(runs.load(Ordering::SeqCst), 3, "one of the two ran again");
}
