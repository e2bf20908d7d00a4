//! Evidence files: stored once per content, streamed back in pieces, checked
//! by content and size, removed with their last attachment or by gc.
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::files::{self, Spool, Stored, CHUNK_BYTES};
use tongpin_core::{with_db, Error};

const NOW: i64 = 1_790_000_000_000;
const HOUR: i64 = 3_600_000;
const LIMIT: u64 = 20 * 1024 * 1024;
const UPLOADER: &str = "account-1";

fn pdf(len: usize, seed: u32) -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    while v.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.push(x as u8);
    }
    v
}

/// Pushes `body` in uneven pieces, as a multipart field arrives.
async fn upload(db: &Db, now: i64, name: &str, body: &[u8], max: u64) -> tongpin_core::Result<Stored> {
    let mut spool = Spool::new(name, max)?;
    for piece in body.chunks(70_001) {
        spool.push(piece).await?;
    }
    files::save(db, now, UPLOADER, spool).await
}

async fn attach(db: &Db, owner: &str, s: &Stored) -> String {
    let mut tx = db.begin().await.unwrap();
    let id = files::attach(&mut tx, NOW, "report", owner, s, "张三").await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(db, |p| sqlx::query_scalar(&sql).fetch_one(p).await.unwrap())
}

async fn read_back(db: &Db, hash: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut seq = 0;
    while let Some(piece) = files::chunk(db, hash, seq).await.unwrap() {
        assert!(piece.len() <= CHUNK_BYTES);
        out.extend(piece);
        seq += 1;
    }
    out
}

#[tokio::test]
async fn same_contents_under_two_owners_are_stored_once() {
    let db = fresh_db().await.unwrap();
    let body = pdf(300_000, 1);
    let a = upload(&db, NOW, "会议记录.pdf", &body, LIMIT).await.unwrap();
    let b = upload(&db, NOW + 1, "另一个名字.pdf", &body, LIMIT).await.unwrap();
    assert_eq!(a.hash, b.hash);
    assert_eq!(a.size, 300_000);
    assert_eq!(a.mime, "application/pdf");
    let ia = attach(&db, "r1", &a).await;
    let ib = attach(&db, "r2", &b).await;
    assert_eq!(count(&db, "files").await, 1);
    assert_eq!(count(&db, "file_chunks").await, 2);
    assert_eq!(count(&db, "attachments").await, 2);

    let listed = files::list(&db, "report", &["r2".into(), "r1".into(), "r9".into()])
        .await
        .unwrap();
    let names: Vec<(&str, &str)> = listed.iter().map(|x| (x.owner_id.as_str(), x.name.as_str())).collect();
    assert_eq!(names, [("r1", "会议记录.pdf"), ("r2", "另一个名字.pdf")]);
    assert!(files::list(&db, "plan", &["r1".into()]).await.unwrap().is_empty());
    let got = listed.iter().find(|x| x.id == ib).unwrap();
    assert_eq!(
        (got.id.as_str(), got.size, got.created_by.as_str()),
        (ib.as_str(), 300_000, "张三")
    );
    assert_eq!(got.hash, a.hash);
    let _ = ia;
}

#[tokio::test]
async fn contents_larger_than_a_piece_round_trip_exactly() {
    let db = fresh_db().await.unwrap();
    let body = pdf(2 * CHUNK_BYTES + 12_345, 2);
    let s = upload(&db, NOW, "大文件.pdf", &body, LIMIT).await.unwrap();
    assert_eq!(count(&db, "file_chunks").await, 3);
    let back = read_back(&db, &s.hash).await;
    assert_eq!(back.len(), body.len());
    assert!(back == body);
    // Exactly one piece long: one piece, nothing after it.
    let exact = pdf(CHUNK_BYTES, 3);
    let e = upload(&db, NOW, "整块.pdf", &exact, LIMIT).await.unwrap();
    assert!(files::chunk(&db, &e.hash, 1).await.unwrap().is_none());
    assert!(read_back(&db, &e.hash).await == exact);
}

#[tokio::test]
async fn contents_that_do_not_match_the_name_are_refused_and_nothing_is_written() {
    let db = fresh_db().await.unwrap();
    let png = b"\x89PNG\r\n\x1a\n0000000000".to_vec();
    let e = upload(&db, NOW, "报告.pdf", &png, LIMIT).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "佐证材料：文件“报告.pdf”的内容不是 PDF，请确认文件未损坏或扩展名正确"
    );
    assert!(matches!(e, Error::Invalid { .. }));
    let e = upload(&db, NOW, "说明.txt", b"  <script>alert(1)</script>", LIMIT)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("网页或标记"), "{e}");
    // A NUL past the first bytes still makes it not text.
    let mut text = "正文".repeat(5000).into_bytes();
    text.push(0);
    let e = upload(&db, NOW, "说明.txt", &text, LIMIT).await.unwrap_err();
    assert!(e.to_string().contains("二进制"), "{e}");
    // Refused by name before a byte is read.
    let e = Spool::new("page.html", LIMIT).err().unwrap();
    assert!(e.to_string().contains("不支持 .html"), "{e}");
    assert_eq!(count(&db, "files").await, 0);
    assert_eq!(count(&db, "file_chunks").await, 0);
}

#[tokio::test]
async fn files_over_the_limit_are_refused() {
    let db = fresh_db().await.unwrap();
    let body = pdf(100_001, 4);
    let e = upload(&db, NOW, "a.pdf", &body, 100_000).await.unwrap_err();
    assert!(e.to_string().contains("超过 97 KiB 上限"), "{e}");
    let e = upload(&db, NOW, "a.pdf", &pdf(LIMIT as usize + 1, 5), LIMIT)
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "佐证材料：文件“a.pdf”超过 20 MiB 上限");
    assert_eq!(count(&db, "files").await, 0);
    // At the limit exactly is fine.
    upload(&db, NOW, "a.pdf", &pdf(100_000, 6), 100_000).await.unwrap();
}

#[tokio::test]
async fn contents_go_with_their_last_attachment() {
    let db = fresh_db().await.unwrap();
    let body = pdf(CHUNK_BYTES + 1, 7);
    let s = upload(&db, NOW, "a.pdf", &body, LIMIT).await.unwrap();
    let other = upload(&db, NOW, "b.pdf", &pdf(1000, 8), LIMIT).await.unwrap();
    attach(&db, "r1", &s).await;
    attach(&db, "r1", &other).await;
    let second = attach(&db, "r2", &s).await;

    let mut tx = db.begin().await.unwrap();
    assert_eq!(files::detach_all(&mut tx, "report", "r1").await.unwrap(), 2);
    tx.commit().await.unwrap();
    // r2 still refers to the first; the second had no one else.
    assert_eq!(count(&db, "files").await, 1);
    assert_eq!(count(&db, "file_chunks").await, 2);
    assert!(read_back(&db, &s.hash).await == body);

    let mut tx = db.begin().await.unwrap();
    assert!(files::detach(&mut tx, &second).await.unwrap());
    assert!(!files::detach(&mut tx, &second).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(count(&db, "files").await, 0);
    assert_eq!(count(&db, "file_chunks").await, 0);
    assert_eq!(count(&db, "attachments").await, 0);

    // A rolled-back detach keeps everything.
    let again = upload(&db, NOW, "a.pdf", &body, LIMIT).await.unwrap();
    let id = attach(&db, "r3", &again).await;
    let mut tx = db.begin().await.unwrap();
    files::detach(&mut tx, &id).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(count(&db, "file_chunks").await, 2);
}

#[tokio::test]
async fn gc_removes_only_old_orphans() {
    let db = fresh_db().await.unwrap();
    let old_orphan = upload(&db, NOW - 2 * HOUR, "a.pdf", &pdf(1000, 9), LIMIT)
        .await
        .unwrap();
    let new_orphan = upload(&db, NOW - HOUR / 2, "b.pdf", &pdf(1000, 10), LIMIT)
        .await
        .unwrap();
    let old_kept = upload(&db, NOW - 2 * HOUR, "c.pdf", &pdf(1000, 11), LIMIT)
        .await
        .unwrap();
    attach(&db, "r1", &old_kept).await;
    // Uploaded long ago, uploaded again just now: recent, so kept.
    let renewed = upload(&db, NOW - 3 * HOUR, "d.pdf", &pdf(1000, 12), LIMIT)
        .await
        .unwrap();
    upload(&db, NOW - 10, "d.pdf", &pdf(1000, 12), LIMIT).await.unwrap();

    assert_eq!(files::gc(&db, NOW - HOUR).await.unwrap(), 1);
    let left: Vec<String> = with_db!(&db, |p| sqlx::query_scalar("SELECT hash FROM files ORDER BY hash")
        .fetch_all(p)
        .await
        .unwrap());
    let mut want = vec![new_orphan.hash, old_kept.hash, renewed.hash];
    want.sort();
    assert_eq!(left, want);
    assert!(!left.contains(&old_orphan.hash));
    assert_eq!(count(&db, "file_chunks").await, 3);
    assert_eq!(files::gc(&db, NOW - HOUR).await.unwrap(), 0);
}

#[tokio::test]
async fn the_same_contents_uploaded_at_once_are_stored_once() {
    let db = fresh_db().await.unwrap();
    let body = pdf(CHUNK_BYTES * 2, 13);
    let (a, b, c) = tokio::join!(
        upload(&db, NOW, "a.pdf", &body, LIMIT),
        upload(&db, NOW, "b.pdf", &body, LIMIT),
        upload(&db, NOW, "c.pdf", &body, LIMIT)
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert!(a.hash == b.hash && b.hash == c.hash);
    assert_eq!(count(&db, "files").await, 1);
    assert_eq!(count(&db, "file_chunks").await, 2);
}

async fn set_quota_mib(db: &Db, mib: i64) {
    let p = tongpin_core::auth::Policy {
        upload_quota_mib: mib,
        ..Default::default()
    };
    let actor = tongpin_core::audit::Actor::anonymous("测试", "127.0.0.1");
    p.save(db, NOW, &actor, &tongpin_core::auth::cap::command_line())
        .await
        .unwrap();
}

async fn upload_as(db: &Db, now: i64, who: &str, body: &[u8]) -> tongpin_core::Result<Stored> {
    let mut spool = Spool::new("材料.pdf", LIMIT)?;
    spool.push(body).await?;
    files::save(db, now, who, spool).await
}

#[tokio::test]
async fn each_account_uploads_up_to_its_quota_and_collected_files_free_it() {
    let db = fresh_db().await.unwrap();
    set_quota_mib(&db, 1).await;
    let half = 600 * 1024;
    let first = upload_as(&db, NOW - 2 * HOUR, "a", &pdf(half, 1)).await.unwrap();
    let e = upload_as(&db, NOW, "a", &pdf(half, 2)).await.unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e}");
    assert!(e.to_string().contains("超出您的上传配额"), "{e}");
    assert_eq!(count(&db, "files").await, 1);
    // Another account has its own quota.
    upload_as(&db, NOW, "b", &pdf(half, 3)).await.unwrap();
    // The first upload was never attached: once collected, its bytes no longer count.
    assert_eq!(files::gc(&db, NOW - HOUR).await.unwrap(), 1);
    assert!(read_back(&db, &first.hash).await.is_empty());
    upload_as(&db, NOW, "a", &pdf(half, 2)).await.unwrap();
    assert_eq!(count(&db, "file_uploads").await, 2);
}

#[tokio::test]
async fn parallel_uploads_cannot_pass_the_quota_together() {
    let db = fresh_db().await.unwrap();
    set_quota_mib(&db, 1).await;
    let bodies: Vec<Vec<u8>> = (0..4).map(|i| pdf(400 * 1024, 20 + i)).collect();
    let (a, b, c, d) = tokio::join!(
        upload_as(&db, NOW, "a", &bodies[0]),
        upload_as(&db, NOW, "a", &bodies[1]),
        upload_as(&db, NOW, "a", &bodies[2]),
        upload_as(&db, NOW, "a", &bodies[3])
    );
    let results = [a, b, c, d];
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 2, "two of 400 KiB fit in 1 MiB, three do not");
    for e in results.into_iter().filter_map(|r| r.err()) {
        assert!(e.to_string().contains("上传配额"), "{e}");
    }
}
