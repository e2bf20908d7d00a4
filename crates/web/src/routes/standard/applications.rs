//! 达标验收: the applications in the caller's scope — those the caller
//! decides as the direct superior first, with the year-end batch — and one
//! application with its self-check and the decision form.
use super::{direct_superior, grade_short, share_text};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::standard::applications::{self, AppQuery, Application};
use tongpin_core::standard::checks::{self, SelfCheck};
use tongpin_core::standard::{parent_path, standards, AppStatus, Grade, Item, Standard, StandardStatus};
use tongpin_core::{org, Error};

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    standard: Option<String>,
    status: Option<String>,
    done: Option<String>,
}

/// An application as listed: whether the caller decides it.
pub struct Row {
    pub a: Application,
    pub decides: bool,
}

#[derive(Template)]
#[template(path = "standard/applications.html")]
struct ListPage {
    shell: Shell,
    standard: Option<String>,
    status: Option<String>,
    standards: Vec<Standard>,
    statuses: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    batch: usize,
    notice: Option<String>,
    error: Option<String>,
}

impl ListPage {
    fn status_label(&self, s: &str) -> &'static str {
        AppStatus::parse(s).map_or("待验收", |x| x.label())
    }
    fn tone(&self, s: &str) -> &'static str {
        tone(s)
    }
    fn grade(&self, g: &Option<String>) -> &'static str {
        g.as_deref().map_or("—", grade_short)
    }
    fn share(&self, bp: &i64) -> String {
        share_text(*bp)
    }
    fn at(&self, ms: &i64) -> String {
        super::when(*ms)
    }
    fn picked(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
}

fn tone(s: &str) -> &'static str {
    match s {
        "passed" => "green",
        "failed" => "red",
        "withdrawn" => "grey",
        _ => "gold",
    }
}

async fn list_page(
    a: &Auth,
    q: &ListQuery,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let some = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let aq = AppQuery {
        standard_id: some(&q.standard),
        status: some(&q.status),
        to_decide: false,
    };
    let manage = a.who.scope(Power::ManageStandard);
    let mut rows: Vec<Row> = applications::list(db, &scope, &aq)
        .await?
        .into_iter()
        .map(|x| {
            let decides =
                x.status() == AppStatus::Pending && manage.as_ref().is_some_and(|s| direct_superior(s, &x.org_path));
            Row { a: x, decides }
        })
        .collect();
    rows.sort_by_key(|r| !r.decides);
    let standards = standards::list(db, &scope, None)
        .await?
        .into_iter()
        .filter(|s| s.status() != StandardStatus::Draft)
        .collect();
    Ok(Html(render(&ListPage {
        shell: Shell::new(a, "/standards/applications", &["标准化建设", "达标验收"]),
        standard: some(&q.standard),
        status: some(&q.status),
        standards,
        statuses: AppStatus::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        batch: rows.iter().filter(|r| r.decides).count(),
        rows,
        notice,
        error,
    })))
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let notice = q.done.as_deref().and_then(|d| {
        d.strip_prefix("batch-")
            .map(|n| format!("已批量验收通过 {n} 个申报，均按建议定级。"))
    });
    Ok(list_page(&a, &q, notice, None).await?)
}

/// The year-end batch: the selected applications pass with their suggested grades, all or none.
pub async fn batch(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let ids = f.all("id");
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        applications::accept_batch(&a.state.db, a.now(), &a.actor(), &scope, &ids, f.get("comment")).await
    }
    .await;
    match res {
        Ok(done) => Redirect::to(&format!("/standards/applications?done=batch-{}", done.len())).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, list_page(&a, &ListQuery::default(), None, Some(msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "standard/application.html")]
struct DetailPage {
    shell: Shell,
    x: Application,
    sc: Option<SelfCheck>,
    items: Vec<Item>,
    grades: Vec<(&'static str, &'static str)>,
    parent_name: String,
    decides: bool,
    can_withdraw: bool,
    deadline: String,
    today: String,
    /// Rows of the failure's problem list.
    rows: Vec<usize>,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl DetailPage {
    fn status_label(&self) -> &'static str {
        self.x.status().label()
    }
    fn tone(&self) -> &'static str {
        tone(&self.x.status)
    }
    fn grade(&self, g: &Option<String>) -> &'static str {
        g.as_deref().map_or("—", grade_short)
    }
    fn share(&self, bp: &i64) -> String {
        share_text(*bp)
    }
    fn at(&self, ms: &i64) -> String {
        super::when(*ms)
    }
    fn at_opt(&self, ms: &Option<i64>) -> String {
        ms.map(super::when).unwrap_or_default()
    }
    fn suggested(&self) -> &str {
        match &self.sc {
            Some(sc) => sc.suggested_grade.code(),
            None => self.x.suggested_grade.as_deref().unwrap_or("i"),
        }
    }
    fn suggested_label(&self) -> &'static str {
        Grade::parse(self.suggested()).map_or("ⅰ级（巩固）", |g| g.label())
    }
}

async fn detail_page(
    a: &Auth,
    id: &str,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let x = applications::get(db, &scope, id).await?;
    let o = org::get(db, &scope, &x.org_id).await?;
    let manage = a.who.scope(Power::ManageStandard);
    let pending = x.status() == AppStatus::Pending;
    let decides = pending && manage.as_ref().is_some_and(|s| direct_superior(s, &o.path));
    let can_withdraw = pending && manage.as_ref().is_some_and(|s| s.contains_path(&o.path)) && !decides;
    let sc = if pending {
        checks::self_check(db, &scope, &o.id, &x.standard_id, a.now())
            .await
            .ok()
    } else {
        None
    };
    let items = standards::items_of(db, &x.standard_id).await?;
    let parent_name = match parent_path(&o.path) {
        Some(_) => match &o.parent_id {
            Some(p) => org::get(db, &scope, p)
                .await
                .map(|p| p.name)
                .unwrap_or_else(|_| "上级党组织".into()),
            None => String::new(),
        },
        None => String::new(),
    };
    let day = tongpin_core::clock::beijing(a.now()).date_naive();
    let deadline = day
        .checked_add_months(chrono::Months::new(
            tongpin_core::rules::standard::PROBLEM_DEADLINE_MONTHS,
        ))
        .unwrap_or(day)
        .to_string();
    Ok(Html(render(&DetailPage {
        shell: Shell::new(a, "/standards/applications", &["标准化建设", "达标验收", "验收"]),
        grades: Grade::ALL.iter().map(|g| (g.code(), g.label())).collect(),
        parent_name,
        decides,
        can_withdraw,
        sc,
        items,
        deadline,
        today: super::today(a),
        rows: (1..=3).collect(),
        x,
        notice,
        error,
    })))
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn detail(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let notice = match q.done.as_deref() {
        Some("passed") => Some("验收通过，已纳入已达标台账。"),
        Some("failed") => Some("验收未通过，已列出问题清单，该组织进入新一轮整改。"),
        _ => None,
    };
    Ok(detail_page(&a, &id, notice, None).await?)
}

/// Back to the application after a decision, or its page again with the message.
pub async fn after(a: &Auth, id: &str, res: Result<(), Error>, done: &str) -> Response {
    match res {
        Ok(()) => Redirect::to(&format!("/standards/applications/{id}?done={done}")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, detail_page(a, id, None, Some(msg))).await
        }
    }
}

pub async fn withdraw(a: Auth, Path(id): Path<String>) -> Response {
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let db = &a.state.db;
        let x = applications::get(db, &scope, &id).await?;
        applications::withdraw(db, a.now(), &a.actor(), &scope, &id).await?;
        Ok::<_, Error>(x)
    }
    .await;
    match res {
        Ok(x) => Redirect::to(&format!(
            "/standards/{}/orgs/{}?done=withdrawn",
            x.standard_id, x.org_id
        ))
        .into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, detail_page(&a, &id, None, Some(msg))).await
        }
    }
}
