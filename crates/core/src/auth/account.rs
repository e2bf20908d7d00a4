use super::admins::{check_target, kind_of, refuse_last_holder};
use super::cap::{self, Capability};
use super::{check_strength, hash_password_async, Policy};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub must_change_password: bool,
    pub password_changed_at: i64,
    pub disabled: bool,
    pub created_at: i64,
}

pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password: String,
    /// True when an admin set the password for someone else.
    pub must_change: bool,
}

/// A new account with no role (roles are granted on 角色授权; the three
/// admin kinds only from the command line, `admins::create_admin`).
pub async fn create_account(db: &Db, now: i64, actor: &Actor, _: &cap::Accounts, new: NewAccount) -> Result<String> {
    let (id, hash, username, display_name) = checked_new(db, new.clone_parts()).await?;
    let (actor, must_change) = (actor.clone(), new.must_change);
    let out = id.clone();
    db.transaction(move |tx| {
        let (id, username, display_name, hash, actor) = (
            id.clone(),
            username.clone(),
            display_name.clone(),
            hash.clone(),
            actor.clone(),
        );
        Box::pin(
            async move { insert_account(tx, now, &actor, &id, &username, &display_name, &hash, must_change).await },
        )
    })
    .await?;
    Ok(out)
}

impl NewAccount {
    fn clone_parts(&self) -> (String, String, String) {
        (self.username.clone(), self.display_name.clone(), self.password.clone())
    }
}

/// Checks a new account's fields and hashes its password: (id, hash, username, name).
pub(crate) async fn checked_new(
    db: &Db,
    (username, display_name, password): (String, String, String),
) -> Result<(String, String, String, String)> {
    let username = check("用户名", &username, 32, TextKind::Username)?;
    let display_name = check("姓名", &display_name, 30, TextKind::Name)?;
    let policy = Policy::load(db).await?;
    check_strength(&password, &username, &policy).map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid("初始密码", message),
        e => e,
    })?;
    let hash = hash_password_async(&password).await?;
    Ok((ids::new_id(), hash, username, display_name))
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_account(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    id: &str,
    username: &str,
    display_name: &str,
    hash: &str,
    must_change: bool,
) -> Result<()> {
    let taken: Option<String> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE username = $1"
    )
    .bind(username)
    .fetch_optional(c)
    .await?);
    if taken.is_some() {
        return Err(Error::invalid("用户名", format!("“{username}”已被使用，请换一个")));
    }
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO accounts (id, username, display_name, password_hash, must_change_password, password_changed_at, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7)"
    )
    .bind(id)
    .bind(username)
    .bind(display_name)
    .bind(hash)
    .bind(must_change)
    .bind(now)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected()
    });
    remember_password(tx, id, hash, now).await?;
    let ev = Event::new("account.create", format!("{display_name}（{username}）"), Outcome::Ok);
    audit::append(tx, now, actor, &ev).await?;
    Ok(())
}

pub(crate) async fn remember_password(tx: &mut Tx, account_id: &str, hash: &str, now: i64) -> Result<()> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO password_history (id, account_id, password_hash, created_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(ids::new_id())
    .bind(account_id)
    .bind(hash)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

pub(crate) async fn end_sessions(tx: &mut Tx, account_id: &str, except: Option<&str>) -> Result<()> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM sessions WHERE account_id = $1 AND id <> $2"
    )
    .bind(account_id)
    .bind(except.unwrap_or(""))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Accounts whose username or name contains `q`, by username.
pub async fn list_accounts(db: &Db, q: Option<&str>, offset: i64, limit: i64) -> Result<(Vec<Account>, i64)> {
    let mut w = Where::default();
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let a = w.param(Param::S(crate::sql::like_contains(q)));
        w.push_raw(format!(
            "(username LIKE {a} ESCAPE '\\' OR display_name LIKE {a} ESCAPE '\\')"
        ));
    }
    let (cond, _) = w.sql();
    let count_sql = format!("SELECT COUNT(*) FROM accounts {cond}");
    let total: i64 = with_db!(db, |p| bind_all!(sqlx::query_scalar(&count_sql), w.params())
        .fetch_one(p)
        .await?);
    let lim = w.param(Param::I(limit));
    let off = w.param(Param::I(offset));
    let sql = format!("SELECT * FROM accounts {cond} ORDER BY username LIMIT {lim} OFFSET {off}");
    let rows = with_db!(db, |p| bind_all!(sqlx::query_as::<_, Account>(&sql), w.params())
        .fetch_all(p)
        .await?);
    Ok((rows, total))
}

pub async fn count_accounts(db: &Db) -> Result<i64> {
    Ok(with_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(p)
        .await?))
}

/// Any account by id. Crate-private: the account and grant operations call
/// it after the caller's admin capability was checked.
pub(crate) async fn get_account(db: &Db, id: &str) -> Result<Account> {
    let a: Option<Account> = with_db!(db, |p| sqlx::query_as("SELECT * FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await?);
    a.ok_or_else(|| Error::NotFound("账号不存在".into()))
}

/// Disabling an account ends its sessions at once. No one disables their
/// own account, an account of another admin kind, or the last enabled
/// holder of an admin kind.
pub async fn set_disabled(
    db: &Db,
    now: i64,
    actor: &Actor,
    by: &cap::Accounts,
    id: &str,
    disabled: bool,
) -> Result<()> {
    let acc = get_account(db, id).await?;
    if by.holder() == Some(id) || actor.id.as_deref() == Some(id) {
        return Err(Error::Conflict("不能停用自己的账号".into()));
    }
    let verb = if disabled { "停用" } else { "启用" };
    check_target(db, now, actor, by.kind(), &acc, verb).await?;
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (acc, actor) = (acc.clone(), actor.clone());
        Box::pin(async move {
            if disabled {
                if let Some(kind) = kind_of(tx, &acc.id).await? {
                    refuse_last_holder(tx, kind, &acc.id).await?;
                }
            }
            with_tx!(tx, |c| sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
                .bind(disabled)
                .bind(&acc.id)
                .execute(c)
                .await?
                .rows_affected());
            if disabled {
                end_sessions(tx, &acc.id, None).await?;
            }
            let action = if disabled { "account.disable" } else { "account.enable" };
            let ev = Event::new(action, format!("{}（{}）", acc.display_name, acc.username), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// An admin sets a new password for someone: it must be changed at next
/// login. Never for an account of another admin kind.
pub async fn reset_password(
    db: &Db,
    now: i64,
    actor: &Actor,
    by: &cap::Accounts,
    id: &str,
    password: &str,
) -> Result<()> {
    let acc = get_account(db, id).await?;
    check_target(db, now, actor, by.kind(), &acc, "重置密码").await?;
    let policy = Policy::load(db).await?;
    check_strength(password, &acc.username, &policy)?;
    let hash = hash_password_async(password).await?;
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (acc, hash, actor) = (acc.clone(), hash.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE accounts SET password_hash = $1, must_change_password = TRUE, password_changed_at = $2 WHERE id = $3"
            )
            .bind(&hash)
            .bind(now)
            .bind(&acc.id)
            .execute(c)
            .await?.rows_affected());
            remember_password(tx, &acc.id, &hash, now).await?;
            end_sessions(tx, &acc.id, None).await?;
            let ev = Event::new("account.reset_password", format!("{}（{}）", acc.display_name, acc.username), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Links an account to a person on the roster (accounts.person_id), so the
/// plan items the person is responsible for reach the account's to-dos. A
/// person belongs to at most one account. Demo data only; the web links by
/// citizen ID (`link_by_citizen_id`).
pub(crate) async fn link_person(db: &Db, now: i64, actor: &Actor, account_id: &str, person_id: &str) -> Result<()> {
    let acc = get_account(db, account_id.trim()).await?;
    let person: Option<(String, String)> =
        with_db!(db, |p| sqlx::query_as("SELECT id, name FROM people WHERE id = $1")
            .bind(person_id.trim())
            .fetch_optional(p)
            .await?);
    let Some((person_id, name)) = person else {
        return Err(Error::NotFound("人员不存在".into()));
    };
    let other: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT username FROM accounts WHERE person_id = $1 AND id <> $2"
    )
    .bind(&person_id)
    .bind(&acc.id)
    .fetch_optional(p)
    .await?);
    if let Some(u) = other {
        return Err(Error::Conflict(format!(
            "{name} 已关联账号 {u}，一名人员只能关联一个账号"
        )));
    }
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (acc, person_id, name, actor) = (acc.clone(), person_id.clone(), name.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query("UPDATE accounts SET person_id = $1 WHERE id = $2")
                .bind(&person_id)
                .bind(&acc.id)
                .execute(c)
                .await?
                .rows_affected());
            let ev = Event::new(
                "account.link",
                format!("{}（{}）", acc.display_name, acc.username),
                Outcome::Ok,
            )
            .detail(format!("关联人员：{name}"));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Links an account to the person on the roster with this citizen ID (the
/// system admin knows whom an account is for, not the roster's ids).
///
/// The system admin cannot read the roster, so the answer never depends on
/// it: whether the ID is on the roster, already linked to another account,
/// or linked now, the call succeeds the same way and names no one. What
/// happened is in the audit log (for the audit admin). Only the ID's own
/// form (length, check digit) is judged, which needs no roster.
pub async fn link_by_citizen_id(
    db: &Db,
    now: i64,
    actor: &Actor,
    by: &cap::Accounts,
    account_id: &str,
    citizen_id: &str,
) -> Result<()> {
    let id = crate::people::check_citizen_id(citizen_id, crate::clock::beijing(now).date_naive())?.normalized;
    let acc = get_account(db, account_id.trim()).await?;
    check_target(db, now, actor, by.kind(), &acc, "关联人员").await?;
    let found: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM people WHERE citizen_id = $1 AND left_on IS NULL"
    )
    .bind(&id)
    .fetch_optional(p)
    .await?);
    let why = match found {
        Some(person_id) => match link_person(db, now, actor, &acc.id, &person_id).await {
            Ok(()) => return Ok(()),
            Err(Error::Conflict(m)) => m,
            Err(e) => return Err(e),
        },
        None => "名册中没有该身份证号的在册人员".to_string(),
    };
    let object = format!("{}（{}）", acc.display_name, acc.username);
    let ev = Event::new("account.link", object, Outcome::Failed).detail(format!("未关联：{why}"));
    audit::record(db, now, actor, ev).await
}
