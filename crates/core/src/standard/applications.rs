//! 申报: an organization applies for acceptance once every baseline item is
//! met and no problem is open — otherwise it is refused with the list of
//! what is missing — and may withdraw while it waits. The decisions are in
//! `decisions`.
use super::catalog;
use super::checks::self_check;
use super::model::{AppStatus, Stage};
use super::rules::check_can_apply;
use super::{history, parent_path, subject};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

pub use super::decisions::{accept_batch, decide, Decision};
pub use super::rounds::move_back;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Application {
    pub id: String,
    pub standard_id: String,
    pub standard_title: String,
    pub year: i64,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub round: i64,
    /// pending, passed, failed or withdrawn.
    pub status: String,
    pub applied_by: String,
    pub applied_at: i64,
    /// The refined items' share of points (basis points) when applied for, or when decided.
    pub share_bp: i64,
    pub suggested_grade: Option<String>,
    pub grade: Option<String>,
    pub grade_reason: String,
    pub comment: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

impl Application {
    pub fn status(&self) -> AppStatus {
        AppStatus::parse(&self.status).unwrap_or(AppStatus::Pending)
    }
}

pub(super) const SELECT: &str = "SELECT a.id, a.standard_id, s.title AS standard_title, s.year, a.org_id, \
     o.name AS org_name, o.path AS org_path, a.round, a.status, a.applied_by, a.applied_at, a.share_bp, \
     a.suggested_grade, a.grade, a.grade_reason, a.comment, a.decided_by, a.decided_at \
     FROM standard_applications a JOIN standards s ON s.id = a.standard_id JOIN orgs o ON o.id = a.org_id";

/// Which applications to list.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AppQuery {
    #[serde(default)]
    pub standard_id: Option<String>,
    /// pending, passed, failed or withdrawn.
    #[serde(default)]
    pub status: Option<String>,
    /// Only those the caller decides: the organizations directly below the caller's.
    #[serde(default)]
    pub to_decide: bool,
}

/// Applies for acceptance; answers the application's id. Refused (422) with
/// what is missing while a baseline item is unmet or a problem is open.
pub async fn apply(db: &Db, now: i64, actor: &Actor, scope: &Scope, org_id: &str, standard_id: &str) -> Result<String> {
    let standard = catalog::get(db, scope, standard_id).await?;
    let org = subject(db, scope, &standard, org_id).await?;
    let sc = self_check(db, scope, &org.id, &standard.id, now).await?;
    check_can_apply(sc.stage)?;
    if !sc.missing.is_empty() {
        return Err(Error::invalid(
            "申报条件",
            format!("尚未达标，不能申报验收：{}", sc.missing.join("；")),
        ));
    }
    let (share, suggested) = (sc.share_bp, sc.suggested_grade);
    db.transaction(move |tx| {
        let (standard, org, actor) = (standard.clone(), org.clone(), actor.clone());
        Box::pin(async move {
            let (stage, round) = history::lock(tx, now, &standard.id, &org.id).await?;
            check_can_apply(stage)?;
            let open: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT COUNT(*) FROM standard_problems WHERE standard_id = $1 AND org_id = $2 AND status <> 'closed'"
            )
            .bind(&standard.id)
            .bind(&org.id)
            .fetch_one(c)
            .await?);
            if open > 0 {
                return Err(Error::invalid("申报条件", format!("尚未达标，不能申报验收：{open} 个问题尚未销号")));
            }
            let id = ids::new_id();
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO standard_applications (id, standard_id, org_id, round, status, applied_by, applied_at, \
                 share_bp, suggested_grade, grade_reason, comment) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, '', '')"
            )
            .bind(&id)
            .bind(&standard.id)
            .bind(&org.id)
            .bind(round)
            .bind(&actor.name)
            .bind(now)
            .bind(share)
            .bind(suggested.code())
            .execute(c)
            .await?
            .rows_affected());
            history::set_stage(tx, now, &standard.id, &org.id, Stage::Applied, None, round).await?;
            let detail = format!("第{round}轮，提升项得分率 {}%，建议{}", share / 100, suggested.label());
            history::record(tx, now, &standard.id, &org.id, "applied", &detail, &actor.name).await?;
            let ev = Event::new("standard.apply", format!("{}：{}", org.name, standard.display()), Outcome::Ok)
                .detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// An application of an organization in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Application> {
    let sql = format!("{SELECT} WHERE a.id = $1");
    let a: Option<Application> = with_db!(db, |p| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(p).await?);
    match a {
        Some(a) if scope.contains_path(&a.org_path) => Ok(a),
        _ => Err(Error::NotFound("申报不存在或不在您的管理范围内".into())),
    }
}

/// Applications in the scope, newest first (at most 2000).
pub async fn list(db: &Db, scope: &Scope, q: &AppQuery) -> Result<Vec<Application>> {
    let mut w = Where::default();
    scope.restrict(&mut w, "o.path");
    if let Some(s) = q.standard_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        w.push("a.standard_id = {}", Param::S(s.into()));
    }
    if let Some(s) = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if AppStatus::parse(s).is_none() {
            return Err(Error::invalid("状态", "应为 pending、passed、failed 或 withdrawn"));
        }
        w.push("a.status = {}", Param::S(s.into()));
    }
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY a.applied_at DESC, a.id DESC LIMIT 2000");
    let all: Vec<Application> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(if q.to_decide {
        all.into_iter()
            .filter(|a| parent_path(&a.org_path).is_some_and(|p| scope.holds_at(&p)))
            .collect()
    } else {
        all
    })
}

/// The organization withdraws its application while it waits.
pub async fn withdraw(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let a = get(db, scope, id).await?;
    if a.status() != AppStatus::Pending {
        return Err(Error::Conflict(format!("该申报{}，不能撤回", a.status().label())));
    }
    db.transaction(move |tx| {
        let (a, actor) = (a.clone(), actor.clone());
        Box::pin(async move {
            let (_, round) = history::lock(tx, now, &a.standard_id, &a.org_id).await?;
            let n = with_tx!(tx, |c| sqlx::query(
                "UPDATE standard_applications SET status = 'withdrawn', decided_by = $1, decided_at = $2 \
                 WHERE id = $3 AND status = 'pending'"
            )
            .bind(&actor.name)
            .bind(now)
            .bind(&a.id)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("申报的状态已变化，请刷新后重试".into()));
            }
            history::set_stage(tx, now, &a.standard_id, &a.org_id, Stage::Open, None, round).await?;
            history::record(tx, now, &a.standard_id, &a.org_id, "withdrawn", "撤回申报", &actor.name).await?;
            let ev = Event::new(
                "standard.withdraw",
                format!("{}：{}", a.org_name, a.standard_title),
                Outcome::Ok,
            );
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
