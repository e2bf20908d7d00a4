//! The 一岗双责 page: pick an organization and a year; each leader's two
//! lists with how much is done; the forms to add a duty and mark one done.
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::routes::standard::{this_year, today};
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::assess::duties::{self, Duty, DutyList, NewDuty};
use tongpin_core::auth::Power;
use tongpin_core::{org, Error};

#[derive(serde::Deserialize, Default, Clone)]
pub struct Pick {
    org: Option<String>,
    year: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "duties/page.html")]
struct DutiesPage {
    shell: Shell,
    org_path: String,
    org_id: String,
    year: i64,
    years: Vec<i64>,
    lists: Vec<DutyList>,
    can_manage: bool,
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
    typed: Vec<(String, String)>,
}

impl DutiesPage {
    fn typed(&self, k: &str) -> String {
        self.typed
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    fn cn_date(&self, d: &str) -> String {
        crate::fmt::cn_date(d)
    }
    /// A leader's duties, business first, each with its side's label.
    fn rows<'a>(&self, l: &'a DutyList) -> Vec<(&'static str, &'a Duty)> {
        let business = l.business.iter().map(|d| ("业务职责", d));
        business.chain(l.party.iter().map(|d| ("党建职责", d))).collect()
    }
}

async fn duties_page(
    a: &Auth,
    org: &str,
    year: &str,
    notice: Option<&'static str>,
    error: Option<String>,
    typed: Vec<(String, String)>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let (o, org_path) = crate::org_choice::chosen(db, &scope, Some(org)).await?;
    let year = year.trim().parse().unwrap_or_else(|_| this_year(a));
    let org_id = o.id;
    let lists = duties::lists(db, &scope, &org_id, year).await?;
    let can_manage = match a.who.scope(Power::ManageAssessment) {
        Some(m) => org::get(db, &m, &org_id).await.is_ok(),
        _ => false,
    };
    let now = this_year(a);
    Ok(Html(render(&DutiesPage {
        shell: Shell::new(a, "/duties", &["考评", "一岗双责"]),
        org_path,
        org_id,
        year,
        years: (now - 4..=now + 1).rev().collect(),
        lists,
        can_manage,
        today: today(a),
        notice,
        error,
        typed,
    })))
}

pub async fn page(a: Auth, Query(q): Query<Pick>) -> Result<Html<String>, PageError> {
    let notice = match q.done.as_deref() {
        Some("added") => Some("职责已列入清单。"),
        Some("marked") => Some("已更新完成情况。"),
        _ => None,
    };
    let (org, year) = (q.org.unwrap_or_default(), q.year.unwrap_or_default());
    Ok(duties_page(&a, &org, &year, notice, None, Vec::new()).await?)
}

fn back(org: &str, year: &str, done: &str) -> Response {
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("org", org.trim())
        .append_pair("year", year.trim())
        .append_pair("done", done)
        .finish();
    Redirect::to(&format!("/duties?{q}")).into_response()
}

pub async fn add(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(f.clone());
    let (org, year) = (fields.get("org_id").to_string(), fields.get("year").to_string());
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        let y = year
            .trim()
            .parse::<i64>()
            .map_err(|_| Error::invalid("年度", "请选择年度"))?;
        let new = NewDuty {
            org_id: org.clone(),
            year: y,
            person_id: fields.get("person_id").into(),
            side: fields.get("side").into(),
            duty: fields.get("duty").into(),
        };
        duties::add(&a.state.db, a.now(), &a.actor(), &scope, new).await
    }
    .await;
    match res {
        Ok(_) => back(&org, &year, "added"),
        Err(e) => {
            let msg = e.to_string();
            refused(e, duties_page(&a, &org, &year, None, Some(msg), f)).await
        }
    }
}

pub async fn done(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(f.clone());
    let (org, year) = (fields.get("org_id").to_string(), fields.get("year").to_string());
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        duties::set_done(
            &a.state.db,
            a.now(),
            &a.actor(),
            &scope,
            &id,
            fields.get("done_on"),
            fields.get("note"),
        )
        .await
    }
    .await;
    match res {
        Ok(()) => back(&org, &year, "marked"),
        Err(e) => {
            let msg = e.to_string();
            refused(e, duties_page(&a, &org, &year, None, Some(msg), f)).await
        }
    }
}
