//! Logging in under attack (登录防护): failures counted per username in one
//! atomic statement (so parallel guesses still lock after the threshold), a
//! lock that only time or the security admin lifts, and the per-address
//! throttle (`throttle.rs`) against credential stuffing.
use super::cap;
use super::password::verify_or_dummy;
use super::session::session_id;
use super::throttle;
use super::Policy;
use crate::audit::{self, Actor, Event, Outcome};
use crate::clock::{HOUR_MS, MINUTE_MS};
use crate::db::{Db, Tx};
use crate::rules::security::LOGIN_FAILURES_KEPT_HOURS;
use crate::{ids, with_db, with_tx, Error, Result};

pub struct LoginOk {
    /// Goes to the client (cookie or bearer); only its hash is stored.
    pub token: String,
    pub csrf: String,
    pub must_change: bool,
}

/// Checks a username and password and opens a new session (a fresh id: the
/// session is rotated at every login). Failures are counted per username,
/// whether or not the account exists, so the answers cannot tell them apart.
pub async fn login(db: &Db, now: i64, username: &str, password: &str, client: &str, addr: &str) -> Result<LoginOk> {
    let username = username.trim();
    if username.is_empty() || password.is_empty() {
        return Err(Error::invalid(
            if username.is_empty() { "用户名" } else { "密码" },
            "不能为空",
        ));
    }
    let username: String = username.chars().take(64).collect();
    let policy = Policy::load(db).await?;
    throttle::check(db, now, addr, &policy).await?;
    let anon = Actor::anonymous(&username, addr);
    if let Some(until) = locked_until(db, now, &username).await? {
        let ev = Event::new("login", &username, Outcome::Denied).detail("账号已锁定");
        audit::record(db, now, &anon, ev).await?;
        return Err(locked_error(until, now, &policy));
    }
    let account: Option<(String, String, bool, bool, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, password_hash, disabled, must_change_password, display_name FROM accounts WHERE username = $1"
    )
    .bind(&username)
    .fetch_optional(p)
    .await?);
    let ok = verify_or_dummy(password, account.as_ref().map(|a| a.1.clone())).await?;
    let Some((account_id, _, disabled, must_change, display_name)) = account.filter(|_| ok) else {
        return Err(failed(db, now, &anon, &username, addr, &policy).await?);
    };
    if disabled {
        let ev = Event::new("login", &username, Outcome::Denied).detail("账号已停用");
        audit::record(db, now, &anon, ev).await?;
        return Err(Error::Forbidden("账号已停用，请联系系统管理员".into()));
    }
    let token = ids::random_token();
    let csrf = ids::random_token();
    let sid = session_id(&token);
    let (client, anon2, c2, u2) = (client.to_string(), anon.clone(), csrf.clone(), username.clone());
    let opened = db
        .transaction(move |tx| {
            let (sid, account_id, client, anon, csrf, username, display_name) = (
                sid.clone(),
                account_id.clone(),
                client.clone(),
                anon2.clone(),
                c2.clone(),
                u2.clone(),
                display_name.clone(),
            );
            Box::pin(async move {
                if let Some(until) = clear_failures(tx, now, &username).await? {
                    return Ok(Err(until));
                }
                with_tx!(tx, |c| sqlx::query(
                    "INSERT INTO sessions (id, account_id, csrf, client, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)"
                )
                .bind(&sid)
                .bind(&account_id)
                .bind(&csrf)
                .bind(&client)
                .bind(now)
                .bind(now)
                .execute(c)
                .await?
                .rows_affected());
                let actor = Actor {
                    id: Some(account_id),
                    name: format!("{display_name}（{username}）"),
                    ..anon
                };
                let ev = Event::new("login", &username, Outcome::Ok).detail(client_label(&client));
                audit::append(tx, now, &actor, &ev).await?;
                Ok(Ok(()))
            })
        })
        .await?;
    if let Err(until) = opened {
        // Locked by parallel wrong guesses while this one was checked: a
        // correct password does not lift a lock.
        let ev = Event::new("login", &username, Outcome::Denied).detail("账号已锁定");
        audit::record(db, now, &anon, ev).await?;
        return Err(locked_error(until, now, &policy));
    }
    Ok(LoginOk {
        token,
        csrf,
        must_change,
    })
}

async fn locked_until(db: &Db, now: i64, username: &str) -> Result<Option<i64>> {
    let until: Option<Option<i64>> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT locked_until FROM login_attempts WHERE username = $1"
    )
    .bind(username)
    .fetch_optional(p)
    .await?);
    Ok(until.flatten().filter(|u| *u > now))
}

/// After a correct password: forgets the failures unless the name is locked
/// (then answers the lock's end). The DELETE goes first so that, on
/// PostgreSQL, it waits for a failure being counted on the same row.
async fn clear_failures(tx: &mut Tx, now: i64, username: &str) -> Result<Option<i64>> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM login_attempts WHERE username = $1 AND (locked_until IS NULL OR locked_until <= $2)"
    )
    .bind(username)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    let until: Option<Option<i64>> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT locked_until FROM login_attempts WHERE username = $1"
    )
    .bind(username)
    .fetch_optional(c)
    .await?);
    Ok(until.flatten().filter(|u| *u > now))
}

/// Counts one failure for the name and one for the address in a single
/// transaction, each in one statement that adds to the stored count (never
/// a count read earlier and written back), and answers the error to give.
async fn failed(db: &Db, now: i64, anon: &Actor, username: &str, addr: &str, policy: &Policy) -> Result<Error> {
    let lock = now + policy.lockout_minutes * MINUTE_MS;
    let threshold = policy.lockout_threshold;
    let (anon, username, addr) = (anon.clone(), username.to_string(), addr.to_string());
    let (failures, until) = db
        .transaction(move |tx| {
            let (anon, username, addr) = (anon.clone(), username.clone(), addr.clone());
            Box::pin(async move {
                let (failures, until) = count_failure(tx, now, &username, threshold, lock).await?;
                throttle::count(tx, now, &addr).await?;
                let detail = match until {
                    Some(u) if u > now => format!("用户名或密码错误，连续失败 {failures} 次，账号锁定"),
                    _ => format!("用户名或密码错误，连续失败 {failures} 次"),
                };
                let ev = Event::new("login", &username, Outcome::Failed).detail(detail);
                audit::append(tx, now, &anon, &ev).await?;
                Ok((failures, until))
            })
        })
        .await?;
    Ok(match until.filter(|u| *u > now) {
        Some(until) => locked_error(until, now, policy),
        None => Error::Unauthorized(format!(
            "用户名或密码错误（连续失败 {failures} 次，达到 {} 次将锁定 {} 分钟）",
            policy.lockout_threshold, policy.lockout_minutes
        )),
    })
}

/// One more failure for `username`: (failures, locked_until). A lock that
/// has run out starts the count again; a running lock is kept as it is.
async fn count_failure(tx: &mut Tx, now: i64, username: &str, threshold: i64, lock: i64) -> Result<(i64, Option<i64>)> {
    const SQL: &str = "INSERT INTO login_attempts (username, failures, locked_until, updated_at) \
         VALUES ($1, 1, CASE WHEN 1 >= $2 THEN $3 ELSE NULL END, $4) \
         ON CONFLICT (username) DO UPDATE SET \
           failures = CASE WHEN login_attempts.locked_until <= $4 THEN 1 ELSE login_attempts.failures + 1 END, \
           locked_until = CASE \
             WHEN login_attempts.locked_until > $4 THEN login_attempts.locked_until \
             WHEN (CASE WHEN login_attempts.locked_until <= $4 THEN 1 ELSE login_attempts.failures + 1 END) >= $2 THEN $3 \
             ELSE NULL END, \
           updated_at = $4 \
         RETURNING failures, locked_until";
    Ok(with_tx!(tx, |c| sqlx::query_as(SQL)
        .bind(username)
        .bind(threshold)
        .bind(lock)
        .bind(now)
        .fetch_one(c)
        .await?))
}

fn locked_error(until: i64, now: i64, policy: &Policy) -> Error {
    let minutes = ((until - now) + MINUTE_MS - 1) / MINUTE_MS;
    Error::Locked(format!(
        "账号已锁定：连续 {} 次登录失败，请 {minutes} 分钟后再试，或联系安全管理员解锁",
        policy.lockout_threshold
    ))
}

/// Forgets failure counts not touched for `LOGIN_FAILURES_KEPT_HOURS` and
/// not locked (most are names that do not exist), and the address counts
/// older than any window. Run hourly by `serve`. Answers the rows removed.
pub async fn expire_login_records(db: &Db, now: i64) -> Result<u64> {
    let before = now - LOGIN_FAILURES_KEPT_HOURS * HOUR_MS;
    let names = with_db!(db, |p| sqlx::query(
        "DELETE FROM login_attempts WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until <= $2)"
    )
    .bind(before)
    .bind(now)
    .execute(p)
    .await?
    .rows_affected());
    Ok(names + throttle::expire(db, now).await?)
}

/// Usernames locked now, with the time the lock ends.
pub async fn list_locks(db: &Db, now: i64) -> Result<Vec<(String, i64)>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT username, locked_until FROM login_attempts WHERE locked_until > $1 ORDER BY username"
    )
    .bind(now)
    .fetch_all(p)
    .await?))
}

/// The security admin lifts a lock before it runs out.
pub async fn unlock(db: &Db, now: i64, actor: &Actor, _: &cap::Policy, username: &str) -> Result<()> {
    let (actor, username) = (actor.clone(), username.to_string());
    db.transaction(move |tx| {
        let (actor, username) = (actor.clone(), username.clone());
        Box::pin(async move {
            let n = with_tx!(tx, |c| sqlx::query(
                "DELETE FROM login_attempts WHERE username = $1 AND locked_until > $2"
            )
            .bind(&username)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::NotFound(format!("账号“{username}”当前未被锁定")));
            }
            audit::append(tx, now, &actor, &Event::new("account.unlock", &username, Outcome::Ok)).await?;
            Ok(())
        })
    })
    .await
}

/// How a login came in, in words for the audit log.
fn client_label(client: &str) -> &str {
    match client {
        "web" => "网页登录",
        "api" => "接口登录",
        other => other,
    }
}
