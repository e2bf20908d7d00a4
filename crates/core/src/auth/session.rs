use super::account::{end_sessions, remember_password};
use super::grant::grants_for;
use super::password::verify_dummy;
use super::{check_strength, hash_password, verify_password, Policy, Principal};
use crate::audit::{self, Actor, Event, Outcome};
use crate::clock::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::db::Db;
use crate::rules::security::SESSION_TOUCH_SECONDS;
use crate::{ids, with_db, with_tx, Error, Result};
use sha2::Digest;

pub struct LoginOk {
    /// Goes to the client (cookie or bearer); only its hash is stored.
    pub token: String,
    pub csrf: String,
    pub must_change: bool,
}

fn session_id(token: &str) -> String {
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
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
    let anon = Actor::anonymous(&username, addr);
    let attempt: Option<(i64, Option<i64>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT failures, locked_until FROM login_attempts WHERE username = $1"
    )
    .bind(&username)
    .fetch_optional(p)
    .await?);
    let (failures, locked_until) = attempt.unwrap_or((0, None));
    if let Some(until) = locked_until.filter(|u| *u > now) {
        audit::record(
            db,
            now,
            &anon,
            Event::new("login", &username, Outcome::Denied).detail("账号已锁定"),
        )
        .await?;
        return Err(locked_error(until, now, &policy));
    }
    let failures = if locked_until.is_some() { 0 } else { failures };
    let account: Option<(String, String, bool, bool, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, password_hash, disabled, must_change_password, display_name FROM accounts WHERE username = $1"
    )
    .bind(&username)
    .fetch_optional(p)
    .await?);
    let ok = match &account {
        Some((_, hash, _, _, _)) => verify_password(password, hash),
        None => {
            verify_dummy(password);
            false
        }
    };
    let Some((account_id, _, disabled, must_change, display_name)) = account.filter(|_| ok) else {
        let failures = failures + 1;
        let lock = (failures >= policy.lockout_threshold).then_some(now + policy.lockout_minutes * MINUTE_MS);
        let (anon2, u2) = (anon.clone(), username.clone());
        db.transaction(move |tx| {
            let (anon, username) = (anon2.clone(), u2.clone());
            Box::pin(async move {
                with_tx!(tx, |c| sqlx::query(
                    "INSERT INTO login_attempts (username, failures, locked_until) VALUES ($1, $2, $3) \
                     ON CONFLICT (username) DO UPDATE SET failures = $2, locked_until = $3"
                )
                .bind(&username)
                .bind(if lock.is_some() { 0 } else { failures })
                .bind(lock)
                .execute(c)
                .await?
                .rows_affected());
                let detail = match lock {
                    Some(_) => format!("用户名或密码错误，连续失败 {failures} 次，账号锁定"),
                    None => format!("用户名或密码错误，连续失败 {failures} 次"),
                };
                audit::append(
                    tx,
                    now,
                    &anon,
                    &Event::new("login", &username, Outcome::Failed).detail(detail),
                )
                .await?;
                Ok(())
            })
        })
        .await?;
        if let Some(until) = lock {
            return Err(locked_error(until, now, &policy));
        }
        return Err(Error::Unauthorized(format!(
            "用户名或密码错误（连续失败 {failures} 次，达到 {} 次将锁定 {} 分钟）",
            policy.lockout_threshold, policy.lockout_minutes
        )));
    };
    if disabled {
        audit::record(
            db,
            now,
            &anon,
            Event::new("login", &username, Outcome::Denied).detail("账号已停用"),
        )
        .await?;
        return Err(Error::Forbidden("账号已停用，请联系系统管理员".into()));
    }
    let token = ids::random_token();
    let csrf = ids::random_token();
    let sid = session_id(&token);
    let (client, anon2, c2, u2) = (client.to_string(), anon.clone(), csrf.clone(), username.clone());
    db.transaction(move |tx| {
        let (sid, account_id, client, anon, csrf, username, display_name) =
            (sid.clone(), account_id.clone(), client.clone(), anon2.clone(), c2.clone(), u2.clone(), display_name.clone());
        Box::pin(async move {
            with_tx!(tx, |c| {
                sqlx::query("DELETE FROM login_attempts WHERE username = $1").bind(&username).execute(&mut *c).await?;
                sqlx::query("INSERT INTO sessions (id, account_id, csrf, client, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&sid)
                    .bind(&account_id)
                    .bind(&csrf)
                    .bind(&client)
                    .bind(now)
                    .bind(now)
                    .execute(&mut *c)
                    .await?;
            });
            let actor = Actor { id: Some(account_id), name: format!("{display_name}（{username}）"), ..anon };
            audit::append(tx, now, &actor, &Event::new("login", &username, Outcome::Ok).detail(client_label(&client))).await?;
            Ok(())
        })
    })
    .await?;
    Ok(LoginOk {
        token,
        csrf,
        must_change,
    })
}

fn locked_error(until: i64, now: i64, policy: &Policy) -> Error {
    let minutes = ((until - now) + MINUTE_MS - 1) / MINUTE_MS;
    Error::Locked(format!(
        "账号已锁定：连续 {} 次登录失败，请 {minutes} 分钟后再试，或联系安全管理员解锁",
        policy.lockout_threshold
    ))
}

/// The principal behind a session token, if the session is alive: not idle
/// past the policy's limit, not older than the absolute limit, and its
/// account not disabled.
pub async fn authenticate(db: &Db, now: i64, token: &str) -> Result<Principal> {
    let sid = session_id(token);
    type Row = (
        String,
        i64,
        i64,
        String,
        String,
        String,
        bool,
        i64,
        bool,
        Option<String>,
    );
    let row: Option<Row> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT s.csrf, s.created_at, s.last_seen_at, a.id, a.username, a.display_name, a.must_change_password, a.password_changed_at, a.disabled, \
         a.person_id FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = $1"
    )
    .bind(&sid)
    .fetch_optional(p)
    .await?
    });
    let Some((csrf, created, seen, account_id, username, display_name, must_change, changed_at, disabled, person_id)) =
        row
    else {
        return Err(Error::Unauthorized("尚未登录或登录已失效，请重新登录".into()));
    };
    let policy = Policy::load(db).await?;
    let idle = now - seen > policy.session_idle_minutes * MINUTE_MS;
    let too_old = now - created > policy.session_absolute_hours * HOUR_MS;
    if idle || too_old || disabled {
        with_db!(db, |p| sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(&sid)
            .execute(p)
            .await?
            .rows_affected());
        let why = if disabled {
            "账号已停用"
        } else if idle {
            "长时间未操作"
        } else {
            "超过会话最长时间"
        };
        let actor = Actor {
            id: Some(account_id),
            ..Actor::anonymous(&username, "")
        };
        audit::record(
            db,
            now,
            &actor,
            Event::new("session.expired", &username, Outcome::Ok).detail(why),
        )
        .await?;
        return Err(Error::Unauthorized(format!("{why}，登录已失效，请重新登录")));
    }
    if now - seen > SESSION_TOUCH_SECONDS * 1000 {
        with_db!(db, |p| sqlx::query(
            "UPDATE sessions SET last_seen_at = $1 WHERE id = $2"
        )
        .bind(now)
        .bind(&sid)
        .execute(p)
        .await?
        .rows_affected());
    }
    let expired = policy.password_max_age_days > 0 && now - changed_at > policy.password_max_age_days * DAY_MS;
    let must_change = if must_change {
        Some("初始密码由管理员设置，请先修改密码后再使用系统")
    } else if expired {
        Some("密码已到期，请先修改密码后再使用系统")
    } else {
        None
    };
    let grants = grants_for(db, &account_id).await?;
    Ok(Principal {
        account_id,
        username,
        display_name,
        session_id: sid,
        csrf,
        must_change,
        grants,
        person_id,
    })
}

pub async fn logout(db: &Db, now: i64, who: &Principal, addr: &str) -> Result<()> {
    let (sid, actor, username) = (who.session_id.clone(), who.actor(addr), who.username.clone());
    db.transaction(move |tx| {
        let (sid, actor, username) = (sid.clone(), actor.clone(), username.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(&sid)
                .execute(c)
                .await?
                .rows_affected());
            audit::append(tx, now, &actor, &Event::new("logout", &username, Outcome::Ok)).await?;
            Ok(())
        })
    })
    .await
}

/// The account's own change: the old password, the policy, and no reuse of
/// the last N passwords. Other sessions of the account end.
pub async fn change_password(db: &Db, now: i64, who: &Principal, addr: &str, old: &str, new: &str) -> Result<()> {
    let current: String = with_db!(db, |p| sqlx::query_scalar(
        "SELECT password_hash FROM accounts WHERE id = $1"
    )
    .bind(&who.account_id)
    .fetch_one(p)
    .await?);
    if !verify_password(old, &current) {
        return Err(Error::invalid("原密码", "不正确，请重新输入"));
    }
    let policy = Policy::load(db).await?;
    check_strength(new, &who.username, &policy)?;
    let recent: Vec<String> = with_db!(db, |p| {
        sqlx::query_scalar(
        "SELECT password_hash FROM password_history WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    )
    .bind(&who.account_id)
    .bind(policy.password_history.max(1))
    .fetch_all(p)
    .await?
    });
    if verify_password(new, &current) || recent.iter().any(|h| verify_password(new, h)) {
        return Err(Error::invalid(
            "新密码",
            format!("不能与最近 {} 次使用过的密码相同", policy.password_history.max(1)),
        ));
    }
    let hash = hash_password(new)?;
    let (id, sid, actor) = (who.account_id.clone(), who.session_id.clone(), who.actor(addr));
    db.transaction(move |tx| {
        let (id, sid, actor, hash) = (id.clone(), sid.clone(), actor.clone(), hash.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE accounts SET password_hash = $1, must_change_password = FALSE, password_changed_at = $2 WHERE id = $3"
            )
            .bind(&hash)
            .bind(now)
            .bind(&id)
            .execute(c)
            .await?.rows_affected());
            remember_password(tx, &id, &hash, now).await?;
            end_sessions(tx, &id, Some(&sid)).await?;
            audit::append(tx, now, &actor, &Event::new("password.change", actor.name.clone(), Outcome::Ok)).await?;
            Ok(())
        })
    })
    .await
}

/// The CSRF token of the session behind a token, if the session exists.
pub async fn session_csrf(db: &Db, token: &str) -> Result<Option<String>> {
    let sid = session_id(token);
    Ok(with_db!(db, |p| sqlx::query_scalar(
        "SELECT csrf FROM sessions WHERE id = $1"
    )
    .bind(&sid)
    .fetch_optional(p)
    .await?))
}

/// Ends the session behind a token, if any (a new login replaces it).
pub async fn end_session_token(db: &Db, token: &str) -> Result<()> {
    let sid = session_id(token);
    with_db!(db, |p| sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(&sid)
        .execute(p)
        .await?
        .rows_affected());
    Ok(())
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
pub async fn unlock(db: &Db, now: i64, actor: &Actor, username: &str) -> Result<()> {
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
