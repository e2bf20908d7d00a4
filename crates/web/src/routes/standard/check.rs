//! 摸底自查: one organization's self-check on a standard — every item with
//! its answer or its computed figure and the records behind it, evidence,
//! overrides only with a reason — and the cycle's actions on that page:
//! list an unmet item as a problem, apply (申报), and for the direct
//! superior return the problem list or move an accepted organization back.
use super::catalog::rule_text;
use super::{grade_short, share_text, status_tone, today, Can};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::routes::plan::{focus, FocusQuery};
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::standard::applications::{self, AppQuery, Application};
use tongpin_core::standard::checks::{self, CheckItem, SelfCheck, SetItem};
use tongpin_core::standard::history::{self, Event};
use tongpin_core::standard::problems::{self, Fields as ProblemFields, NewProblem, Problem, ProblemQuery};
use tongpin_core::standard::{standards, Stage};
use tongpin_core::{files, org, Error};

/// Items of one dimension.
pub type Dim = crate::group::Group<CheckItem>;

#[derive(Template)]
#[template(path = "standard/check.html")]
struct Page {
    shell: Shell,
    sc: SelfCheck,
    dims: Vec<Dim>,
    can: Can,
    /// The organization may change its answers and problems (its cycle is open).
    open: bool,
    problems: Vec<Problem>,
    pending: Option<Application>,
    events: Vec<Event>,
    /// A new problem's default deadline (three months on).
    deadline: String,
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl Page {
    fn status_tone(&self) -> &'static str {
        status_tone(self.sc.status.code())
    }
    fn grade(&self) -> &'static str {
        self.sc.grade.map_or("—", |g| grade_short(g.code()))
    }
    fn share(&self) -> String {
        share_text(self.sc.share_bp)
    }
    fn rule(&self, i: &CheckItem) -> String {
        rule_text(&i.item)
    }
    fn at(&self, ms: &i64) -> String {
        super::when(*ms)
    }
    fn at_opt(&self, ms: &Option<i64>) -> String {
        ms.map(super::when).unwrap_or_default()
    }
    fn size(&self, n: &i64) -> String {
        files::size_label(u64::try_from(*n).unwrap_or(0))
    }
    fn kind(&self, k: &str) -> &'static str {
        history::kind_label(k)
    }
    fn cn_date(&self, d: &str) -> String {
        crate::fmt::cn_date(d)
    }
    fn tone(&self, s: &str) -> &'static str {
        super::problem_tone(s)
    }
    fn problem_status(&self, s: &str) -> &'static str {
        tongpin_core::standard::ProblemStatus::parse(s).map_or("整改中", |x| x.label())
    }
    fn accepted(&self) -> bool {
        self.sc.stage == Stage::Accepted
    }
    fn may_apply(&self) -> bool {
        self.can.manage && self.open && self.sc.missing.is_empty()
    }
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "saved" => Some("自查结果已保存。"),
        "problem" => Some("已列入问题清单。整改完成后请报告整改情况，由上级党组织核验销号。"),
        "applied" => Some("已申报验收，等待直接上级党组织验收。"),
        "returned" => Some("问题清单已退回，并将意见告知该组织。"),
        "resubmitted" => Some("问题清单已重新提交。"),
        "moved_back" => Some("已动态调整为未达标，该组织进入新一轮整改。"),
        "withdrawn" => Some("申报已撤回。"),
        _ => None,
    }
}

async fn page_of(
    a: &Auth,
    standard_id: &str,
    org_id: &str,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let now = a.now();
    let o = org::get(db, &scope, org_id).await?;
    let sc = checks::self_check(db, &scope, &o.id, standard_id, now).await?;
    let can = Can::of(a, &o);
    let q = ProblemQuery {
        standard_id: Some(sc.standard.id.clone()),
        org_id: Some(o.id.clone()),
        ..ProblemQuery::default()
    };
    let problems: Vec<Problem> = problems::list(db, &scope, &q, now)
        .await?
        .into_iter()
        .filter(|p| p.org_id == o.id)
        .collect();
    let aq = AppQuery {
        standard_id: Some(sc.standard.id.clone()),
        status: Some("pending".into()),
        to_decide: false,
    };
    let pending = applications::list(db, &scope, &aq)
        .await?
        .into_iter()
        .find(|x| x.org_id == o.id);
    let events = history::of_org(db, &scope, &o.id)
        .await?
        .into_iter()
        .filter(|e| e.standard_id == sc.standard.id)
        .collect();
    let day = tongpin_core::clock::beijing(now).date_naive();
    let deadline = day
        .checked_add_months(chrono::Months::new(
            tongpin_core::rules::standard::PROBLEM_DEADLINE_MONTHS,
        ))
        .unwrap_or(day)
        .to_string();
    let items = sc.items.clone();
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/standards/check", &["标准化建设", "摸底自查"]),
        open: sc.stage == Stage::Open,
        dims: crate::group::by(items, |c| &c.item.dimension),
        can,
        problems,
        pending,
        events,
        deadline,
        today: today(a),
        notice,
        error,
        sc,
    })))
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(
    a: Auth,
    Path((id, org_id)): Path<(String, String)>,
    Query(q): Query<Done>,
) -> Result<Html<String>, PageError> {
    Ok(page_of(&a, &id, &org_id, notice(q.done.as_deref()), None).await?)
}

fn back(standard_id: &str, org_id: &str, done: &str) -> Response {
    Redirect::to(&format!("/standards/{standard_id}/orgs/{org_id}?done={done}")).into_response()
}

/// An action's outcome: back to the page, or the page again with the message.
async fn after(a: &Auth, standard_id: &str, org_id: &str, res: Result<(), Error>, done: &str) -> Response {
    match res {
        Ok(()) => back(standard_id, org_id, done),
        Err(e) => {
            let msg = e.to_string();
            refused(e, page_of(a, standard_id, org_id, None, Some(msg))).await
        }
    }
}

/// Saves one item's answer (multipart, with evidence files). The standard
/// and the organization are checked before the body is read.
pub async fn save(a: Auth, Path((id, org_id)): Path<(String, String)>, mp: Multipart) -> Response {
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let db = &a.state.db;
        standards::get(db, &scope, &id).await?;
        org::get(db, &scope, &org_id).await?;
        let form = crate::upload::evidence_form(mp, &a.state.config, "evidence", super::MAX_FILES).await?;
        let code = form.field("code").unwrap_or_default().to_string();
        if code.trim().is_empty() {
            return Err(Error::invalid("项目编号", "请选择要填写的标准项目"));
        }
        let met = match form.field("met").unwrap_or_default() {
            "1" => Some(true),
            "0" => Some(false),
            "" => None,
            other => return Err(Error::invalid("达标情况", format!("“{other}”无效，请选择达标或未达标"))),
        };
        let keep: Vec<String> = form
            .fields
            .iter()
            .filter(|(k, _)| k == "keep")
            .map(|(_, v)| v.clone())
            .collect();
        let set = SetItem {
            met,
            note: form.field("note").unwrap_or_default().to_string(),
            file_ids: form.field("files_listed").map(|_| keep),
            override_reason: form.field("override_reason").unwrap_or_default().to_string(),
        };
        let mut stored = Vec::new();
        for spool in form.files {
            stored.push(files::save(db, a.now(), &a.who.account_id, spool).await?);
        }
        checks::set_item(db, a.now(), &a.actor(), &scope, &org_id, &id, &code, set, stored).await
    }
    .await;
    after(&a, &id, &org_id, res, "saved").await
}

pub async fn add_problem(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let org_id = f.get("org_id").to_string();
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let new = NewProblem {
            org_id: org_id.clone(),
            standard_id: id.clone(),
            item_code: f.get("item_code").into(),
            fields: ProblemFields {
                cause: f.get("cause").into(),
                measure: f.get("measure").into(),
                owner_id: f.get("owner_id").into(),
                deadline: f.get("deadline").into(),
            },
        };
        problems::create(&a.state.db, a.now(), &a.actor(), &scope, new)
            .await
            .map(|_| ())
    }
    .await;
    after(&a, &id, &org_id, res, "problem").await
}

pub async fn apply(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let org_id = Fields(f).get("org_id").to_string();
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        applications::apply(&a.state.db, a.now(), &a.actor(), &scope, &org_id, &id)
            .await
            .map(|_| ())
    }
    .await;
    after(&a, &id, &org_id, res, "applied").await
}

pub async fn return_list(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let org_id = f.get("org_id").to_string();
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        problems::return_list(&a.state.db, a.now(), &a.actor(), &scope, &org_id, &id, f.get("reason")).await
    }
    .await;
    after(&a, &id, &org_id, res, "returned").await
}

pub async fn resubmit(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let org_id = Fields(f).get("org_id").to_string();
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        problems::resubmit_list(&a.state.db, a.now(), &a.actor(), &scope, &org_id, &id).await
    }
    .await;
    after(&a, &id, &org_id, res, "resubmitted").await
}

pub async fn move_back(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let org_id = f.get("org_id").to_string();
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        applications::move_back(&a.state.db, a.now(), &a.actor(), &scope, &org_id, &id, f.get("reason")).await
    }
    .await;
    after(&a, &id, &org_id, res, "moved_back").await
}

#[derive(Template)]
#[template(path = "standard/entry.html")]
struct EntryPage {
    shell: Shell,
    f: crate::routes::plan::Focus,
    /// Standards this organization published for the year.
    own: Vec<tongpin_core::standard::Standard>,
}

/// 摸底自查 from the menu: the organization's standard in force this year,
/// or, where none applies (a 党委 or 党总支 that sets standards), what to do.
pub async fn entry(a: Auth, Query(q): Query<FocusQuery>) -> Result<Response, PageError> {
    let f = focus(&a, Power::ViewStandard, &q).await?;
    let db = &a.state.db;
    let mine = standards::applicable(db, &f.scope, &f.org_id, f.year).await?;
    if let Some(s) = mine.first() {
        return Ok(Redirect::to(&format!("/standards/{}/orgs/{}", s.id, f.org_id)).into_response());
    }
    let own = standards::list(db, &f.scope, Some(f.year))
        .await?
        .into_iter()
        .filter(|s| s.org_id == f.org_id && s.status() != tongpin_core::standard::StandardStatus::Superseded)
        .collect();
    Ok(Html(render(&EntryPage {
        shell: Shell::new(&a, "/standards/check", &["标准化建设", "摸底自查"]),
        f,
        own,
    }))
    .into_response())
}
