//! The assessor's page of ballots: issue N for a target, see per target the
//! counts issued and cast and the masses' mean from the threshold on. The
//! tokens are shown once, on the slips page the issue answers with.
use super::{mean_text, qr};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::assess::ballot_board::{board, Board, TargetBallots};
use tongpin_core::assess::ballots::{self, IssueInput};
use tongpin_core::assess::rules::points_text;
use tongpin_core::auth::Power;
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "ballots/board.html")]
struct BoardPage {
    shell: Shell,
    b: Board,
    target_id: String,
    count: String,
    error: Option<String>,
}

impl BoardPage {
    fn mean(&self, t: &TargetBallots) -> String {
        mean_text(t.mean)
    }
    fn item_mean(&self, m: &Option<i64>) -> String {
        mean_text(*m)
    }
    fn points(&self, p: &i64) -> String {
        points_text(*p)
    }
    fn picked(&self, id: &str) -> bool {
        self.target_id == id
    }
    fn issued_any(&self) -> bool {
        self.b.targets.iter().any(|t| t.issued > 0)
    }
}

async fn board_page(
    a: &Auth,
    id: &str,
    target_id: &str,
    count: &str,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManageAssessment).await?;
    let b = board(&a.state.db, &scope, id).await?;
    let title = format!("{} · 群众评议选票", b.assessment.title);
    Ok(Html(render(&BoardPage {
        shell: Shell::new(a, "/assessments", &["考评", "考评任务", &title]),
        b,
        target_id: target_id.into(),
        count: count.into(),
        error,
    })))
}

pub async fn page(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    Ok(board_page(&a, &id, "", "10", None).await?)
}

/// One slip: whom it rates, its link and QR code.
pub struct Slip {
    pub link: String,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "ballots/slips.html")]
struct SlipsPage {
    assessment_title: String,
    period_title: String,
    target_name: String,
    back: String,
    slips: Vec<Slip>,
}

/// Issues the ballots and answers with their slips (printable, A4).
pub async fn issue(
    a: Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(f);
    let (target_id, count) = (f.get("target_id").to_string(), f.get("count").trim().to_string());
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        let n = count
            .parse::<i64>()
            .map_err(|_| Error::invalid("张数", "请填写发放张数（整数）"))?;
        let db = &a.state.db;
        let input = IssueInput {
            target_id: target_id.clone(),
            group: "masses".into(),
            count: n,
        };
        let tokens = ballots::issue(db, a.now(), &a.actor(), &scope, &id, input).await?;
        let b = board(db, &scope, &id).await?;
        let target_name = b
            .targets
            .iter()
            .find(|t| t.target_id == target_id.trim())
            .map(|t| t.target_name.clone())
            .unwrap_or_default();
        let site = qr::site(&headers, a.state.config.secure_cookies);
        let slips = tokens
            .iter()
            .map(|t| {
                let link = qr::link(&site, t);
                Slip {
                    svg: qr::svg(&link),
                    link,
                }
            })
            .collect();
        Ok::<_, Error>(SlipsPage {
            period_title: b.assessment.period_title(),
            assessment_title: b.assessment.title,
            target_name,
            back: format!("/assessments/{}/ballots", id.trim()),
            slips,
        })
    }
    .await;
    match res {
        Ok(p) => Html(render(&p)).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, board_page(&a, &id, &target_id, &count, Some(msg))).await
        }
    }
}
