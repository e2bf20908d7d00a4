use crate::extract::{urlencode, Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::clock::format_beijing;
use tongpin_core::org::Scope;
use tongpin_core::transfer::{self, Direction, Filter, Status, Transfer};
use tongpin_core::Error;

/// The list's query: tab (out | in | all), name, status, page.
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub tab: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// What was just done, for the message on top: request, out, in,
    /// accepted, returned, cancelled.
    pub done: Option<String>,
    pub id: Option<String>,
}

impl ListQuery {
    fn tab(&self) -> &'static str {
        match self.tab.as_deref() {
            Some("in") => "in",
            Some("all") => "all",
            _ => "out",
        }
    }

    fn filter(&self) -> Filter {
        let tab = self.tab();
        Filter {
            direction: Direction::parse(tab).unwrap_or_default(),
            q: self
                .q
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.chars().take(30).collect()),
            // 转入待办: what waits for a decision.
            status: if tab == "in" {
                Some(Status::Pending)
            } else {
                self.status.as_deref().and_then(Status::parse)
            },
        }
    }

    fn query_string(&self) -> String {
        let mut s = format!("tab={}&", self.tab());
        for (k, v) in [("q", &self.q), ("status", &self.status)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.push_str(&format!("{k}={}&", urlencode(v)));
            }
        }
        s
    }

    fn message(&self) -> Option<String> {
        Some(
            match self.done.as_deref()? {
                "request" => "已提交转接申请，等待转入组织接收。",
                "out" => "组织关系已转出本系统，介绍信已开具。",
                "in" => "已办理转入，该同志已列入党员名册。",
                "accepted" => "已接收，该同志的组织关系及其党员档案记录已转入本组织。",
                "returned" => "已退回，转出组织可查看退回原因。",
                "cancelled" => "已撤销该转接申请。",
                _ => return None,
            }
            .to_string(),
        )
    }
}

pub struct Row {
    pub t: Transfer,
    pub created: String,
    /// The caller may accept or return it (receiving side, pending).
    pub can_decide: bool,
    /// The caller may cancel it (sending side, pending).
    pub can_cancel: bool,
    /// The person lies in the caller's scope (after an accepted transfer,
    /// only the receiving side's).
    pub person_visible: bool,
}

#[derive(Template)]
#[template(path = "transfers/list.html")]
struct ListPage {
    shell: Shell,
    q: ListQuery,
    tab: &'static str,
    rows: Vec<Row>,
    pager: Pager,
    statuses: Vec<(&'static str, &'static str)>,
    pending_in: i64,
    can_manage: bool,
    message: Option<String>,
    letter_id: Option<String>,
    error: Option<String>,
}

fn row(view: &Scope, manage: Option<&Scope>, t: Transfer) -> Row {
    let on = |p: &Option<String>| manage.is_some_and(|s| p.as_deref().is_some_and(|p| s.contains_path(p)));
    // Where the person is now: moved on acceptance or arrival, else still
    // (or, after leaving the system, last) in the sending organization.
    let now_at = if t.status == Status::Accepted.code() || t.kind == "in" {
        &t.to_org_path
    } else {
        &t.from_org_path
    };
    Row {
        created: format_beijing(t.created_at).chars().take(16).collect(),
        can_decide: t.is_pending() && on(&t.to_org_path),
        can_cancel: t.is_pending() && on(&t.from_org_path),
        person_visible: now_at.as_deref().is_some_and(|p| view.contains_path(p)),
        t,
    }
}

async fn list_page(a: &Auth, q: ListQuery, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewPeople).await?;
    let db = &a.state.db;
    let manage = a.who.scope(Power::ManagePeople);
    let f = q.filter();
    let total = transfer::count(db, &scope, &f).await?;
    let pager = Pager::new(q.page, q.per_page, total, q.query_string());
    let found = transfer::page(db, &scope, &f, pager.offset(), pager.per_page).await?;
    let pending = Filter {
        direction: Direction::In,
        status: Some(Status::Pending),
        q: None,
    };
    let pending_in = transfer::count(db, &scope, &pending).await?;
    let letter_id = q.id.clone().filter(|_| q.done.as_deref() == Some("out"));
    Ok(Html(render(&ListPage {
        shell: Shell::new(a, "/transfers", &["党员管理", "组织关系转接"]),
        tab: q.tab(),
        rows: found.into_iter().map(|t| row(&scope, manage.as_ref(), t)).collect(),
        pager,
        statuses: Status::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        pending_in,
        can_manage: manage.is_some(),
        message: q.message(),
        letter_id,
        q,
        error,
    })))
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    Ok(list_page(&a, q, None).await?)
}

/// After a decision: back to the tab it was made on, or the list with
/// the reason it was refused.
async fn after(a: &Auth, tab: &str, done: &str, r: Result<(), Error>) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/transfers?tab={tab}&done={done}")).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let q = ListQuery {
                tab: Some(tab.into()),
                ..ListQuery::default()
            };
            match list_page(a, q, Some(e.to_string())).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn accept(a: Auth, Path(id): Path<String>) -> Response {
    let r = match a.require(Power::ManagePeople).await {
        Ok(scope) => transfer::accept(&a.state.db, a.now(), &a.actor(), &scope, &id).await,
        Err(e) => Err(e),
    };
    after(&a, "in", "accepted", r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReturnForm {
    reason: String,
}

pub async fn send_back(a: Auth, Path(id): Path<String>, Form(f): Form<ReturnForm>) -> Response {
    let r = match a.require(Power::ManagePeople).await {
        Ok(scope) => transfer::send_back(&a.state.db, a.now(), &a.actor(), &scope, &id, &f.reason).await,
        Err(e) => Err(e),
    };
    after(&a, "in", "returned", r).await
}

pub async fn cancel(a: Auth, Path(id): Path<String>) -> Response {
    let r = match a.require(Power::ManagePeople).await {
        Ok(scope) => transfer::cancel(&a.state.db, a.now(), &a.actor(), &scope, &id).await,
        Err(e) => Err(e),
    };
    after(&a, "out", "cancelled", r).await
}
