//! KPI tokens (指标接口令牌): a business system sends one organization's KPI
//! values with a token that can do nothing else.
use super::plan_org;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::text::{check, TextKind};
use crate::{ids, with_db, with_tx, Result};
use sha2::{Digest, Sha256};

/// Every KPI token starts with this, so the API tells it from a session token.
pub const PREFIX: &str = "tpk_";

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct KpiToken {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Issues a token for an organization's KPIs; the token is shown once.
pub async fn issue(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    name: &str,
) -> Result<(String, String)> {
    let org = plan_org(db, scope, org_id).await?;
    let name = check("令牌名称", name, 40, TextKind::Name)?;
    let token = format!("{PREFIX}{}", ids::random_token());
    let id = ids::new_id();
    let (h, by) = (hash(&token), actor.name.clone());
    let out = id.clone();
    db.transaction(move |tx| {
        let (id, org, name, h, by, actor) = (id.clone(), org.clone(), name.clone(), h.clone(), by.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO kpi_tokens (id, org_id, name, token_hash, created_by, created_at, last_used_at, revoked_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)"
            )
            .bind(&id)
            .bind(&org.id)
            .bind(&name)
            .bind(&h)
            .bind(&by)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("kpi.token.create", format!("{name}（{}）", org.name), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await?;
    Ok((out, token))
}

pub async fn list(db: &Db, scope: &Scope, org_id: &str) -> Result<Vec<KpiToken>> {
    let org = crate::org::get(db, scope, org_id).await?;
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT id, org_id, name, created_by, created_at, last_used_at, revoked_at FROM kpi_tokens WHERE org_id = $1 \
         ORDER BY created_at DESC"
    )
    .bind(&org.id)
    .fetch_all(p)
    .await?))
}

pub async fn revoke(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let row: Option<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT org_id, name FROM kpi_tokens WHERE id = $1"
    )
    .bind(id.trim())
    .fetch_optional(p)
    .await?);
    let Some((org_id, name)) = row else {
        return Err(crate::Error::NotFound("令牌不存在".into()));
    };
    let org = crate::org::get(db, scope, &org_id).await?;
    let id = id.trim().to_string();
    db.transaction(move |tx| {
        let (id, org, name, actor) = (id.clone(), org.clone(), name.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE kpi_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"
            )
            .bind(now)
            .bind(&id)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("kpi.token.revoke", format!("{name}（{}）", org.name), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// The organization and name of a live token.
pub async fn authenticate(db: &Db, now: i64, token: &str) -> Result<Option<(String, String)>> {
    let row: Option<(String, String, String, Option<i64>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, org_id, name, last_used_at FROM kpi_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
    )
    .bind(hash(token.trim()))
    .fetch_optional(p)
    .await?);
    let Some((id, org_id, name, used)) = row else {
        return Ok(None);
    };
    if used.is_none_or(|u| now - u > 60_000) {
        with_db!(db, |p| sqlx::query(
            "UPDATE kpi_tokens SET last_used_at = $1 WHERE id = $2"
        )
        .bind(now)
        .bind(&id)
        .execute(p)
        .await?
        .rows_affected());
    }
    Ok(Some((org_id, name)))
}
