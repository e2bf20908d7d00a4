//! `tongpin copy` round-trips: SQLite → (PostgreSQL when the tests run on
//! it, else SQLite) → SQLite leaves identical data and an intact chain; a
//! failed copy leaves nothing behind.
use tongpin_core::audit;
use tongpin_core::db::{copied_tables, copy_all, testing, Db, DERIVED_TABLES};
use tongpin_core::{files, seed, with_db};

const NOW: i64 = 1_790_000_000_000;

async fn dump(db: &Db) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for t in copied_tables() {
        let sql = format!("SELECT * FROM {t}");
        let rows: Vec<String> = with_db!(db, |p| {
            use sqlx::Row;
            let rows = sqlx::query(&sql).fetch_all(p).await.unwrap();
            let mut v: Vec<String> = rows
                .iter()
                .map(|r| {
                    (0..r.columns().len())
                        .map(|i| {
                            r.try_get::<Option<String>, _>(i)
                                .map(|x| format!("{x:?}"))
                                .or_else(|_| r.try_get::<Option<i64>, _>(i).map(|x| format!("{x:?}")))
                                .or_else(|_| r.try_get::<Option<Vec<u8>>, _>(i).map(|x| format!("{x:?}")))
                                .unwrap_or_else(|_| "?".into())
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect();
            v.sort();
            v
        });
        out.push((t.to_string(), rows));
    }
    out
}

#[tokio::test]
async fn copy_round_trips_and_refuses_a_full_target() {
    let a = testing::fresh_sqlite().await.unwrap();
    seed::seed_demo(&a, NOW).await.unwrap();
    seed::generate(&a, NOW, 60, 300).await.unwrap();
    // An evidence file of three pieces, attached once.
    let mut spool = files::Spool::new("材料.pdf", 1 << 20).unwrap();
    let body: Vec<u8> = b"%PDF-1.4\n"
        .iter()
        .copied()
        .chain((0..600_000u32).map(|i| (i % 251) as u8))
        .collect();
    spool.push(&body).await.unwrap();
    let stored = files::save(&a, NOW, "uploader", spool).await.unwrap();
    let mut tx = a.begin().await.unwrap();
    files::attach(&mut tx, NOW, "test", "owner", &stored, "测试")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let b = testing::fresh_db().await.unwrap();
    let report = copy_all(&a, &b).await.unwrap();
    assert!(report.iter().any(|(t, n)| t == "audit_log" && *n > 10));
    // The demo has evidence of its own; the dump below compares every row.
    assert!(report.iter().any(|(t, n)| t == "file_chunks" && *n >= 3));
    assert_eq!(audit::verify(&b).await.unwrap().map(|_| ()), Ok(()));

    let c = testing::fresh_sqlite().await.unwrap();
    copy_all(&b, &c).await.unwrap();
    assert_eq!(dump(&a).await, dump(&c).await);

    // A target with data is refused, and nothing is written to it.
    let before = audit::count(&c, &tongpin_core::auth::cap::command_line(), &audit::Filter::default())
        .await
        .unwrap();
    assert!(copy_all(&a, &c).await.is_err());
    assert_eq!(
        audit::count(&c, &tongpin_core::auth::cap::command_line(), &audit::Filter::default())
            .await
            .unwrap(),
        before
    );
}

#[test]
fn copy_names_every_table_of_the_schema() {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = testing::fresh_sqlite().await.unwrap();
        let tables: Vec<String> = with_db!(&db, |p| sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'"
        )
        .fetch_all(p)
        .await
        .unwrap());
        let copied = copied_tables();
        for t in &tables {
            assert!(
                copied.contains(&t.as_str()) || DERIVED_TABLES.contains(&t.as_str()),
                "copy misses table {t}"
            );
        }
    });
}

async fn rows_in(db: &Db) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for t in copied_tables().into_iter().filter(|t| *t != "audit_head") {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let n: i64 = with_db!(db, |p| sqlx::query_scalar(&sql).fetch_one(p).await.unwrap());
        out.push((t, n));
    }
    out
}

async fn exec(db: &Db, sql: &str) {
    with_db!(db, |p| sqlx::raw_sql(sql).execute(p).await.unwrap().rows_affected());
}

/// A row the target refuses halfway through (a trigger on `meetings`, copied
/// after the organizations, people, accounts and audit log): nothing stays
/// behind, and once the cause is gone the same copy succeeds.
#[tokio::test]
async fn a_failed_copy_leaves_the_target_empty_and_can_be_retried() {
    let a = testing::fresh_sqlite().await.unwrap();
    seed::seed_demo(&a, NOW).await.unwrap();
    let b = testing::fresh_db().await.unwrap();
    let head_before: (i64, String) = with_db!(&b, |p| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(p)
        .await
        .unwrap());
    match b.is_sqlite() {
        true => {
            exec(
                &b,
                "CREATE TRIGGER refuse_meetings BEFORE INSERT ON meetings BEGIN SELECT RAISE(ABORT, 'refused'); END",
            )
            .await
        }
        false => {
            exec(
                &b,
                "CREATE FUNCTION refuse_meetings() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION 'refused'; END $$; \
                 CREATE TRIGGER refuse_meetings BEFORE INSERT ON meetings FOR EACH ROW EXECUTE FUNCTION refuse_meetings()",
            )
            .await
        }
    }
    assert!(copy_all(&a, &b).await.is_err());
    let left: Vec<_> = rows_in(&b).await.into_iter().filter(|(_, n)| *n > 0).collect();
    assert!(left.is_empty(), "rows left behind: {left:?}");
    let head_after: (i64, String) = with_db!(&b, |p| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(p)
        .await
        .unwrap());
    assert_eq!(head_after, head_before);

    match b.is_sqlite() {
        true => exec(&b, "DROP TRIGGER refuse_meetings").await,
        false => {
            exec(
                &b,
                "DROP TRIGGER refuse_meetings ON meetings; DROP FUNCTION refuse_meetings()",
            )
            .await
        }
    }
    copy_all(&a, &b).await.unwrap();
    assert_eq!(rows_in(&a).await, rows_in(&b).await);
    assert_eq!(audit::verify(&b).await.unwrap().map(|_| ()), Ok(()));
}

/// A U+0000 stored in SQLite before the edge refused it is named, not sent to
/// PostgreSQL as a driver error.
#[tokio::test]
async fn a_nul_bound_for_postgresql_is_named() {
    let Some(url) = testing::pg_url() else { return };
    let a = testing::fresh_sqlite().await.unwrap();
    exec(
        &a,
        "INSERT INTO settings (key, value) VALUES ('x', 'a' || char(0) || 'b')",
    )
    .await;
    let b = testing::fresh_pg(&url).await.unwrap();
    match copy_all(&a, &b).await {
        Err(tongpin_core::Error::Invalid { field, message }) => {
            assert_eq!(field, "settings.value");
            assert!(message.contains("U+0000"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(rows_in(&b).await.iter().all(|(_, n)| *n == 0));
}
