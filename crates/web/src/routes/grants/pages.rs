use crate::extract::{urlencode, Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::{self, Account, GrantRow, Power, Role};
use tongpin_core::org::{self, Org};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "admin/grants.html")]
struct GrantsPage {
    shell: Shell,
    grants: Vec<GrantRow>,
    accounts: Vec<Account>,
    orgs: Vec<Org>,
    roles: Vec<(&'static str, &'static str)>,
    ok: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    ok: Option<String>,
}

async fn render_list(a: &Auth, ok: Option<String>, error: Option<String>) -> Result<Html<String>, PageError> {
    a.require(Power::GrantRoles).await?;
    let db = &a.state.db;
    let scope = a.require(Power::ViewOrgs).await?;
    let page = GrantsPage {
        shell: Shell::new(a, "/admin/grants", &["系统管理", "角色授权"]),
        grants: auth::list_grants(db, None).await?,
        accounts: auth::list_accounts(db, None, 0, 10_000)
            .await?
            .0
            .into_iter()
            .filter(|x| !x.disabled)
            .collect(),
        orgs: org::list(db, &scope).await?,
        roles: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        ok: ok.map(|m| m.chars().take(60).collect()),
        error,
    };
    Ok(Html(render(&page)))
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    render_list(&a, q.ok, None).await
}

async fn outcome(a: &Auth, r: Result<(), Error>, ok: &str) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/admin/grants?ok={}", urlencode(ok))).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_) | Error::NotFound(_))) => {
            match render_list(a, None, Some(e.to_string())).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => e.into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    account_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    org_id: String,
}

pub async fn create(a: Auth, Form(f): Form<GrantForm>) -> Response {
    if let Err(e) = a.require(Power::GrantRoles).await {
        return PageError(e).into_response();
    }
    let r = match Role::from_code(&f.role) {
        None => Err(Error::invalid("角色", "请选择角色")),
        Some(role) => {
            let org = if role.is_separated_admin() {
                None
            } else {
                Some(f.org_id.as_str())
            };
            auth::grant_role(&a.state.db, a.now(), &a.actor(), &f.account_id, role, org)
                .await
                .map(|_| ())
        }
    };
    outcome(&a, r, "已授予角色").await
}

pub async fn revoke(a: Auth, Path(id): Path<String>) -> Response {
    if let Err(e) = a.require(Power::GrantRoles).await {
        return PageError(e).into_response();
    }
    let r = auth::revoke_grant(&a.state.db, a.now(), &a.actor(), &id).await;
    outcome(&a, r, "已撤销角色").await
}
