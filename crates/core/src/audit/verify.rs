//! Verifying the whole chain, anchoring its head, and opening a database
//! with its audit key.
use super::anchor::{self, Anchor};
use super::rules::{check_base, verify_chain, Algo, ChainBreak};
use super::{Key, Record, Seal};
use crate::db::Db;
use crate::{with_db, Error, Result};
use std::path::{Path, PathBuf};

/// An intact chain: how many records, and how many anchors it was checked
/// against (`None` when there was no anchor file to check).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    pub records: u64,
    pub anchors: Option<usize>,
}

/// Verifies with the database handle's own key and anchor file.
pub async fn verify(db: &Db) -> Result<std::result::Result<Verified, ChainBreak>> {
    let seal = db.seal();
    verify_with(db, seal.map(Seal::key), seal.and_then(Seal::anchors)).await
}

/// Walks the whole chain from its base to its head, checks the base against
/// the purge records and the whole against the anchors.
pub async fn verify_with(
    db: &Db,
    key: Option<&Key>,
    anchors: Option<&Path>,
) -> Result<std::result::Result<Verified, ChainBreak>> {
    let (seq, hash, base_seq, base_hash) = head(db).await?;
    let records = all_records(db).await?;
    let (base, head) = ((base_seq, base_hash.as_str()), (seq, hash.as_str()));
    let n = match verify_chain(&records, key, base, head) {
        Ok(n) => n,
        Err(b) => return Ok(Err(b)),
    };
    if let Err(b) = check_base(&records, base) {
        return Ok(Err(b));
    }
    let (Some(key), Some(path)) = (key, anchors) else {
        return Ok(Ok(Verified {
            records: n,
            anchors: None,
        }));
    };
    let found = match anchor::read_file(path, key)? {
        None => None,
        Some(Err(b)) => return Ok(Err(b)),
        Some(Ok(found)) => Some(found),
    };
    if let Some(found) = &found {
        if let Err(b) = anchor::check(found, &records, base, head) {
            return Ok(Err(b));
        }
    }
    Ok(Ok(Verified {
        records: n,
        anchors: found.map(|f| f.len()),
    }))
}

async fn head(db: &Db) -> Result<(i64, String, i64, String)> {
    Ok(with_db!(db, |p| {
        sqlx::query_as("SELECT seq, hash, base_seq, base_hash FROM audit_head WHERE id = 1")
            .fetch_one(p)
            .await?
    }))
}

async fn all_records(db: &Db) -> Result<Vec<Record>> {
    const PAGE: i64 = 5000;
    let mut all = Vec::new();
    let mut after = i64::MIN;
    loop {
        let page: Vec<Record> = with_db!(db, |p| {
            sqlx::query_as("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(after)
                .bind(PAGE)
                .fetch_all(p)
                .await?
        });
        let Some(last) = page.last() else { break };
        after = last.seq;
        let short = (page.len() as i64) < PAGE;
        all.extend(page);
        if short {
            break;
        }
    }
    Ok(all)
}

/// Writes the chain's head and base to the anchor file and the operators'
/// log, unless this process anchored the same head last time.
pub async fn anchor_head(db: &Db, now: i64) -> Result<Option<Anchor>> {
    let Some(seal) = db.seal() else { return Ok(None) };
    let (seq, hash, base_seq, base_hash) = head(db).await?;
    let mut last = seal.last_anchored();
    if *last == Some((seq, base_seq)) {
        return Ok(None);
    }
    let a = Anchor {
        at: now,
        seq,
        hash,
        base_seq,
        base_hash,
    };
    let line = a.line(seal.key());
    if let Some(path) = seal.anchors() {
        anchor::append_line(path, &line)?;
    }
    tracing::info!("审计链锚点 {line}");
    *last = Some((seq, base_seq));
    Ok(Some(a))
}

/// Where the audit key comes from.
pub enum KeySource {
    /// 64 hex digits from the environment (`TONGPIN_AUDIT_KEY`).
    Env(String),
    /// A key file, created at first start.
    File(PathBuf),
}

/// The key, without creating one.
pub fn load_key(source: &KeySource) -> Result<Option<Key>> {
    match source {
        KeySource::Env(hex) => Key::from_hex(hex, "环境变量 TONGPIN_AUDIT_KEY").map(Some),
        KeySource::File(path) => Key::read(path),
    }
}

/// The newest keyed record, which the key must verify.
async fn newest_keyed(db: &Db) -> Result<Option<Record>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as("SELECT * FROM audit_log WHERE algo LIKE 'hmac-%' ORDER BY seq DESC LIMIT 1")
            .fetch_optional(p)
            .await?
    }))
}

/// Seals `db` with its audit key: the key is read (or, when the log has no
/// keyed record yet, a key file is created), and refused when the newest
/// keyed record does not verify with it. The head is anchored at once.
pub async fn open_sealed(db: Db, now: i64, source: &KeySource, anchors: Option<PathBuf>) -> Result<Db> {
    let newest = newest_keyed(&db).await?;
    let key = match source {
        KeySource::Env(hex) => Key::from_hex(hex, "环境变量 TONGPIN_AUDIT_KEY")?,
        KeySource::File(path) => match (Key::read(path)?, &newest) {
            (Some(k), _) => k,
            (None, Some(r)) => {
                return Err(Error::Conflict(format!(
                    "审计日志自第 {} 条起以审计密钥签名，但找不到审计密钥文件 {}：请从备份恢复该文件，\
                     或以环境变量 TONGPIN_AUDIT_KEY 提供原密钥（换用新密钥会使已有记录无法校验）",
                    r.seq,
                    path.display()
                )))
            }
            (None, None) => {
                let k = Key::create(path)?;
                tracing::info!("已创建审计密钥文件 {}：请与数据库分开备份", path.display());
                k
            }
        },
    };
    if let Some(r) = newest {
        let algo = Algo::from_code(&r.algo).unwrap_or(Algo::HmacSha256);
        if super::chain_hash(algo, Some(&key), &r).as_deref() != Some(r.hash.as_str()) {
            return Err(Error::Conflict(format!(
                "审计密钥与审计日志第 {} 条记录的签名不符：密钥不对，或该记录被改动。\
                 请提供原密钥，并以 tongpin audit verify 查明",
                r.seq
            )));
        }
    }
    let db = db.sealed(Seal::new(key, anchors));
    anchor_head(&db, now).await?;
    Ok(db)
}
