use super::admins::check_target;
use super::cap::{self, Capability};
use super::{get_account, GrantInfo, Role};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::{ids, with_db, with_tx, Error, Result};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct GrantRow {
    pub id: String,
    pub account_id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub created_at: i64,
}

impl GrantRow {
    pub fn role_label(&self) -> &'static str {
        Role::from_code(&self.role).map(Role::label).unwrap_or("未知角色")
    }
}

/// Grants a business role to an account, on an organization (inherited by
/// its subtree). The three admin kinds are never granted here: only the
/// command line creates their accounts (`admins::create_admin`), and an
/// account of an admin kind holds nothing else (三权分立).
pub async fn grant_role(
    db: &Db,
    now: i64,
    actor: &Actor,
    by: &cap::Grants,
    account_id: &str,
    role: Role,
    org_id: Option<&str>,
) -> Result<String> {
    if role.is_separated_admin() {
        return refuse_kind(db, now, actor, account_id, role, "授予").await;
    }
    let org_id = org_id.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if org_id.is_none() {
        return Err(Error::invalid("授权组织", format!("授予{}须选择组织", role.label())));
    }
    let target = get_account(db, account_id)
        .await
        .map_err(|_| Error::invalid("账号", "不存在"))?;
    check_target(db, now, actor, by.kind(), &target, "授予角色给").await?;
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (account_id, org_id, actor) = (target.id.clone(), org_id.clone(), actor.clone());
        Box::pin(async move { insert_grant(tx, now, &actor, &account_id, role, org_id.as_deref()).await })
    })
    .await
}

/// Granting or revoking an admin kind on the web: refused and audited.
async fn refuse_kind<T>(db: &Db, now: i64, actor: &Actor, object: &str, role: Role, verb: &str) -> Result<T> {
    let why = format!(
        "三员分立：{}只能在服务器上以命令行（tongpin admin create）创建，不能在网页上{verb}",
        role.label()
    );
    let ev = Event::new("permission.denied", object, Outcome::Denied).detail(why.clone());
    audit::record(db, now, actor, ev).await?;
    Err(Error::Forbidden(why))
}

/// Records a grant in `tx` after checking the account (enabled), the
/// organization (not dissolved) and 三权分立 against what it already holds.
pub(crate) async fn insert_grant(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    account_id: &str,
    role: Role,
    org_id: Option<&str>,
) -> Result<String> {
    match (role.is_separated_admin(), org_id) {
        (true, Some(_)) => {
            return Err(Error::invalid(
                "授权组织",
                format!("{}是全局角色，不应指定组织", role.label()),
            ))
        }
        (false, None) => return Err(Error::invalid("授权组织", format!("授予{}须选择组织", role.label()))),
        _ => {}
    }
    let acc: Option<(String, String, bool)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT username, display_name, disabled FROM accounts WHERE id = $1"
    )
    .bind(account_id)
    .fetch_optional(c)
    .await?);
    let Some((username, display_name, disabled)) = acc else {
        return Err(Error::invalid("账号", "不存在"));
    };
    if disabled {
        return Err(Error::invalid("账号", "已停用，请先启用"));
    }
    let org_name = match org_id {
        None => None,
        Some(o) => {
            let n: Option<(String, Option<i64>)> = with_tx!(tx, |c| sqlx::query_as(
                "SELECT name, dissolved_at FROM orgs WHERE id = $1"
            )
            .bind(o)
            .fetch_optional(c)
            .await?);
            match n {
                Some((name, None)) => Some(name),
                Some((_, Some(_))) => return Err(Error::invalid("授权组织", "该组织已撤销")),
                None => return Err(Error::invalid("授权组织", "不存在")),
            }
        }
    };
    let held: Vec<String> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT role FROM role_grants WHERE account_id = $1"
    )
    .bind(account_id)
    .fetch_all(c)
    .await?);
    let held: Vec<Role> = held.iter().filter_map(|r| Role::from_code(r)).collect();
    if let Some(other) = held
        .iter()
        .find(|h| (h.is_separated_admin() || role.is_separated_admin()) && **h != role)
    {
        return Err(Error::Conflict(format!(
            "三权分立：该账号已持有“{}”，不能再授予“{}”",
            other.label(),
            role.label()
        )));
    }
    let id = ids::new_id();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO role_grants (id, account_id, role, org_id, created_at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(&id)
    .bind(account_id)
    .bind(role.code())
    .bind(org_id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    .map_err(|e| match crate::Error::from(e) {
        Error::Conflict(_) => Error::Conflict("该账号已在此组织持有该角色".into()),
        e => e,
    })?);
    let object = format!(
        "{display_name}（{username}）：{}{}",
        role.label(),
        org_name.map(|o| format!("（{o}）")).unwrap_or_default()
    );
    audit::append(tx, now, actor, &Event::new("grant.create", object, Outcome::Ok)).await?;
    Ok(id)
}

/// Revokes a business role. An admin kind is never revoked on the web, nor
/// anything of an account of another admin kind.
pub async fn revoke_grant(db: &Db, now: i64, actor: &Actor, by: &cap::Grants, grant_id: &str) -> Result<()> {
    let row: Option<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT account_id, role FROM role_grants WHERE id = $1"
    )
    .bind(grant_id)
    .fetch_optional(p)
    .await?);
    let Some((account_id, role)) = row else {
        return Err(Error::NotFound("授权记录不存在".into()));
    };
    if let Some(kind) = Role::from_code(&role).filter(|r| r.is_separated_admin()) {
        return refuse_kind(db, now, actor, &account_id, kind, "撤销").await;
    }
    if by.holder() == Some(account_id.as_str()) || actor.id.as_deref() == Some(account_id.as_str()) {
        return Err(Error::Conflict("不能撤销自己的角色".into()));
    }
    let target = get_account(db, &account_id).await?;
    check_target(db, now, actor, by.kind(), &target, "撤销角色于").await?;
    let (grant_id, actor) = (grant_id.to_string(), actor.clone());
    db.transaction(move |tx| {
        let (grant_id, actor, target, role) = (grant_id.clone(), actor.clone(), target.clone(), role.clone());
        Box::pin(async move {
            let n = with_tx!(tx, |c| sqlx::query("DELETE FROM role_grants WHERE id = $1")
                .bind(&grant_id)
                .execute(c)
                .await?
                .rows_affected());
            if n == 0 {
                return Err(Error::NotFound("授权记录不存在".into()));
            }
            let label = Role::from_code(&role).map(Role::label).unwrap_or("未知角色");
            let object = format!("{}（{}）：{label}", target.display_name, target.username);
            audit::append(tx, now, &actor, &Event::new("grant.revoke", object, Outcome::Ok)).await?;
            Ok(())
        })
    })
    .await
}

pub async fn list_grants(db: &Db, account_id: Option<&str>) -> Result<Vec<GrantRow>> {
    const SQL: &str =
        "SELECT g.id, g.account_id, a.username, a.display_name, g.role, g.org_id, o.name AS org_name, g.created_at \
         FROM role_grants g JOIN accounts a ON a.id = g.account_id LEFT JOIN orgs o ON o.id = g.org_id";
    Ok(match account_id {
        Some(id) => with_db!(db, |p| sqlx::query_as(&format!(
            "{SQL} WHERE g.account_id = $1 ORDER BY g.created_at"
        ))
        .bind(id)
        .fetch_all(p)
        .await?),
        None => with_db!(db, |p| sqlx::query_as(&format!(
            "{SQL} ORDER BY a.username, g.created_at"
        ))
        .fetch_all(p)
        .await?),
    })
}

pub(crate) async fn grants_for(db: &Db, account_id: &str) -> Result<Vec<GrantInfo>> {
    let rows: Vec<(String, Option<String>, Option<String>, Option<String>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT g.role, g.org_id, o.name, o.path FROM role_grants g LEFT JOIN orgs o ON o.id = g.org_id \
         WHERE g.account_id = $1 AND o.dissolved_at IS NULL ORDER BY g.created_at"
    )
    .bind(account_id)
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .filter_map(|(role, org_id, org_name, org_path)| {
            Role::from_code(&role).map(|role| GrantInfo {
                role,
                org_id,
                org_name,
                org_path,
            })
        })
        .collect())
}
