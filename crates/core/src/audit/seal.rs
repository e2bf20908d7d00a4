//! The audit key (审计密钥), kept outside the database, and the seal a
//! database handle carries: the key that signs new records and the file the
//! chain's head is anchored in.
use crate::{Error, Result};
use hmac::{Hmac, Mac};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const KEY_BYTES: usize = 32;

/// A 256-bit key. Never printed: `Debug` shows only that it is there.
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; KEY_BYTES]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Key {
        Key(bytes)
    }

    /// 64 hexadecimal digits; `source` names where they came from.
    pub fn from_hex(text: &str, source: &str) -> Result<Key> {
        let bytes = hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; KEY_BYTES]>::try_from(b).ok());
        bytes
            .map(Key)
            .ok_or_else(|| Error::invalid(source, "审计密钥应为 64 位十六进制数字（32 字节）"))
    }

    pub fn generate() -> Result<Key> {
        let mut bytes = [0u8; KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| Error::unexpected(format!("无法生成审计密钥：{e}")))?;
        Ok(Key(bytes))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn hmac_sha256(&self, data: &[u8]) -> Vec<u8> {
        let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }

    pub fn hmac_sm3(&self, data: &[u8]) -> Vec<u8> {
        let mut m = <Hmac<sm3::Sm3> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }

    /// HMAC-SHA256 of `data`, in hex: what an anchor line is signed with.
    pub fn mac(&self, data: &[u8]) -> String {
        hex::encode(self.hmac_sha256(data))
    }

    /// Reads the key file, if there is one.
    pub fn read(path: &Path) -> Result<Option<Key>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Key::from_hex(&text, &format!("审计密钥文件 {}", path.display())).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::unexpected(format!(
                "无法读取审计密钥文件 {}：{e}",
                path.display()
            ))),
        }
    }

    /// Writes a new key file readable by its owner only; never overwrites one.
    pub fn create(path: &Path) -> Result<Key> {
        let key = Key::generate()?;
        key.write_new(path)?;
        Ok(key)
    }

    /// Writes this key to a new file readable by its owner only.
    pub fn write_new(&self, path: &Path) -> Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts
            .open(path)
            .map_err(|e| Error::unexpected(format!("无法创建审计密钥文件 {}：{e}", path.display())))?;
        writeln!(f, "{}", hex::encode(self.0))
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::unexpected(format!("无法写入审计密钥文件 {}：{e}", path.display())))
    }
}

/// What a database handle signs and anchors its audit records with.
#[derive(Debug)]
pub struct Seal {
    key: Key,
    anchors: Option<PathBuf>,
    /// The head last anchored by this process, so an idle log is not anchored again.
    last_anchored: Mutex<Option<(i64, i64)>>,
}

impl Seal {
    pub fn new(key: Key, anchors: Option<PathBuf>) -> Seal {
        Seal {
            key,
            anchors,
            last_anchored: Mutex::new(None),
        }
    }

    pub fn key(&self) -> &Key {
        &self.key
    }

    pub fn anchors(&self) -> Option<&Path> {
        self.anchors.as_deref()
    }

    /// The (head seq, base seq) this process anchored last, so an idle log is not anchored again.
    pub(super) fn last_anchored(&self) -> std::sync::MutexGuard<'_, Option<(i64, i64)>> {
        match self.last_anchored.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Where the key and anchor files live by default: beside a SQLite database
/// file (`tongpin.db.audit-key`, `tongpin.db.anchors`), otherwise in the
/// working directory (`tongpin.audit-key`, `tongpin.anchors`).
pub fn default_paths(db_url: &str) -> (PathBuf, PathBuf) {
    let file = db_url
        .strip_prefix("sqlite://")
        .or_else(|| db_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|p| !p.is_empty() && !p.contains(":memory:"));
    match file {
        Some(p) => (
            PathBuf::from(format!("{p}.audit-key")),
            PathBuf::from(format!("{p}.anchors")),
        ),
        None => (PathBuf::from("tongpin.audit-key"), PathBuf::from("tongpin.anchors")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_64_hex_digits() {
        let k = Key::from_hex(&"ab".repeat(32), "TONGPIN_AUDIT_KEY").unwrap();
        assert_eq!(k.bytes(), &[0xab; 32]);
        let short = Key::from_hex(&"ab".repeat(31), "TONGPIN_AUDIT_KEY").unwrap_err();
        assert!(short.to_string().starts_with("TONGPIN_AUDIT_KEY："));
        assert!(Key::from_hex(&"zz".repeat(32), "x").is_err());
        assert_eq!(format!("{k:?}"), "Key(…)");
    }

    #[test]
    fn a_key_file_is_created_once_and_only_for_its_owner() {
        let path = std::env::temp_dir().join(format!("tongpin-key-{}", crate::ids::new_id()));
        assert_eq!(Key::read(&path).unwrap(), None);
        let k = Key::create(&path).unwrap();
        assert_eq!(Key::read(&path).unwrap(), Some(k));
        assert!(Key::create(&path).is_err(), "an existing key is never overwritten");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn the_files_sit_beside_a_sqlite_database() {
        let (k, a) = default_paths("sqlite:///var/lib/tongpin/tongpin.db?mode=rwc");
        assert_eq!(k, PathBuf::from("/var/lib/tongpin/tongpin.db.audit-key"));
        assert_eq!(a, PathBuf::from("/var/lib/tongpin/tongpin.db.anchors"));
        assert_eq!(default_paths("sqlite://demo.db").0, PathBuf::from("demo.db.audit-key"));
        assert_eq!(default_paths("postgres://h/db").0, PathBuf::from("tongpin.audit-key"));
        assert_eq!(default_paths("sqlite::memory:").1, PathBuf::from("tongpin.anchors"));
    }
}
