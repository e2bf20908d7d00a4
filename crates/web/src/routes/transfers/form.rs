//! The forms: a transfer of a person on the roster (internal or out), and
//! a transfer in from outside (a new person on the roster).
use crate::extract::{Auth, Form};
use crate::org_choice;
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::org;
use tongpin_core::people::{self, NewPerson, Person};
use tongpin_core::transfer::{self, NewTransfer};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "transfers/new.html")]
struct NewPage {
    shell: Shell,
    /// None when no person was chosen, or the one chosen cannot be found.
    person: Option<Person>,
    org: String,
    t: NewTransfer,
    /// The chosen destination's name path, kept when the form comes back.
    to_path: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    person: Option<String>,
}

/// The form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TransferForm {
    person_id: String,
    kind: String,
    to_org_id: String,
    outside_org: String,
    reason: String,
}

async fn new_form(a: &Auth, person_id: &str, t: NewTransfer, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManagePeople).await?;
    let db = &a.state.db;
    let person = match person_id.trim() {
        "" => None,
        id => people::get(db, &scope, id).await.ok(),
    };
    let org = match &person {
        Some(p) => org::name_path_of(db, &p.org_id).await?.unwrap_or_default(),
        None => String::new(),
    };
    // The destination may lie anywhere in the system: its path is read as is.
    let to_path = match t.to_org_id.trim() {
        "" => String::new(),
        id => org::name_path_of(db, id).await?.unwrap_or_default(),
    };
    let error = error.or_else(|| match &person {
        None if !person_id.trim().is_empty() => Some("人员不存在或不在您的管理范围内".into()),
        Some(p) => p
            .left_on
            .as_ref()
            .map(|d| format!("{}已于 {d} 转出本系统，不能再办理转接", p.name)),
        None => None,
    });
    Ok(Html(render(&NewPage {
        shell: Shell::new(a, "/transfers", &["党员管理", "组织关系转接", "发起转接"]),
        person,
        org,
        t,
        to_path,
        error,
    })))
}

pub async fn new_page(a: Auth, Query(q): Query<NewQuery>) -> Result<Html<String>, PageError> {
    let id = q.person.unwrap_or_default();
    let t = NewTransfer {
        kind: "internal".into(),
        person_id: id.clone(),
        ..NewTransfer::default()
    };
    Ok(new_form(&a, &id, t, None).await?)
}

/// A refusal of the input re-renders the form (422) with the message.
async fn refused(e: Error, page: impl std::future::Future<Output = Result<Html<String>, Error>>) -> Response {
    match page.await {
        Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
        Err(_) => PageError(e).into_response(),
    }
}

pub async fn create(a: Auth, Form(f): Form<TransferForm>) -> Response {
    let scope = match a.require(Power::ManagePeople).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let t = NewTransfer {
        kind: f.kind,
        person_id: f.person_id,
        to_org_id: f.to_org_id,
        outside_org: f.outside_org,
        reason: f.reason,
        ..NewTransfer::default()
    };
    match transfer::request(&a.state.db, a.now(), &a.actor(), &scope, &t).await {
        Ok(id) if t.kind == "out" => Redirect::to(&format!("/transfers?tab=out&done=out&id={id}")).into_response(),
        Ok(_) => Redirect::to("/transfers?tab=out&done=request").into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let (msg, person_id) = (e.to_string(), t.person_id.clone());
            refused(e, new_form(&a, &person_id, t, Some(msg))).await
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "transfers/in.html")]
struct InPage {
    shell: Shell,
    p: NewPerson,
    outside_org: String,
    letter_no: String,
    reason: String,
    org_path: String,
    error: Option<String>,
}

/// The transfer-in form as posted: the person's fields, the outside
/// organization and its letter.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InForm {
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
    outside_org: String,
    letter_no: String,
    reason: String,
}

async fn in_form(a: &Auth, t: NewTransfer, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManagePeople).await?;
    let p = t.person.unwrap_or_default();
    let org_path = org_choice::shown(&a.state.db, &scope, &p.org_id).await?;
    Ok(Html(render(&InPage {
        shell: Shell::new(a, "/transfers", &["党员管理", "组织关系转接", "从系统外转入"]),
        p,
        outside_org: t.outside_org,
        letter_no: t.letter_no,
        reason: t.reason,
        org_path,
        error,
    })))
}

pub async fn in_page(a: Auth) -> Result<Html<String>, PageError> {
    let t = NewTransfer {
        kind: "in".into(),
        person: Some(NewPerson {
            status: "正式党员".into(),
            ethnicity: "汉族".into(),
            ..NewPerson::default()
        }),
        ..NewTransfer::default()
    };
    Ok(in_form(&a, t, None).await?)
}

pub async fn in_submit(a: Auth, Form(f): Form<InForm>) -> Response {
    let scope = match a.require(Power::ManagePeople).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let t = NewTransfer {
        kind: "in".into(),
        outside_org: f.outside_org,
        letter_no: f.letter_no,
        reason: f.reason,
        person: Some(NewPerson {
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
            ..NewPerson::default()
        }),
        ..NewTransfer::default()
    };
    match transfer::request(&a.state.db, a.now(), &a.actor(), &scope, &t).await {
        Ok(_) => Redirect::to("/transfers?tab=all&done=in").into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let msg = e.to_string();
            refused(e, in_form(&a, t, Some(msg))).await
        }
        Err(e) => PageError(e).into_response(),
    }
}
