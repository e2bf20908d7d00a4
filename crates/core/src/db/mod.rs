//! One code base on two engines: SQLite (embedded default) and PostgreSQL
//! (and PG-compatible engines). One SQL text with `$N` placeholders serves
//! both (sqlx maps `$N` to the N-th argument on SQLite too); only the
//! schema files differ.
mod copy;
mod migrate;
pub mod testing;

pub use copy::{copied_tables, copy_all, DERIVED_TABLES};
pub use migrate::migrate;

use crate::audit::Seal;
use crate::{Error, Result};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// A database handle: the engine's pool and the audit seal (the key that
/// signs audit records and where the chain's head is anchored), so every
/// transaction begun from it appends keyed records.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: Pool,
    seal: Option<Arc<Seal>>,
    /// On the primary's handle: a streaming replica superior views may read
    /// from (`Db::for_reading`).
    replica: Option<PgPool>,
    /// On a replica's handle: the primary, where its transactions go.
    primary: Option<Pool>,
}

#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub struct Tx {
    pub conn: TxConn,
    seal: Option<Arc<Seal>>,
}

/// See `Db::exclusive`. Fields drop in order: the servers' lock first.
pub struct Exclusive {
    _shared: Option<sqlx::Transaction<'static, sqlx::Postgres>>,
    _local: tokio::sync::MutexGuard<'static, ()>,
}

pub enum TxConn {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$p` bound to the engine's pool.
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$p:ident| $body:expr) => {
        match &$db.pool {
            $crate::db::Pool::Sqlite($p) => $body,
            $crate::db::Pool::Postgres($p) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the transaction's connection.
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match &mut $tx.conn {
            $crate::db::TxConn::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::TxConn::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

const RETRIES: usize = 5;
/// SQLite connections in a server's pool.
const SQLITE_CONNECTIONS: u32 = 8;
/// Each SQLite connection's page cache, in KiB: 8 × 4 MiB at most in all.
/// Reads past it come from the operating system's file cache, which is not
/// the server's memory.
const SQLITE_CACHE_KIB: i64 = 4096;
/// One connection's page cache while it writes a bulk load (`Tx::bulk_cache`).
const SQLITE_BULK_CACHE_KIB: i64 = 65_536;

impl Db {
    /// `sqlite://PATH`, `sqlite::memory:`, `postgres://...` or `postgresql://...`.
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::from(Pool::Postgres(pool)))
        } else if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(if memory {
                    SqliteJournalMode::Memory
                } else {
                    SqliteJournalMode::Wal
                })
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"))
                // No memory-mapped reads: mapped pages would count in the
                // server's resident memory and grow with the database.
                .pragma("mmap_size", "0");
            let pool = SqlitePoolOptions::new()
                .max_connections(if memory { 1 } else { SQLITE_CONNECTIONS })
                .connect_with(opts)
                .await?;
            let db = Db::from(Pool::Sqlite(pool));
            db.check_sqlite_settings(memory).await?;
            Ok(db)
        } else {
            Err(Error::invalid("数据库地址", "应以 sqlite:// 或 postgres:// 开头"))
        }
    }

    /// Start-up check that WAL, synchronous=FULL, foreign keys and the page
    /// cache's size took effect.
    async fn check_sqlite_settings(&self, memory: bool) -> Result<()> {
        let Pool::Sqlite(pool) = &self.pool else { return Ok(()) };
        let mut conn = pool.acquire().await?;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await?;
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await?;
        let cache: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
        if (!memory && !mode.eq_ignore_ascii_case("wal")) || sync != 2 || fk != 1 || cache != -SQLITE_CACHE_KIB {
            return Err(Error::unexpected(format!(
                "SQLite 设置未生效：journal_mode={mode}, synchronous={sync}, foreign_keys={fk}, cache_size={cache}"
            )));
        }
        Ok(())
    }

    pub fn engine(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self.pool, Pool::Sqlite(_))
    }

    /// SQLite: `PRAGMA optimize` as its documentation advises for long-lived
    /// connections, analysing (bounded by `analysis_limit`) every table whose
    /// statistics are missing or stale. PostgreSQL: nothing (autovacuum).
    /// Best effort, logged.
    pub async fn optimize(&self) {
        if let Pool::Sqlite(p) = &self.pool {
            let done = sqlx::raw_sql("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002")
                .execute(p)
                .await;
            if let Err(e) = done {
                tracing::warn!("PRAGMA optimize failed: {e}");
            }
        }
    }

    /// Fresh planner statistics (and, on PostgreSQL, the visibility map) for
    /// `table` after a bulk load, so the next search is planned on what the
    /// table now holds and read from its indexes (PostgreSQL's autovacuum
    /// may come much later; SQLite never analyses by itself). SQLite's pass is
    /// bounded (`analysis_limit`). Best effort: the load has committed, so a
    /// failure is logged, not returned.
    pub async fn analyze(&self, table: &'static str) {
        let done = match &self.pool {
            Pool::Sqlite(p) => sqlx::raw_sql(&format!("PRAGMA analysis_limit = 1000; ANALYZE {table}"))
                .execute(p)
                .await
                .map(|_| ()),
            // VACUUM too: it marks the new rows' pages all-visible, without
            // which index-only scans (the roster search) read the table.
            Pool::Postgres(p) => sqlx::raw_sql(&format!("VACUUM (ANALYZE) {table}"))
                .execute(p)
                .await
                .map(|_| ()),
        };
        if let Err(e) = done {
            tracing::warn!("ANALYZE {table} failed: {e}");
        }
    }

    /// The same database, its audit records signed and anchored by `seal`.
    pub fn sealed(self, seal: Seal) -> Db {
        Db {
            seal: Some(Arc::new(seal)),
            ..self
        }
    }

    /// The same database with a PostgreSQL streaming replica of it that
    /// superior views and exports may read from.
    pub async fn with_replica(self, url: &str) -> Result<Db> {
        if self.is_sqlite() || !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(Error::invalid(
                "只读副本地址",
                "只读副本只用于 PostgreSQL，应以 postgres:// 开头",
            ));
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(2))
            .connect_lazy(url)?;
        Ok(Db {
            replica: Some(pool),
            ..self
        })
    }

    /// Where a read that may be a little behind should go: the replica when
    /// there is one that answers and is no more than the rule table's lag
    /// behind, with that lag; otherwise this database. Transactions begun
    /// from the returned handle still go to the primary.
    pub async fn for_reading(&self) -> Reading {
        let here = Reading {
            db: self.clone(),
            lag_seconds: None,
        };
        let Some(replica) = &self.replica else { return here };
        // Replayed all it received: caught up, however long ago the last write was.
        let lag = sqlx::query_scalar::<_, f64>(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 \
             ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8, 0) END",
        )
        .fetch_one(replica);
        match tokio::time::timeout(Duration::from_secs(2), lag).await {
            Ok(Ok(lag)) if lag <= crate::rules::replica::MAX_LAG_SECONDS => Reading {
                db: Db {
                    pool: Pool::Postgres(replica.clone()),
                    seal: self.seal.clone(),
                    replica: None,
                    primary: Some(self.pool.clone()),
                },
                lag_seconds: Some(lag),
            },
            Ok(Ok(lag)) => {
                tracing::warn!("the replica is {lag:.0} s behind: reading from the primary");
                here
            }
            Ok(Err(e)) => {
                tracing::warn!("the replica does not answer ({e}): reading from the primary");
                here
            }
            Err(_) => {
                tracing::warn!("the replica does not answer in time: reading from the primary");
                here
            }
        }
    }

    /// The primary: this handle, or the one a replica's handle came from.
    /// Recounts and marks go there even when the view reads the replica.
    pub fn writer(&self) -> Db {
        match &self.primary {
            None => self.clone(),
            Some(p) => Db {
                pool: p.clone(),
                seal: self.seal.clone(),
                replica: None,
                primary: None,
            },
        }
    }

    pub fn seal(&self) -> Option<&Seal> {
        self.seal.as_deref()
    }

    /// A transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`, waiting up to the busy timeout): a deferred transaction that
    /// read first could not upgrade once another writer committed
    /// (SQLITE_BUSY_SNAPSHOT, returned at once without waiting), so every
    /// writer queues at its start instead. Readers are not blocked (WAL).
    pub async fn begin(&self) -> Result<Tx> {
        let conn = match self.primary.as_ref().unwrap_or(&self.pool) {
            Pool::Sqlite(p) => TxConn::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => TxConn::Postgres(p.begin().await?),
        };
        Ok(Tx {
            conn,
            seal: self.seal.clone(),
        })
    }

    /// Runs `f` in a transaction, committing on success. A busy or locked
    /// SQLite, a PostgreSQL serialization failure or deadlock
    /// (`Error::is_retryable`, by error code) at the start, in `f` or at the
    /// commit runs the whole transaction again, a few times.
    pub async fn transaction<T, F>(&self, mut f: F) -> Result<T>
    where
        T: Send,
        F: for<'t> FnMut(&'t mut Tx) -> BoxFuture<'t, Result<T>> + Send,
    {
        let mut attempt = 0;
        loop {
            let out = match self.begin().await {
                Ok(mut tx) => match f(&mut tx).await {
                    Ok(v) => tx.commit().await.map(|_| v),
                    Err(e) => {
                        tx.rollback().await.ok();
                        Err(e)
                    }
                },
                Err(e) => Err(e),
            };
            match out {
                Err(e) if e.is_retryable() && attempt < RETRIES => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(10 << attempt)).await;
                }
                other => return other,
            }
        }
    }

    /// Held while a derived table is recomputed: one holder at a time in this
    /// process (`local`) and, on PostgreSQL, across every server on the
    /// database, by a transaction-scoped advisory lock `key` on a connection
    /// kept for the guard's life. Dropping the guard rolls that transaction
    /// back, which releases the lock; a server that dies releases it with its
    /// connection. The work itself runs on other connections.
    pub async fn exclusive(&self, local: &'static tokio::sync::Mutex<()>, key: i64) -> Result<Exclusive> {
        let held = local.lock().await;
        let shared = match &self.pool {
            Pool::Sqlite(_) => None,
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                Some(tx)
            }
        };
        Ok(Exclusive {
            _shared: shared,
            _local: held,
        })
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        with_db!(self, |p| sqlx::query("SELECT 1").execute(p).await.is_ok())
    }

    /// A consistent copy of a SQLite database while it is in use (VACUUM INTO).
    pub async fn backup_sqlite(&self, out: &str) -> Result<()> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(Error::invalid(
                "数据库地址",
                "backup 只用于 SQLite；PostgreSQL 请使用 pg_dump 或 pg_basebackup",
            ));
        };
        if std::path::Path::new(out).exists() {
            return Err(Error::invalid("备份文件", format!("{out} 已存在，请换一个文件名")));
        }
        sqlx::query("VACUUM INTO $1").bind(out).execute(pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        with_db!(self, |p| p.close().await)
    }
}

impl From<Pool> for Db {
    fn from(pool: Pool) -> Db {
        Db {
            pool,
            seal: None,
            replica: None,
            primary: None,
        }
    }
}

/// A handle for reading (`Db::for_reading`) and how far behind it may be.
pub struct Reading {
    pub db: Db,
    /// Seconds the replica was behind when asked; None: the primary.
    pub lag_seconds: Option<f64>,
}

impl Reading {
    /// What a page says about where its figures come from (数据来源).
    pub fn note(&self) -> Option<String> {
        self.lag_seconds.map(|s| {
            if s < 1.0 {
                "数据来自只读副本，与主库同步（延迟不足 1 秒）".to_string()
            } else {
                format!("数据来自只读副本，约 {s:.0} 秒前的状态")
            }
        })
    }
}

impl Tx {
    pub fn is_sqlite(&self) -> bool {
        matches!(self.conn, TxConn::Sqlite(_))
    }

    /// On SQLite, this connection's page cache for a bulk write (`true`:
    /// `SQLITE_BULK_CACHE_KIB`) or back to its usual size. A small cache
    /// spills the indexes' dirty pages to the log again and again: 100,000
    /// rows into a roster of a million took 14.0 s at 4 MiB, 9.6 s at 64 MiB
    /// (the database alone). Shrinking frees the pages again.
    pub async fn bulk_cache(&mut self, on: bool) -> Result<()> {
        if let TxConn::Sqlite(t) = &mut self.conn {
            let kib = if on { SQLITE_BULK_CACHE_KIB } else { SQLITE_CACHE_KIB };
            sqlx::query(&format!("PRAGMA cache_size = -{kib}"))
                .execute(&mut **t)
                .await?;
        }
        Ok(())
    }

    pub fn seal(&self) -> Option<&Seal> {
        self.seal.as_deref()
    }

    pub async fn commit(self) -> Result<()> {
        match self.conn {
            TxConn::Sqlite(t) => t.commit().await?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
    pub async fn rollback(self) -> Result<()> {
        match self.conn {
            TxConn::Sqlite(t) => t.rollback().await?,
            TxConn::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}
