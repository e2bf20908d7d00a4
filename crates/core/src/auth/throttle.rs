//! The per-address throttle against credential stuffing (撞库): failed logins
//! from one client address, across all usernames, are counted in one-minute
//! buckets in the database (so several servers sharing PostgreSQL see the
//! same counts); past the security policy's limit within its window, logins
//! from the address answer 429 before any password is checked. A check reads
//! at most one row per minute of the window through the primary key.
use super::Policy;
use crate::clock::MINUTE_MS;
use crate::db::{Db, Tx};
use crate::{with_db, with_tx, Error, Result};

/// The longest window the policy allows, in minutes (`Policy::validate`).
const LONGEST_WINDOW: i64 = 60;

fn minute(now: i64) -> i64 {
    now.div_euclid(MINUTE_MS)
}

/// Refuses (429) when the address has reached the limit within the window:
/// the current minute and the `throttle_minutes` before it, so a failure
/// counts for at least `throttle_minutes` full minutes.
pub(crate) async fn check(db: &Db, now: i64, addr: &str, policy: &Policy) -> Result<()> {
    let since = minute(now) - policy.throttle_minutes;
    let failures: Option<i64> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT CAST(SUM(failures) AS BIGINT) FROM login_throttle WHERE addr = $1 AND minute >= $2"
    )
    .bind(addr)
    .bind(since)
    .fetch_one(p)
    .await?);
    if failures.unwrap_or(0) >= policy.throttle_failures {
        return Err(Error::Throttled(format!(
            "登录失败次数过多：您所在的网络地址 {} 分钟内已失败 {} 次，请稍后再试（至多 {} 分钟）",
            policy.throttle_minutes, policy.throttle_failures, policy.throttle_minutes
        )));
    }
    Ok(())
}

/// One more failure from `addr`: the count within the current minute.
pub(crate) async fn count(tx: &mut Tx, now: i64, addr: &str) -> Result<i64> {
    Ok(with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO login_throttle (addr, minute, failures) VALUES ($1, $2, 1) \
         ON CONFLICT (addr, minute) DO UPDATE SET failures = login_throttle.failures + 1 \
         RETURNING failures"
    )
    .bind(addr)
    .bind(minute(now))
    .fetch_one(c)
    .await?))
}

/// Drops the buckets older than any window.
pub(crate) async fn expire(db: &Db, now: i64) -> Result<u64> {
    Ok(with_db!(db, |p| sqlx::query(
        "DELETE FROM login_throttle WHERE minute <= $1"
    )
    .bind(minute(now) - LONGEST_WINDOW)
    .execute(p)
    .await?
    .rows_affected()))
}
