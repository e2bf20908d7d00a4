//! 问题清单: each unmet item may become a problem with its cause, measure,
//! owner (someone on the organization's roster) and deadline (not before
//! today). The organization reports it rectified with evidence; only the
//! direct superior closes it (销号) or sends the report back with the reason.
use super::catalog;
use super::checks::self_check;
use super::model::{ProblemStatus, Source};
use super::rules::{problem_transition, ProblemAction};
use super::{history, subject, PROBLEM_FILES};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::{with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

pub(super) use super::problem_fields::{insert, must_be_open, validate, Valid};
pub use super::problem_fields::{Fields, Found};
pub use super::problem_flow::{report, verify};
pub use super::problem_list::{list, resubmit_list, return_list, ProblemQuery};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Problem {
    pub id: String,
    pub standard_id: String,
    pub standard_title: String,
    pub year: i64,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub item_code: String,
    pub item_title: String,
    pub round: i64,
    /// self_check, acceptance, visit or warning.
    pub source: String,
    pub source_id: Option<String>,
    pub cause: String,
    pub measure: String,
    pub owner_id: String,
    pub owner_name: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    /// open, reported or closed.
    pub status: String,
    pub report_note: String,
    pub reported_by: Option<String>,
    pub reported_at: Option<i64>,
    pub verify_comment: String,
    pub verified_by: Option<String>,
    pub verified_at: Option<i64>,
    /// Reports sent back.
    pub reopened: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Open past its deadline (set on read).
    #[sqlx(skip)]
    pub overdue: bool,
}

impl Problem {
    pub fn status(&self) -> ProblemStatus {
        ProblemStatus::parse(&self.status).unwrap_or(ProblemStatus::Open)
    }
    pub(super) fn judged(mut self, today: &str) -> Problem {
        self.overdue = self.status == "open" && self.deadline.as_str() < today;
        self
    }
}

pub(super) const SELECT: &str = "SELECT p.id, p.standard_id, s.title AS standard_title, s.year, p.org_id, \
     o.name AS org_name, o.path AS org_path, p.item_code, i.title AS item_title, p.round, p.source, p.source_id, \
     p.cause, p.measure, p.owner_id, pe.name AS owner_name, p.deadline, p.status, p.report_note, p.reported_by, \
     p.reported_at, p.verify_comment, p.verified_by, p.verified_at, p.reopened, p.created_by, p.created_at, \
     p.updated_at FROM standard_problems p JOIN standards s ON s.id = p.standard_id JOIN orgs o ON o.id = p.org_id \
     JOIN standard_items i ON i.standard_id = p.standard_id AND i.code = p.item_code JOIN people pe ON pe.id = p.owner_id";

/// A problem as the organization lists it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewProblem {
    pub org_id: String,
    pub standard_id: String,
    pub item_code: String,
    #[serde(flatten)]
    pub fields: Fields,
}

/// Lists an unmet item of the organization's self-check as a problem; answers its id.
pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewProblem) -> Result<String> {
    let standard = catalog::get(db, scope, &new.standard_id).await?;
    let org = subject(db, scope, &standard, &new.org_id).await?;
    let sc = self_check(db, scope, &org.id, &standard.id, now).await?;
    let item = sc
        .items
        .iter()
        .find(|i| i.item.code == new.item_code.trim())
        .ok_or_else(|| {
            Error::invalid(
                "项目编号",
                format!("“{}”不在“{}”中", new.item_code.trim(), standard.display()),
            )
        })?;
    if item.met == Some(true) {
        return Err(Error::invalid(
            "项目编号",
            format!(
                "“{}”自查为达标，无需列入问题清单；如实际未达标，请先修改自查结果",
                item.item.title
            ),
        ));
    }
    let v = validate(db, &org, &new.fields, super::today(now), None).await?;
    let code = item.item.code.clone();
    db.transaction(move |tx| {
        let (standard, org, v, code, actor) = (standard.clone(), org.clone(), v.clone(), code.clone(), actor.clone());
        Box::pin(async move {
            let (stage, round) = history::lock(tx, now, &standard.id, &org.id).await?;
            must_be_open(stage)?;
            let id = insert(
                tx,
                now,
                &standard.id,
                &org.id,
                &code,
                round,
                Source::SelfCheck,
                None,
                &v,
                &actor.name,
            )
            .await?;
            let ev = Event::new(
                "standard.problem.create",
                format!("{}：{} {code}", org.name, standard.display()),
                Outcome::Ok,
            )
            .detail(format!(
                "{}；整改措施：{}；责任人 {}；时限 {}",
                v.cause, v.measure, v.owner_name, v.deadline
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// A problem of an organization in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Problem> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    let p: Option<Problem> = with_db!(db, |c| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(c).await?);
    match p {
        Some(p) if scope.contains_path(&p.org_path) => Ok(p),
        _ => Err(Error::NotFound("问题不存在或不在您的管理范围内".into())),
    }
}

/// A problem as read on `now`'s day (`overdue` set).
pub async fn get_on(db: &Db, scope: &Scope, id: &str, now: i64) -> Result<Problem> {
    Ok(get(db, scope, id).await?.judged(&super::today(now).to_string()))
}

/// A problem's rectification evidence.
pub async fn files_of(db: &Db, scope: &Scope, id: &str) -> Result<Vec<crate::files::Attachment>> {
    let p = get(db, scope, id).await?;
    crate::files::list(db, PROBLEM_FILES, std::slice::from_ref(&p.id)).await
}

/// Changes an open problem's cause, measure, owner or deadline.
pub async fn update(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, f: Fields) -> Result<()> {
    let p = get(db, scope, id).await?;
    problem_transition(p.status(), ProblemAction::Edit)?;
    let org = org::get(db, scope, &p.org_id).await?;
    let v = validate(db, &org, &f, super::today(now), None).await?;
    db.transaction(move |tx| {
        let (p, v, actor) = (p.clone(), v.clone(), actor.clone());
        Box::pin(async move {
            let (stage, _) = history::lock(tx, now, &p.standard_id, &p.org_id).await?;
            must_be_open(stage)?;
            let n = with_tx!(tx, |c| {
                sqlx::query(
                "UPDATE standard_problems SET cause = $1, measure = $2, owner_id = $3, deadline = $4, updated_at = $5 \
                 WHERE id = $6 AND status = 'open'"
            )
            .bind(&v.cause)
            .bind(&v.measure)
            .bind(&v.owner_id)
            .bind(&v.deadline)
            .bind(now)
            .bind(&p.id)
            .execute(c)
            .await?
            .rows_affected()
            });
            if n == 0 {
                return Err(Error::Conflict("问题的状态已变化，请刷新后重试".into()));
            }
            let ev = Event::new(
                "standard.problem.update",
                format!("{}：{}", p.org_name, p.item_title),
                Outcome::Ok,
            )
            .detail(format!(
                "{}；整改措施：{}；责任人 {}；时限 {}",
                v.cause, v.measure, v.owner_name, v.deadline
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
