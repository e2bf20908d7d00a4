//! What someone with write access to the database, but not the audit key,
//! can do to the log.
use std::path::PathBuf;
use tongpin_core::audit::{self, chain_hash, Actor, Algo, Event, Key, Outcome, Record, Seal};
use tongpin_core::db::testing::{fresh_db, test_key};
use tongpin_core::db::Db;
use tongpin_core::with_db;

pub const T0: i64 = 1_790_000_000_000;

pub async fn exec(db: &Db, sql: &str) {
    with_db!(db, |p| sqlx::query(sql).execute(p).await.unwrap().rows_affected());
}

/// `n` records in a database whose head is anchored in a file of its own.
pub async fn anchored(n: i64) -> (Db, PathBuf) {
    let path = std::env::temp_dir().join(format!("tongpin-anchors-{}", tongpin_core::ids::new_id()));
    let db = fresh_db()
        .await
        .unwrap()
        .sealed(Seal::new(test_key(), Some(path.clone())));
    let actor = Actor::anonymous("测试", "127.0.0.1");
    for i in 0..n {
        let ev = Event::new("login", format!("user{i}"), Outcome::Ok);
        audit::record(&db, T0 + i * 1000, &actor, ev).await.unwrap();
    }
    audit::anchor_head(&db, T0 + n * 1000).await.unwrap();
    (db, path)
}

/// Every record, oldest first.
pub async fn records(db: &Db) -> Vec<Record> {
    let mut all = audit::list(
        db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter::default(),
        0,
        10_000,
    )
    .await
    .unwrap();
    all.reverse();
    all
}

/// Edits record `from` and rehashes it and every later one with `algo` and
/// `key`, relinking the chain and moving the head to match.
pub async fn recompute(db: &Db, from: i64, algo: Algo, key: Option<&Key>) {
    let mut prev: Option<String> = None;
    for mut r in records(db).await.into_iter().filter(|r| r.seq >= from) {
        if let Some(p) = prev.take() {
            r.prev_hash = p;
        } else {
            r.object = "改过".into();
        }
        r.algo = algo.code().into();
        r.hash = chain_hash(algo, key, &r).unwrap();
        with_db!(db, |p| sqlx::query(
            "UPDATE audit_log SET object = $1, algo = $2, prev_hash = $3, hash = $4 WHERE seq = $5"
        )
        .bind(&r.object)
        .bind(&r.algo)
        .bind(&r.prev_hash)
        .bind(&r.hash)
        .bind(r.seq)
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
        prev = Some(r.hash);
    }
    let head = prev.unwrap();
    with_db!(db, |p| sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&head)
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
}
