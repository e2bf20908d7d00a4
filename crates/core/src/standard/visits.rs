//! A contact point's visits (走访记录): when, what was done, what was found;
//! a finding becomes a problem on the organization's list (source: visit).
use super::catalog;
use super::contacts::get as contact;
use super::model::Source;
use super::problems::{self, must_be_open, Found};
use super::rounds::check_found;
use super::{history, past_day, subject};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::text::{check, check_optional, TextKind};
use crate::{ids, with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Visit {
    pub id: String,
    pub contact_id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub leader_name: String,
    pub visited_on: String,
    pub summary: String,
    pub findings: String,
    pub created_by: String,
    pub created_at: i64,
}

const SELECT: &str = "SELECT v.id, v.contact_id, c.org_id, o.name AS org_name, o.path AS org_path, \
     p.name AS leader_name, v.visited_on, v.summary, v.findings, v.created_by, v.created_at FROM standard_visits v \
     JOIN standard_contacts c ON c.id = v.contact_id JOIN orgs o ON o.id = c.org_id JOIN people p ON p.id = c.leader_id";

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewVisit {
    /// YYYY-MM-DD, within the pairing and not after today.
    pub visited_on: String,
    pub summary: String,
    #[serde(default)]
    pub findings: String,
}

/// Logs a visit of a pairing; answers its id.
pub async fn log_visit(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    contact_id: &str,
    new: NewVisit,
) -> Result<String> {
    let c = contact(db, scope, contact_id).await?;
    if !scope.contains_below(&c.org_path) {
        return Err(Error::Forbidden(format!("{}的走访由联系的上级党组织登记", c.org_name)));
    }
    let day = past_day("走访日期", &new.visited_on, super::today(now))?.to_string();
    if day < c.since || c.ended_on.as_ref().is_some_and(|e| day > *e) {
        return Err(Error::invalid(
            "走访日期",
            format!(
                "{day} 不在联系期间（自 {}{}）",
                c.since,
                c.ended_on.as_ref().map(|e| format!("至 {e}")).unwrap_or_default()
            ),
        ));
    }
    let summary = check("走访情况", &new.summary, 1000, TextKind::Free)?;
    let findings = check_optional("发现问题", Some(&new.findings), 2000, TextKind::Free)?.unwrap_or_default();
    db.transaction(move |tx| {
        let (c, day, summary, findings, actor) =
            (c.clone(), day.clone(), summary.clone(), findings.clone(), actor.clone());
        Box::pin(async move {
            let id = ids::new_id();
            with_tx!(tx, |x| sqlx::query(
                "INSERT INTO standard_visits (id, contact_id, visited_on, summary, findings, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(&id)
            .bind(&c.id)
            .bind(&day)
            .bind(&summary)
            .bind(&findings)
            .bind(&actor.name)
            .bind(now)
            .execute(x)
            .await?
            .rows_affected());
            let ev = Event::new(
                "standard.visit",
                format!("{}：{}", c.org_name, c.leader_name),
                Outcome::Ok,
            )
            .detail(format!(
                "{day} 走访{}",
                if findings.is_empty() { "" } else { "，发现问题" }
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// A pairing's visits, newest first.
pub async fn visits(db: &Db, scope: &Scope, contact_id: &str) -> Result<Vec<Visit>> {
    let c = contact(db, scope, contact_id).await?;
    let sql = format!("{SELECT} WHERE v.contact_id = $1 ORDER BY v.visited_on DESC, v.id DESC");
    Ok(with_db!(db, |p| sqlx::query_as(&sql).bind(&c.id).fetch_all(p).await?))
}

async fn visit(db: &Db, scope: &Scope, id: &str) -> Result<Visit> {
    let sql = format!("{SELECT} WHERE v.id = $1");
    let v: Option<Visit> = with_db!(db, |p| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(p).await?);
    match v {
        Some(v) if scope.contains_path(&v.org_path) => Ok(v),
        _ => Err(Error::NotFound("走访记录不存在或不在您的管理范围内".into())),
    }
}

/// Lists a visit's finding as a problem of the visited organization on a
/// standard in force for it; answers the problem's id.
pub async fn finding_to_problem(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    visit_id: &str,
    standard_id: &str,
    found: Found,
) -> Result<String> {
    let v = visit(db, scope, visit_id).await?;
    if !scope.contains_below(&v.org_path) {
        return Err(Error::Forbidden(format!(
            "{}的走访发现由上级党组织列入问题清单",
            v.org_name
        )));
    }
    let standard = catalog::get(db, scope, standard_id).await?;
    let org = subject(db, scope, &standard, &v.org_id).await?;
    let mut checked = check_found(db, &standard, &org, std::slice::from_ref(&found), now).await?;
    let Some((code, valid)) = checked.pop() else {
        return Err(Error::invalid("问题清单", "请填写发现的问题"));
    };
    db.transaction(move |tx| {
        let (v, standard, org, code, valid, actor) = (
            v.clone(),
            standard.clone(),
            org.clone(),
            code.clone(),
            valid.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            let (stage, round) = history::lock(tx, now, &standard.id, &org.id).await?;
            must_be_open(stage)?;
            let id = problems::insert(
                tx,
                now,
                &standard.id,
                &org.id,
                &code,
                round,
                Source::Visit,
                Some(&v.id),
                &valid,
                &actor.name,
            )
            .await?;
            let ev = Event::new(
                "standard.visit.problem",
                format!("{}：{} {code}", org.name, standard.display()),
                Outcome::Ok,
            )
            .detail(format!("{} 走访发现：{}", v.visited_on, valid.cause));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}
