//! 书记培训 and 基础保障: the secretaries of a subtree with the class hours
//! they took in a year, the training records and the form that adds one;
//! each organization's staff, budget and venue for a year, and the form
//! that records (or replaces) them.
use super::this_year;
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::org::Org;
use tongpin_core::standard::resources::{self, NewResources, Resources};
use tongpin_core::standard::training::{self, NewTraining, SecretaryHours, Training};
use tongpin_core::Error;

#[derive(serde::Deserialize, Default)]
pub struct Params {
    pub org: Option<String>,
    pub year: Option<String>,
    pub done: Option<String>,
}

/// The page's organization (the one asked for, or the caller's first) and year, with the choices.
struct Pick {
    root: Org,
    root_path: String,
    year: i64,
    years: Vec<i64>,
    /// Whether the caller records for the organizations of the page.
    manage: bool,
}

async fn pick(a: &Auth, org_id: Option<&str>, year: Option<&str>) -> Result<Pick, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let (root, root_path) = crate::org_choice::chosen(db, &scope, org_id).await?;
    let now_year = this_year(a);
    let year = year
        .and_then(|y| y.trim().parse().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(now_year);
    let manage = a
        .who
        .scope(Power::ManageStandard)
        .is_some_and(|m| m.contains_path(&root.path));
    Ok(Pick {
        root_path,
        years: (now_year - 3..=now_year).rev().collect(),
        root,
        year,
        manage,
    })
}

/// Tenths of a class hour as read: "16", "1.5".
fn hours(tenths: i64) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

#[derive(Template)]
#[template(path = "standard/training.html")]
struct TrainingPage {
    shell: Shell,
    p: Pick,
    /// The path of the organization the form keeps.
    org_path: String,
    secretaries: Vec<SecretaryHours>,
    rows: Vec<Training>,
    f: Fields,
    error: Option<String>,
    done: bool,
}

impl TrainingPage {
    fn hours(&self, tenths: &i64) -> String {
        hours(*tenths)
    }
    fn val(&self, k: &str) -> String {
        self.f.get(k).to_string()
    }
}

async fn training_page(a: &Auth, q: &Params, f: Fields, error: Option<String>) -> Result<Html<String>, Error> {
    let p = pick(a, q.org.as_deref(), q.year.as_deref()).await?;
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    Ok(Html(render(&TrainingPage {
        shell: Shell::new(a, "/standards/training", &["标准化建设", "书记培训"]),
        secretaries: training::secretaries(db, &scope, &p.root.id, p.year).await?,
        rows: training::list(db, &scope, &p.root.id, p.year).await?,
        done: q.done.as_deref() == Some("added"),
        org_path: crate::org_choice::shown(db, &scope, f.get("org_id")).await?,
        p,
        f,
        error,
    })))
}

pub async fn training_list(a: Auth, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    Ok(training_page(&a, &q, Fields(Vec::new()), None).await?)
}

pub async fn training_add(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        crate::org_choice::submitted(&a.state.db, &scope, f.get("org_id"), "所在组织").await?;
        let new = NewTraining {
            person_id: f.get("person_id").into(),
            org_id: f.get("org_id").into(),
            title: f.get("title").into(),
            organizer: f.get("organizer").into(),
            started_on: f.get("started_on").into(),
            ended_on: f.get("ended_on").into(),
            hours: f.get("hours").into(),
        };
        training::record(&a.state.db, a.now(), &a.actor(), &scope, new).await
    }
    .await;
    match res {
        Ok(_) => Redirect::to("/standards/training?done=added").into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, training_page(&a, &Params::default(), f, Some(msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "standard/resources.html")]
struct ResourcesPage {
    shell: Shell,
    p: Pick,
    /// The path of the organization the form keeps.
    org_path: String,
    rows: Vec<Resources>,
    f: Fields,
    error: Option<String>,
    done: bool,
}

impl ResourcesPage {
    fn val(&self, k: &str) -> String {
        self.f.get(k).to_string()
    }
}

async fn resources_page(a: &Auth, q: &Params, f: Fields, error: Option<String>) -> Result<Html<String>, Error> {
    let p = pick(a, q.org.as_deref(), q.year.as_deref()).await?;
    let scope = a.require(Power::ViewStandard).await?;
    Ok(Html(render(&ResourcesPage {
        shell: Shell::new(a, "/standards/resources", &["标准化建设", "基础保障"]),
        rows: resources::list(&a.state.db, &scope, &p.root.id, p.year).await?,
        done: q.done.as_deref() == Some("saved"),
        org_path: crate::org_choice::shown(&a.state.db, &scope, f.get("org_id")).await?,
        p,
        f,
        error,
    })))
}

pub async fn resources_list(a: Auth, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    Ok(resources_page(&a, &q, Fields(Vec::new()), None).await?)
}

fn count(f: &Fields, k: &str, field: &str) -> Result<i64, Error> {
    match f.get(k).trim() {
        "" => Ok(0),
        s => s.parse().map_err(|_| Error::invalid(field, format!("“{s}”不是整数"))),
    }
}

pub async fn resources_save(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let year = f
            .get("year")
            .trim()
            .parse()
            .map_err(|_| Error::invalid("年度", "请填写四位年份，如 2026"))?;
        crate::org_choice::submitted(&a.state.db, &scope, f.get("org_id"), "组织").await?;
        let new = NewResources {
            org_id: f.get("org_id").into(),
            year,
            full_time_staff: count(&f, "full_time_staff", "专职党务人员")?,
            part_time_staff: count(&f, "part_time_staff", "兼职党务人员")?,
            budget_yuan: f.get("budget_yuan").into(),
            venue: f.get("venue").into(),
            venue_area: count(&f, "venue_area", "活动场所面积")?,
            note: f.get("note").into(),
        };
        resources::set(&a.state.db, a.now(), &a.actor(), &scope, new).await
    }
    .await;
    match res {
        Ok(()) => Redirect::to(&format!(
            "/standards/resources?year={}&done=saved",
            f.get("year").trim()
        ))
        .into_response(),
        Err(e) => {
            let msg = e.to_string();
            let q = Params {
                year: Some(f.get("year").to_string()),
                ..Default::default()
            };
            refused(e, resources_page(&a, &q, f, Some(msg))).await
        }
    }
}
