//! Business units (业务单元: 处室、部门、学院、教研室、项目组、基层队): a tree of
//! their own. An organization attaches to one or more of them, which is where
//! Party data and business data meet (支部建在项目组上).
use super::{get, Scope};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::text::{check, TextKind};
use crate::{ids, with_db, with_tx, Error, Result};
use serde::Serialize;

pub const UNIT_KINDS: [&str; 7] = ["处室", "部门", "学院", "教研室", "科研项目组", "项目组", "基层队"];

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Unit {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub kind: String,
    #[serde(skip)]
    pub path: String,
    pub created_at: i64,
}

impl Unit {
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

/// All units in tree order.
pub async fn list_units(db: &Db) -> Result<Vec<Unit>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT * FROM business_units ORDER BY path"
    )
    .fetch_all(p)
    .await?))
}

/// Creating units belongs to those who manage organizations.
pub async fn create_unit(
    db: &Db,
    now: i64,
    actor: &Actor,
    name: &str,
    kind: &str,
    parent: Option<&str>,
) -> Result<String> {
    let name = check("单元名称", name, 50, TextKind::Name)?;
    let kind = kind.trim();
    if !UNIT_KINDS.contains(&kind) {
        return Err(Error::invalid("单元类型", format!("应为 {}", UNIT_KINDS.join("、"))));
    }
    let parent: Option<Unit> = match parent.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(pid) => Some(
            with_db!(db, |p| sqlx::query_as("SELECT * FROM business_units WHERE id = $1")
                .bind(pid)
                .fetch_optional(p)
                .await?)
            .ok_or_else(|| Error::invalid("上级单元", "不存在"))?,
        ),
    };
    let id = ids::new_id();
    let path = format!("{}{id}/", parent.as_ref().map(|p| p.path.as_str()).unwrap_or("/"));
    let (actor, kind, out) = (actor.clone(), kind.to_string(), id.clone());
    db.transaction(move |tx| {
        let (id, path, name, kind, parent_id, actor) =
            (id.clone(), path.clone(), name.clone(), kind.clone(), parent.as_ref().map(|p| p.id.clone()), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO business_units (id, parent_id, name, kind, path, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(&id)
            .bind(&parent_id)
            .bind(&name)
            .bind(&kind)
            .bind(&path)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            audit::append(tx, now, &actor, &Event::new("unit.create", format!("{name}（{kind}）"), Outcome::Ok)).await?;
            Ok(())
        })
    })
    .await?;
    Ok(out)
}

/// The units an organization is attached to.
pub async fn units_of(db: &Db, org_id: &str) -> Result<Vec<Unit>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT u.* FROM business_units u JOIN org_units ou ON ou.unit_id = u.id WHERE ou.org_id = $1 ORDER BY u.path"
    )
    .bind(org_id)
    .fetch_all(p)
    .await?))
}

/// (unit id, organization name) for every attachment: the units page lists them.
pub async fn attachments(db: &Db) -> Result<Vec<(String, String, String)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT ou.unit_id, o.id, o.name FROM org_units ou JOIN orgs o ON o.id = ou.org_id WHERE o.dissolved_at IS NULL ORDER BY o.path"
    )
    .fetch_all(p)
    .await?
    }))
}

pub async fn attach(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    unit_id: &str,
    on: bool,
) -> Result<()> {
    let org = get(db, scope, org_id).await?;
    let unit: Unit = with_db!(db, |p| sqlx::query_as("SELECT * FROM business_units WHERE id = $1")
        .bind(unit_id)
        .fetch_optional(p)
        .await?)
    .ok_or_else(|| Error::invalid("业务单元", "不存在，请选择"))?;
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (org, unit, actor) = (org.clone(), unit.clone(), actor.clone());
        Box::pin(async move {
            let n = with_tx!(tx, |c| {
                let q = if on {
                    "INSERT INTO org_units (org_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM org_units WHERE org_id = $1 AND unit_id = $2"
                };
                sqlx::query(q)
                    .bind(&org.id)
                    .bind(&unit.id)
                    .execute(c)
                    .await?
                    .rows_affected()
            });
            if n > 0 {
                let action = if on { "unit.attach" } else { "unit.detach" };
                audit::append(
                    tx,
                    now,
                    &actor,
                    &Event::new(action, format!("{} ↔ {}", org.name, unit.name), Outcome::Ok),
                )
                .await?;
            }
            Ok(())
        })
    })
    .await
}
