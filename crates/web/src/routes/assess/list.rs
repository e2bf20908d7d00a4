//! 考评任务: the assessments the caller sees — made by their organizations,
//! or assessing them — searched by year and assessing organization.
use super::status_tag;
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use tongpin_core::assess::{read, Assessment};
use tongpin_core::auth::Power;
use tongpin_core::org;

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    year: Option<String>,
    org: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "assess/list.html")]
struct ListPage {
    shell: Shell,
    /// The year shown; None: every year.
    year: Option<i64>,
    years: Vec<i64>,
    /// Assessing organizations to choose: (id, name path).
    /// The filter's organization path (empty: all).
    org_path: String,
    org: String,
    rows: Vec<Assessment>,
    can_create: bool,
    notice: Option<&'static str>,
}

impl ListPage {
    fn is_year(&self, y: &i64) -> bool {
        self.year == Some(*y)
    }
    fn tag(&self, x: &Assessment) -> (&'static str, &'static str) {
        status_tag(x)
    }
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let now_year = crate::routes::standard::this_year(&a);
    let year = match q.year.as_deref().map(str::trim) {
        Some("all") => None,
        Some(y) => Some(y.parse().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or(now_year)),
        None => Some(now_year),
    };
    let org = q.org.unwrap_or_default().trim().to_string();
    let org_path = match org.as_str() {
        "" => String::new(),
        id => crate::org_choice::path_of(db, &org::get(db, &scope, id).await?).await?,
    };
    let rows = read::list(db, &scope, Some(&org), None)
        .await?
        .into_iter()
        .filter(|x| year.is_none_or(|y| x.period.starts_with(&y.to_string())))
        .collect();
    let notice = match q.done.as_deref() {
        Some("created") => Some("考评任务已创建。"),
        _ => None,
    };
    Ok(Html(render(&ListPage {
        shell: Shell::new(&a, "/assessments", &["考评", "考评任务"]),
        can_create: a.who.can(Power::ManageAssessment),
        years: (now_year - 3..=now_year + 1).rev().collect(),
        year,
        org_path,
        org,
        rows,
        notice,
    })))
}
