//! 学习计划: the organization's annual study plan by month with its status
//! and review comment, the plan form, 报备, and the superior's review
//! (审核通过 / 退回 with a comment) and list of the plans below.
use super::{hours, refused, Fields};
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::routes::plan::{focus, Focus, FocusQuery};
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::study::{plans, summary, NewItem, NewPlan, PlanItem, Status, StudyPlan, FORMS};
use tongpin_core::{clock, Error};

fn status_label(s: &str) -> &'static str {
    Status::parse(s).map(|x| x.label()).unwrap_or("未报备")
}

#[derive(Template)]
#[template(path = "study/plan.html")]
struct PlanPage {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    plan: Option<StudyPlan>,
    items: Vec<PlanItem>,
    months: Vec<i64>,
    can_edit: bool,
    can_review: bool,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl PlanPage {
    fn hours(&self, t: &i64) -> String {
        hours(t)
    }
    fn status(&self, s: &str) -> &'static str {
        status_label(s)
    }
    fn at(&self, ms: &i64) -> String {
        clock::format_beijing(*ms)
    }
    fn of_month(&self, m: &i64) -> Vec<&PlanItem> {
        self.items.iter().filter(|i| i.month == *m).collect()
    }
    fn total(&self) -> String {
        hours(&self.items.iter().map(|i| i.hours_planned).sum())
    }
    fn editable(&self) -> bool {
        self.plan.as_ref().is_none_or(|p| p.status().editable())
    }
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "saved" => Some("学习计划已保存。完成后请点击“报备”报上级党组织审核。"),
        "filed" => Some("学习计划已报备，等待上级党组织审核。"),
        "approved" => Some("已审核通过。"),
        "returned" => Some("已退回，并将意见告知该组织。"),
        _ => None,
    }
}

async fn plan_page(a: &Auth, q: &FocusQuery, error: Option<String>) -> Result<Html<String>, Error> {
    let f = focus(a, Power::ViewStudy, q).await?;
    let db = &a.state.db;
    let plan = plans::of_org(db, &f.scope, &f.org_id, f.year).await?;
    let items = match &plan {
        Some(p) => plans::items_of(db, &p.id).await?,
        None => Vec::new(),
    };
    let manage = a.who.scope(Power::ManageStudy);
    let org = tongpin_core::org::get(db, &f.scope, &f.org_id).await?;
    let can_edit = manage.as_ref().is_some_and(|s| s.contains_path(&org.path)) && org.dissolved_at.is_none();
    let can_review = manage.as_ref().is_some_and(|s| s.contains_below(&org.path));
    Ok(Html(render(&PlanPage {
        shell: Shell::new(a, "/study/plans", &["组织生活", "学习计划"]),
        tab: "plans",
        notice: if error.is_some() {
            None
        } else {
            notice(q.done.as_deref())
        },
        f,
        plan,
        items,
        months: (1..=12).collect(),
        can_edit,
        can_review,
        error,
    })))
}

pub async fn page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    Ok(plan_page(&a, &q, None).await?)
}

/// A plan by id (the to-dos link here): its organization's plan page.
pub async fn by_id(a: Auth, Path(id): Path<String>) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ViewStudy).await?;
    let p = plans::get(&a.state.db, &scope, &id).await?;
    Ok(Redirect::to(&format!("/study/plans?org={}&year={}", p.org_id, p.year)))
}

fn back(p: &StudyPlan, done: &str) -> Redirect {
    Redirect::to(&format!("/study/plans?org={}&year={}&done={done}", p.org_id, p.year))
}

pub async fn file(a: Auth, Path(id): Path<String>) -> Response {
    let (db, now) = (&a.state.db, a.now());
    let res = async {
        let scope = a.require(Power::ManageStudy).await?;
        let p = plans::get(db, &scope, &id).await?;
        plans::file(db, now, &a.actor(), &scope, &id).await?;
        Ok::<_, Error>(p)
    }
    .await;
    after(&a, &id, res, "filed").await
}

/// A review's outcome: back to the plan, or the plan page again (422) with the message.
async fn after(a: &Auth, id: &str, res: Result<StudyPlan, Error>, done: &str) -> Response {
    match res {
        Ok(p) => back(&p, done).into_response(),
        Err(e) => {
            let scope = a.who.scope(Power::ViewStudy);
            let p = match &scope {
                Some(s) => plans::get(&a.state.db, s, id).await.ok(),
                None => None,
            };
            let Some(p) = p else {
                return PageError(e).into_response();
            };
            let q = FocusQuery {
                org: Some(p.org_id),
                year: Some(p.year.to_string()),
                ..FocusQuery::default()
            };
            let msg = e.to_string();
            refused(e, plan_page(a, &q, Some(msg))).await
        }
    }
}

async fn review(a: Auth, id: String, approve: bool, f: Fields) -> Response {
    let (db, now) = (&a.state.db, a.now());
    let res = async {
        let scope = a.require(Power::ManageStudy).await?;
        let p = plans::get(db, &scope, &id).await?;
        plans::review(db, now, &a.actor(), &scope, &id, approve, f.get("comment")).await?;
        Ok::<_, Error>(p)
    }
    .await;
    after(&a, &id, res, if approve { "approved" } else { "returned" }).await
}

pub async fn approve(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    review(a, id, true, Fields(f)).await
}

pub async fn send_back(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    review(a, id, false, Fields(f)).await
}

/// Rows the plan form offers beyond the plan's items.
const BLANK_ROWS: usize = 6;

#[derive(Template)]
#[template(path = "study/plan_form.html")]
struct FormPage {
    shell: Shell,
    org_id: String,
    org_name: String,
    year: i64,
    title: String,
    rows: Vec<NewItem>,
    forms: [&'static str; 7],
    months: Vec<i64>,
    error: Option<String>,
}

async fn form(a: &Auth, p: NewPlan, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManageStudy).await?;
    let o = tongpin_core::org::get(&a.state.db, &scope, &p.org_id).await?;
    let mut rows = p.items;
    rows.extend((0..BLANK_ROWS).map(|_| NewItem::default()));
    Ok(Html(render(&FormPage {
        shell: Shell::new(a, "/study/plans", &["组织生活", "学习计划", "编制学习计划"]),
        org_id: o.id,
        org_name: o.name,
        year: p.year,
        title: p.title,
        rows,
        forms: FORMS,
        months: (1..=12).collect(),
        error,
    })))
}

pub async fn form_page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ManageStudy, &q).await?;
    let plan = plans::of_org(&a.state.db, &f.scope, &f.org_id, f.year).await?;
    let (title, items) = match &plan {
        Some(p) => (p.title.clone(), plans::items_of(&a.state.db, &p.id).await?),
        None => (String::new(), Vec::new()),
    };
    let p = NewPlan {
        org_id: f.org_id,
        year: f.year,
        title,
        items: items
            .into_iter()
            .map(|i| NewItem {
                month: i.month,
                topic: i.topic,
                form: i.form,
                hours: hours(&i.hours_planned),
                notes: i.notes,
            })
            .collect(),
    };
    Ok(form(&a, p, None).await?)
}

/// The plan as posted: rows r1_…, r2_…; blank rows are dropped.
fn plan_of(f: &Fields) -> NewPlan {
    let mut items = Vec::new();
    for i in 1..=200 {
        let k = |n: &str| format!("r{i}_{n}");
        if !f.0.iter().any(|(n, _)| n.starts_with(&format!("r{i}_"))) {
            break;
        }
        let it = NewItem {
            month: f.get(&k("month")).trim().parse().unwrap_or(0),
            topic: f.get(&k("topic")).into(),
            form: f.get(&k("form")).into(),
            hours: f.get(&k("hours")).into(),
            notes: f.get(&k("notes")).into(),
        };
        if !(it.topic.trim().is_empty() && it.hours.trim().is_empty() && it.notes.trim().is_empty()) {
            items.push(it);
        }
    }
    NewPlan {
        org_id: f.get("org_id").into(),
        year: f.get("year").trim().parse().unwrap_or(0),
        title: f.get("title").into(),
        items,
    }
}

pub async fn save(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let p = plan_of(&Fields(f));
    let scope = match a.require(Power::ManageStudy).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    match plans::save(&a.state.db, a.now(), &a.actor(), &scope, p.clone()).await {
        Ok(_) => Redirect::to(&format!("/study/plans?org={}&year={}&done=saved", p.org_id, p.year)).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, form(&a, p, Some(msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "study/review.html")]
struct ReviewPage {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    r: summary::Review,
}

impl ReviewPage {
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(clock::format_beijing).unwrap_or_default()
    }
}

/// The superior's list: the plans below by status, and branches without one.
pub async fn review_page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ViewStudy, &q).await?;
    let r = summary::review(&a.state.db, &f.scope, &f.org_id, f.year).await?;
    Ok(Html(render(&ReviewPage {
        shell: Shell::new(&a, "/study/plans", &["组织生活", "学习计划", "审核下级计划"]),
        tab: "review",
        f,
        r,
    })))
}
