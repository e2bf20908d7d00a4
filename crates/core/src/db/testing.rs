//! A fresh, migrated database per test: SQLite in a temporary file by
//! default, or a new PostgreSQL database when `TONGPIN_TEST_PG` names a server.
use super::{migrate, Db};
use crate::audit::{Key, Seal};
use crate::{ids, with_db, Result};

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
    let (db, _) = create_pg(server_url, None).await?;
    migrate(&db).await?;
    Ok(db.sealed(Seal::new(test_key(), None)))
}

/// A new database on the server, empty or a copy of `template`, and its name.
async fn create_pg(server_url: &str, template: Option<&str>) -> Result<(Db, String)> {
    let name = format!("tongpin_test_{}", ids::new_id().replace('-', ""));
    let admin = Db::connect(server_url).await?;
    if let super::Pool::Postgres(p) = &admin.pool {
        let from = template.map(|t| format!(" TEMPLATE {t}")).unwrap_or_default();
        sqlx::query(&format!("CREATE DATABASE {name}{from}")).execute(p).await?;
    }
    admin.close().await;
    let base = match server_url.rfind('/') {
        Some(i) if server_url[..i].contains("://") && i > server_url.find("://").map(|j| j + 2).unwrap_or(0) => {
            &server_url[..i]
        }
        _ => server_url,
    };
    Ok((Db::connect(&format!("{base}/{name}")).await?, name))
}

/// A fresh database holding what `build` made, for tests that share a costly
/// setup (the demo): `build` runs once per process, on a database kept as
/// the template (a SQLite file, a PostgreSQL template database) named in
/// `template`; each call answers a copy of it of its own, so what one test
/// writes no other sees.
pub async fn copy_of<F, Fut>(template: &'static tokio::sync::OnceCell<String>, build: F) -> Result<Db>
where
    F: FnOnce(Db) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let made = template
        .get_or_try_init(|| async {
            let db = fresh_db().await?;
            build(db.clone()).await?;
            let name = match pg_url() {
                Some(_) => with_db!(&db, |p| sqlx::query_scalar("SELECT current_database()")
                    .fetch_one(p)
                    .await?),
                None => {
                    let path = std::env::temp_dir().join(format!("tongpin-template-{}.db", ids::new_id()));
                    let path = path.display().to_string();
                    db.backup_sqlite(&path).await?;
                    path
                }
            };
            // A PostgreSQL template is copied only while nobody is connected to it.
            db.close().await;
            Ok::<_, crate::Error>(name)
        })
        .await?;
    let db = match pg_url() {
        Some(url) => create_pg(&url, Some(made)).await?.0,
        None => {
            let path = std::env::temp_dir().join(format!("tongpin-test-{}.db", ids::new_id()));
            std::fs::copy(made, &path).map_err(|e| crate::Error::internal("复制测试数据库", e))?;
            Db::connect(&format!("sqlite://{}", path.display())).await?
        }
    };
    Ok(db.sealed(Seal::new(test_key(), None)))
}
