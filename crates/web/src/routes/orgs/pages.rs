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
use tongpin_core::org::{self, NewOrg, OrgKind, OrgRow};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "orgs/list.html")]
struct OrgsPage {
    shell: Shell,
    /// The way down to the organization looked at, from the top of the scope.
    trail: Vec<org::Org>,
    /// The name of the organization looked at.
    focus: Option<String>,
    /// It, then its direct children (or the scope's tops).
    rows: Vec<TreeRow>,
    can_manage: bool,
    /// Only a global scope (the system admin) creates top organizations.
    can_create_top: bool,
    kinds: Vec<(&'static str, &'static str)>,
    ok: Option<String>,
    error: Option<String>,
}

/// A row of the tree page.
struct TreeRow {
    row: OrgRow,
    /// The organization looked at (its children sit one step in).
    focus: bool,
    depth: usize,
    /// How many organizations lie directly under it, when any.
    down: Option<i64>,
}

impl TreeRow {
    fn of(level: org::Level) -> (Option<String>, Vec<TreeRow>) {
        let name = level.focus.as_ref().map(|f| f.org.name.clone());
        let depth = usize::from(level.focus.is_some());
        let mut rows: Vec<TreeRow> = level
            .focus
            .into_iter()
            .map(|row| TreeRow {
                row,
                focus: true,
                depth: 0,
                down: None,
            })
            .collect();
        rows.extend(level.rows.into_iter().map(|(row, n)| TreeRow {
            row,
            focus: false,
            depth,
            down: (n > 0).then_some(n),
        }));
        (name, rows)
    }
}

impl OrgsPage {
    fn parent_hint(&self) -> &'static str {
        if self.can_create_top {
            "不选即为顶级组织；输入名称选择上级组织"
        } else {
            "输入上级组织名称选择"
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    ok: Option<String>,
    /// The organization whose level is shown (empty: the top of the scope).
    org: Option<String>,
}

async fn build(
    a: &Auth,
    focus: Option<&str>,
    ok: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewOrgs).await?;
    let today = tongpin_core::clock::beijing(a.now()).date_naive();
    let focus = focus.map(str::trim).filter(|s| !s.is_empty());
    let mut level = org::level(&a.state.db, &scope, focus, today).await?;
    let trail = std::mem::take(&mut level.trail);
    let (focus, rows) = TreeRow::of(level);
    let page = OrgsPage {
        shell: Shell::new(a, "/orgs", &["组织管理", "组织架构"]),
        trail,
        focus,
        rows,
        can_manage: a.who.can(Power::ManageOrgs),
        can_create_top: a.who.scope(Power::ManageOrgs).is_some_and(|s| s.is_all()),
        kinds: OrgKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        ok: ok.map(|m| m.chars().take(60).collect()),
        error,
    };
    Ok(Html(render(&page)))
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    build(&a, q.org.as_deref(), q.ok, None).await
}

async fn outcome(a: &Auth, r: Result<(), Error>, ok: &str) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/orgs?ok={}", urlencode(ok))).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_) | Error::NotFound(_))) => {
            match build(a, None, None, Some(e.to_string())).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => e.into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    founded_on: String,
}

pub async fn create(a: Auth, Form(f): Form<CreateForm>) -> Response {
    let scope = match a.require(Power::ManageOrgs).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let new = NewOrg {
        name: f.name,
        kind: f.kind,
        parent_id: Some(f.parent_id),
        founded_on: Some(f.founded_on),
    };
    let r = org::create(&a.state.db, a.now(), &a.actor(), &scope, new)
        .await
        .map(|_| ());
    outcome(&a, r, "组织已新增").await
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

pub async fn rename(a: Auth, Path(id): Path<String>, Form(f): Form<RenameForm>) -> Response {
    let scope = match a.require(Power::ManageOrgs).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let r = org::rename(&a.state.db, a.now(), &a.actor(), &scope, &id, &f.name).await;
    outcome(&a, r, "组织已更名").await
}

#[derive(Template)]
#[template(path = "orgs/elections.html")]
struct ElectionsPage {
    shell: Shell,
    rows: Vec<OrgRow>,
}

impl ElectionsPage {
    /// Days ahead a re-election is announced, from the rule table.
    fn warning_days(&self) -> i64 {
        tongpin_core::rules::structure::REELECTION_WARNING_DAYS
    }
}

/// 换届提醒: every organization with its term end, the due and overdue first.
pub async fn elections(a: Auth) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewOrgs).await?;
    let today = tongpin_core::clock::beijing(a.now()).date_naive();
    let mut rows: Vec<OrgRow> = org::overview(&a.state.db, &scope, today)
        .await?
        .into_iter()
        .filter(|r| r.org.dissolved_at.is_none() && r.org.kind != "group")
        .collect();
    rows.sort_by_key(|r| r.next_election.unwrap_or(chrono::NaiveDate::MIN));
    Ok(Html(render(&ElectionsPage {
        shell: Shell::new(&a, "/orgs/elections", &["组织管理", "换届提醒"]),
        rows,
    })))
}
