//! 必修课程: the courses required of an organization (its own and its
//! superiors') and each member's completion, by name; adding a course.
use super::{hours, refused, Fields};
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::routes::plan::{focus, Focus, FocusQuery};
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::study::summary::{self, Branch};
use tongpin_core::study::{courses, Course, NewCourse};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "study/courses.html")]
struct Page {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    courses: Vec<Course>,
    b: Branch,
    can_manage: bool,
    c: NewCourse,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl Page {
    fn hours(&self, t: &i64) -> String {
        hours(t)
    }
}

async fn page_of(a: &Auth, q: &FocusQuery, c: NewCourse, error: Option<String>) -> Result<Html<String>, Error> {
    let f = focus(a, Power::ViewStudy, q).await?;
    let db = &a.state.db;
    let org = tongpin_core::org::get(db, &f.scope, &f.org_id).await?;
    let can_manage = a
        .who
        .scope(Power::ManageStudy)
        .is_some_and(|s| s.contains_path(&org.path))
        && org.dissolved_at.is_none();
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/study/records", &["组织生活", "必修课程"]),
        tab: "courses",
        courses: courses::for_org(db, &f.scope, &f.org_id, f.year).await?,
        b: summary::branch(db, &f.scope, &f.org_id, f.year).await?,
        notice: match (error.is_some(), q.done.as_deref()) {
            (false, Some("course")) => Some("必修课程已添加，适用于本组织及下级组织。"),
            _ => None,
        },
        f,
        can_manage,
        c,
        error,
    })))
}

pub async fn page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    Ok(page_of(&a, &q, NewCourse::default(), None).await?)
}

pub async fn create(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let c = NewCourse {
        org_id: f.get("org_id").into(),
        year: f.get("year").trim().parse().unwrap_or(0),
        title: f.get("title").into(),
        hours: f.get("hours").into(),
    };
    let q = FocusQuery {
        org: Some(c.org_id.clone()),
        year: Some(c.year.to_string()),
        ..FocusQuery::default()
    };
    let scope = match a.require(Power::ManageStudy).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    match courses::create(&a.state.db, a.now(), &a.actor(), &scope, c.clone()).await {
        Ok(_) => Redirect::to(&format!("/study/courses?org={}&year={}&done=course", c.org_id, c.year)).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, page_of(&a, &q, c, Some(msg))).await
        }
    }
}
