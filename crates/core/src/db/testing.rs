//! A fresh, migrated database per test: SQLite in a temporary file by
//! default, or a new PostgreSQL database when `TONGPIN_TEST_PG` names a server.
use super::{migrate, Db};
use crate::audit::{Key, Seal};
use crate::{ids, Result};

/// The audit key every test database is sealed with (no anchor file; a test
/// that needs one seals its database again with `Seal::new(test_key(), Some(path))`).
pub fn test_key() -> Key {
    Key::from_bytes([0x5a; 32])
}

/// The engine the tests run on, from the environment.
pub fn pg_url() -> Option<String> {
    std::env::var("TONGPIN_TEST_PG").ok().filter(|s| !s.is_empty())
}

pub async fn fresh_db() -> Result<Db> {
    match pg_url() {
        Some(url) => fresh_pg(&url).await,
        None => fresh_sqlite().await,
    }
}

pub async fn fresh_sqlite() -> Result<Db> {
    let path = std::env::temp_dir().join(format!("tongpin-test-{}.db", ids::new_id()));
    let db = Db::connect(&format!("sqlite://{}", path.display())).await?;
    migrate(&db).await?;
    Ok(db.sealed(Seal::new(test_key(), None)))
}

/// Creates `tongpin_test_<id>` on the server and connects to it.
pub async fn fresh_pg(server_url: &str) -> Result<Db> {
    let name = format!("tongpin_test_{}", ids::new_id().replace('-', ""));
    let admin = Db::connect(server_url).await?;
    if let super::Pool::Postgres(p) = &admin.pool {
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(p).await?;
    }
    admin.close().await;
    let base = match server_url.rfind('/') {
        Some(i) if server_url[..i].contains("://") && i > server_url.find("://").map(|j| j + 2).unwrap_or(0) => {
            &server_url[..i]
        }
        _ => server_url,
    };
    let db = Db::connect(&format!("{base}/{name}")).await?;
    migrate(&db).await?;
    Ok(db.sealed(Seal::new(test_key(), None)))
}
