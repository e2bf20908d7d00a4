//! The cycle's API under /api/v1: problems (list an unmet item, report it
//! rectified, the direct superior's verification, read one) and
//! applications (apply, the direct superior's decision, read one).
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::standard::applications::{self, AppQuery, Application, Decision};
use tongpin_core::standard::problems::{self, NewProblem, Problem, ProblemQuery};

type Api<T> = Result<T, ApiError>;

/// POST /api/v1/problems → 201 {"id"}.
pub async fn create_problem(a: Auth, ApiJson(p): ApiJson<NewProblem>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageStandard).await?;
    let id = problems::create(&a.state.db, a.now(), &a.actor(), &scope, p).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

fn problem_json(p: &Problem, files: Option<&[tongpin_core::files::Attachment]>) -> Value {
    let mut v = json!({
        "id": p.id, "status": p.status, "standard_id": p.standard_id, "standard_title": p.standard_title, "year": p.year,
        "org_id": p.org_id, "org_name": p.org_name, "item_code": p.item_code, "item_title": p.item_title, "round": p.round,
        "source": p.source, "cause": p.cause, "measure": p.measure, "owner_id": p.owner_id, "owner_name": p.owner_name,
        "deadline": p.deadline, "overdue": p.overdue, "report_note": p.report_note, "reported_by": p.reported_by,
        "reported_at": p.reported_at, "verify_comment": p.verify_comment, "verified_by": p.verified_by,
        "verified_at": p.verified_at, "reopened": p.reopened, "created_by": p.created_by, "created_at": p.created_at,
    });
    if let Some(files) = files {
        v["files"] = files
            .iter()
            .map(|f| json!({ "id": f.id, "name": f.name, "size": f.size }))
            .collect();
    }
    v
}

/// GET /api/v1/problems?standard_id=&org_id=&status=&overdue= → the problems in the scope.
pub async fn problems(a: Auth, Query(q): Query<ProblemQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStandard).await?;
    let list = problems::list(&a.state.db, &scope, &q, a.now()).await?;
    Ok(Json(
        json!({ "items": list.iter().map(|p| problem_json(p, None)).collect::<Vec<_>>() }),
    ))
}

pub async fn problem(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let p = problems::get_on(db, &scope, &id, a.now()).await?;
    let files = problems::files_of(db, &scope, &p.id).await?;
    Ok(Json(problem_json(&p, Some(&files))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    note: String,
}

/// POST /api/v1/problems/{id}/report {"note"}: rectified (evidence files go through the page's form).
pub async fn report(a: Auth, Path(id): Path<String>, ApiJson(r): ApiJson<Report>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageStandard).await?;
    problems::report(&a.state.db, a.now(), &a.actor(), &scope, &id, &r.note, Vec::new()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    accepted: bool,
    #[serde(default)]
    comment: String,
}

/// POST /api/v1/problems/{id}/verify {"accepted","comment"}: 销号, or back with the reason.
pub async fn verify(a: Auth, Path(id): Path<String>, ApiJson(v): ApiJson<Verify>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageStandard).await?;
    problems::verify(&a.state.db, a.now(), &a.actor(), &scope, &id, v.accepted, &v.comment).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apply {
    org_id: String,
    standard_id: String,
}

/// POST /api/v1/applications → 201 {"id"}, or 422 naming what is missing.
pub async fn apply(a: Auth, ApiJson(b): ApiJson<Apply>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageStandard).await?;
    let id = applications::apply(&a.state.db, a.now(), &a.actor(), &scope, &b.org_id, &b.standard_id).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

fn application_json(x: &Application) -> Value {
    json!({
        "id": x.id, "status": x.status, "standard_id": x.standard_id, "standard_title": x.standard_title, "year": x.year,
        "org_id": x.org_id, "org_name": x.org_name, "round": x.round, "applied_by": x.applied_by, "applied_at": x.applied_at,
        "share_bp": x.share_bp, "suggested_grade": x.suggested_grade, "grade": x.grade, "grade_reason": x.grade_reason,
        "comment": x.comment, "decided_by": x.decided_by, "decided_at": x.decided_at,
    })
}

/// GET /api/v1/applications?standard_id=&status=&to_decide= → the applications in the scope.
pub async fn list_applications(a: Auth, Query(q): Query<AppQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStandard).await?;
    let list = applications::list(&a.state.db, &scope, &q).await?;
    Ok(Json(
        json!({ "items": list.iter().map(application_json).collect::<Vec<_>>() }),
    ))
}

pub async fn application(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStandard).await?;
    let x = applications::get(&a.state.db, &scope, &id).await?;
    Ok(Json(application_json(&x)))
}

/// POST /api/v1/applications/{id}/decide {"passed","grade","grade_reason","comment","problems"}:
/// only the direct superior's staff (403 for anyone else).
pub async fn decide(a: Auth, Path(id): Path<String>, ApiJson(d): ApiJson<Decision>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageStandard).await?;
    applications::decide(&a.state.db, a.now(), &a.actor(), &scope, &id, d).await?;
    Ok(StatusCode::NO_CONTENT)
}
