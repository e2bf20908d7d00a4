//! 考评结果: the ranked table of targets (score, grade, rank, incomplete,
//! 样本不足), the grade distribution, print and Excel, closing (封存) for the
//! assessor, and the SHA-256 with whether it still verifies.
use super::{grade_tone, manages, pts, status_tag};
use crate::download::attachment;
use crate::error::refused;
use crate::extract::Auth;
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::assess::freeze::{self, Verification};
use tongpin_core::assess::results::{self, Query as ResultsQuery, ResultItem, Results};
use tongpin_core::assess::{Assessment, Basis, Group, Indicator};
use tongpin_core::auth::Power;
use tongpin_core::sheet::{to_xlsx, Table};
use tongpin_core::Error;

/// Whether a line waits for the masses' ballots (样本不足).
pub fn short_of_ballots(r: &ResultItem) -> bool {
    r.lines.iter().any(|l| match &l.basis {
        Basis::Rated { groups } => groups.iter().any(|g| g.group == Group::Masses && g.mean.is_none()),
        _ => false,
    })
}

/// The grade as shown: 好/较好/一般/差, or 待完成.
pub fn grade_text(r: &ResultItem) -> &'static str {
    r.grade.map_or("待完成", |g| g.label())
}

/// Every line's points in the sheet's order, "—" while missing.
fn line_points(inds: &[Indicator], r: &ResultItem) -> Vec<String> {
    inds.iter()
        .map(|i| match r.lines.iter().find(|l| l.code == i.code) {
            Some(l) if l.passed == Some(false) => "未达标".into(),
            Some(l) if l.passed == Some(true) && (l.points.is_none() || i.full_points == 0) => "达标".into(),
            Some(l) => pts(l.points),
            None => "—".into(),
        })
        .collect()
}

async fn load(a: &Auth, id: &str) -> Result<Results, Error> {
    let scope = a.require(Power::ViewAssessment).await?;
    let q = ResultsQuery {
        target_id: None,
        offset: 0,
        limit: 1000,
    };
    results::results(&a.state.db, &scope, id, a.now(), &q).await
}

#[derive(Template)]
#[template(path = "assess/results.html")]
struct ResultsPage {
    shell: Shell,
    x: Assessment,
    r: Results,
    verification: Option<Verification>,
    can_close: bool,
    /// Ballots a masses' tally needs before it counts (rules.md).
    min_ballots: i64,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl ResultsPage {
    fn tag(&self) -> (&'static str, &'static str) {
        status_tag(&self.x)
    }
    fn p(&self, h: &Option<i64>) -> String {
        pts(*h)
    }
    fn pv(&self, h: &i64) -> String {
        pts(Some(*h))
    }
    fn grade(&self, r: &ResultItem) -> &'static str {
        grade_text(r)
    }
    fn tone(&self, r: &ResultItem) -> &'static str {
        r.grade.map_or("grey", grade_tone)
    }
    fn short(&self, r: &ResultItem) -> bool {
        short_of_ballots(r)
    }
    fn cells(&self, r: &ResultItem) -> Vec<String> {
        line_points(&self.r.indicators, r)
    }
}

async fn page_of(
    a: &Auth,
    id: &str,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let r = load(a, id).await?;
    let scope = a.require(Power::ViewAssessment).await?;
    let verification = freeze::verify(&a.state.db, &scope, id).await?;
    let x = r.assessment.clone();
    Ok(Html(render(&ResultsPage {
        shell: Shell::new(a, "/assessments", &["考评", "考评结果"]),
        can_close: manages(a, &x) && !x.closed,
        min_ballots: tongpin_core::rules::assess::MIN_BALLOTS,
        x,
        r,
        verification,
        notice,
        error,
    })))
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let notice = match q.done.as_deref() {
        Some("closed") => Some("考评已结束，结果已封存并向考核对象公布；此后新增的记录不再改变结果。"),
        _ => None,
    };
    Ok(page_of(&a, &id, notice, None).await?)
}

/// POST /assessments/{id}/close: freezes the results under their SHA-256.
pub async fn close(a: Auth, Path(id): Path<String>) -> Response {
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        freeze::close(&a.state.db, a.now(), &a.actor(), &scope, &id).await
    }
    .await;
    match res {
        Ok(_) => Redirect::to(&format!("/assessments/{id}/results?done=closed")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, page_of(&a, &id, None, Some(msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "assess/results_print.html")]
struct PrintPage {
    x: Assessment,
    r: Results,
    printed: String,
}

impl PrintPage {
    fn p(&self, h: &Option<i64>) -> String {
        pts(*h)
    }
    fn grade(&self, r: &ResultItem) -> &'static str {
        grade_text(r)
    }
    fn cells(&self, r: &ResultItem) -> Vec<String> {
        line_points(&self.r.indicators, r)
    }
}

pub async fn print(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let r = load(&a, &id).await?;
    Ok(Html(render(&PrintPage {
        x: r.assessment.clone(),
        r,
        printed: crate::routes::standard::today(&a),
    })))
}

pub async fn export(a: Auth, Path(id): Path<String>) -> Result<Response, PageError> {
    let r = load(&a, &id).await?;
    let mut headers: Vec<String> = [
        "名次",
        "考核对象",
        "所属组织",
        "得分",
        "加分",
        "等次",
        "一票否决",
        "是否完整",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    headers.extend(r.indicators.iter().map(|i| format!("{} {}", i.code, i.title)));
    let rows = r
        .items
        .iter()
        .map(|it| {
            let mut row = vec![
                it.rank.map(|k| k.to_string()).unwrap_or_else(|| "—".into()),
                it.target.name.clone(),
                it.target.org_name.clone(),
                pts(it.score),
                pts(Some(it.bonus)),
                grade_text(it).to_string(),
                if it.vetoed { "是" } else { "" }.to_string(),
                if it.complete { "完整" } else { "待完成" }.to_string(),
            ];
            row.extend(line_points(&r.indicators, it));
            row
        })
        .collect();
    let table = Table {
        sheet: "考评结果".into(),
        headers,
        rows,
        lists: Vec::new(),
    };
    let name = format!("{}考评结果.xlsx", r.assessment.title);
    Ok(attachment(to_xlsx(&table)?, &name))
}
