use super::{Org, OrgKind, Scope};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};

pub struct NewOrg {
    pub name: String,
    pub kind: String,
    pub parent_id: Option<String>,
    /// `YYYY-MM-DD`; today (Beijing time) when absent.
    pub founded_on: Option<String>,
}

/// Organizations in the scope, in tree order (a parent before its children).
pub async fn list(db: &Db, scope: &Scope) -> Result<Vec<Org>> {
    let mut w = Where::default();
    scope.restrict(&mut w, "path");
    let (cond, _) = w.sql();
    let sql = format!("SELECT * FROM orgs {cond} ORDER BY path");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as::<_, Org>(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// The organizations at the top of the scope (the whole tree's top ones for
/// an unrestricted scope), not dissolved: what a caller acts for as a whole.
pub async fn scope_roots(db: &Db, scope: &Scope) -> Result<Vec<Org>> {
    let mut w = Where::default();
    w.push_raw("dissolved_at IS NULL".into());
    match scope.roots() {
        None => w.push_raw("parent_id IS NULL".into()),
        Some([]) => w.push_raw("1 = 0".into()),
        Some(roots) => {
            let list = w.in_list(roots);
            w.push_raw(format!("path IN ({list})"));
        }
    }
    let (cond, _) = w.sql();
    let sql = format!("SELECT * FROM orgs {cond} ORDER BY path");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as::<_, Org>(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// One organization, if it lies in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Org> {
    let org: Option<Org> = with_db!(db, |p| sqlx::query_as("SELECT * FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await?);
    match org {
        Some(o) if scope.contains_path(&o.path) => Ok(o),
        _ => Err(Error::NotFound("组织不存在或不在您的管理范围内".into())),
    }
}

pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewOrg) -> Result<String> {
    let name = check("组织名称", &new.name, 50, TextKind::Name)?;
    let kind = OrgKind::from_code(new.kind.trim()).ok_or_else(|| {
        Error::invalid(
            "组织类型",
            "应为 committee（党委）、general_branch（党总支）、branch（党支部）或 group（党小组）",
        )
    })?;
    let founded_on = match new.founded_on.as_deref().map(str::trim) {
        None | Some("") => crate::clock::beijing(now).format("%Y-%m-%d").to_string(),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| Error::invalid("成立日期", "格式应为 2026-11-28"))?
            .format("%Y-%m-%d")
            .to_string(),
    };
    let parent = match new.parent_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            if !scope.is_all() {
                return Err(Error::Forbidden("只有系统管理员可以创建顶级组织".into()));
            }
            None
        }
        Some(pid) => Some(
            get(db, scope, pid)
                .await
                .map_err(|_| Error::invalid("上级组织", "不存在或不在您的管理范围内"))?,
        ),
    };
    let parent_kind = parent.as_ref().and_then(|p| OrgKind::from_code(&p.kind));
    if !kind.may_sit_under(parent_kind) {
        return Err(Error::invalid(
            "组织类型",
            format!(
                "{}不能设在{}之下",
                kind.label(),
                parent_kind.map(OrgKind::label).unwrap_or("顶层")
            ),
        ));
    }
    let id = ids::new_id();
    let path = format!("{}{id}/", parent.as_ref().map(|p| p.path.as_str()).unwrap_or("/"));
    let parent_id = parent.map(|p| p.id);
    let actor = actor.clone();
    let out = id.clone();
    db.transaction(move |tx| {
        let (id, path, name, parent_id, founded_on, actor) =
            (id.clone(), path.clone(), name.clone(), parent_id.clone(), founded_on.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO orgs (id, parent_id, name, kind, path, founded_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(&id)
            .bind(&parent_id)
            .bind(&name)
            .bind(kind.code())
            .bind(&path)
            .bind(&founded_on)
            .bind(now)
            .execute(c)
            .await?.rows_affected());
            audit::append(tx, now, &actor, &Event::new("org.create", format!("{name}（{id}）"), Outcome::Ok)).await?;
            Ok(())
        })
    })
    .await?;
    Ok(out)
}

pub async fn rename(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, name: &str) -> Result<()> {
    let name = check("组织名称", name, 50, TextKind::Name)?;
    let org = get(db, scope, id).await?;
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (org, name, actor) = (org.clone(), name.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query("UPDATE orgs SET name = $1 WHERE id = $2")
                .bind(&name)
                .bind(&org.id)
                .execute(c)
                .await?
                .rows_affected());
            let ev = Event::new("org.rename", org.id.clone(), Outcome::Ok).detail(format!("{} → {name}", org.name));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Any organization by id, wherever it sits: for the one action that crosses
/// scopes by design, a membership transfer (转接) to anywhere in the system.
/// Organizations' names and places are the system's directory; what is
/// recorded about them is read only through a scope.
pub(crate) async fn anywhere(db: &Db, id: &str) -> Result<Org> {
    let org: Option<Org> = with_db!(db, |p| sqlx::query_as("SELECT * FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await?);
    org.ok_or_else(|| Error::NotFound("组织不存在".into()))
}

/// One organization's full name path from the top ("机关党委/办公室党总支/
/// 综合处党支部"), read from its ancestors only; None when it does not exist.
pub async fn name_path_of(db: &Db, id: &str) -> Result<Option<String>> {
    let Ok(org) = anywhere(db, id).await else {
        return Ok(None);
    };
    Ok(name_paths_of(db, &[org]).await?.pop())
}

/// Each organization in the scope (not dissolved) with its full name path
/// from the top, e.g. "机关党委/第一党总支/综合处党支部".
pub async fn name_paths(db: &Db, scope: &Scope) -> Result<Vec<(Org, String)>> {
    with_name_paths(db, |o| scope.contains_path(&o.path)).await
}

async fn with_name_paths(db: &Db, keep: impl Fn(&Org) -> bool) -> Result<Vec<(Org, String)>> {
    let all: Vec<Org> = with_db!(db, |p| sqlx::query_as("SELECT * FROM orgs ORDER BY path")
        .fetch_all(p)
        .await?);
    let names: std::collections::HashMap<&str, &str> = all.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect();
    Ok(all
        .iter()
        .filter(|o| keep(o) && o.dissolved_at.is_none())
        .map(|o| {
            let full: Vec<&str> = o
                .path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|id| names.get(id).copied().unwrap_or("?"))
                .collect();
            (o.clone(), full.join("/"))
        })
        .collect())
}

/// The kinds of organization that are units of work: all but the 党小组.
pub const UNITS: &[&str] = &["committee", "general_branch", "branch"];
/// The leading kinds: 党委 and 党总支.
pub const LEADING: &[&str] = &["committee", "general_branch"];

/// What a chooser narrows its suggestions to besides the scope: some kinds
/// of organization (any when empty), those strictly below one organization's
/// path, those the scope's power was granted on itself (`Scope::holds_at`).
#[derive(Default, Clone, Copy)]
pub struct Narrow<'a> {
    pub kinds: &'a [&'a str],
    pub below: Option<&'a str>,
    pub held: bool,
}

/// Organizations in the scope whose name contains `q` (all of them for an
/// empty `q`), not dissolved, narrowed by `n`, in tree order, at most
/// `limit`, each with its name path: the organization choosers' type-ahead.
/// Reads the matches and their ancestors' names, never the whole table.
pub async fn pick(db: &Db, scope: &Scope, q: &str, n: Narrow<'_>, limit: i64) -> Result<Vec<(Org, String)>> {
    let q = crate::people::normalize(q);
    let mut w = Where::default();
    w.push_raw("dissolved_at IS NULL".into());
    scope.restrict(&mut w, "path");
    if !q.is_empty() {
        let a = w.param(Param::S(crate::sql::like_contains(&q)));
        w.push_raw(format!("name LIKE {a} ESCAPE '\\'"));
    }
    if !n.kinds.is_empty() {
        let kinds: Vec<String> = n.kinds.iter().map(|k| k.to_string()).collect();
        let list = w.in_list(&kinds);
        w.push_raw(format!("kind IN ({list})"));
    }
    if let Some(top) = n.below {
        let c = w.prefix_cond("path", top);
        let a = w.param(Param::S(top.to_string()));
        w.push_raw(format!("{c} AND path <> {a}"));
    }
    if let (true, Some(granted)) = (n.held, scope.granted()) {
        let list = w.in_list(granted);
        w.push_raw(if granted.is_empty() {
            "1 = 0".into()
        } else {
            format!("path IN ({list})")
        });
    }
    let (cond, _) = w.sql();
    let lim = w.param(Param::I(limit.clamp(1, 50)));
    let sql = format!("SELECT * FROM orgs {cond} ORDER BY path LIMIT {lim}");
    let found: Vec<Org> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let paths = name_paths_of(db, &found).await?;
    Ok(found.into_iter().zip(paths).collect())
}

/// The name paths ("机关党委/第一党总支/第一党支部") of a few organizations,
/// from one query for their ancestors' names.
pub async fn name_paths_of(db: &Db, orgs: &[Org]) -> Result<Vec<String>> {
    let ids: Vec<String> = orgs
        .iter()
        .flat_map(|o| o.path.split('/').filter(|s| !s.is_empty()).map(str::to_string))
        .collect();
    let names = names_of(db, &ids).await?;
    Ok(orgs
        .iter()
        .map(|o| {
            o.path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|id| names.get(id).map_or("?", String::as_str))
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect())
}

/// The names of the organizations `ids` (duplicates allowed), id → name,
/// for labelling rows that carry an organization id. Names are not scoped
/// data: callers pass ids of rows they already read in scope.
pub async fn names_of(db: &Db, ids: &[String]) -> Result<std::collections::HashMap<String, String>> {
    Ok(by_ids(db, ids).await?.into_iter().map(|(id, o)| (id, o.name)).collect())
}

/// The organizations `ids` (duplicates allowed), by id: for rows already
/// read in scope that name organizations on their paths.
pub async fn by_ids(db: &Db, ids: &[String]) -> Result<std::collections::HashMap<String, Org>> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let mut w = Where::default();
        let list = w.in_list(chunk);
        let sql = format!("SELECT * FROM orgs WHERE id IN ({list})");
        let rows: Vec<Org> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows.into_iter().map(|o| (o.id.clone(), o)));
    }
    Ok(out)
}

/// (organizations, branches) in the scope that are not dissolved, counted
/// by the database (the work bench shows them on every visit).
pub async fn counts(db: &Db, scope: &Scope) -> Result<(i64, i64)> {
    let mut w = Where::default();
    scope.restrict(&mut w, "path");
    w.push_raw("dissolved_at IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT COUNT(*), COUNT(CASE WHEN kind = 'branch' THEN 1 END) FROM orgs {cond}");
    Ok(with_db!(db, |p| bind_all!(
        sqlx::query_as::<_, (i64, i64)>(&sql),
        w.params()
    )
    .fetch_one(p)
    .await?))
}
