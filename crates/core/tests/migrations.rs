//! Migrations run once, in order, and an applied one may not change, on
//! whichever engine the tests run on.
use tongpin_core::db::{migrate, testing::fresh_db, Db};
use tongpin_core::with_db;

async fn exec(db: &Db, sql: &str) {
    with_db!(db, |p| sqlx::query(sql).execute(p).await.unwrap().rows_affected());
}

async fn checksums(db: &Db) -> Vec<(i64, Option<String>)> {
    with_db!(db, |p| sqlx::query_as(
        "SELECT version, checksum FROM schema_migrations ORDER BY version"
    )
    .fetch_all(p)
    .await
    .unwrap())
}

async fn refusal(db: &Db) -> String {
    migrate(db).await.unwrap_err().to_string()
}

#[tokio::test]
async fn every_applied_step_keeps_its_checksum_and_migrating_again_changes_nothing() {
    let db = fresh_db().await.unwrap();
    let before = checksums(&db).await;
    assert!(before.len() >= 14);
    assert!(before.iter().all(|(_, c)| c.as_ref().is_some_and(|c| c.len() == 64)));
    migrate(&db).await.unwrap();
    assert_eq!(checksums(&db).await, before);
}

#[tokio::test]
async fn steps_applied_before_checksums_were_kept_get_theirs() {
    let db = fresh_db().await.unwrap();
    let before = checksums(&db).await;
    // The table as older versions made it: no checksum column.
    exec(&db, "ALTER TABLE schema_migrations DROP COLUMN checksum").await;
    migrate(&db).await.unwrap();
    assert_eq!(checksums(&db).await, before);
}

#[tokio::test]
async fn an_applied_step_whose_text_changed_is_refused() {
    let db = fresh_db().await.unwrap();
    exec(&db, "UPDATE schema_migrations SET checksum = 'old' WHERE version = 3").await;
    let e = refusal(&db).await;
    assert!(e.contains("0003_development") && e.contains("校验和不符"), "{e}");
}

#[tokio::test]
async fn a_step_left_behind_a_newer_one_is_refused_not_run_late() {
    let db = fresh_db().await.unwrap();
    exec(&db, "DELETE FROM schema_migrations WHERE version = 10").await;
    let e = refusal(&db).await;
    assert!(e.contains("0010_notify") && e.contains("按版本顺序"), "{e}");
    let applied = checksums(&db).await;
    assert!(!applied.iter().any(|(v, _)| *v == 10), "the step was not run late");
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_program_is_refused() {
    let db = fresh_db().await.unwrap();
    exec(
        &db,
        "INSERT INTO schema_migrations (version, applied_at, checksum) VALUES (99, 0, 'x')",
    )
    .await;
    let e = refusal(&db).await;
    assert!(e.contains("0099"), "{e}");
}
