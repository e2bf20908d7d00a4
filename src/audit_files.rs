//! The audit key and anchor files on the command line: where they are, and
//! opening a database sealed with them.
use anyhow::{bail, Result};
use std::path::PathBuf;
use tongpin_core::audit::{self, Key, KeySource};
use tongpin_core::db::Db;

/// Outside the database, so that write access to it is not enough to rewrite
/// the audit log; back both up apart from the database.
#[derive(clap::Args, Clone)]
pub struct AuditFiles {
    /// The audit key file (审计密钥, 64 hex digits), created readable by its owner only at first start;
    /// by default beside a SQLite database (<file>.audit-key), else ./tongpin.audit-key.
    /// The environment variable TONGPIN_AUDIT_KEY (the key itself) takes its place.
    #[arg(long, global = true, env = "TONGPIN_AUDIT_KEY_FILE")]
    audit_key_file: Option<PathBuf>,
    /// The append-only anchor file the chain's head is written to every minute;
    /// by default beside a SQLite database (<file>.anchors), else ./tongpin.anchors.
    #[arg(long, global = true, env = "TONGPIN_AUDIT_ANCHORS")]
    audit_anchors: Option<PathBuf>,
}

impl AuditFiles {
    pub fn key_file(&self, db_url: &str) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| audit::default_paths(db_url).0)
    }

    pub fn anchors(&self, db_url: &str) -> PathBuf {
        self.audit_anchors
            .clone()
            .unwrap_or_else(|| audit::default_paths(db_url).1)
    }

    pub fn key_source(&self, db_url: &str) -> KeySource {
        match std::env::var("TONGPIN_AUDIT_KEY") {
            Ok(hex) if !hex.trim().is_empty() => KeySource::Env(hex),
            _ => KeySource::File(self.key_file(db_url)),
        }
    }

    /// Seals a migrated database with its key (creating a key file for a log
    /// with no keyed record yet) and anchors its head.
    pub async fn seal(&self, db: Db, db_url: &str, now: i64) -> Result<Db> {
        Ok(audit::open_sealed(db, now, &self.key_source(db_url), Some(self.anchors(db_url))).await?)
    }

    /// The key for verifying only: never created.
    pub fn existing_key(&self, db_url: &str) -> Result<Option<Key>> {
        Ok(audit::load_key(&self.key_source(db_url))?)
    }

    /// Gives a copy's target the source's key: the copied records are signed with it.
    pub fn share_key(&self, key: &Key, to_url: &str) -> Result<()> {
        let KeySource::File(path) = self.key_source(to_url) else {
            return Ok(());
        };
        match Key::read(&path)? {
            Some(k) if &k == key => Ok(()),
            Some(_) => bail!(
                "目标库的审计密钥文件 {} 与源库的密钥不同：复制的审计记录只能以源库的密钥校验，请移走该文件后重试",
                path.display()
            ),
            None => {
                key.write_new(&path)?;
                println!("已将源库的审计密钥写入 {}（请与数据库分开备份）", path.display());
                Ok(())
            }
        }
    }

    /// What `backup` reminds the operator of.
    pub fn backup_note(&self, db_url: &str) -> String {
        format!(
            "审计密钥文件 {} 与锚点文件 {} 不在数据库备份里：请另行备份，并与数据库备份分开保存",
            self.key_file(db_url).display(),
            self.anchors(db_url).display()
        )
    }
}
