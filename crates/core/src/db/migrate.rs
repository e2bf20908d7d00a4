use super::{Db, Pool};
use crate::{with_db, Error, Result};
use sha2::Digest;

/// One schema change: the same version and name in both engines' folders.
struct Step {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

macro_rules! step {
    ($v:literal, $name:literal) => {
        Step {
            version: $v,
            name: $name,
            sqlite: include_str!(concat!("../../../../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../../../../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Schema changes in the order they run (versions strictly ascending; a
/// test checks both folders hold exactly these files).
const STEPS: &[Step] = &[
    step!(1, "0001_core"),
    step!(2, "0002_people"),
    step!(3, "0003_development"),
    step!(4, "0004_dues"),
    step!(5, "0005_transfers"),
    step!(6, "0006_org_structure"),
    step!(7, "0007_plan"),
    step!(8, "0008_files"),
    step!(10, "0010_notify"),
    step!(11, "0011_life"),
    step!(12, "0012_study"),
    step!(13, "0013_life_counts"),
    step!(14, "0014_develop_rules"),
    step!(15, "0015_life_records"),
    step!(16, "0016_login_guard"),
    step!(18, "0018_scoped_units_quota"),
    step!(19, "0019_standard"),
    step!(20, "0020_assess"),
    step!(21, "0021_life_tallies"),
    step!(22, "0022_people_search"),
    step!(23, "0023_todo_candidates"),
];
/// SQLite steps that rebuild a table other tables refer to: run with foreign
/// keys off (they cannot be turned off inside a transaction) and checked
/// with `foreign_key_check` before they commit.
const SQLITE_REBUILDS: &[i64] = &[13];

/// SHA-256 of a step's text, kept for every applied step.
fn checksum(sql: &str) -> String {
    hex::encode(sha2::Sha256::digest(sql.as_bytes()))
}

/// The table of applied steps, with the checksum column older versions lacked.
async fn ensure_table(db: &Db) -> Result<()> {
    with_db!(db, |p| {
        sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL, checksum TEXT)",
    )
    .execute(p)
    .await?
    .rows_affected()
    });
    match &db.pool {
        Pool::Sqlite(p) => {
            let has: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'",
            )
            .fetch_one(p)
            .await?;
            if has == 0 {
                sqlx::query("ALTER TABLE schema_migrations ADD COLUMN checksum TEXT")
                    .execute(p)
                    .await?;
            }
        }
        Pool::Postgres(p) => {
            sqlx::query("ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum TEXT")
                .execute(p)
                .await?;
        }
    }
    Ok(())
}

/// Refuses to go on when an applied step's text changed, the database holds
/// a step this program does not know, or a pending step is older than one
/// already applied (steps run strictly in order). Steps applied before
/// checksums were kept get theirs now.
async fn check_applied(db: &Db) -> Result<()> {
    let applied: Vec<(i64, Option<String>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT version, checksum FROM schema_migrations ORDER BY version"
    )
    .fetch_all(p)
    .await?);
    let newest = applied.last().map(|a| a.0).unwrap_or(0);
    for (version, stored) in &applied {
        let Some(step) = STEPS.iter().find(|s| s.version == *version) else {
            return Err(Error::Conflict(format!(
                "数据库已执行迁移 {version:04}，本程序不认识：请使用与数据库相符（或更新）的版本"
            )));
        };
        let sum = checksum(step.text(db));
        match stored {
            Some(s) if *s != sum => {
                return Err(Error::Conflict(format!(
                "迁移 {} 已执行，但其内容已改变（校验和不符）：已执行的迁移不得修改，请恢复原文件，改动放进新的迁移",
                step.name
            )))
            }
            Some(_) => {}
            None => {
                with_db!(db, |p| sqlx::query(
                    "UPDATE schema_migrations SET checksum = $1 WHERE version = $2"
                )
                .bind(&sum)
                .bind(version)
                .execute(p)
                .await?
                .rows_affected());
            }
        }
    }
    if let Some(missed) = STEPS
        .iter()
        .find(|s| s.version < newest && !applied.iter().any(|a| a.0 == s.version))
    {
        return Err(Error::Conflict(format!(
            "迁移 {} 尚未执行，但更新的迁移 {newest:04} 已执行：迁移须按版本顺序执行，不能补在后面",
            missed.name
        )));
    }
    Ok(())
}

impl Step {
    fn text(&self, db: &Db) -> &'static str {
        if db.is_sqlite() {
            self.sqlite
        } else {
            self.postgres
        }
    }
}

/// Applies the migrations not yet applied, in order, each in its own
/// transaction, after checking the applied ones are unchanged.
pub async fn migrate(db: &Db) -> Result<()> {
    ensure_table(db).await?;
    check_applied(db).await?;
    // Several PostgreSQL servers may start at once: one migrates, the others wait.
    let lock = (!db.is_sqlite()).then_some("LOCK TABLE schema_migrations IN EXCLUSIVE MODE");
    for step in STEPS {
        let (v, sql) = (&step.version, step.text(db));
        let sum = checksum(sql);
        with_db!(db, |p| {
            if let Pool::Sqlite(pool) = &db.pool {
                if SQLITE_REBUILDS.contains(v) {
                    rebuild(pool, *v, sql, &sum).await?;
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
                sqlx::query("INSERT INTO schema_migrations (version, applied_at, checksum) VALUES ($1, $2, $3)")
                    .bind(v)
                    .bind(chrono::Utc::now().timestamp_millis())
                    .bind(&sum)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
    }
    Ok(())
}

/// One SQLite step that rebuilds a table: on one connection, foreign keys
/// off, the step in a transaction that commits only when every reference
/// still holds, foreign keys on again (or the connection closed).
async fn rebuild(pool: &sqlx::SqlitePool, v: i64, sql: &str, sum: &str) -> Result<()> {
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
        sqlx::query("INSERT INTO schema_migrations (version, applied_at, checksum) VALUES ($1, $2, $3)")
            .bind(v)
            .bind(chrono::Utc::now().timestamp_millis())
            .bind(sum)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(engine: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../migrations")
            .join(engine);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn both_folders_hold_exactly_the_steps_in_ascending_order() {
        let listed: Vec<String> = STEPS.iter().map(|s| format!("{}.sql", s.name)).collect();
        assert_eq!(folder("sqlite"), listed, "migrations/sqlite");
        assert_eq!(folder("postgres"), listed, "migrations/postgres");
        for pair in STEPS.windows(2) {
            assert!(
                pair[0].version < pair[1].version,
                "{} before {}",
                pair[0].name,
                pair[1].name
            );
        }
        for s in STEPS {
            assert_eq!(s.name[..4].parse::<i64>().ok(), Some(s.version), "{}", s.name);
        }
    }
}
