//! 指标接口令牌: tokens a business system uses to send one organization's
//! KPI values; shown once, revocable.
use super::{focus, FocusQuery};
use crate::extract::Fields;
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use tongpin_core::auth::Power;
use tongpin_core::clock::format_beijing;
use tongpin_core::plan::tokens::{self, KpiToken};

#[derive(Template)]
#[template(path = "plan/tokens.html")]
struct Page {
    shell: Shell,
    org_id: String,
    org_name: String,
    list: Vec<KpiToken>,
    fresh: Option<String>,
}

impl Page {
    fn at(&self, ms: &i64) -> String {
        format_beijing(*ms)
    }
}

async fn show(a: &Auth, q: &FocusQuery, fresh: Option<String>) -> Result<Html<String>, PageError> {
    let f = focus(a, Power::ManagePlan, q).await?;
    let list = tokens::list(&a.state.db, &f.scope, &f.org_id).await?;
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/plan", &["同谋划", "指标接口令牌"]),
        org_id: f.org_id,
        org_name: f.org_name,
        list,
        fresh,
    })))
}

pub async fn page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    show(&a, &q, None).await
}

/// Issues a token and shows it once, on this response only.
pub async fn issue(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Result<Html<String>, PageError> {
    let f = Fields(f);
    let scope = a.require(Power::ManagePlan).await?;
    let org = f.get("org_id").to_string();
    let (_, token) = tokens::issue(&a.state.db, a.now(), &a.actor(), &scope, &org, f.get("name")).await?;
    let q = FocusQuery {
        org: Some(org),
        ..FocusQuery::default()
    };
    show(&a, &q, Some(token)).await
}

pub async fn revoke(
    a: Auth,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    tokens::revoke(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(Redirect::to(&format!("/plan/tokens?org={}", Fields(f).get("org_id"))))
}
