//! An upload kept between a dry run (预检) and the import that follows, so
//! the second step does not ask for the file again. It is stored like any
//! upload and never attached, so `gc` removes it after
//! `rules::evidence::ORPHAN_AFTER_MS`; the token is its SHA-256.
use super::store::{chunk, save, Spool};
use crate::db::Db;
use crate::rules::evidence::{MAX_BYTES, ORPHAN_AFTER_MS};
use crate::{Error, Result};

/// Keeps `bytes` (a file called `filename`, uploaded by `uploader`, whose
/// quota it counts against until collected) and returns its token.
pub async fn stage(db: &Db, now: i64, uploader: &str, bytes: &[u8], filename: &str) -> Result<String> {
    let mut spool = Spool::new(filename, MAX_BYTES.max(bytes.len() as u64))?;
    spool.push(bytes).await?;
    Ok(save(db, now, uploader, spool).await?.hash)
}

/// The bytes kept under `token`; refused as the 文件 field when the token is
/// malformed or the file has been collected since.
pub async fn staged(db: &Db, token: &str) -> Result<Vec<u8>> {
    let expired = || {
        Error::invalid(
            "文件",
            format!(
                "检查时上传的文件已过期（保留 {} 分钟），请重新选择文件",
                ORPHAN_AFTER_MS / 60_000
            ),
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(expired());
    }
    let mut out = Vec::new();
    let mut seq = 0;
    while let Some(piece) = chunk(db, token, seq).await? {
        out.extend_from_slice(&piece);
        seq += 1;
    }
    if seq == 0 {
        return Err(expired());
    }
    Ok(out)
}
