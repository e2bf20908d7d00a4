//! 业务单元: the business-unit tree, and attaching organizations to units.
use crate::extract::{urlencode, ApiJson, Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::{ApiError, PageError};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::org::{self, Unit, UNIT_KINDS};
use tongpin_core::Error;

pub struct UnitRow {
    pub u: Unit,
    /// (org id, org name) attached to the unit.
    pub orgs: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "orgs/units.html")]
struct UnitsPage {
    shell: Shell,
    rows: Vec<UnitRow>,
    kinds: Vec<&'static str>,
    can_manage: bool,
    /// (id, name) the caller may make a unit's owner; "" = the whole system's.
    owners: Vec<(String, String)>,
    ok: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct UnitsQuery {
    ok: Option<String>,
}

async fn build(a: &Auth, ok: Option<String>, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewOrgs).await?;
    let db = &a.state.db;
    let links = org::attachments(db, &scope).await?;
    let mut owners = Vec::new();
    if let Some(manage) = a.who.scope(Power::ManageOrgs) {
        if manage.is_all() {
            owners.push((String::new(), "全系统（各组织共用）".to_string()));
        }
        owners.extend(org::scope_roots(db, &manage).await?.into_iter().map(|o| (o.id, o.name)));
    }
    let rows = org::list_units(db, &scope)
        .await?
        .into_iter()
        .map(|u| UnitRow {
            orgs: links
                .iter()
                .filter(|(uid, ..)| *uid == u.id)
                .map(|(_, id, name)| (id.clone(), name.clone()))
                .collect(),
            u,
        })
        .collect();
    let page = UnitsPage {
        shell: Shell::new(a, "/units", &["组织管理", "业务单元"]),
        rows,
        kinds: UNIT_KINDS.to_vec(),
        can_manage: !owners.is_empty(),
        owners,
        ok: ok.map(|m| m.chars().take(60).collect()),
        error,
    };
    Ok(Html(render(&page)))
}

pub async fn page(a: Auth, Query(q): Query<UnitsQuery>) -> Result<Html<String>, PageError> {
    Ok(build(&a, q.ok, None).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnitForm {
    name: String,
    kind: String,
    parent_id: String,
    owner_org_id: String,
    unit_id: String,
}

pub async fn create(a: Auth, Form(f): Form<UnitForm>) -> Response {
    let scope = match a.require(Power::ManageOrgs).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let new = org::NewUnit {
        name: f.name,
        kind: f.kind,
        parent_id: Some(f.parent_id),
        owner_org_id: Some(f.owner_org_id),
    };
    match org::create_unit(&a.state.db, a.now(), &a.actor(), &scope, new).await {
        Ok(_) => Redirect::to(&format!("/units?ok={}", urlencode("已新增业务单元"))).into_response(),
        Err(e @ Error::Invalid { .. }) => match build(&a, None, Some(e.to_string())).await {
            Ok(h) => (StatusCode::UNPROCESSABLE_ENTITY, h).into_response(),
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

async fn link(a: Auth, org_id: String, unit_id: String, on: bool) -> Response {
    let scope = match a.require(Power::ManageOrgs).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let msg = if on { "已关联业务单元" } else { "已取消关联" };
    match org::attach(&a.state.db, a.now(), &a.actor(), &scope, &org_id, &unit_id, on).await {
        Ok(()) => Redirect::to(&format!("/orgs/{org_id}?ok={}", urlencode(msg))).into_response(),
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn attach(a: Auth, Path(id): Path<String>, Form(f): Form<UnitForm>) -> Response {
    link(a, id, f.unit_id, true).await
}

pub async fn detach(a: Auth, Path((id, unit)): Path<(String, String)>) -> Response {
    link(a, id, unit, false).await
}

pub async fn api_list(a: Auth) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewOrgs).await?;
    let items = org::list_units(&a.state.db, &scope).await?;
    Ok(Json(json!({ "items": items, "total": items.len() })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    name: String,
    kind: String,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    owner_org_id: Option<String>,
}

pub async fn api_create(a: Auth, ApiJson(b): ApiJson<NewUnit>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = a.require(Power::ManageOrgs).await?;
    let new = org::NewUnit {
        name: b.name,
        kind: b.kind,
        parent_id: b.parent_id,
        owner_org_id: b.owner_org_id,
    };
    let id = org::create_unit(&a.state.db, a.now(), &a.actor(), &scope, new).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}
