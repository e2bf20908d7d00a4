use super::{Db, Pool};
use crate::{with_db, Result};

/// Schema changes, numbered in step for both engines.
const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../../../../migrations/sqlite/0001_core.sql")),
    (2, include_str!("../../../../migrations/sqlite/0002_people.sql")),
    (3, include_str!("../../../../migrations/sqlite/0003_development.sql")),
    (4, include_str!("../../../../migrations/sqlite/0004_dues.sql")),
    (5, include_str!("../../../../migrations/sqlite/0005_transfers.sql")),
    (6, include_str!("../../../../migrations/sqlite/0006_org_structure.sql")),
    (7, include_str!("../../../../migrations/sqlite/0007_plan.sql")),
    (8, include_str!("../../../../migrations/sqlite/0008_files.sql")),
    (11, include_str!("../../../../migrations/sqlite/0011_life.sql")),
    (12, include_str!("../../../../migrations/sqlite/0012_study.sql")),
    (10, include_str!("../../../../migrations/sqlite/0010_notify.sql")),
    (13, include_str!("../../../../migrations/sqlite/0013_life_counts.sql")),
    (14, include_str!("../../../../migrations/sqlite/0014_develop_rules.sql")),
    (15, include_str!("../../../../migrations/sqlite/0015_life_records.sql")),
];
/// SQLite steps that rebuild a table other tables refer to: run with foreign
/// keys off (they cannot be turned off inside a transaction) and checked
/// with `foreign_key_check` before they commit.
const SQLITE_REBUILDS: &[i64] = &[13];
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../../../../migrations/postgres/0001_core.sql")),
    (2, include_str!("../../../../migrations/postgres/0002_people.sql")),
    (3, include_str!("../../../../migrations/postgres/0003_development.sql")),
    (4, include_str!("../../../../migrations/postgres/0004_dues.sql")),
    (5, include_str!("../../../../migrations/postgres/0005_transfers.sql")),
    (
        6,
        include_str!("../../../../migrations/postgres/0006_org_structure.sql"),
    ),
    (7, include_str!("../../../../migrations/postgres/0007_plan.sql")),
    (8, include_str!("../../../../migrations/postgres/0008_files.sql")),
    (11, include_str!("../../../../migrations/postgres/0011_life.sql")),
    (12, include_str!("../../../../migrations/postgres/0012_study.sql")),
    (10, include_str!("../../../../migrations/postgres/0010_notify.sql")),
    (13, include_str!("../../../../migrations/postgres/0013_life_counts.sql")),
    (
        14,
        include_str!("../../../../migrations/postgres/0014_develop_rules.sql"),
    ),
    (
        15,
        include_str!("../../../../migrations/postgres/0015_life_records.sql"),
    ),
];

/// Applies the migrations not yet applied, each in its own transaction.
pub async fn migrate(db: &Db) -> Result<()> {
    let (steps, lock) = match db.pool {
        Pool::Sqlite(_) => (SQLITE, None),
        // Several servers may start at once: one migrates, the others wait.
        Pool::Postgres(_) => (POSTGRES, Some("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")),
    };
    with_db!(db, |p| {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(p)
        .await?;
        for (v, sql) in steps {
            if let Pool::Sqlite(pool) = &db.pool {
                if SQLITE_REBUILDS.contains(v) {
                    rebuild(pool, *v, sql).await?;
                    continue;
                }
            }
            let mut tx = p.begin().await?;
            if let Some(lock) = lock {
                sqlx::query(lock).execute(&mut *tx).await?;
            }
            let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(v)
                .fetch_optional(&mut *tx)
                .await?;
            if done.is_none() {
                sqlx::raw_sql(sql).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                    .bind(v)
                    .bind(chrono::Utc::now().timestamp_millis())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
    });
    Ok(())
}

/// One SQLite step that rebuilds a table: on one connection, foreign keys
/// off, the step in a transaction that commits only when every reference
/// still holds, foreign keys on again (or the connection closed).
async fn rebuild(pool: &sqlx::SqlitePool, v: i64, sql: &str) -> Result<()> {
    let mut conn = pool.acquire().await?;
    let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
        .bind(v)
        .fetch_optional(&mut *conn)
        .await?;
    if done.is_some() {
        return Ok(());
    }
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
    let run = async {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        let broken: Vec<(String, Option<i64>)> =
            sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check")
                .fetch_all(&mut *tx)
                .await?;
        if let Some((table, row)) = broken.first() {
            return Err(crate::Error::Conflict(format!(
                "迁移 {v} 后 {table} 第 {} 行的外键不再成立，已回滚",
                row.unwrap_or_default()
            )));
        }
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(v)
            .bind(chrono::Utc::now().timestamp_millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<(), crate::Error>(())
    }
    .await;
    match sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await {
        Ok(_) => {}
        Err(_) => conn.close().await?,
    }
    run
}
