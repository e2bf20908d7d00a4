//! Anchors (锚点): the chain's head and base written, signed with the audit
//! key, to an append-only file outside the database and to the operators'
//! log. The database alone cannot then lose its newest records (a cut tail,
//! an older copy put back) or move its base without `verify` noticing, up to
//! the last anchor written.
use super::rules::ChainBreak;
use super::{Key, Record};
use crate::{clock, Error, Result};
use std::io::Write;
use std::path::Path;

const TAG: &str = "tongpin-audit-anchor v1";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub at: i64,
    pub seq: i64,
    pub hash: String,
    pub base_seq: i64,
    pub base_hash: String,
}

impl Anchor {
    fn body(&self) -> String {
        format!(
            "{TAG} {} {} {} {} {}",
            self.at, self.seq, self.hash, self.base_seq, self.base_hash
        )
    }

    /// One line of the anchor file: the fields and their HMAC.
    pub fn line(&self, key: &Key) -> String {
        let body = self.body();
        let mac = key.mac(body.as_bytes());
        format!("{body} {mac}")
    }

    /// A line back, if it is well formed and signed with `key`.
    pub fn parse(line: &str, key: &Key) -> Option<Anchor> {
        let (body, mac) = line.trim_end().rsplit_once(' ')?;
        let rest = body.strip_prefix(TAG)?.trim_start();
        let f: Vec<&str> = rest.split(' ').collect();
        let [at, seq, hash, base_seq, base_hash] = f.as_slice() else {
            return None;
        };
        let a = Anchor {
            at: at.parse().ok()?,
            seq: seq.parse().ok()?,
            hash: hash.to_string(),
            base_seq: base_seq.parse().ok()?,
            base_hash: base_hash.to_string(),
        };
        (a.body() == body && key.mac(body.as_bytes()) == mac).then_some(a)
    }
}

/// Appends one line (O_APPEND, so lines are never overwritten; the file
/// is created readable by its owner only) and flushes it to disk.
pub fn append_line(path: &Path, line: &str) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let fail = |e: std::io::Error| Error::unexpected(format!("无法写入审计锚点文件 {}：{e}", path.display()));
    let mut f = opts.open(path).map_err(fail)?;
    f.write_all(format!("{line}\n").as_bytes()).map_err(fail)?;
    f.sync_data().map_err(fail)
}

/// The anchors in the file, oldest first; `None` when there is no file yet.
/// A line that is not signed with `key` breaks verification.
pub fn read_file(path: &Path, key: &Key) -> Result<Option<std::result::Result<Vec<Anchor>, ChainBreak>>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::unexpected(format!(
                "无法读取审计锚点文件 {}：{e}",
                path.display()
            )))
        }
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match Anchor::parse(line, key) {
            Some(a) => out.push(a),
            None => {
                return Ok(Some(Err(ChainBreak {
                    seq: 0,
                    reason: format!(
                        "锚点文件 {} 第 {} 行无法以审计密钥校验（锚点被改动，或审计密钥不对）",
                        path.display(),
                        i + 1
                    ),
                })))
            }
        }
    }
    Ok(Some(Ok(out)))
}

/// Checks the verified chain (`records` run from `base` + 1 to `head`)
/// against every anchor: no anchored record is past the head (a cut tail),
/// every anchored record still has its hash (a chain recomputed or put back
/// from elsewhere), and the base is the last anchor's unless a purge after it
/// moved it (a moved base).
pub fn check(
    anchors: &[Anchor],
    records: &[Record],
    base: (i64, &str),
    head: (i64, &str),
) -> std::result::Result<(), ChainBreak> {
    let when = |a: &Anchor| clock::format_beijing(a.at);
    for a in anchors {
        if a.seq > head.0 {
            return Err(ChainBreak {
                seq: head.0 + 1,
                reason: format!(
                    "链头为第 {} 条，早于 {} 锚定的第 {} 条：末尾的记录被截去（或换上了旧的数据库）",
                    head.0,
                    when(a),
                    a.seq
                ),
            });
        }
        let stored = if a.seq == base.0 {
            Some(base.1)
        } else if a.seq > base.0 {
            usize::try_from(a.seq - base.0 - 1)
                .ok()
                .and_then(|i| records.get(i))
                .map(|r| r.hash.as_str())
        } else {
            continue; // purged since
        };
        if stored != Some(a.hash.as_str()) {
            return Err(ChainBreak {
                seq: a.seq,
                reason: format!("第 {} 条记录与 {} 的锚点不符（链被重算或替换）", a.seq, when(a)),
            });
        }
    }
    let Some(last) = anchors.last() else { return Ok(()) };
    if (last.base_seq, last.base_hash.as_str()) == base {
        return Ok(());
    }
    let purged_since = records
        .iter()
        .rev()
        .find(|r| r.action == "audit.purge")
        .is_some_and(|p| p.seq > last.seq);
    if base.0 < last.base_seq || !purged_since {
        return Err(ChainBreak {
            seq: base.0 + 1,
            reason: format!(
                "链基（第 {} 条）与 {} 的锚点所记（第 {} 条）不符，其后也没有清理记录（链基被移动）",
                base.0,
                when(last),
                last.base_seq
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_bytes([3; 32])
    }

    fn anchor(seq: i64) -> Anchor {
        Anchor {
            at: 1_790_000_000_000,
            seq,
            hash: format!("h{seq}"),
            base_seq: 0,
            base_hash: super::super::GENESIS.into(),
        }
    }

    #[test]
    fn a_line_reads_back_only_with_its_key_and_unaltered() {
        let a = anchor(7);
        let line = a.line(&key());
        assert_eq!(Anchor::parse(&line, &key()), Some(a));
        assert_eq!(Anchor::parse(&line, &Key::from_bytes([4; 32])), None);
        assert_eq!(Anchor::parse(&line.replace(" 7 h7 ", " 9 h7 "), &key()), None);
        assert_eq!(Anchor::parse("garbage", &key()), None);
    }

    #[test]
    fn lines_are_appended_and_a_forged_one_breaks_the_file() {
        let path = std::env::temp_dir().join(format!("tongpin-anchors-{}", crate::ids::new_id()));
        assert!(read_file(&path, &key()).unwrap().is_none());
        append_line(&path, &anchor(1).line(&key())).unwrap();
        append_line(&path, &anchor(2).line(&key())).unwrap();
        assert_eq!(read_file(&path, &key()).unwrap(), Some(Ok(vec![anchor(1), anchor(2)])));
        append_line(&path, &anchor(3).line(&Key::from_bytes([4; 32]))).unwrap();
        let e = read_file(&path, &key()).unwrap().unwrap().unwrap_err();
        assert!(e.reason.contains("第 3 行"), "{}", e.reason);
        std::fs::remove_file(&path).ok();
    }
}
