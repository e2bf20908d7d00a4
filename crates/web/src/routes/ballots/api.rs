//! The ballots' API: issue ballots for a target (the tokens are answered
//! once), and the board of counts and means.
use super::qr;
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::assess::ballot_board::board as load_board;
use tongpin_core::assess::ballots::{self, IssueInput};
use tongpin_core::auth::Power;

type Api<T> = Result<T, ApiError>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    target_id: String,
    count: i64,
}

/// POST /api/v1/assessments/{id}/ballots → 201 {"tokens", "links"}.
pub async fn issue(
    a: Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(i): ApiJson<Issue>,
) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageAssessment).await?;
    let input = IssueInput {
        target_id: i.target_id,
        group: "masses".into(),
        count: i.count,
    };
    let tokens = ballots::issue(&a.state.db, a.now(), &a.actor(), &scope, &id, input).await?;
    let site = qr::site(&headers, a.state.config.secure_cookies);
    let links: Vec<String> = tokens.iter().map(|t| qr::link(&site, t)).collect();
    Ok((StatusCode::CREATED, Json(json!({ "tokens": tokens, "links": links }))))
}

/// GET /api/v1/assessments/{id}/ballots → per target the counts and the masses' mean.
pub async fn board(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ManageAssessment).await?;
    let b = load_board(&a.state.db, &scope, &id).await?;
    Ok(Json(json!({
        "assessment_id": b.assessment.id,
        "closed": b.assessment.closed,
        "threshold": b.threshold,
        "full_points": b.full_points,
        "indicators": b.indicators.iter().map(|i| json!({ "code": i.code, "title": i.title, "full_points": i.full_points }))
            .collect::<Vec<_>>(),
        "targets": b.targets,
    })))
}
