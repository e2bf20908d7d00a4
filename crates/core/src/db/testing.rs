//! A fresh, migrated database per test: SQLite in a temporary file by
//! default, or a new PostgreSQL database when `TONGPIN_TEST_PG` names a server.
use super::{migrate, Db};
use crate::{ids, Result};

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
    Ok(db)
}

/// Creates `tongpin_test_<id>` on the server and connects to it.
pub async fn fresh_pg(server_url: &str) -> Result<Db> {
    let name = format!("tongpin_test_{}", ids::new_id().replace('-', ""));
    let admin = Db::connect(server_url).await?;
    if let Db::Postgres(p) = &admin {
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
    Ok(db)
}
