//! The public ballot page (/ballot/{token}): no login, no session, no
//! record of who opened it. The form of the indicators the masses rate;
//! casting spends the token. A forged, used or expired token gets a plain
//! page with the reason (4xx).
use crate::extract::Form;
use crate::shell::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::assess::ballots::{self, BallotForm};
use tongpin_core::assess::rules::points_text;
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "ballots/ballot.html")]
struct BallotPage {
    token: String,
    f: BallotForm,
    given: Vec<(String, String)>,
    error: Option<String>,
}

impl BallotPage {
    fn points(&self, p: &i64) -> String {
        points_text(*p)
    }
    fn value(&self, code: &str) -> String {
        let key = format!("p_{code}");
        self.given
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "ballots/notice.html")]
struct Notice {
    status: u16,
    title: &'static str,
    message: String,
}

fn notice(status: StatusCode, title: &'static str, message: String) -> Response {
    let page = Notice {
        status: status.as_u16(),
        title,
        message,
    };
    (status, Html(render(&page))).into_response()
}

/// A refused token as a plain page: 404 unknown, 409 used or closed.
fn refusal(e: Error) -> Response {
    match e {
        Error::Invalid { .. } | Error::NotFound(_) => {
            notice(StatusCode::NOT_FOUND, "选票无效", "选票无效，请核对链接或二维码".into())
        }
        Error::Conflict(m) => notice(StatusCode::CONFLICT, "选票已失效", m),
        other => crate::PageError(other).into_response(),
    }
}

async fn form_page(state: &AppState, token: &str, given: Vec<(String, String)>, error: Option<String>) -> Response {
    match ballots::form(&state.db, token).await {
        Ok(f) => {
            let status = if error.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            let page = BallotPage {
                token: token.to_string(),
                f,
                given,
                error,
            };
            (status, Html(render(&page))).into_response()
        }
        Err(e) => refusal(e),
    }
}

pub async fn page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    form_page(&state, &token, Vec::new(), None).await
}

pub async fn cast(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let points: Vec<(String, String)> = f
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("p_").map(|c| (c.to_string(), v.clone())))
        .collect();
    match ballots::cast(&state.db, state.now(), &token, &points).await {
        Ok(()) => notice(
            StatusCode::OK,
            "投票成功",
            "感谢您参与群众评议。您的选票已计入，本选票已失效。".into(),
        ),
        Err(e @ Error::Invalid { .. }) if !matches!(&e, Error::Invalid { field, .. } if field == "选票") => {
            form_page(&state, &token, f, Some(e.to_string())).await
        }
        Err(e) => refusal(e),
    }
}
