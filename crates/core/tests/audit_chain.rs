//! The audit chain detects editing, deleting, inserting and reordering, a
//! chain recomputed without the key, a cut tail and a moved base, on
//! whichever engine the tests run on; purging respects six months.
#[path = "audit_chain/forge.rs"]
mod forge;

use forge::{anchored, exec, recompute, T0};
use tongpin_core::audit::{self, Actor, Event, Outcome};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::Error;

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

async fn broken_at(db: &Db) -> Option<i64> {
    audit::verify(db).await.unwrap().err().map(|b| b.seq)
}

#[tokio::test]
async fn intact_chain_verifies() {
    let db = with_records(5).await;
    assert_eq!(audit::verify(&db).await.unwrap().map(|v| v.records), Ok(5));
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
    assert_eq!(audit::verify(&db).await.unwrap().map(|v| v.records), Ok(2));
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
    assert_eq!(recs[0].algo, "hmac-sm3");
    assert_eq!(recs.last().unwrap().algo, "hmac-sha256");
    assert_eq!(audit::verify(&db).await.unwrap().map(|v| v.records), Ok(4));
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
    assert_eq!(audit::verify(&db).await.unwrap().map(|v| v.records), Ok(40));
}

async fn reason(db: &Db) -> String {
    audit::verify(db).await.unwrap().unwrap_err().reason
}

#[tokio::test]
async fn new_records_are_keyed_and_checked_against_the_anchors() {
    let (db, anchors) = anchored(3).await;
    let recs = forge::records(&db).await;
    assert!(recs.iter().all(|r| r.algo == "hmac-sha256"));
    let v = audit::verify(&db).await.unwrap().unwrap();
    assert_eq!((v.records, v.anchors), (3, Some(1)));
    std::fs::remove_file(anchors).ok();
}

#[tokio::test]
async fn a_chain_recomputed_without_the_key_is_found() {
    // From record 3 on, rehashed with plain SHA-256: the keyed records before give it away.
    let (db, anchors) = anchored(5).await;
    recompute(&db, 3, audit::Algo::Sha256, None).await;
    assert_eq!(broken_at(&db).await, Some(3));
    assert!(reason(&db).await.contains("不用密钥重算"));
    std::fs::remove_file(anchors).ok();

    // The whole chain rehashed with plain SHA-256: the anchor's hash gives it away.
    let (db, anchors) = anchored(5).await;
    recompute(&db, 1, audit::Algo::Sha256, None).await;
    assert_eq!(broken_at(&db).await, Some(5));
    assert!(reason(&db).await.contains("锚点不符"));
    std::fs::remove_file(anchors).ok();
}

#[tokio::test]
async fn a_chain_recomputed_with_another_key_is_found() {
    let (db, anchors) = anchored(5).await;
    let guess = audit::Key::from_bytes([1; 32]);
    recompute(&db, 3, audit::Algo::HmacSha256, Some(&guess)).await;
    assert_eq!(broken_at(&db).await, Some(3));
    std::fs::remove_file(anchors).ok();
}

#[tokio::test]
async fn a_cut_tail_is_found_by_the_anchors() {
    let (db, anchors) = anchored(5).await;
    exec(&db, "DELETE FROM audit_log WHERE seq > 3").await;
    exec(
        &db,
        "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1",
    )
    .await;
    assert_eq!(broken_at(&db).await, Some(4));
    assert!(reason(&db).await.contains("截去"));
    std::fs::remove_file(anchors).ok();
}

#[tokio::test]
async fn a_moved_base_is_found() {
    // Without a purge: the records before the new base simply vanish.
    let db = with_records(5).await;
    exec(&db, "DELETE FROM audit_log WHERE seq <= 2").await;
    exec(
        &db,
        "UPDATE audit_head SET base_seq = 2, base_hash = (SELECT prev_hash FROM audit_log WHERE seq = 3) WHERE id = 1",
    )
    .await;
    assert_eq!(broken_at(&db).await, Some(3));
    assert!(reason(&db).await.contains("链基"));

    // After a real purge, moved further by hand.
    let (db, anchors) = anchored(3).await;
    let actor = Actor::anonymous("测试", "127.0.0.1");
    let now = T0 + 200 * 86_400_000;
    assert_eq!(audit::purge_before(&db, now, T0 + 500, &actor).await.unwrap(), 1);
    assert!(
        audit::verify(&db).await.unwrap().is_ok(),
        "a purge moves the base lawfully"
    );
    exec(&db, "DELETE FROM audit_log WHERE seq = 2").await;
    exec(
        &db,
        "UPDATE audit_head SET base_seq = 2, base_hash = (SELECT prev_hash FROM audit_log WHERE seq = 3) WHERE id = 1",
    )
    .await;
    assert!(reason(&db).await.contains("链基"));
    std::fs::remove_file(anchors).ok();
}

#[tokio::test]
async fn a_forged_anchor_line_is_found() {
    let (db, anchors) = anchored(2).await;
    let text = std::fs::read_to_string(&anchors).unwrap();
    std::fs::write(&anchors, text.replacen(" 2 ", " 1 ", 1)).unwrap();
    assert!(reason(&db).await.contains("锚点文件"));
    std::fs::remove_file(anchors).ok();
}

mod opening {
    use super::*;
    use audit::{open_sealed, Key, KeySource};

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("tongpin-{name}-{}", tongpin_core::ids::new_id()))
    }

    async fn unsealed(db: &Db) -> Db {
        Db::from(db.pool.clone())
    }

    #[tokio::test]
    async fn a_key_file_is_made_for_a_log_without_keyed_records_and_then_required() {
        let db = fresh_db().await.unwrap();
        let (key_file, anchors) = (temp("key"), temp("anchors"));
        let source = KeySource::File(key_file.clone());
        let sealed = open_sealed(unsealed(&db).await, T0, &source, Some(anchors.clone()))
            .await
            .unwrap();
        assert!(key_file.exists() && anchors.exists());
        let actor = Actor::anonymous("测试", "127.0.0.1");
        audit::record(&sealed, T0, &actor, Event::new("login", "x", Outcome::Ok))
            .await
            .unwrap();
        // The same key opens it again; no key file, or another key, is refused.
        open_sealed(unsealed(&db).await, T0, &source, None).await.unwrap();
        std::fs::remove_file(&key_file).unwrap();
        let missing = open_sealed(unsealed(&db).await, T0, &source, None).await.unwrap_err();
        assert!(missing.to_string().contains("找不到审计密钥文件"), "{missing}");
        assert!(!key_file.exists(), "no new key is made for a keyed log");
        let other = KeySource::Env(hex_of(&Key::from_bytes([9; 32])));
        let wrong = open_sealed(unsealed(&db).await, T0, &other, None).await.unwrap_err();
        assert!(wrong.to_string().contains("签名不符"), "{wrong}");
        std::fs::remove_file(anchors).ok();
    }

    #[tokio::test]
    async fn records_cannot_be_written_without_a_key() {
        let db = unsealed(&fresh_db().await.unwrap()).await;
        let actor = Actor::anonymous("测试", "127.0.0.1");
        assert!(audit::record(&db, T0, &actor, Event::new("login", "x", Outcome::Ok))
            .await
            .is_err());
    }

    fn hex_of(k: &Key) -> String {
        k.bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}
