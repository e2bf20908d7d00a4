//! 问题清单: the problems in the caller's scope with filters (standard,
//! organization, status, overdue), print; one problem with its report of
//! rectification and evidence, and the direct superior's verification —
//! 销号, or back with the reason.
use super::{direct_superior, problem_tone};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::standard::problems::{self, Fields as ProblemFields, Problem, ProblemQuery};
use tongpin_core::standard::{evidence, standards, ProblemStatus, Source, Standard, StandardStatus};
use tongpin_core::{files, org, Error};

/// The list's filters as the query string carries them.
#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    pub standard: Option<String>,
    pub org: Option<String>,
    pub status: Option<String>,
    pub overdue: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl ListQuery {
    pub fn core(&self) -> ProblemQuery {
        let some = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        ProblemQuery {
            standard_id: some(&self.standard),
            org_id: some(&self.org),
            status: some(&self.status),
            owner_id: None,
            overdue: matches!(self.overdue.as_deref(), Some("1" | "on" | "true")),
        }
    }
    /// The filters as a query string ending in `&` (the pager adds page=…).
    fn query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("standard", &self.standard),
            ("org", &self.org),
            ("status", &self.status),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                q.append_pair(k, v);
            }
        }
        if self.core().overdue {
            q.append_pair("overdue", "1");
        }
        let s = q.finish();
        if s.is_empty() {
            s
        } else {
            format!("{s}&")
        }
    }
}

pub fn status_label(s: &str) -> &'static str {
    ProblemStatus::parse(s).map_or("整改中", |x| x.label())
}

pub fn source_label(s: &str) -> &'static str {
    Source::ALL
        .iter()
        .find(|x| x.code() == s)
        .map_or("摸底自查", |x| x.label())
}

/// The problems the filters select, with the standards and organizations to filter by.
pub async fn selected(a: &Auth, q: &ListQuery) -> Result<Vec<Problem>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    problems::list(&a.state.db, &scope, &q.core(), a.now()).await
}

#[derive(Template)]
#[template(path = "standard/problems.html")]
struct ListPage {
    shell: Shell,
    q: ListQuery,
    rows: Vec<Problem>,
    pager: Pager,
    standards: Vec<Standard>,
    /// The filter's organization path (empty: all).
    org_path: String,
    statuses: Vec<(&'static str, &'static str)>,
    export_query: String,
}

impl ListPage {
    fn status(&self, s: &str) -> &'static str {
        status_label(s)
    }
    fn tone(&self, s: &str) -> &'static str {
        problem_tone(s)
    }
    fn source(&self, s: &str) -> &'static str {
        source_label(s)
    }
    fn cn_date(&self, d: &str) -> String {
        crate::fmt::cn_date(d)
    }
    fn picked(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn overdue(&self) -> bool {
        self.q.core().overdue
    }
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let all = selected(&a, &q).await?;
    let db = &a.state.db;
    let scope = a.require(Power::ViewStandard).await?;
    let num = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse().ok());
    let pager = Pager::new(num(&q.page), num(&q.per_page), all.len() as i64, q.query());
    let rows = all
        .into_iter()
        .skip(usize::try_from(pager.offset()).unwrap_or(0))
        .take(usize::try_from(pager.per_page).unwrap_or(20))
        .collect();
    let standards = standards::list(db, &scope, None)
        .await?
        .into_iter()
        .filter(|s| s.status() != StandardStatus::Draft)
        .collect();
    let org_path = crate::org_choice::shown(db, &scope, q.org.as_deref().unwrap_or("")).await?;
    Ok(Html(render(&ListPage {
        shell: Shell::new(&a, "/standards/problems", &["标准化建设", "问题清单"]),
        export_query: q.query(),
        statuses: ProblemStatus::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        q,
        rows,
        pager,
        standards,
        org_path,
    })))
}

#[derive(Template)]
#[template(path = "standard/problems_print.html")]
struct PrintPage {
    title: String,
    rows: Vec<Problem>,
    printed: String,
}

impl PrintPage {
    fn status(&self, s: &str) -> &'static str {
        status_label(s)
    }
    fn cn_date(&self, d: &str) -> String {
        crate::fmt::cn_date(d)
    }
}

/// The list's title: "机关党委 · 问题清单" or the standard's.
pub async fn title_of(a: &Auth, q: &ListQuery) -> Result<String, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let mut parts = Vec::new();
    if let Some(o) = q.org.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(org::get(db, &scope, o).await?.name);
    }
    if let Some(s) = q.standard.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(standards::get(db, &scope, s).await?.display());
    }
    parts.push(if q.core().overdue {
        "逾期问题清单".into()
    } else {
        "问题清单".into()
    });
    Ok(parts.join(" "))
}

pub async fn print(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let rows = selected(&a, &q).await?;
    Ok(Html(render(&PrintPage {
        title: title_of(&a, &q).await?,
        rows,
        printed: super::when(a.now()),
    })))
}

#[derive(Template)]
#[template(path = "standard/problem.html")]
struct DetailPage {
    shell: Shell,
    p: Problem,
    files: Vec<files::Attachment>,
    can_manage: bool,
    can_verify: bool,
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl DetailPage {
    fn status(&self) -> &'static str {
        status_label(&self.p.status)
    }
    fn tone(&self) -> &'static str {
        problem_tone(&self.p.status)
    }
    fn source(&self) -> &'static str {
        source_label(&self.p.source)
    }
    fn cn_date(&self, d: &str) -> String {
        crate::fmt::cn_date(d)
    }
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(super::when).unwrap_or_default()
    }
    fn size(&self, n: &i64) -> String {
        files::size_label(u64::try_from(*n).unwrap_or(0))
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
    let p = problems::get_on(db, &scope, id, a.now()).await?;
    let o = org::get(db, &scope, &p.org_id).await?;
    let manage = a.who.scope(Power::ManageStandard);
    Ok(Html(render(&DetailPage {
        shell: Shell::new(a, "/standards/problems", &["标准化建设", "问题清单", "问题详情"]),
        files: problems::files_of(db, &scope, &p.id).await?,
        can_manage: manage.as_ref().is_some_and(|s| s.contains_path(&o.path)),
        can_verify: manage.as_ref().is_some_and(|s| direct_superior(s, &o.path)),
        today: super::today(a),
        p,
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
        Some("reported") => Some("整改情况已报告，等待上级党组织核验销号。"),
        Some("closed") => Some("已核验，问题销号。"),
        Some("rejected") => Some("已退回整改报告，并将理由告知该组织。"),
        Some("saved") => Some("已保存。"),
        _ => None,
    };
    Ok(detail_page(&a, &id, notice, None).await?)
}

async fn after(a: &Auth, id: &str, res: Result<(), Error>, done: &str) -> Response {
    match res {
        Ok(()) => Redirect::to(&format!("/standards/problems/{id}?done={done}")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, detail_page(a, id, None, Some(msg))).await
        }
    }
}

/// The organization reports the problem rectified (multipart, with
/// evidence); the problem is checked before the body is read.
pub async fn report(a: Auth, Path(id): Path<String>, mp: Multipart) -> Response {
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let db = &a.state.db;
        problems::get(db, &scope, &id).await?;
        let form = crate::upload::evidence_form(mp, &a.state.config, "evidence", super::MAX_FILES).await?;
        let note = form.field("note").unwrap_or_default().to_string();
        let mut stored = Vec::new();
        for spool in form.files {
            stored.push(files::save(db, a.now(), &a.who.account_id, spool).await?);
        }
        problems::report(db, a.now(), &a.actor(), &scope, &id, &note, stored).await
    }
    .await;
    after(&a, &id, res, "reported").await
}

pub async fn verify(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let accepted = match f.get("accepted") {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    };
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let accepted = accepted.ok_or_else(|| Error::invalid("核验结论", "请选择核验通过（销号）或退回整改"))?;
        problems::verify(
            &a.state.db,
            a.now(),
            &a.actor(),
            &scope,
            &id,
            accepted,
            f.get("comment"),
        )
        .await
    }
    .await;
    let done = if accepted == Some(true) { "closed" } else { "rejected" };
    after(&a, &id, res, done).await
}

pub async fn update(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let fields = ProblemFields {
            cause: f.get("cause").into(),
            measure: f.get("measure").into(),
            owner_id: f.get("owner_id").into(),
            deadline: f.get("deadline").into(),
        };
        problems::update(&a.state.db, a.now(), &a.actor(), &scope, &id, fields).await
    }
    .await;
    after(&a, &id, res, "saved").await
}

/// An evidence file of a self-check answer or a problem, to whoever may read its organization.
pub async fn file(a: Auth, Path(id): Path<String>) -> Result<Response, PageError> {
    let scope = a.require(Power::ViewStandard).await?;
    let att = evidence::file(&a.state.db, &scope, &id).await?;
    Ok(crate::download::stream_attachment(&a.state.db, &att))
}
