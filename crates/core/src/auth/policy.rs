use super::cap;
use crate::audit::{self, Actor, Algo, Event, Outcome};
use crate::db::{Db, Tx};
use crate::rules::security as d;
use crate::{with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

/// The security policy (安全策略), set by the security admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    pub password_min_length: i64,
    pub password_min_classes: i64,
    pub password_max_age_days: i64,
    pub password_history: i64,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub lockout_threshold: i64,
    pub lockout_minutes: i64,
    /// "sha256" or "sm3" (国密): the hash that chains new audit records.
    pub audit_hash: String,
    /// Each account's storage quota for evidence uploads (上传配额), MiB.
    pub upload_quota_mib: i64,
    /// Failed logins from one client address, across all usernames, that
    /// answer 429 (credential stuffing) …
    pub throttle_failures: i64,
    /// … within this many minutes.
    pub throttle_minutes: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            password_min_length: d::PASSWORD_MIN_LENGTH,
            password_min_classes: d::PASSWORD_MIN_CLASSES,
            password_max_age_days: d::PASSWORD_MAX_AGE_DAYS,
            password_history: d::PASSWORD_HISTORY,
            session_idle_minutes: d::SESSION_IDLE_MINUTES,
            session_absolute_hours: d::SESSION_ABSOLUTE_HOURS,
            lockout_threshold: d::LOCKOUT_THRESHOLD,
            lockout_minutes: d::LOCKOUT_MINUTES,
            audit_hash: "sha256".into(),
            upload_quota_mib: crate::rules::evidence::QUOTA_MIB,
            throttle_failures: d::THROTTLE_FAILURES,
            throttle_minutes: d::THROTTLE_MINUTES,
        }
    }
}

const KEY: &str = "security_policy";

impl Policy {
    pub fn upload_quota_bytes(&self) -> i64 {
        self.upload_quota_mib.saturating_mul(1024 * 1024)
    }

    pub fn audit_algo(&self) -> Algo {
        Algo::from_code(&self.audit_hash).unwrap_or(Algo::Sha256)
    }

    /// Ranges that keep the policy meaningful (and 等保-compliant).
    pub fn validate(&self) -> Result<()> {
        let (quota_lo, quota_hi) = crate::rules::evidence::QUOTA_MIB_RANGE;
        let ranges: [(&str, i64, i64, i64); 11] = [
            ("密码最小长度", self.password_min_length, 8, 64),
            ("密码字符类别数", self.password_min_classes, 1, 4),
            ("密码有效期（天）", self.password_max_age_days, 0, 365),
            ("不得重复使用的历史密码数", self.password_history, 0, 24),
            ("空闲超时（分钟）", self.session_idle_minutes, 5, 240),
            ("会话最长时间（小时）", self.session_absolute_hours, 1, 72),
            ("连续失败锁定次数", self.lockout_threshold, 3, 10),
            ("锁定时长（分钟）", self.lockout_minutes, 5, 1440),
            ("每个账号的上传配额（MiB）", self.upload_quota_mib, quota_lo, quota_hi),
            ("同一地址登录失败上限（次）", self.throttle_failures, 5, 1000),
            ("同一地址失败计数时段（分钟）", self.throttle_minutes, 1, 60),
        ];
        for (field, v, lo, hi) in ranges {
            if v < lo || v > hi {
                return Err(Error::invalid(field, format!("应在 {lo} 到 {hi} 之间，当前为 {v}")));
            }
        }
        if !matches!(self.audit_hash.as_str(), "sha256" | "sm3") {
            return Err(Error::invalid("审计哈希算法", "应为 sha256 或 sm3"));
        }
        Ok(())
    }

    fn parse(json: Option<String>) -> Policy {
        json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default()
    }

    pub async fn load(db: &Db) -> Result<Policy> {
        let v: Option<String> = with_db!(db, |p| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(KEY)
            .fetch_optional(p)
            .await?);
        Ok(Policy::parse(v))
    }

    pub async fn load_tx(tx: &mut Tx) -> Result<Policy> {
        let v: Option<String> = with_tx!(tx, |c| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(KEY)
            .fetch_optional(c)
            .await?);
        Ok(Policy::parse(v))
    }

    /// Saves the policy and records the change with what changed.
    pub async fn save(&self, db: &Db, now: i64, actor: &Actor, _: &cap::Policy) -> Result<()> {
        self.validate()?;
        let json = serde_json::to_string(self).map_err(|e| Error::internal("安全策略序列化失败", e))?;
        let actor = actor.clone();
        db.transaction(move |tx| {
            let (json, actor) = (json.clone(), actor.clone());
            Box::pin(async move {
                let old = Policy::load_tx(tx).await?;
                with_tx!(tx, |c| {
                    sqlx::query("DELETE FROM settings WHERE key = $1")
                        .bind(KEY)
                        .execute(&mut *c)
                        .await?;
                    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
                        .bind(KEY)
                        .bind(&json)
                        .execute(&mut *c)
                        .await?;
                });
                let old = serde_json::to_string(&old).unwrap_or_default();
                let ev = Event::new("policy.update", "安全策略", Outcome::Ok).detail(format!("原：{old}；新：{json}"));
                audit::append(tx, now, &actor, &ev).await?;
                Ok(())
            })
        })
        .await
    }
}
