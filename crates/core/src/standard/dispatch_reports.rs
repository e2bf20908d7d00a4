//! Answers to a 督查调度 request: an organization asked reports (once; a
//! later report replaces the text and adds files), and the requesting
//! organization's staff follow up. Unanswered requests are to-dos.
use super::dispatch::{asked, get};
use super::DISPATCH_FILES;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::files::Stored;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::todo::Todo;
use crate::{bind_all, ids, with_db, with_tx, Error, Result};

/// An organization reports on a request; answers the report's id.
#[allow(clippy::too_many_arguments)]
pub async fn report(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    dispatch_id: &str,
    org_id: &str,
    content: &str,
    files: Vec<Stored>,
) -> Result<String> {
    let d = get(db, scope, dispatch_id).await?;
    let o = org::get(db, scope, org_id.trim()).await?;
    if !asked(&d, &o.kind, &o.path) {
        return Err(Error::invalid("组织", format!("“{}”未要求{}报送", d.title, o.name)));
    }
    let content = check("报送内容", content, 2000, TextKind::Free)?;
    db.transaction(move |tx| {
        let (d, o, content, files, actor) = (d.clone(), o.clone(), content.clone(), files.clone(), actor.clone());
        Box::pin(async move {
            let existing: Option<String> = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT id FROM standard_dispatch_reports WHERE dispatch_id = $1 AND org_id = $2"
            )
            .bind(&d.id)
            .bind(&o.id)
            .fetch_optional(c)
            .await?);
            let id = match existing {
                Some(id) => {
                    with_tx!(tx, |c| sqlx::query(
                        "UPDATE standard_dispatch_reports SET content = $1, reported_by = $2, reported_at = $3 WHERE id = $4"
                    )
                    .bind(&content)
                    .bind(&actor.name)
                    .bind(now)
                    .bind(&id)
                    .execute(c)
                    .await?
                    .rows_affected());
                    id
                }
                None => {
                    let id = ids::new_id();
                    with_tx!(tx, |c| sqlx::query(
                        "INSERT INTO standard_dispatch_reports (id, dispatch_id, org_id, content, reported_by, reported_at, \
                         follow_up) VALUES ($1, $2, $3, $4, $5, $6, '')"
                    )
                    .bind(&id)
                    .bind(&d.id)
                    .bind(&o.id)
                    .bind(&content)
                    .bind(&actor.name)
                    .bind(now)
                    .execute(c)
                    .await?
                    .rows_affected());
                    id
                }
            };
            for f in &files {
                crate::files::attach(tx, now, DISPATCH_FILES, &id, f, &actor.name).await?;
            }
            let ev = Event::new("standard.dispatch.report", format!("{}：{}", o.name, d.title), Outcome::Ok)
                .detail(format!("材料 {} 份", files.len()));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// (dispatch id, reporting organization's path) of a report.
pub(super) async fn report_of(db: &Db, report_id: &str) -> Result<(String, String)> {
    let r: Option<(String, String)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT r.dispatch_id, o.path FROM standard_dispatch_reports r JOIN orgs o ON o.id = r.org_id WHERE r.id = $1"
    )
    .bind(report_id.trim())
    .fetch_optional(p)
    .await?
    });
    r.ok_or_else(|| Error::NotFound("调度报送不存在或不在您的管理范围内".into()))
}

/// The requesting organization's staff follow up a report (跟踪督办).
pub async fn follow_up(db: &Db, now: i64, actor: &Actor, scope: &Scope, report_id: &str, comment: &str) -> Result<()> {
    let (dispatch_id, path) = report_of(db, report_id).await?;
    let d = get(db, scope, &dispatch_id).await?;
    if !scope.contains_path(&path) {
        return Err(Error::NotFound("调度报送不存在或不在您的管理范围内".into()));
    }
    if !scope.contains_path(&d.org_path) {
        return Err(Error::Forbidden(format!("“{}”由{}督办", d.title, d.org_name)));
    }
    let comment = check("督办意见", comment, 1000, TextKind::Free)?;
    let id = report_id.trim().to_string();
    db.transaction(move |tx| {
        let (d, id, comment, actor) = (d.clone(), id.clone(), comment.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE standard_dispatch_reports SET follow_up = $1, followed_by = $2, followed_at = $3 WHERE id = $4"
            )
            .bind(&comment)
            .bind(&actor.name)
            .bind(now)
            .bind(&id)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("standard.dispatch.follow_up", d.title.clone(), Outcome::Ok).detail(comment.clone());
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Requests asked of the scope's own organizations not yet answered: a
/// to-do by the due day (late after it).
pub async fn todos(db: &Db, scope: &Scope, _now: i64) -> Result<Vec<Todo>> {
    let Some(roots) = scope.roots() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for root in roots {
        let Some(me) = root.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty()) else {
            continue;
        };
        let Ok(o) = org::get(db, scope, me).await else { continue };
        let above: Vec<String> = o
            .path
            .split('/')
            .filter(|s| !s.is_empty() && *s != o.id)
            .map(String::from)
            .collect();
        if above.is_empty() {
            continue;
        }
        let mut w = Where::default();
        let list = w.in_list(&above);
        let me = w.param(Param::S(o.id.clone()));
        w.push_raw(format!(
            "d.org_id IN ({list}) AND NOT EXISTS (SELECT 1 FROM standard_dispatch_reports r \
             WHERE r.dispatch_id = d.id AND r.org_id = {me})"
        ));
        let (cond, _) = w.sql();
        let sql = format!(
            "SELECT d.id, d.title, d.due_on, d.org_kinds, s.name FROM standard_dispatches d \
             JOIN orgs s ON s.id = d.org_id {cond} ORDER BY d.due_on LIMIT 100"
        );
        let rows: Vec<(String, String, String, String, String)> =
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        for (id, title, due, kinds, by) in rows {
            if !kinds.split(',').any(|k| k == o.kind) {
                continue;
            }
            out.push(Todo {
                kind: "standard",
                title: format!("调度报送：{}“{title}”", o.name),
                detail: format!("{by}要求于 {due} 前报送工作进展"),
                due: Some(due),
                from: None,
                overdue: false,
                href: format!("/standards/dispatches/{id}"),
            });
        }
    }
    Ok(out)
}
