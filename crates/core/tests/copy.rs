//! `tongpin copy` round-trips: SQLite → (PostgreSQL when the tests run on
//! it, else SQLite) → SQLite leaves identical data and an intact chain.
use tongpin_core::audit;
use tongpin_core::db::{copied_tables, copy_all, testing, Db};
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
    assert!(report.iter().any(|(t, n)| t == "file_chunks" && *n == 3));
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
            assert!(copied.contains(&t.as_str()), "copy misses table {t}");
        }
    });
}
