//! 督查调度: a superior asks the organizations of some kinds below it for a
//! progress report on a period by a day; each reports once (a new report
//! replaces its text), and the superior follows up (跟踪督办). The status of
//! a request is one query over the organizations asked.
use super::rules::check_kinds;
use super::DISPATCH_FILES;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::plan::Period;
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Dispatch {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub title: String,
    pub request: String,
    pub period: String,
    pub due_on: String,
    pub org_kinds: String,
    pub created_by: String,
    pub created_at: i64,
}

const SELECT: &str = "SELECT d.id, d.org_id, o.name AS org_name, o.path AS org_path, d.title, d.request, d.period, \
     d.due_on, d.org_kinds, d.created_by, d.created_at FROM standard_dispatches d JOIN orgs o ON o.id = d.org_id";

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewDispatch {
    pub org_id: String,
    pub title: String,
    pub request: String,
    /// "2026-03", "2026-Q1" or "2026".
    pub period: String,
    /// YYYY-MM-DD, not before today.
    pub due_on: String,
    pub org_kinds: Vec<String>,
}

/// Asks the organizations below `org_id` for a report; answers its id.
pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewDispatch) -> Result<String> {
    let o = org::get(db, scope, new.org_id.trim()).await?;
    let title = check("调度事项", &new.title, 80, TextKind::Free)?;
    let request = check("调度要求", &new.request, 2000, TextKind::Free)?;
    let period = Period::parse_any(&new.period)
        .map_err(|_| {
            Error::invalid(
                "调度期间",
                format!("“{}”应为 2026-03、2026-Q1 或 2026", new.period.trim()),
            )
        })?
        .code();
    let today = super::today(now);
    let due = chrono::NaiveDate::parse_from_str(new.due_on.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("报送时限", "格式应为 2026-03-31"))?;
    if due < today {
        return Err(Error::invalid("报送时限", format!("{due} 早于今天（{today}）")));
    }
    let kinds = check_kinds(&new.org_kinds)?.join(",");
    db.transaction(move |tx| {
        let (o, title, request, period, kinds, actor) = (
            o.clone(),
            title.clone(),
            request.clone(),
            period.clone(),
            kinds.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            let id = ids::new_id();
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO standard_dispatches (id, org_id, title, request, period, due_on, org_kinds, created_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            )
            .bind(&id)
            .bind(&o.id)
            .bind(&title)
            .bind(&request)
            .bind(&period)
            .bind(due.to_string())
            .bind(&kinds)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new(
                "standard.dispatch.create",
                format!("{title}（{}）", o.name),
                Outcome::Ok,
            )
            .detail(format!("{}，{due} 前报送", Period::title_of(&period)));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// A request the caller may read: made in the scope, or asked of it from above.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Dispatch> {
    let sql = format!("{SELECT} WHERE d.id = $1");
    let d: Option<Dispatch> = with_db!(db, |p| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(p).await?);
    match d {
        Some(d)
            if scope.contains_path(&d.org_path)
                || scope
                    .roots()
                    .is_some_and(|r| r.iter().any(|p| p.starts_with(&d.org_path))) =>
        {
            Ok(d)
        }
        _ => Err(Error::NotFound("调度事项不存在或不在您的管理范围内".into())),
    }
}

/// One organization asked, with its report and the follow-up.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Answer {
    pub org_id: String,
    pub org_name: String,
    pub report_id: Option<String>,
    pub content: Option<String>,
    pub reported_by: Option<String>,
    pub reported_at: Option<i64>,
    pub follow_up: Option<String>,
    pub followed_at: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub dispatch: Dispatch,
    pub asked: usize,
    pub reported: usize,
    pub followed: usize,
    /// Past the due day without a report.
    pub late: usize,
    pub answers: Vec<Answer>,
}

/// Who was asked and who answered, for the organizations in the scope.
pub async fn status(db: &Db, scope: &Scope, id: &str, now: i64) -> Result<Status> {
    let d = get(db, scope, id).await?;
    let mut w = Where::default();
    w.prefix("o.path", &d.org_path);
    scope.restrict(&mut w, "o.path");
    let kinds: Vec<String> = d.org_kinds.split(',').map(String::from).collect();
    let list = w.in_list(&kinds);
    let did = w.param(Param::S(d.id.clone()));
    let own = w.param(Param::S(d.org_id.clone()));
    w.push_raw(format!(
        "o.kind IN ({list}) AND o.dissolved_at IS NULL AND o.id <> {own}"
    ));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT o.id AS org_id, o.name AS org_name, r.id AS report_id, r.content, r.reported_by, r.reported_at, \
         r.follow_up, r.followed_at FROM orgs o LEFT JOIN standard_dispatch_reports r ON r.org_id = o.id \
         AND r.dispatch_id = {did} {cond} ORDER BY o.path LIMIT 50000"
    );
    let answers: Vec<Answer> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let overdue = super::today(now).to_string() > d.due_on;
    Ok(Status {
        asked: answers.len(),
        reported: answers.iter().filter(|a| a.report_id.is_some()).count(),
        followed: answers.iter().filter(|a| a.followed_at.is_some()).count(),
        late: if overdue {
            answers.iter().filter(|a| a.report_id.is_none()).count()
        } else {
            0
        },
        answers,
        dispatch: d,
    })
}

/// The requests made in the scope or asked of it, newest first.
pub async fn list(db: &Db, scope: &Scope) -> Result<Vec<Dispatch>> {
    let mut w = Where::default();
    if let Some(roots) = scope.roots() {
        let mut ors: Vec<String> = roots.iter().map(|p| w.prefix_cond("o.path", p)).collect();
        let above: Vec<String> = roots
            .iter()
            .flat_map(|r| {
                r.split('/')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect();
        if !above.is_empty() {
            let l = w.in_list(&above);
            ors.push(format!("d.org_id IN ({l})"));
        }
        if ors.is_empty() {
            return Ok(Vec::new());
        }
        w.push_raw(format!("({})", ors.join(" OR ")));
    }
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY d.created_at DESC LIMIT 500");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

pub use super::dispatch_reports::{follow_up, report};

/// Whether an organization of `kind` at `path` is asked by the request.
pub(super) fn asked(d: &Dispatch, kind: &str, path: &str) -> bool {
    d.org_kinds.split(',').any(|k| k == kind) && path.len() > d.org_path.len() && path.starts_with(&d.org_path)
}

/// Files attached to a report.
pub async fn files_of(db: &Db, scope: &Scope, report_id: &str) -> Result<Vec<crate::files::Attachment>> {
    let (_, org_path): (String, String) = super::dispatch_reports::report_of(db, report_id).await?;
    if !scope.contains_path(&org_path) {
        return Err(Error::NotFound("调度报送不存在或不在您的管理范围内".into()));
    }
    crate::files::list(db, DISPATCH_FILES, &[report_id.trim().to_string()]).await
}
