//! 书记培训: training a secretary (or another officer) took — course,
//! organizer, dates, class hours as recorded (never time measured in the
//! app) — and, for a superior, each current secretary's hours in a year
//! from one aggregate query.
use super::past_day;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::text::{check, check_optional, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Training {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub org_id: String,
    pub org_name: String,
    pub title: String,
    pub organizer: String,
    pub started_on: String,
    pub ended_on: String,
    /// Tenths of a class hour.
    pub hours: i64,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewTraining {
    pub person_id: String,
    /// The organization the person serves (its roster holds them).
    pub org_id: String,
    pub title: String,
    #[serde(default)]
    pub organizer: String,
    pub started_on: String,
    /// The start day when empty.
    #[serde(default)]
    pub ended_on: String,
    /// Class hours as typed, "24" or "1.5".
    #[serde(deserialize_with = "crate::plan::text_or_number")]
    pub hours: String,
}

/// Records a training; answers its id.
pub async fn record(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewTraining) -> Result<String> {
    if new.org_id.trim().is_empty() {
        return Err(Error::invalid("组织", "不能为空，请选择组织"));
    }
    let o = org::get(db, scope, new.org_id.trim()).await?;
    let who: Option<(String, String, Option<String>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT name, org_path, left_on FROM people WHERE id = $1"
    )
    .bind(new.person_id.trim())
    .fetch_optional(p)
    .await?);
    let name = match who {
        Some((n, path, None)) if path.starts_with(&o.path) => n,
        Some((n, _, _)) => return Err(Error::invalid("参训人员", format!("{n}不在{}的名册中", o.name))),
        None => return Err(Error::invalid("参训人员", "不存在，请从名册中选择")),
    };
    let title = check("培训名称", &new.title, 100, TextKind::Free)?;
    let organizer = check_optional("主办单位", Some(&new.organizer), 50, TextKind::Free)?.unwrap_or_default();
    let today = super::today(now);
    let start = past_day("开始日期", &new.started_on, today)?;
    let end = match new.ended_on.trim() {
        "" => start,
        s => past_day("结束日期", s, today)?,
    };
    if end < start {
        return Err(Error::invalid("结束日期", format!("{end} 早于开始日期 {start}")));
    }
    let hours = crate::study::parse_hours("培训学时", &new.hours)?;
    let pid = new.person_id.trim().to_string();
    db.transaction(move |tx| {
        let (o, pid, name, title, organizer, actor) = (
            o.clone(),
            pid.clone(),
            name.clone(),
            title.clone(),
            organizer.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            let id = ids::new_id();
            with_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO standard_trainings (id, person_id, org_id, title, organizer, started_on, ended_on, hours, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            )
            .bind(&id)
            .bind(&pid)
            .bind(&o.id)
            .bind(&title)
            .bind(&organizer)
            .bind(start.to_string())
            .bind(end.to_string())
            .bind(hours)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected()
            });
            let ev = Event::new("standard.training", format!("{name}（{}）", o.name), Outcome::Ok).detail(format!(
                "{title}，{start} 至 {end}，{} 学时",
                crate::study::hours_text(hours)
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// Trainings recorded for the organizations under `org_id` in a year.
pub async fn list(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<Training>> {
    let o = org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    w.prefix("o.path", &o.path);
    scope.restrict(&mut w, "o.path");
    w.push("t.started_on >= {}", Param::S(format!("{year:04}-01-01")));
    w.push("t.started_on <= {}", Param::S(format!("{year:04}-12-31")));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT t.id, t.person_id, p.name AS person_name, t.org_id, o.name AS org_name, t.title, t.organizer, \
         t.started_on, t.ended_on, t.hours, t.created_by, t.created_at FROM standard_trainings t \
         JOIN people p ON p.id = t.person_id JOIN orgs o ON o.id = t.org_id {cond} \
         ORDER BY o.path, t.started_on LIMIT 5000"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// A current secretary and the training they took in the year.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct SecretaryHours {
    pub org_id: String,
    pub org_name: String,
    pub person_id: String,
    pub person_name: String,
    pub sessions: i64,
    /// Tenths of a class hour.
    pub hours: i64,
}

/// Every current secretary under `org_id` with their training in the year
/// (none recorded shows 0): one GROUP BY.
pub async fn secretaries(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<SecretaryHours>> {
    let o = org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    let from = w.param(Param::S(format!("{year:04}-01-01")));
    let to = w.param(Param::S(format!("{year:04}-12-31")));
    w.prefix("o.path", &o.path);
    scope.restrict(&mut w, "o.path");
    w.push_raw("f.post = 'secretary' AND p.left_on IS NULL AND o.dissolved_at IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT f.org_id, o.name AS org_name, f.person_id, p.name AS person_name, COUNT(t.id) AS sessions, \
         CAST(COALESCE(SUM(t.hours), 0) AS BIGINT) AS hours FROM org_officers f JOIN orgs o ON o.id = f.org_id \
         JOIN people p ON p.id = f.person_id LEFT JOIN standard_trainings t ON t.person_id = f.person_id \
         AND t.started_on >= {from} AND t.started_on <= {to} {cond} \
         GROUP BY f.org_id, o.name, o.path, f.person_id, p.name ORDER BY o.path LIMIT 50000"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}
