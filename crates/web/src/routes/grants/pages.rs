use crate::extract::{urlencode, Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::{self, cap, Account, GrantRow, Power, Role};
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

/// Whether a grant is of an admin kind (三员): made by the command line, not
/// revocable here.
fn is_admin_kind(g: &GrantRow) -> bool {
    Role::from_code(&g.role).is_some_and(Role::is_separated_admin)
}

async fn render_list(a: &Auth, ok: Option<String>, error: Option<String>) -> Result<Html<String>, PageError> {
    a.capability::<cap::Grants>().await?;
    let db = &a.state.db;
    let scope = a.require(Power::ViewOrgs).await?;
    let grants = auth::list_grants(db, None).await?;
    // Only what the security admin can grant, to whom it can be granted.
    let admins: Vec<&str> = grants
        .iter()
        .filter(|g| is_admin_kind(g))
        .map(|g| g.account_id.as_str())
        .collect();
    let accounts = auth::list_accounts(db, None, 0, 10_000)
        .await?
        .0
        .into_iter()
        .filter(|x| !x.disabled && !admins.contains(&x.id.as_str()))
        .collect();
    let page = GrantsPage {
        shell: Shell::new(a, "/admin/grants", &["系统管理", "角色授权"]),
        grants: grants.into_iter().filter(|g| !is_admin_kind(g)).collect(),
        accounts,
        orgs: org::list(db, &scope).await?,
        roles: Role::ALL
            .iter()
            .filter(|r| !r.is_separated_admin())
            .map(|r| (r.code(), r.label()))
            .collect(),
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
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_) | Error::NotFound(_) | Error::Forbidden(_))) => {
            let status = match e {
                Error::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            match render_list(a, None, Some(e.to_string())).await {
                Ok(html) => (status, html).into_response(),
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
    let by = match a.capability::<cap::Grants>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    let r = match Role::from_code(&f.role) {
        None => Err(Error::invalid("角色", "请选择角色")),
        Some(role) => auth::grant_role(
            &a.state.db,
            a.now(),
            &a.actor(),
            &by,
            &f.account_id,
            role,
            Some(&f.org_id),
        )
        .await
        .map(|_| ()),
    };
    outcome(&a, r, "已授予角色").await
}

pub async fn revoke(a: Auth, Path(id): Path<String>) -> Response {
    let by = match a.capability::<cap::Grants>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    let r = auth::revoke_grant(&a.state.db, a.now(), &a.actor(), &by, &id).await;
    outcome(&a, r, "已撤销角色").await
}
