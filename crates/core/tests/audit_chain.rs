//! The audit chain detects editing, deleting, inserting and reordering, on
//! whichever engine the tests run on; purging respects six months.
use tongpin_core::audit::{self, Actor, Event, Outcome};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::{with_db, Error};

const T0: i64 = 1_790_000_000_000;

async fn with_records(n: i64) -> Db {
    let db = fresh_db().await.unwrap();
    let actor = Actor::anonymous("测试", "127.0.0.1");
    for i in 0..n {
        audit::record(
            &db,
            T0 + i * 1000,
            &actor,
            Event::new("login", format!("user{i}"), Outcome::Ok),
        )
        .await
        .unwrap();
    }
    db
}

async fn exec(db: &Db, sql: &str) {
    with_db!(db, |p| sqlx::query(sql).execute(p).await.unwrap().rows_affected());
}

async fn broken_at(db: &Db) -> Option<i64> {
    audit::verify(db).await.unwrap().err().map(|b| b.seq)
}

#[tokio::test]
async fn intact_chain_verifies() {
    let db = with_records(5).await;
    assert_eq!(audit::verify(&db).await.unwrap(), Ok(5));
}

#[tokio::test]
async fn an_edited_record_is_found() {
    let db = with_records(5).await;
    exec(&db, "UPDATE audit_log SET object = 'someone-else' WHERE seq = 3").await;
    assert_eq!(broken_at(&db).await, Some(3));
}

#[tokio::test]
async fn a_deleted_record_is_found() {
    let db = with_records(5).await;
    exec(&db, "DELETE FROM audit_log WHERE seq = 2").await;
    assert_eq!(broken_at(&db).await, Some(3));
}

#[tokio::test]
async fn a_deleted_last_record_is_found() {
    let db = with_records(5).await;
    exec(&db, "DELETE FROM audit_log WHERE seq = 5").await;
    assert!(broken_at(&db).await.is_some());
}

#[tokio::test]
async fn an_inserted_record_is_found() {
    let db = with_records(5).await;
    // Shift records 3.. up by one and slip a forged record in at 3.
    exec(&db, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3").await;
    exec(&db, "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100").await;
    exec(
        &db,
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, scope, action, object, result, client_addr, detail, algo, prev_hash, hash) \
         SELECT 3, at, actor_id, actor_name, scope, action, 'forged', result, client_addr, detail, algo, hash, hash FROM audit_log WHERE seq = 2",
    )
    .await;
    assert_eq!(broken_at(&db).await, Some(3));
}

#[tokio::test]
async fn reordered_records_are_found() {
    let db = with_records(5).await;
    exec(&db, "UPDATE audit_log SET seq = 100 WHERE seq = 2").await;
    exec(&db, "UPDATE audit_log SET seq = 2 WHERE seq = 3").await;
    exec(&db, "UPDATE audit_log SET seq = 3 WHERE seq = 100").await;
    assert_eq!(broken_at(&db).await, Some(2));
}

#[tokio::test]
async fn records_younger_than_six_months_cannot_be_purged() {
    let db = with_records(3).await;
    let actor = Actor::anonymous("测试", "127.0.0.1");
    let now = T0 + 200 * 86_400_000;
    let too_recent = now - 150 * 86_400_000;
    assert!(matches!(
        audit::purge_before(&db, now, too_recent, &actor).await,
        Err(Error::Invalid { .. })
    ));
    assert_eq!(
        audit::count(&db, &tongpin_core::auth::cap::command_line(), &audit::Filter::default())
            .await
            .unwrap(),
        3
    );
    // Old enough: purged, and what remains (with the purge record) still verifies.
    let n = audit::purge_before(&db, now, T0 + 1500, &actor).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(audit::verify(&db).await.unwrap(), Ok(2));
}

#[tokio::test]
async fn sm3_and_sha256_records_chain_together() {
    use tongpin_core::auth::Policy;
    let db = with_records(2).await;
    let actor = Actor::anonymous("测试", "127.0.0.1");
    let p = Policy {
        audit_hash: "sm3".into(),
        ..Policy::default()
    };
    p.save(&db, T0 + 10_000, &actor, &tongpin_core::auth::cap::command_line())
        .await
        .unwrap();
    audit::record(&db, T0 + 20_000, &actor, Event::new("login", "x", Outcome::Ok))
        .await
        .unwrap();
    let recs = audit::list(
        &db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter::default(),
        0,
        10,
    )
    .await
    .unwrap();
    assert_eq!(recs[0].algo, "sm3");
    assert_eq!(recs.last().unwrap().algo, "sha256");
    assert_eq!(audit::verify(&db).await.unwrap(), Ok(4));
}

#[tokio::test]
async fn concurrent_appends_keep_one_chain() {
    let db = fresh_db().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::anonymous("并发", "127.0.0.1");
            for j in 0..5 {
                audit::record(&db, T0 + i * 100 + j, &actor, Event::new("login", "x", Outcome::Ok))
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(audit::verify(&db).await.unwrap(), Ok(40));
}
