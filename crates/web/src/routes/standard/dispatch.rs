//! 督查调度: a superior asks the organizations below it for a progress
//! report by a day; the list of requests with who reported and who is late;
//! a request's status page, where an organization asked files its report
//! (note and files) and the requester's staff follow each one up (跟踪督办).
use super::today;
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::files::{self, Attachment};
use tongpin_core::org::{self, Narrow};
use tongpin_core::plan::Period;
use tongpin_core::standard::dispatch::{self, NewDispatch, Status};
use tongpin_core::Error;

#[derive(serde::Deserialize, Default)]
pub struct Params {
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "standard/dispatches.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<Status>,
    /// The organizations the caller may ask of those below (党委, 党总支).
    /// The chosen 调度单位 (id, name path); None when the caller manages no 党委 or 党总支.
    owner: Option<(String, String)>,
    f: Fields,
    error: Option<String>,
    today: String,
}

impl ListPage {
    fn val(&self, k: &str) -> String {
        self.f.get(k).to_string()
    }
    fn period(&self, p: &str) -> String {
        Period::title_of(p)
    }
}

async fn list_page(a: &Auth, f: Fields, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let mut rows = Vec::new();
    for d in dispatch::list(db, &scope).await? {
        rows.push(dispatch::status(db, &scope, &d.id, a.now()).await?);
    }
    let owner = match a.who.scope(Power::ManageStandard) {
        Some(m) => {
            let leading = Narrow {
                kinds: org::LEADING,
                ..Narrow::default()
            };
            crate::org_choice::preset(db, &m, f.get("org_id"), leading).await?
        }
        None => None,
    };
    Ok(Html(render(&ListPage {
        shell: Shell::new(a, "/standards/dispatches", &["标准化建设", "督查调度"]),
        rows,
        owner,
        f,
        error,
        today: today(a),
    })))
}

pub async fn list(a: Auth) -> Result<Html<String>, PageError> {
    Ok(list_page(&a, Fields(Vec::new()), None).await?)
}

pub async fn create(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        if f.get("org_id").trim().is_empty() {
            return Err(Error::invalid("调度单位", "请选择发出调度的党组织"));
        }
        crate::org_choice::submitted(&a.state.db, &scope, f.get("org_id"), "调度单位").await?;
        let new = NewDispatch {
            org_id: f.get("org_id").into(),
            title: f.get("title").into(),
            request: f.get("request").into(),
            period: f.get("period").into(),
            due_on: f.get("due_on").into(),
            org_kinds: f.all("org_kinds"),
        };
        dispatch::create(&a.state.db, a.now(), &a.actor(), &scope, new).await
    }
    .await;
    match res {
        Ok(id) => Redirect::to(&format!("/standards/dispatches/{id}?done=created")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, list_page(&a, f, Some(msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "standard/dispatch.html")]
struct DetailPage {
    shell: Shell,
    s: Status,
    /// The requester's staff: they follow reports up.
    requester: bool,
    /// (org id, name) of the organizations asked the caller reports for.
    reporters: Vec<(String, String)>,
    files: Vec<Attachment>,
    overdue: bool,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl DetailPage {
    fn period(&self) -> String {
        Period::title_of(&self.s.dispatch.period)
    }
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(super::when).unwrap_or_default()
    }
    fn files_of(&self, report: &str) -> Vec<&Attachment> {
        self.files.iter().filter(|f| f.owner_id == report).collect()
    }
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "created" => Some("调度事项已下达，被调度的组织将在待办中看到。"),
        "reported" => Some("工作进展已报送。"),
        "followed" => Some("督办意见已记录。"),
        _ => None,
    }
}

async fn detail_page(a: &Auth, id: &str, done: Option<&str>, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let s = dispatch::status(db, &scope, id, a.now()).await?;
    let manage = a.who.scope(Power::ManageStandard);
    let requester = manage.as_ref().is_some_and(|m| m.contains_path(&s.dispatch.org_path));
    let mut reporters = Vec::new();
    if let (Some(m), false) = (&manage, requester) {
        for ans in &s.answers {
            let o = org::get(db, &scope, &ans.org_id).await?;
            if m.contains_path(&o.path) {
                reporters.push((o.id, o.name));
            }
        }
    }
    let report_ids: Vec<String> = s.answers.iter().filter_map(|x| x.report_id.clone()).collect();
    let files = files::list(db, tongpin_core::standard::DISPATCH_FILES, &report_ids).await?;
    Ok(Html(render(&DetailPage {
        shell: Shell::new(a, "/standards/dispatches", &["标准化建设", "督查调度", "调度详情"]),
        overdue: today(a) > s.dispatch.due_on,
        s,
        requester,
        reporters,
        files,
        notice: notice(done),
        error,
    })))
}

pub async fn detail(a: Auth, Path(id): Path<String>, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    Ok(detail_page(&a, &id, q.done.as_deref(), None).await?)
}

async fn after(a: &Auth, id: &str, res: Result<(), Error>, done: &str) -> Response {
    match res {
        Ok(()) => Redirect::to(&format!("/standards/dispatches/{id}?done={done}")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, detail_page(a, id, None, Some(msg))).await
        }
    }
}

/// An organization's report: multipart (org_id, content, evidence files).
pub async fn report(a: Auth, Path(id): Path<String>, mp: Multipart) -> Response {
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let db = &a.state.db;
        dispatch::get(db, &scope, &id).await?;
        let form = crate::upload::evidence_form(mp, &a.state.config, "evidence", super::MAX_FILES).await?;
        let org_id = form.field("org_id").unwrap_or_default().to_string();
        if org_id.trim().is_empty() {
            return Err(Error::invalid("组织", "请选择报送的组织"));
        }
        let content = form.field("content").unwrap_or_default().to_string();
        let mut stored = Vec::new();
        for spool in form.files {
            stored.push(files::save(db, a.now(), &a.who.account_id, spool).await?);
        }
        dispatch::report(db, a.now(), &a.actor(), &scope, &id, &org_id, &content, stored).await?;
        Ok(())
    }
    .await;
    after(&a, &id, res, "reported").await
}

/// The requester's follow-up of one report (the report's dispatch in the form).
pub async fn follow_up(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        match dispatch::follow_up(&a.state.db, a.now(), &a.actor(), &scope, &id, f.get("comment")).await {
            // Only the requester's staff follow up: for anyone else the report is not theirs to act on.
            Err(Error::Forbidden(_)) => Err(Error::NotFound("调度报送不存在或不在您的管理范围内".into())),
            other => other,
        }
    }
    .await;
    let back = f.get("dispatch_id").to_string();
    match res {
        Ok(()) if !back.is_empty() => after(&a, &back, Ok(()), "followed").await,
        Ok(()) => Redirect::to("/standards/dispatches").into_response(),
        Err(e) if back.is_empty() => PageError(e).into_response(),
        Err(e) => after(&a, &back, Err(e), "followed").await,
    }
}
