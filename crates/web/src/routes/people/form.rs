use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::people::{self, NewPerson, Status};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    shell: Shell,
    /// None for a new person.
    id: Option<String>,
    p: NewPerson,
    /// The chosen organization's name path, kept when the form comes back.
    org_path: String,
    statuses: Vec<&'static str>,
    error: Option<String>,
}

/// The form as posted: check boxes arrive as "on" or not at all.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PersonForm {
    name: String,
    gender: String,
    citizen_id: String,
    phone: String,
    org_id: String,
    status: String,
    joined_on: String,
    full_on: String,
    birth_date: String,
    ethnicity: String,
    education: String,
    party_post: String,
    admin_post: String,
    affairs_worker: String,
    backbone: Option<String>,
    double_high: Option<String>,
}

impl From<PersonForm> for NewPerson {
    fn from(f: PersonForm) -> NewPerson {
        NewPerson {
            name: f.name,
            gender: f.gender,
            citizen_id: f.citizen_id,
            phone: f.phone,
            org_id: f.org_id,
            status: f.status,
            joined_on: f.joined_on,
            full_on: f.full_on,
            birth_date: f.birth_date,
            ethnicity: f.ethnicity,
            education: f.education,
            party_post: f.party_post,
            admin_post: f.admin_post,
            affairs_worker: f.affairs_worker,
            backbone: f.backbone.is_some(),
            double_high: f.double_high.is_some(),
        }
    }
}

async fn page(a: &Auth, id: Option<String>, p: NewPerson, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManagePeople).await?;
    let org_path = crate::org_choice::shown(&a.state.db, &scope, &p.org_id).await?;
    let crumb = if id.is_some() { "编辑人员" } else { "新增人员" };
    Ok(Html(render(&FormPage {
        shell: Shell::new(a, "/people", &["党员管理", "党员名册", crumb]),
        id,
        p,
        org_path,
        statuses: Status::ALL.iter().map(|s| s.label()).collect(),
        error,
    })))
}

pub async fn new_page(a: Auth) -> Result<Html<String>, PageError> {
    let p = NewPerson {
        status: Status::Full.label().into(),
        ethnicity: "汉族".into(),
        ..NewPerson::default()
    };
    Ok(page(&a, None, p, None).await?)
}

/// The stored person as form text. The full citizen ID and phone are not
/// shown: left empty, they keep their stored values.
pub async fn edit_page(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ManagePeople).await?;
    let x = people::get(&a.state.db, &scope, &id).await?;
    let p = NewPerson {
        name: x.name.clone(),
        gender: x.gender_label().into(),
        citizen_id: String::new(),
        phone: String::new(),
        org_id: x.org_id.clone(),
        status: x.status_label().into(),
        joined_on: x.joined_on.clone().unwrap_or_default(),
        full_on: x.full_on.clone().unwrap_or_default(),
        birth_date: x.birth_date.clone().unwrap_or_default(),
        ethnicity: x.ethnicity.clone(),
        education: x.education.clone(),
        party_post: x.party_post.clone(),
        admin_post: x.admin_post.clone(),
        affairs_worker: x.affairs_label().into(),
        backbone: x.backbone,
        double_high: x.double_high,
    };
    Ok(page(&a, Some(id), p, None).await?)
}

async fn answer(a: &Auth, id: Option<String>, p: NewPerson, r: Result<String, Error>) -> Response {
    match r {
        Ok(id) => Redirect::to(&format!("/people/{id}")).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => match page(a, id, p, Some(e.to_string())).await {
            Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn create(a: Auth, Form(f): Form<PersonForm>) -> Response {
    let scope = match a.require(Power::ManagePeople).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let p: NewPerson = f.into();
    let r = people::create(&a.state.db, a.now(), &a.actor(), &scope, &p).await;
    answer(&a, None, p, r).await
}

pub async fn update(a: Auth, Path(id): Path<String>, Form(f): Form<PersonForm>) -> Response {
    let scope = match a.require(Power::ManagePeople).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let p: NewPerson = f.into();
    let r = people::update(&a.state.db, a.now(), &a.actor(), &scope, &id, &p)
        .await
        .map(|_| id.clone());
    answer(&a, Some(id), p, r).await
}
