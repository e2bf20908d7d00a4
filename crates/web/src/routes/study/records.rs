//! 学习记录: my study (hours, required courses, records) and a form to log
//! it; the organization's records; the secretary's session form (集中学习)
//! recording one study for every attendee at once.
use super::{hours, record_of, refused, Fields};
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::routes::plan::{focus, Focus, FocusQuery};
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::study::summary::{self, MemberLine, PersonYear};
use tongpin_core::study::{courses, records, Course, NewRecord, StudyRecord, FORMS};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "study/records.html")]
struct Page {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    mine: Option<PersonYear>,
    my_records: Vec<StudyRecord>,
    rows: Vec<StudyRecord>,
    pager: Pager,
    can_batch: bool,
    r: NewRecord,
    forms: [&'static str; 7],
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl Page {
    fn hours(&self, t: &i64) -> String {
        hours(t)
    }
    fn course_chosen(&self, id: &str) -> bool {
        self.r.course_id.as_deref() == Some(id)
    }
}

fn today(a: &Auth) -> String {
    tongpin_core::clock::beijing(a.now()).date_naive().to_string()
}

async fn page_of(a: &Auth, q: &FocusQuery, r: NewRecord, error: Option<String>) -> Result<Html<String>, Error> {
    let f = focus(a, Power::ViewStudy, q).await?;
    let db = &a.state.db;
    let (mine, my_records) = match &a.who.person_id {
        Some(pid) => (
            Some(summary::person(db, None, Some(pid), pid, f.year).await?),
            records::of_person(db, pid, f.year).await?,
        ),
        None => (None, Vec::new()),
    };
    let total = records::of_org(db, &f.scope, &f.org_id, f.year, 0, 1).await?.1;
    let query = format!("org={}&year={}&", f.org_id, f.year);
    let pager = Pager::new(FocusQuery::num(&q.page), FocusQuery::num(&q.per_page), total, query);
    let rows = records::of_org(db, &f.scope, &f.org_id, f.year, pager.offset(), pager.per_page)
        .await?
        .0;
    let org = tongpin_core::org::get(db, &f.scope, &f.org_id).await?;
    let can_batch = a
        .who
        .scope(Power::ManageStudy)
        .is_some_and(|s| s.contains_path(&org.path));
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/study/records", &["组织生活", "学习记录"]),
        tab: "records",
        notice: match (error.is_some(), q.done.as_deref()) {
            (false, Some("logged")) => Some("学习记录已登记。"),
            (false, Some("batch")) => Some("集中学习已为参加人员逐一登记。"),
            _ => None,
        },
        f,
        mine,
        my_records,
        rows,
        pager,
        can_batch,
        r,
        forms: FORMS,
        today: today(a),
        error,
    })))
}

pub async fn page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let r = NewRecord {
        studied_on: today(&a),
        form: "自学".into(),
        ..NewRecord::default()
    };
    Ok(page_of(&a, &q, r, None).await?)
}

/// A member logs their own study: the person is the account's, never chosen.
pub async fn log(a: Auth, Query(q): Query<FocusQuery>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let r = record_of(&Fields(f));
    let Some(pid) = a.who.person_id.clone() else {
        return PageError(Error::Forbidden(
            "您的账号未关联名册中的人员，不能登记本人学习记录；请联系党务管理员关联".into(),
        ))
        .into_response();
    };
    match records::log_own(&a.state.db, a.now(), &a.actor(), &pid, r.clone()).await {
        Ok(_) => Redirect::to(&format!(
            "/study/records?org={}&year={}&done=logged",
            q.org.unwrap_or_default(),
            r.studied_on.get(..4).unwrap_or_default()
        ))
        .into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, page_of(&a, &q, r, Some(msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "study/batch.html")]
struct BatchPage {
    shell: Shell,
    org_id: String,
    org_name: String,
    year: i64,
    members: Vec<MemberLine>,
    courses: Vec<Course>,
    chosen: Vec<String>,
    r: NewRecord,
    forms: [&'static str; 7],
    today: String,
    error: Option<String>,
}

impl BatchPage {
    fn checked(&self, id: &str) -> bool {
        self.chosen.iter().any(|c| c == id)
    }
    fn course_chosen(&self, id: &str) -> bool {
        self.r.course_id.as_deref() == Some(id)
    }
    fn hours(&self, t: &i64) -> String {
        hours(t)
    }
}

async fn batch_form(
    a: &Auth,
    q: &FocusQuery,
    r: NewRecord,
    chosen: Vec<String>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let f = focus(a, Power::ManageStudy, q).await?;
    let db = &a.state.db;
    let b = summary::branch(db, &f.scope, &f.org_id, f.year).await?;
    Ok(Html(render(&BatchPage {
        shell: Shell::new(a, "/study/records", &["组织生活", "学习记录", "集中学习登记"]),
        courses: courses::for_org(db, &f.scope, &f.org_id, f.year).await?,
        org_id: f.org_id,
        org_name: f.org_name,
        year: f.year,
        members: b.members,
        chosen,
        r,
        forms: FORMS,
        today: today(a),
        error,
    })))
}

pub async fn batch_page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let r = NewRecord {
        studied_on: today(&a),
        form: "集中学习".into(),
        ..NewRecord::default()
    };
    Ok(batch_form(&a, &q, r, Vec::new(), None).await?)
}

pub async fn batch(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let r = record_of(&f);
    let chosen = f.all("person_id");
    let q = FocusQuery {
        org: Some(f.get("org_id").to_string()),
        year: Some(f.get("year").to_string()),
        ..FocusQuery::default()
    };
    let scope = match a.require(Power::ManageStudy).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    match records::log_for(&a.state.db, a.now(), &a.actor(), &scope, &chosen, r.clone()).await {
        Ok(_) => Redirect::to(&format!(
            "/study/records?org={}&year={}&done=batch",
            f.get("org_id"),
            r.studied_on.get(..4).unwrap_or_default()
        ))
        .into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, batch_form(&a, &q, r, chosen, Some(msg))).await
        }
    }
}
