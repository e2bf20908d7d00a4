//! The appeals page of an assessment: the form the assessed organization
//! files with (one line, a reason), the appeals the caller sees with their
//! outcome (before and after), and the decision form for those who decide.
use super::status_label;
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::assess::appeals::{self, appeal_deadline, decides, may_appeal, Appeal, Appellant, Decision};
use tongpin_core::assess::results::{results, Query as ResultQuery};
use tongpin_core::assess::rules::points_text;
use tongpin_core::assess::{Assessment, Indicator, Target};
use tongpin_core::auth::Power;
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "appeals/page.html")]
struct AppealsPage {
    shell: Shell,
    a: Assessment,
    deadline: String,
    open: bool,
    indicators: Vec<Indicator>,
    own: Vec<Target>,
    rows: Vec<Appeal>,
    can_decide: bool,
    notice: Option<&'static str>,
    error: Option<String>,
    typed: Vec<(String, String)>,
}

impl AppealsPage {
    fn status(&self, s: &str) -> &'static str {
        status_label(s).0
    }
    fn tone(&self, s: &str) -> &'static str {
        status_label(s).1
    }
    fn pts(&self, p: &Option<i64>) -> String {
        p.map_or_else(|| "—".into(), points_text)
    }
    fn text(&self, s: &Option<String>) -> String {
        s.clone().unwrap_or_else(|| "—".into())
    }
    fn rank(&self, r: &Option<i64>) -> String {
        r.map_or_else(|| "—".into(), |r| format!("第 {r} 名"))
    }
    fn when(&self, ms: &i64) -> String {
        crate::routes::standard::when(*ms)
    }
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(crate::routes::standard::when).unwrap_or_default()
    }
    fn grade(&self, g: &Option<String>) -> String {
        g.as_deref()
            .and_then(tongpin_core::assess::Grade::parse)
            .map_or_else(|| "—".into(), |g| g.label().to_string())
    }
    fn line(&self, code: &Option<String>) -> String {
        let Some(c) = code else { return "—".into() };
        self.indicators
            .iter()
            .find(|i| i.code == *c)
            .map_or_else(|| c.clone(), |i| format!("{} {}", i.code, i.title))
    }
    fn typed(&self, k: &str) -> String {
        self.typed
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

async fn appeals_page(
    a: &Auth,
    id: &str,
    notice: Option<&'static str>,
    error: Option<String>,
    typed: Vec<(String, String)>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let r = results(db, &scope, id, a.now(), &ResultQuery::default()).await?;
    let rows = appeals::list(db, &scope, id).await?;
    let manage = a.who.scope(Power::ManageAssessment);
    let own: Vec<Target> = match &manage {
        Some(m) if r.closed => r
            .items
            .iter()
            .map(|i| i.target.clone())
            .filter(|t| may_appeal(m, t))
            // One pending appeal per target: the form offers only those without one.
            .filter(|t| !rows.iter().any(|x| x.target_id == t.id && x.status == "pending"))
            .collect(),
        _ => Vec::new(),
    };
    let can_decide = match &manage {
        Some(m) => decides(db, m, &r.assessment).await?,
        None => false,
    };
    let deadline = appeal_deadline(&r.assessment);
    let today = tongpin_core::clock::beijing(a.now()).date_naive();
    let title = format!("{} · 申诉", r.assessment.title);
    Ok(Html(render(&AppealsPage {
        shell: Shell::new(a, "/assessments", &["考评", "考评任务", &title]),
        deadline: deadline
            .map(|d| crate::fmt::cn_date(&d.to_string()))
            .unwrap_or_default(),
        open: r.closed && deadline.is_some_and(|d| today <= d),
        indicators: r.indicators,
        a: r.assessment,
        own,
        rows,
        can_decide,
        notice,
        error,
        typed,
    })))
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let notice = match q.done.as_deref() {
        Some("filed") => Some("申诉已提交，等待上级党组织处理。"),
        Some("decided") => Some("申诉已处理，结果已通知申诉方。"),
        _ => None,
    };
    Ok(appeals_page(&a, &id, notice, None, Vec::new()).await?)
}

/// The reason with the line it is against: "【A1 组织生活】…".
fn reason_on(line: &str, inds: &[Indicator], reason: &str) -> Result<String, Error> {
    if line.trim().is_empty() {
        return Ok(reason.to_string());
    }
    let i = inds
        .iter()
        .find(|i| i.code == line.trim())
        .ok_or_else(|| Error::invalid("申诉事项", "请选择本考核的指标"))?;
    if reason.trim().is_empty() {
        return Ok(String::new());
    }
    Ok(format!("【{} {}】{}", i.code, i.title, reason.trim()))
}

pub async fn file(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(f.clone());
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        let db = &a.state.db;
        let seen = tongpin_core::assess::read::get(db, &scope, &id).await?;
        let inds = tongpin_core::assess::read::indicators(db, &seen.id).await?;
        let reason = reason_on(fields.get("line"), &inds, fields.get("reason"))?;
        let who = Appellant {
            scope: Some(&scope),
            person_id: a.who.person_id.as_deref(),
        };
        appeals::file(db, a.now(), &a.actor(), &who, &id, fields.get("target_id"), &reason).await
    }
    .await;
    match res {
        Ok(_) => Redirect::to(&format!("/assessments/{}/appeals?done=filed", id.trim())).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, appeals_page(&a, &id, None, Some(msg), f)).await
        }
    }
}

pub async fn decide(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(f.clone());
    let upheld = match fields.get("outcome") {
        "upheld" => Some(true),
        "amended" => Some(false),
        _ => None,
    };
    let passed = match fields.get("passed") {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    };
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        let upheld = upheld.ok_or_else(|| Error::invalid("处理结果", "请选择维持原结果或改正"))?;
        let d = Decision {
            upheld,
            indicator_code: fields.get("indicator_code").into(),
            points: fields.get("points").into(),
            passed,
            comment: fields.get("comment").into(),
        };
        let db = &a.state.db;
        let aid = appeals::get(db, &scope, &id).await?.assessment_id;
        appeals::decide(db, a.now(), &a.actor(), &scope, &id, d).await?;
        Ok::<_, Error>(aid)
    }
    .await;
    match res {
        Ok(aid) => Redirect::to(&format!("/assessments/{aid}/appeals?done=decided")).into_response(),
        Err(e) => match appeal_assessment(&a, &id).await {
            Ok(aid) => {
                let msg = e.to_string();
                refused(e, appeals_page(&a, &aid, None, Some(msg), f)).await
            }
            Err(_) => PageError(e).into_response(),
        },
    }
}

/// The assessment an appeal is on, if the caller sees the appeal.
async fn appeal_assessment(a: &Auth, id: &str) -> Result<String, Error> {
    let scope = a.require(Power::ViewAssessment).await?;
    appeals::get(&a.state.db, &scope, id).await.map(|x| x.assessment_id)
}
