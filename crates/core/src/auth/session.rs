use super::account::{end_sessions, remember_password};
use super::grant::grants_for;
use super::{check_strength, hash_password_async, verify_any, Policy, Principal};
use crate::audit::{self, Actor, Event, Outcome};
use crate::clock::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::db::Db;
use crate::rules::security::SESSION_TOUCH_SECONDS;
use crate::{with_db, with_tx, Error, Result};
use sha2::Digest;

pub(crate) fn session_id(token: &str) -> String {
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
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
    if !verify_any(old, vec![current.clone()]).await? {
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
    let mut used = recent;
    used.push(current);
    if verify_any(new, used).await? {
        return Err(Error::invalid(
            "新密码",
            format!("不能与最近 {} 次使用过的密码相同", policy.password_history.max(1)),
        ));
    }
    let hash = hash_password_async(new).await?;
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
