//! 联系点 (结对指导): a leader of a superior organization paired with an
//! organization below it, for direct contact and guidance; the pairing's
//! visits are in `visits`. Only a superior's staff pair and end them.
use super::past_day;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::Where;
use crate::text::{check_optional, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

pub use super::visits::{finding_to_problem, log_visit, visits, NewVisit, Visit};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Contact {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub leader_id: String,
    pub leader_name: String,
    pub superior_org_id: String,
    pub superior_name: String,
    pub since: String,
    pub ended_on: Option<String>,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
}

pub(super) const SELECT: &str = "SELECT c.id, c.org_id, o.name AS org_name, o.path AS org_path, c.leader_id, \
     p.name AS leader_name, c.superior_org_id, s.name AS superior_name, c.since, c.ended_on, c.note, c.created_by, \
     c.created_at FROM standard_contacts c JOIN orgs o ON o.id = c.org_id JOIN orgs s ON s.id = c.superior_org_id \
     JOIN people p ON p.id = c.leader_id";

/// A pairing as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewContact {
    /// The organization contacted (联系点).
    pub org_id: String,
    /// The leader, on the superior organization's roster.
    pub leader_id: String,
    /// The organization the leader acts for; the contacted one's parent when empty.
    #[serde(default)]
    pub superior_org_id: String,
    /// YYYY-MM-DD; today when empty.
    #[serde(default)]
    pub since: String,
    #[serde(default)]
    pub note: String,
}

/// Pairs a leader with an organization below the caller's; answers its id.
pub async fn create_contact(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewContact) -> Result<String> {
    if new.org_id.trim().is_empty() {
        return Err(Error::invalid("联系点", "不能为空，请选择联系的党组织"));
    }
    let o = org::get(db, scope, new.org_id.trim()).await?;
    if o.dissolved_at.is_some() {
        return Err(Error::invalid("联系点", format!("{} 已撤销", o.name)));
    }
    if !scope.contains_below(&o.path) {
        return Err(Error::Forbidden(format!("{}的联系点由其上级党组织建立", o.name)));
    }
    let superior_id = match new.superior_org_id.trim() {
        "" => o.parent_id.clone().unwrap_or_default(),
        s => s.to_string(),
    };
    let superior = org::get(db, scope, &superior_id)
        .await
        .map_err(|_| Error::invalid("上级党组织", "不存在或不在您的管理范围内"))?;
    if !(o.path.len() > superior.path.len() && o.path.starts_with(&superior.path)) {
        return Err(Error::invalid(
            "上级党组织",
            format!("{}不是{}的上级党组织", superior.name, o.name),
        ));
    }
    let leader: Option<(String, String, Option<String>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT name, org_path, left_on FROM people WHERE id = $1"
    )
    .bind(new.leader_id.trim())
    .fetch_optional(p)
    .await?);
    let leader_name = match leader {
        Some((n, path, None)) if path.starts_with(&superior.path) => n,
        Some((n, _, _)) => {
            return Err(Error::invalid("联系领导", format!("{n}不在{}的名册中", superior.name)));
        }
        None => return Err(Error::invalid("联系领导", "不存在，请从名册中选择")),
    };
    let today = super::today(now);
    let since = match new.since.trim() {
        "" => today,
        s => past_day("联系开始日期", s, today)?,
    };
    let note = check_optional("联系事项", Some(&new.note), 500, TextKind::Free)?.unwrap_or_default();
    let leader_id = new.leader_id.trim().to_string();
    db.transaction(move |tx| {
        let (o, superior, leader_id, leader_name, note, actor) =
            (o.clone(), superior.clone(), leader_id.clone(), leader_name.clone(), note.clone(), actor.clone());
        Box::pin(async move {
            let open: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT COUNT(*) FROM standard_contacts WHERE org_id = $1 AND leader_id = $2 AND ended_on IS NULL"
            )
            .bind(&o.id)
            .bind(&leader_id)
            .fetch_one(c)
            .await?);
            if open > 0 {
                return Err(Error::Conflict(format!("{leader_name}已联系{}，无需重复建立", o.name)));
            }
            let id = ids::new_id();
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO standard_contacts (id, org_id, leader_id, superior_org_id, since, note, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            )
            .bind(&id)
            .bind(&o.id)
            .bind(&leader_id)
            .bind(&superior.id)
            .bind(since.to_string())
            .bind(&note)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("standard.contact.create", format!("{}：{leader_name}", o.name), Outcome::Ok)
                .detail(format!("{}领导联系，自 {since}", superior.name));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// A pairing of an organization in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Contact> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    let c: Option<Contact> = with_db!(db, |p| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(p).await?);
    match c {
        Some(c) if scope.contains_path(&c.org_path) => Ok(c),
        _ => Err(Error::NotFound("联系点不存在或不在您的管理范围内".into())),
    }
}

/// Ends a pairing today.
pub async fn end_contact(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let c = get(db, scope, id).await?;
    if !scope.contains_below(&c.org_path) {
        return Err(Error::Forbidden(format!("{}的联系点由其上级党组织调整", c.org_name)));
    }
    let today = super::today(now).to_string();
    db.transaction(move |tx| {
        let (c, today, actor) = (c.clone(), today.clone(), actor.clone());
        Box::pin(async move {
            let n = with_tx!(tx, |x| sqlx::query(
                "UPDATE standard_contacts SET ended_on = $1 WHERE id = $2 AND ended_on IS NULL"
            )
            .bind(&today)
            .bind(&c.id)
            .execute(x)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("该联系点已结束".into()));
            }
            let ev = Event::new(
                "standard.contact.end",
                format!("{}：{}", c.org_name, c.leader_name),
                Outcome::Ok,
            );
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// The pairings of the organizations under `org_id` in the scope (current ones only when asked).
pub async fn contacts(db: &Db, scope: &Scope, org_id: &str, current_only: bool) -> Result<Vec<Contact>> {
    let o = org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    w.prefix("o.path", &o.path);
    scope.restrict(&mut w, "o.path");
    if current_only {
        w.push_raw("c.ended_on IS NULL".into());
    }
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY o.path, c.since LIMIT 2000");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}
