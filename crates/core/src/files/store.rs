//! Contents stored once per SHA-256, in chunks, and the attachments that name
//! them. An upload is spooled to a temporary file (hashing as it goes), then
//! saved in its own transaction; the caller attaches it inside its own.
use super::rules::{self, FIELD, HEAD_BYTES};
use crate::db::{Db, Tx};
use crate::{ids, with_db, with_tx, Error, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Contents are stored and read in pieces of this size.
pub const CHUNK_BYTES: usize = 256 * 1024;
/// Owners one `list` query names.
const LIST_BATCH: usize = 500;

fn io(e: std::io::Error) -> Error {
    Error::internal("上传临时文件读写失败", e)
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::internal("上传临时文件读写中断", e))
}

/// An upload on its way in: written to a temporary file as it arrives, its
/// size counted and refused once over the limit, its SHA-256 and first bytes
/// kept. The temporary file is removed when the spool is dropped.
pub struct Spool {
    name: String,
    max: u64,
    path: PathBuf,
    file: Option<std::fs::File>,
    size: u64,
    hasher: Sha256,
    head: Vec<u8>,
    nul: bool,
}

impl Spool {
    /// A spool in the system's temporary directory for a file called `name`
    /// (sanitized), refusing at once a type not on the allow-list.
    pub fn new(name: &str, max_bytes: u64) -> Result<Spool> {
        Self::in_dir(&std::env::temp_dir(), name, max_bytes)
    }

    pub fn in_dir(dir: &Path, name: &str, max_bytes: u64) -> Result<Spool> {
        let name = rules::sanitize_name(name);
        rules::check_name(&name)?;
        let path = dir.join(format!("tongpin-upload-{}", ids::new_id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        Ok(Spool {
            name,
            max: max_bytes,
            path,
            file: Some(file),
            size: 0,
            hasher: Sha256::new(),
            head: Vec::new(),
            nul: false,
        })
    }

    /// The sanitized file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Bytes received so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a piece of the upload; refuses once the total passes the limit.
    pub async fn push(&mut self, data: &[u8]) -> Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        let size = self.size + data.len() as u64;
        if size > self.max {
            return Err(rules::too_large(&self.name, self.max));
        }
        let mut file = self
            .file
            .take()
            .ok_or_else(|| Error::unexpected("上传临时文件已关闭"))?;
        let buf = data.to_vec();
        let (file, written) = blocking(move || {
            let r = file.write_all(&buf);
            (file, r)
        })
        .await?;
        written.map_err(io)?;
        self.file = Some(file);
        self.size = size;
        self.hasher.update(data);
        if self.head.len() < HEAD_BYTES {
            let n = (HEAD_BYTES - self.head.len()).min(data.len());
            self.head.extend_from_slice(&data[..n]);
        }
        self.nul |= data.contains(&0);
        Ok(())
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        self.file.take();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A saved file, ready to attach.
#[derive(Clone, Debug, Serialize)]
pub struct Stored {
    /// SHA-256, lower-case hex.
    pub hash: String,
    pub size: i64,
    pub mime: String,
    pub name: String,
}

/// A file attached to an owner (e.g. a progress report).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: String,
    pub owner_kind: String,
    pub owner_id: String,
    pub hash: String,
    pub name: String,
    pub size: i64,
    pub mime: String,
    pub created_by: String,
    pub created_at: i64,
}

/// Checks the spooled upload's type by content and stores its contents unless
/// the same contents are stored already, in one transaction, counted against
/// the uploading account's quota. The file row commits before the caller
/// attaches it; one never attached is collected by `gc`.
pub async fn save(db: &Db, now: i64, uploader: &str, mut spool: Spool) -> Result<Stored> {
    let whole = spool.size <= spool.head.len() as u64;
    let mime = rules::check(&spool.name, &spool.head, whole)?;
    if mime.starts_with("text/") && spool.nul {
        return Err(Error::invalid(
            FIELD,
            format!("文件“{}”不是文本文件（含有二进制内容），请确认扩展名正确", spool.name),
        ));
    }
    let mut file = spool
        .file
        .take()
        .ok_or_else(|| Error::unexpected("上传临时文件已关闭"))?;
    blocking(move || file.flush()).await?.map_err(io)?;
    let stored = Stored {
        hash: hex::encode(spool.hasher.clone().finalize()),
        size: spool.size as i64,
        mime: mime.to_string(),
        name: spool.name.clone(),
    };
    let path = spool.path.clone();
    let s = stored.clone();
    let quota = crate::auth::Policy::load(db).await?.upload_quota_bytes();
    let uploader = uploader.to_string();
    db.transaction(move |tx| {
        let (s, path, uploader) = (s.clone(), path.clone(), uploader.clone());
        Box::pin(async move {
            charge(tx, now, &uploader, &s, quota).await?;
            store_contents(tx, now, &s, &path).await
        })
    })
    .await?;
    drop(spool);
    Ok(stored)
}

/// Counts an upload against its account's quota (上传配额): what the
/// account uploaded whose contents are still stored, this file included.
async fn charge(tx: &mut Tx, now: i64, account: &str, s: &Stored, quota: i64) -> Result<()> {
    // Writing the account's lock row first queues its parallel uploads, so
    // two cannot both fit under the quota on the same reading.
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO upload_locks (account_id, touched_at) VALUES ($1, $2) \
         ON CONFLICT (account_id) DO UPDATE SET touched_at = excluded.touched_at"
    )
    .bind(account)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    let used: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(u.size), 0) AS BIGINT) FROM file_uploads u \
         WHERE u.account_id = $1 AND EXISTS (SELECT 1 FROM files f WHERE f.hash = u.hash)"
    )
    .bind(account)
    .fetch_one(c)
    .await?);
    if used.saturating_add(s.size) > quota {
        return Err(Error::invalid(
            FIELD,
            format!(
                "文件“{}”（{}）超出您的上传配额：已用 {}，配额 {}；请删除不再需要的附件，或请安全管理员调整上传配额",
                s.name,
                rules::size_label(s.size as u64),
                rules::size_label(used.max(0) as u64),
                rules::size_label(quota.max(0) as u64)
            ),
        ));
    }
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO file_uploads (id, account_id, hash, size, created_at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(ids::new_id())
    .bind(account)
    .bind(&s.hash)
    .bind(s.size)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Inserts the file row and its chunks, unless the contents are there
/// already (then only marks them as just used, so `gc` leaves them be).
async fn store_contents(tx: &mut Tx, now: i64, s: &Stored, path: &Path) -> Result<()> {
    let touched = with_tx!(tx, |c| sqlx::query("UPDATE files SET created_at = $2 WHERE hash = $1")
        .bind(&s.hash)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
    if touched > 0 {
        return Ok(());
    }
    // Two identical uploads at once: the second waits for the first and then inserts nothing.
    let inserted = with_tx!(tx, |c| sqlx::query(
        "INSERT INTO files (hash, size, mime, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING"
    )
    .bind(&s.hash)
    .bind(s.size)
    .bind(&s.mime)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    if inserted == 0 {
        return Ok(());
    }
    let p = path.to_path_buf();
    let mut file = blocking(move || std::fs::File::open(p)).await?.map_err(io)?;
    let mut seq: i64 = 0;
    loop {
        let (f, piece) = blocking(move || {
            let mut buf = vec![0u8; CHUNK_BYTES];
            let mut n = 0;
            let r = loop {
                match file.read(&mut buf[n..]) {
                    Ok(0) => break Ok(()),
                    Ok(k) => {
                        n += k;
                        if n == CHUNK_BYTES {
                            break Ok(());
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            buf.truncate(n);
            (file, r.map(|_| buf))
        })
        .await?;
        file = f;
        let piece = piece.map_err(io)?;
        if piece.is_empty() {
            break;
        }
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO file_chunks (hash, seq, data) VALUES ($1, $2, $3)"
        )
        .bind(&s.hash)
        .bind(seq)
        .bind(&piece)
        .execute(c)
        .await?
        .rows_affected());
        seq += 1;
    }
    let expected = (s.size + CHUNK_BYTES as i64 - 1) / CHUNK_BYTES as i64;
    if seq != expected {
        return Err(Error::unexpected(format!(
            "上传临时文件长度有变：应有 {expected} 块，读到 {seq} 块"
        )));
    }
    Ok(())
}

/// Attaches a saved file to an owner inside the caller's transaction (which
/// audits its own change); returns the attachment's id.
pub async fn attach(
    tx: &mut Tx,
    now: i64,
    owner_kind: &str,
    owner_id: &str,
    stored: &Stored,
    created_by: &str,
) -> Result<String> {
    let there: Option<String> = with_tx!(tx, |c| sqlx::query_scalar("SELECT hash FROM files WHERE hash = $1")
        .bind(&stored.hash)
        .fetch_optional(c)
        .await?);
    if there.is_none() {
        return Err(Error::Conflict(format!("文件“{}”已被清理，请重新上传", stored.name)));
    }
    let id = ids::new_id();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO attachments (id, owner_kind, owner_id, hash, name, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(&id)
    .bind(owner_kind)
    .bind(owner_id)
    .bind(&stored.hash)
    .bind(&stored.name)
    .bind(created_by)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(id)
}

const SELECT: &str =
    "SELECT a.id, a.owner_kind, a.owner_id, a.hash, a.name, f.size, f.mime, a.created_by, a.created_at \
                      FROM attachments a JOIN files f ON f.hash = a.hash";

/// The attachments of these owners, by owner, oldest first.
pub async fn list(db: &Db, owner_kind: &str, owner_ids: &[String]) -> Result<Vec<Attachment>> {
    let mut out = Vec::new();
    for batch in owner_ids.chunks(LIST_BATCH) {
        let marks: Vec<String> = (0..batch.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "{SELECT} WHERE a.owner_kind = $1 AND a.owner_id IN ({}) ORDER BY a.owner_id, a.created_at, a.id",
            marks.join(", ")
        );
        let rows: Vec<Attachment> = with_db!(db, |p| {
            let mut q = sqlx::query_as(&sql).bind(owner_kind);
            for id in batch {
                q = q.bind(id);
            }
            q.fetch_all(p).await?
        });
        out.extend(rows);
    }
    Ok(out)
}

/// One attachment, whoever owns it. Crate-private: the owners' modules read
/// an attachment through their own scoped lookups (`life::store::attachment`,
/// `plan::progress::evidence`), which check the owner lies in the reader's
/// scope before answering.
pub(crate) async fn get(db: &Db, attachment_id: &str) -> Result<Option<Attachment>> {
    let sql = format!("{SELECT} WHERE a.id = $1");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(attachment_id)
        .fetch_optional(p)
        .await?))
}

/// Piece `seq` (from 0) of the contents, or None past the end. A download
/// reads one piece at a time, so memory stays bounded.
pub async fn chunk(db: &Db, hash: &str, seq: i64) -> Result<Option<Vec<u8>>> {
    Ok(with_db!(db, |p| sqlx::query_scalar(
        "SELECT data FROM file_chunks WHERE hash = $1 AND seq = $2"
    )
    .bind(hash)
    .bind(seq)
    .fetch_optional(p)
    .await?))
}

/// Removes one attachment and, when nothing else refers to its contents, the
/// contents. False when there is no such attachment.
pub async fn detach(tx: &mut Tx, attachment_id: &str) -> Result<bool> {
    let hash: Option<String> = with_tx!(tx, |c| sqlx::query_scalar(
        "DELETE FROM attachments WHERE id = $1 RETURNING hash"
    )
    .bind(attachment_id)
    .fetch_optional(c)
    .await?);
    match hash {
        Some(h) => {
            drop_unreferenced(tx, &h).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Removes every attachment of an owner (an item being deleted) and the
/// contents nothing else refers to; returns how many attachments went.
pub async fn detach_all(tx: &mut Tx, owner_kind: &str, owner_id: &str) -> Result<u64> {
    let hashes: Vec<String> = with_tx!(tx, |c| sqlx::query_scalar(
        "DELETE FROM attachments WHERE owner_kind = $1 AND owner_id = $2 RETURNING hash"
    )
    .bind(owner_kind)
    .bind(owner_id)
    .fetch_all(c)
    .await?);
    let n = hashes.len() as u64;
    let mut unique = hashes;
    unique.sort();
    unique.dedup();
    for h in &unique {
        drop_unreferenced(tx, h).await?;
    }
    Ok(n)
}

/// Deletes the contents `hash` unless an attachment still refers to them.
async fn drop_unreferenced(tx: &mut Tx, hash: &str) -> Result<bool> {
    const UNUSED: &str = "NOT EXISTS (SELECT 1 FROM attachments a WHERE a.hash = $1)";
    with_tx!(tx, |c| sqlx::query(&format!(
        "DELETE FROM file_chunks WHERE hash = $1 AND {UNUSED}"
    ))
    .bind(hash)
    .execute(c)
    .await?
    .rows_affected());
    let n = with_tx!(tx, |c| sqlx::query(&format!(
        "DELETE FROM files WHERE hash = $1 AND {UNUSED}"
    ))
    .bind(hash)
    .execute(c)
    .await?
    .rows_affected());
    if n > 0 {
        // The contents are gone, so they no longer count against anyone's quota.
        with_tx!(tx, |c| sqlx::query("DELETE FROM file_uploads WHERE hash = $1")
            .bind(hash)
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(n > 0)
}

/// Removes contents no attachment refers to that were last saved before
/// `before` (ms): uploads whose caller failed. Returns how many went.
pub async fn gc(db: &Db, before: i64) -> Result<u64> {
    let hashes: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT f.hash FROM files f WHERE f.created_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.hash = f.hash) ORDER BY f.created_at LIMIT 1000"
    )
    .bind(before)
    .fetch_all(p)
    .await?);
    let mut removed = 0;
    for hash in hashes {
        let gone = db
            .transaction(move |tx| {
                let hash = hash.clone();
                Box::pin(async move {
                    // Claim the row again under the transaction: a save of the same
                    // contents since the query above has made it recent.
                    let still = with_tx!(tx, |c| sqlx::query(
                        "UPDATE files SET created_at = created_at WHERE hash = $1 AND created_at < $2 \
                         AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.hash = $1)"
                    )
                    .bind(&hash)
                    .bind(before)
                    .execute(c)
                    .await?
                    .rows_affected());
                    if still == 0 {
                        return Ok(false);
                    }
                    drop_unreferenced(tx, &hash).await
                })
            })
            .await?;
        removed += u64::from(gone);
    }
    Ok(removed)
}
