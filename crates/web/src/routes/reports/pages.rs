//! The reports of a year the caller reads, and one report: the form while
//! it is a draft of the caller's own organization, the text once submitted.
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::routes::standard::{this_year, when};
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::assess::report::{self, Report, ReportInput};
use tongpin_core::assess::report_list::{self, ReportRow};
use tongpin_core::auth::Power;
use tongpin_core::{org, Error};

#[derive(serde::Deserialize, Default, Clone)]
pub struct Pick {
    org: Option<String>,
    person: Option<String>,
    year: Option<String>,
    done: Option<String>,
}

fn year_of(a: &Auth, y: &Option<String>) -> i64 {
    y.as_deref()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or_else(|| this_year(a))
}

#[derive(Template)]
#[template(path = "reports/list.html")]
struct ListPage {
    shell: Shell,
    year: i64,
    years: Vec<i64>,
    rows: Vec<ReportRow>,
    /// The first organization the caller writes reports for (id, name path); None when none.
    own: Option<(String, String)>,
}

impl ListPage {
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(when).unwrap_or_default()
    }
    fn when(&self, ms: &i64) -> String {
        when(*ms)
    }
}

pub async fn list(a: Auth, Query(q): Query<Pick>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let year = year_of(&a, &q.year);
    let own = match a.who.scope(Power::ManageAssessment) {
        Some(m) => {
            let held = org::Narrow {
                kinds: org::UNITS,
                held: true,
                ..org::Narrow::default()
            };
            crate::org_choice::preset(db, &m, "", held).await?
        }
        None => None,
    };
    let now = this_year(&a);
    Ok(Html(render(&ListPage {
        shell: Shell::new(&a, "/reports", &["考评", "述职报告"]),
        rows: report_list::list(db, &scope, year).await?,
        year,
        years: (now - 4..=now).rev().collect(),
        own,
    })))
}

#[derive(Template)]
#[template(path = "reports/report.html")]
struct ReportPage {
    shell: Shell,
    r: Report,
    editable: bool,
    readable: bool,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl ReportPage {
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(when).unwrap_or_default()
    }
    fn pts(&self, p: &Option<i64>) -> String {
        p.map_or_else(|| "未完成".into(), tongpin_core::assess::rules::points_text)
    }
}

async fn report_page(
    a: &Auth,
    input: &ReportInput,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let o = org::get(db, &scope, &input.org_id).await?;
    let mut r = report::draft(db, &scope, &o.id, &input.person_id, input.year, a.now()).await?;
    let own = a
        .who
        .scope(Power::ManageAssessment)
        .is_some_and(|m| m.holds_at(&o.path));
    let editable = own && !r.submitted;
    if error.is_some() && editable {
        (r.business, r.party_building, r.integrity) = (
            input.business.clone(),
            input.party_building.clone(),
            input.integrity.clone(),
        );
    }
    Ok(Html(render(&ReportPage {
        shell: Shell::new(a, "/reports", &["考评", "述职报告", &r.person_name.clone()]),
        readable: own || r.submitted,
        editable,
        r,
        notice,
        error,
    })))
}

pub async fn report(a: Auth, Query(q): Query<Pick>) -> Result<Response, PageError> {
    let year = year_of(&a, &q.year);
    let org_id = q.org.clone().unwrap_or_default();
    if !org_id.trim().is_empty() {
        let scope = a.require(Power::ViewAssessment).await?;
        org::get(&a.state.db, &scope, &org_id).await?;
    }
    let person = q.person.clone().unwrap_or_default();
    if org_id.trim().is_empty() || person.trim().is_empty() {
        return Ok(Redirect::to(&format!("/reports?year={year}")).into_response());
    }
    let notice = match q.done.as_deref() {
        Some("saved") => Some("已保存草稿。"),
        Some("submitted") => Some("述职报告已提交，上级党组织可以查阅。"),
        _ => None,
    };
    let input = ReportInput {
        org_id,
        person_id: person,
        year,
        ..ReportInput::default()
    };
    Ok(report_page(&a, &input, notice, None).await?.into_response())
}

pub async fn save(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let submit = f.get("action") == "submit";
    let input = ReportInput {
        org_id: f.get("org_id").into(),
        person_id: f.get("person_id").into(),
        year: f.get("year").trim().parse().unwrap_or(0),
        business: f.get("business").into(),
        party_building: f.get("party_building").into(),
        integrity: f.get("integrity").into(),
    };
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        report::save(&a.state.db, a.now(), &a.actor(), &scope, input.clone(), submit).await
    }
    .await;
    match res {
        Ok(_) => {
            let q = form_urlencoded::Serializer::new(String::new())
                .append_pair("org", input.org_id.trim())
                .append_pair("person", input.person_id.trim())
                .append_pair("year", &input.year.to_string())
                .append_pair("done", if submit { "submitted" } else { "saved" })
                .finish();
            Redirect::to(&format!("/reports/edit?{q}")).into_response()
        }
        Err(e) => {
            let msg = e.to_string();
            refused(e, report_page(&a, &input, None, Some(msg))).await
        }
    }
}
