//! Business units (业务单元: 处室、部门、学院、教研室、项目组、基层队): a tree of
//! their own. An organization attaches to one or more of them, which is where
//! Party data and business data meet (支部建在项目组上).
use super::{get, Scope};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
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
    /// The organization whose admins created it; None for the whole system's.
    pub owner_org_id: Option<String>,
}

impl Unit {
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

/// "The unit is visible in `scope`": the whole system's units, and those
/// owned by an organization in the scope or above one of its roots (a
/// branch attaches to its committee's 学院). `u` is business_units, `o` the
/// owner joined on the left.
fn visible(scope: &Scope, w: &mut Where) {
    let Some(roots) = scope.roots() else { return };
    let above: Vec<String> = roots
        .iter()
        .flat_map(|r| r.split('/').filter(|s| !s.is_empty()).map(String::from))
        .collect();
    let mut ors = vec!["u.owner_org_id IS NULL".to_string()];
    if !above.is_empty() {
        ors.push(format!("u.owner_org_id IN ({})", w.in_list(&above)));
    }
    ors.extend(roots.iter().map(|r| w.prefix_cond("o.path", r)));
    w.push_raw(format!("({})", ors.join(" OR ")));
}

const UNITS: &str = "SELECT u.* FROM business_units u LEFT JOIN orgs o ON o.id = u.owner_org_id";

/// The units visible in `scope`, in tree order.
pub async fn list_units(db: &Db, scope: &Scope) -> Result<Vec<Unit>> {
    let mut w = Where::default();
    visible(scope, &mut w);
    let (cond, _) = w.sql();
    let sql = format!("{UNITS} {cond} ORDER BY u.path");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// One unit visible in `scope`; `field` names the form field that chose it.
async fn visible_unit(db: &Db, scope: &Scope, id: &str, field: &str) -> Result<Unit> {
    let mut w = Where::default();
    w.push("u.id = {}", Param::S(id.trim().to_string()));
    visible(scope, &mut w);
    let (cond, _) = w.sql();
    let sql = format!("{UNITS} {cond}");
    let unit: Option<Unit> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_optional(p)
        .await?);
    unit.ok_or_else(|| Error::invalid(field, "不存在或不在您的管理范围内，请从列表中选择"))
}

/// A new unit and where it belongs.
#[derive(Clone, Debug, Default)]
pub struct NewUnit {
    pub name: String,
    pub kind: String,
    pub parent_id: Option<String>,
    /// The owning organization; empty makes a system unit, which only an
    /// admin of the whole tree may create.
    pub owner_org_id: Option<String>,
}

/// Creating units belongs to those who manage organizations, within their scope.
pub async fn create_unit(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewUnit) -> Result<String> {
    let name = check("单元名称", &new.name, 50, TextKind::Name)?;
    let kind = new.kind.trim();
    if !UNIT_KINDS.contains(&kind) {
        return Err(Error::invalid("单元类型", format!("应为 {}", UNIT_KINDS.join("、"))));
    }
    let owner = match new.owner_org_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => Some(
            get(db, scope, id)
                .await
                .map_err(|_| Error::invalid("所属组织", "不存在或不在您的管理范围内，请从列表中选择"))?,
        ),
        None if scope.is_all() => None,
        None => {
            return Err(Error::invalid(
                "所属组织",
                "请选择本单元所属的党组织；全系统共用的业务单元由全系统的组织管理员新增",
            ))
        }
    };
    let parent = match new.parent_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(pid) => Some(visible_unit(db, scope, pid, "上级单元").await?),
    };
    let id = ids::new_id();
    let path = format!("{}{id}/", parent.as_ref().map(|p| p.path.as_str()).unwrap_or("/"));
    let (actor, kind, out) = (actor.clone(), kind.to_string(), id.clone());
    let owner_id = owner.as_ref().map(|o| o.id.clone());
    let whose = owner.map(|o| o.name).unwrap_or_else(|| "全系统".into());
    db.transaction(move |tx| {
        let (id, path, name, kind, parent_id, actor, owner_id) = (
            id.clone(),
            path.clone(),
            name.clone(),
            kind.clone(),
            parent.as_ref().map(|p| p.id.clone()),
            actor.clone(),
            owner_id.clone(),
        );
        let what = format!("{name}（{kind}，{whose}）");
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO business_units (id, parent_id, name, kind, path, created_at, owner_org_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(&id)
            .bind(&parent_id)
            .bind(&name)
            .bind(&kind)
            .bind(&path)
            .bind(now)
            .bind(&owner_id)
            .execute(c)
            .await?
            .rows_affected());
            audit::append(tx, now, &actor, &Event::new("unit.create", what, Outcome::Ok)).await?;
            Ok(())
        })
    })
    .await?;
    Ok(out)
}

/// The units an organization in the scope is attached to; one outside it
/// answers as missing.
pub async fn units_of(db: &Db, scope: &Scope, org_id: &str) -> Result<Vec<Unit>> {
    let org = get(db, scope, org_id).await?;
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT u.* FROM business_units u JOIN org_units ou ON ou.unit_id = u.id WHERE ou.org_id = $1 ORDER BY u.path"
    )
    .bind(&org.id)
    .fetch_all(p)
    .await?))
}

/// (unit id, organization id, organization name) for every attachment of an
/// organization in `scope`: the units page lists them.
pub async fn attachments(db: &Db, scope: &Scope) -> Result<Vec<(String, String, String)>> {
    let mut w = Where::default();
    w.push_raw("o.dissolved_at IS NULL".into());
    scope.restrict(&mut w, "o.path");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT ou.unit_id, o.id, o.name FROM org_units ou JOIN orgs o ON o.id = ou.org_id {cond} ORDER BY o.path"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
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
    let unit = visible_unit(db, scope, unit_id, "业务单元").await?;
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
