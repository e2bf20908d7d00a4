//! One organization: its figures, committee (班子), term, and the tree
//! changes (move, merge, dissolve).
use crate::extract::{urlencode, Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::org::{self, OrgRow, POSTS};
use tongpin_core::people::{self, Filter, Person, Status};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "orgs/detail.html")]
struct DetailPage {
    shell: Shell,
    r: OrgRow,
    path: String,
    can_manage: bool,
    /// Move, merge and dissolve: a top organization only by a global scope.
    can_restructure: bool,
    /// Full members of the organization, for the committee form.
    members: Vec<Person>,
    /// Other organizations (id, path) for move and merge.
    posts: Vec<(&'static str, &'static str)>,
    units: Vec<org::Unit>,
    all_units: Vec<org::Unit>,
    max_units: usize,
    org_types: &'static [(&'static str, &'static str)],
    ok: Option<String>,
    error: Option<String>,
}

impl DetailPage {
    /// The merge chooser's query: organizations of the same kind the caller manages.
    fn merge_for(&self) -> String {
        format!("orgs&manage=1&kinds={}", self.r.org.kind)
    }
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    ok: Option<String>,
}

async fn build(a: &Auth, id: &str, ok: Option<String>, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewOrgs).await?;
    let db = &a.state.db;
    let today = tongpin_core::clock::beijing(a.now()).date_naive();
    let target = org::get(db, &scope, id).await?;
    let r = org::row_of(db, &scope, &target, today).await?;
    let path = crate::org_choice::path_of(db, &r.org).await?;
    let manage = a.who.scope(Power::ManageOrgs).filter(|s| s.contains_path(&r.org.path));
    let members = match a.who.scope(Power::ViewPeople) {
        Some(ps) if manage.is_some() => {
            let f = Filter {
                org_id: Some(r.org.id.clone()),
                status: Some(Status::Full),
                ..Filter::default()
            };
            people::search(db, &ps, &f, 0, 500)
                .await
                .map(|x| x.0)
                .unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let page = DetailPage {
        shell: Shell::new(a, "/orgs", &["组织管理", "组织架构", r.org.name.as_str()]),
        path,
        can_manage: manage.is_some() && r.org.dissolved_at.is_none(),
        can_restructure: r.org.dissolved_at.is_none()
            && manage.as_ref().is_some_and(|s| r.org.parent_id.is_some() || s.is_all()),
        members,
        posts: POSTS.to_vec(),
        units: org::units_of(db, &scope, &target.id).await?,
        all_units: org::list_units(db, &scope).await?,
        max_units: tongpin_core::rules::structure::JOINT_BRANCH_MAX_UNITS,
        org_types: &tongpin_core::rules::structure::ORG_TYPES,
        r,
        ok: ok.map(|m| m.chars().take(60).collect()),
        error,
    };
    Ok(Html(render(&page)))
}

pub async fn show(a: Auth, Path(id): Path<String>, Query(q): Query<DetailQuery>) -> Result<Html<String>, PageError> {
    Ok(build(&a, &id, q.ok, None).await?)
}

/// After a change: back to the page (or the tree, when the org is gone), or
/// the page again with the reason.
async fn outcome(a: &Auth, id: &str, r: Result<(), Error>, ok: &str, back_to_tree: bool) -> Response {
    match r {
        Ok(()) if back_to_tree => Redirect::to(&format!("/orgs?ok={}", urlencode(ok))).into_response(),
        Ok(()) => Redirect::to(&format!("/orgs/{id}?ok={}", urlencode(ok))).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_) | Error::NotFound(_))) => {
            match build(a, id, None, Some(e.to_string())).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChangeForm {
    parent_id: String,
    into_id: String,
    elected_on: String,
    term_years: String,
    person_id: String,
    post: String,
    org_type: String,
}

macro_rules! manage_scope {
    ($a:expr) => {
        match $a.require(Power::ManageOrgs).await {
            Ok(s) => s,
            Err(e) => return PageError(e).into_response(),
        }
    };
}

pub async fn move_to(a: Auth, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    let scope = manage_scope!(a);
    let r = org::move_subtree(&a.state.db, a.now(), &a.actor(), &scope, &id, &f.parent_id).await;
    outcome(&a, &id, r, "已调整隶属关系，下级组织和人员随之移动", false).await
}

pub async fn merge(a: Auth, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    let scope = manage_scope!(a);
    let r = org::merge(&a.state.db, a.now(), &a.actor(), &scope, &id, &f.into_id).await;
    outcome(&a, &id, r, "已合并，原组织已撤销，其记录仍可查阅", true).await
}

pub async fn dissolve(a: Auth, Path(id): Path<String>) -> Response {
    let scope = manage_scope!(a);
    let r = org::dissolve(&a.state.db, a.now(), &a.actor(), &scope, &id).await;
    outcome(&a, &id, r, "组织已撤销，其记录仍可查阅", true).await
}

pub async fn term(a: Auth, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    let scope = manage_scope!(a);
    let years = f
        .term_years
        .trim()
        .parse::<i64>()
        .map_err(|_| Error::invalid("任期（年）", "请填写整数"));
    let r = match years {
        Ok(y) => org::set_term(&a.state.db, a.now(), &a.actor(), &scope, &id, &f.elected_on, y).await,
        Err(e) => Err(e),
    };
    outcome(&a, &id, r, "已登记换届", false).await
}

pub async fn set_type(a: Auth, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    let scope = manage_scope!(a);
    let r = org::set_org_type(&a.state.db, a.now(), &a.actor(), &scope, &id, &f.org_type).await;
    outcome(&a, &id, r, "已保存单位性质", false).await
}

pub async fn add_officer(a: Auth, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    let scope = manage_scope!(a);
    let r = org::add_officer(&a.state.db, a.now(), &a.actor(), &scope, &id, &f.person_id, &f.post).await;
    outcome(&a, &id, r, "已任职", false).await
}

pub async fn remove_officer(a: Auth, Path((id, officer)): Path<(String, String)>) -> Response {
    let scope = manage_scope!(a);
    let r = org::remove_officer(&a.state.db, a.now(), &a.actor(), &scope, &id, &officer).await;
    outcome(&a, &id, r, "已免职", false).await
}
