//! The three admin kinds (三员: 系统管理员, 安全管理员, 审计管理员) stay apart.
//!
//! An account of an admin kind is made, with its kind, only by the command
//! line (`create_admin`); the web can neither grant nor revoke a kind. An
//! account holds at most one kind and nothing else. No admin resets,
//! disables or links an account of another kind, and the last enabled
//! holder of a kind cannot be disabled.
use super::account::{checked_new, insert_account, Account};
use super::grant::insert_grant;
use super::{NewAccount, Role};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::{with_db, with_tx, Error, Result};

/// Creates an account of an admin kind (the command line's
/// `tongpin admin create`; demo data and tests). Its password is its own.
pub async fn create_admin(db: &Db, now: i64, actor: &Actor, new: NewAccount, kind: Role) -> Result<String> {
    if !kind.is_separated_admin() {
        return Err(Error::invalid(
            "角色",
            format!("{}不是管理员（系统、安全、审计管理员之一）", kind.label()),
        ));
    }
    let must_change = new.must_change;
    let (id, hash, username, display_name) = checked_new(db, (new.username, new.display_name, new.password)).await?;
    let (out, actor) = (id.clone(), actor.clone());
    db.transaction(move |tx| {
        let (id, hash, username, display_name, actor) = (
            id.clone(),
            hash.clone(),
            username.clone(),
            display_name.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            insert_account(tx, now, &actor, &id, &username, &display_name, &hash, must_change).await?;
            insert_grant(tx, now, &actor, &id, kind, None).await?;
            Ok(())
        })
    })
    .await?;
    Ok(out)
}

/// The admin kind an account holds, if any.
pub(crate) async fn kind_of(tx: &mut Tx, account_id: &str) -> Result<Option<Role>> {
    let roles: Vec<String> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT role FROM role_grants WHERE account_id = $1"
    )
    .bind(account_id)
    .fetch_all(c)
    .await?);
    Ok(first_kind(&roles))
}

async fn kind_of_db(db: &Db, account_id: &str) -> Result<Option<Role>> {
    let roles: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT role FROM role_grants WHERE account_id = $1"
    )
    .bind(account_id)
    .fetch_all(p)
    .await?);
    Ok(first_kind(&roles))
}

fn first_kind(roles: &[String]) -> Option<Role> {
    roles
        .iter()
        .filter_map(|r| Role::from_code(r))
        .find(|r| r.is_separated_admin())
}

/// Refuses (403, audited) when `target` holds an admin kind other than
/// `by`'s. An account's kind is set when it is created and never changes, so
/// this is read before the change's transaction.
pub(crate) async fn check_target(
    db: &Db,
    now: i64,
    actor: &Actor,
    by: Role,
    target: &Account,
    verb: &str,
) -> Result<()> {
    match kind_of_db(db, &target.id).await? {
        Some(kind) if kind != by => {
            let object = format!("{}（{}）", target.display_name, target.username);
            let why = format!("三员分立：{}不能{verb}{}的账号", by.label(), kind.label());
            let ev = Event::new("permission.denied", object, Outcome::Denied).detail(why.clone());
            audit::record(db, now, actor, ev).await?;
            Err(Error::Forbidden(why))
        }
        _ => Ok(()),
    }
}

/// Refuses to disable `account_id` when no other enabled account holds
/// `kind`. The holders' rows are locked first (an UPDATE that changes
/// nothing), so two admins disabling each other at once queue up and the
/// second sees the first's change.
pub(crate) async fn refuse_last_holder(tx: &mut Tx, kind: Role, account_id: &str) -> Result<()> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE accounts SET disabled = disabled WHERE id IN (SELECT account_id FROM role_grants WHERE role = $1)"
    )
    .bind(kind.code())
    .execute(c)
    .await?
    .rows_affected());
    let others: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM accounts a JOIN role_grants g ON g.account_id = a.id \
         WHERE g.role = $1 AND a.id <> $2 AND a.disabled = FALSE"
    )
    .bind(kind.code())
    .bind(account_id)
    .fetch_one(c)
    .await?);
    if others == 0 {
        return Err(Error::Conflict(format!(
            "该账号是最后一个可用的{0}，不能停用；请先在命令行新建{0}",
            kind.label()
        )));
    }
    Ok(())
}
