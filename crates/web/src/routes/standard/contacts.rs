//! 联系点: the leaders of a superior paired with the organizations below
//! (leader ↔ branch) — the list of a scope with the form that pairs them,
//! and a pairing's detail with its visit logs (走访记录), the form that logs
//! a visit and the one that turns a visit's finding into a problem of the
//! branch's 问题清单.
use super::decide::found;
use super::{this_year, today};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::org_choice;
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::db::Db;
use tongpin_core::org::{self, Narrow, Org, Scope, UNITS};
use tongpin_core::standard::contacts::{self, Contact, NewContact, NewVisit, Visit};
use tongpin_core::standard::problems::{self, ProblemQuery};
use tongpin_core::standard::{catalog, Item, Standard};
use tongpin_core::Error;

#[derive(serde::Deserialize, Default)]
pub struct Params {
    pub org: Option<String>,
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "standard/contacts.html")]
struct ListPage {
    shell: Shell,
    root: Org,
    root_path: String,
    /// Whether some organization lies strictly below the caller's scope to pair a leader with.
    can_pair: bool,
    /// The path of the organization the pairing form keeps.
    org_path: String,
    rows: Vec<Contact>,
    f: Fields,
    error: Option<String>,
    today: String,
}

impl ListPage {
    fn val(&self, k: &str) -> String {
        self.f.get(k).to_string()
    }
}

async fn list_page(a: &Auth, org_id: Option<&str>, f: Fields, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let (root, root_path) = org_choice::chosen(db, &scope, org_id).await?;
    let rows = contacts::contacts(db, &scope, &root.id, false).await?;
    let can_pair = match a.who.scope(Power::ManageStandard) {
        Some(m) => has_below(db, &m).await?,
        None => false,
    };
    Ok(Html(render(&ListPage {
        shell: Shell::new(a, "/standards/contacts", &["标准化建设", "联系点"]),
        root_path,
        can_pair,
        org_path: org_choice::shown(db, &scope, f.get("org_id")).await?,
        rows,
        root,
        f,
        error,
        today: today(a),
    })))
}

/// Whether a live organization (no 党小组) lies strictly below one of the scope's organizations.
async fn has_below(db: &Db, m: &Scope) -> Result<bool, Error> {
    for top in org::scope_roots(db, m).await? {
        let n = Narrow {
            kinds: UNITS,
            below: Some(&top.path),
            ..Narrow::default()
        };
        if !org::pick(db, m, "", n, 1).await?.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

pub async fn list(a: Auth, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    Ok(list_page(&a, q.org.as_deref(), Fields(Vec::new()), None).await?)
}

pub async fn create(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        org_choice::submitted(&a.state.db, &scope, f.get("org_id"), "联系的组织").await?;
        let new = NewContact {
            org_id: f.get("org_id").into(),
            leader_id: f.get("leader_id").into(),
            superior_org_id: String::new(),
            since: f.get("since").into(),
            note: f.get("note").into(),
        };
        contacts::create_contact(&a.state.db, a.now(), &a.actor(), &scope, new).await
    }
    .await;
    match res {
        Ok(id) => Redirect::to(&format!("/standards/contacts/{id}?done=created")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, list_page(&a, None, f, Some(msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "standard/contact.html")]
struct DetailPage {
    shell: Shell,
    c: Contact,
    visits: Vec<Visit>,
    /// (visit id, problem id) of the findings already listed.
    listed: Vec<(String, String)>,
    /// Whether the caller logs visits and lists findings (the superior's staff).
    manage: bool,
    standards: Vec<Standard>,
    items: Vec<Item>,
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
    f: Fields,
}

impl DetailPage {
    fn problem_of(&self, visit: &str) -> Option<String> {
        self.listed.iter().find(|(v, _)| v == visit).map(|(_, p)| p.clone())
    }
    fn val(&self, k: &str) -> String {
        self.f.get(k).to_string()
    }
    fn open(&self) -> bool {
        self.c.ended_on.is_none()
    }
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "created" => Some("联系点已建立。"),
        "visited" => Some("走访记录已登记。"),
        "listed" => Some("走访发现的问题已列入该组织的问题清单。"),
        "ended" => Some("联系点已结束。"),
        _ => None,
    }
}

async fn detail_page(
    a: &Auth,
    id: &str,
    done: Option<&str>,
    f: Fields,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let c = contacts::get(db, &scope, id).await?;
    let visits = contacts::visits(db, &scope, &c.id).await?;
    let q = ProblemQuery {
        org_id: Some(c.org_id.clone()),
        ..Default::default()
    };
    let listed = problems::list(db, &scope, &q, a.now())
        .await?
        .into_iter()
        .filter(|p| p.source == "visit")
        .filter_map(|p| p.source_id.map(|v| (v, p.id)))
        .collect();
    let manage = a
        .who
        .scope(Power::ManageStandard)
        .is_some_and(|m| m.contains_below(&c.org_path));
    let standards = if manage {
        catalog::applicable(db, &scope, &c.org_id, this_year(a)).await?
    } else {
        Vec::new()
    };
    let items = match standards.first() {
        Some(s) => catalog::items_of(db, &s.id).await?,
        None => Vec::new(),
    };
    Ok(Html(render(&DetailPage {
        shell: Shell::new(a, "/standards/contacts", &["标准化建设", "联系点", "联系点详情"]),
        c,
        visits,
        listed,
        manage,
        standards,
        items,
        today: today(a),
        notice: notice(done),
        error,
        f,
    })))
}

pub async fn detail(a: Auth, Path(id): Path<String>, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    Ok(detail_page(&a, &id, q.done.as_deref(), Fields(Vec::new()), None).await?)
}

/// After a change on the pairing `id`: back to its page, or the page again with the message.
async fn after(a: &Auth, id: &str, res: Result<(), Error>, done: &str, f: Fields) -> Response {
    match res {
        Ok(()) => Redirect::to(&format!("/standards/contacts/{id}?done={done}")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, detail_page(a, id, None, f, Some(msg))).await
        }
    }
}

pub async fn end(a: Auth, Path(id): Path<String>) -> Response {
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        contacts::end_contact(&a.state.db, a.now(), &a.actor(), &scope, &id).await
    }
    .await;
    after(&a, &id, res, "ended", Fields(Vec::new())).await
}

pub async fn visit(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let new = NewVisit {
            visited_on: f.get("visited_on").into(),
            summary: f.get("summary").into(),
            findings: f.get("findings").into(),
        };
        contacts::log_visit(&a.state.db, a.now(), &a.actor(), &scope, &id, new).await?;
        Ok(())
    }
    .await;
    after(&a, &id, res, "visited", f).await
}

/// A visit's finding into the problem list: the standard and the problem
/// row p1_… as the acceptance's failure lists them.
pub async fn to_problem(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        if f.get("standard_id").trim().is_empty() {
            return Err(Error::invalid("建设标准", "请选择问题所对应的建设标准"));
        }
        let Some(row) = found(&f).into_iter().next() else {
            return Err(Error::invalid(
                "问题清单",
                "请填写发现的问题：项目、原因、整改措施、责任人和时限",
            ));
        };
        let db = &a.state.db;
        contacts::finding_to_problem(db, a.now(), &a.actor(), &scope, &id, f.get("standard_id"), row).await?;
        Ok(())
    }
    .await;
    let contact = f.get("contact_id").to_string();
    match res {
        Ok(()) if !contact.is_empty() => {
            Redirect::to(&format!("/standards/contacts/{contact}?done=listed")).into_response()
        }
        Ok(()) => Redirect::to("/standards/problems").into_response(),
        Err(e) if contact.is_empty() => PageError(e).into_response(),
        Err(e) => after(&a, &contact, Err(e), "listed", f).await,
    }
}
