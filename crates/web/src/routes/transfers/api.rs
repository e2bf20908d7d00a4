use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::transfer::{self, Direction, Filter, NewTransfer, Status};
use tongpin_core::Error;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    direction: Option<String>,
    q: Option<String>,
    status: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// GET /api/v1/transfers?direction=in|out|all&status=&q=&page=&per_page= → {"items", "total"}.
pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    let direction = Direction::parse(q.direction.as_deref().unwrap_or_default())
        .ok_or_else(|| Error::invalid("direction", "应为 in、out 或 all"))?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Status::parse(s)
                .ok_or_else(|| Error::invalid("status", "应为 pending、accepted、returned、done 或 cancelled"))?,
        ),
    };
    let f = Filter {
        direction,
        q: q.q.map(|s| s.chars().take(30).collect()),
        status,
    };
    let per_page = q.per_page.unwrap_or(20).clamp(1, 200);
    let page = q.page.unwrap_or(1).max(1);
    let (items, total) = transfer::list(&a.state.db, &scope, &f, (page - 1) * per_page, per_page).await?;
    Ok(Json(json!({ "items": items, "total": total })))
}

pub async fn show(a: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    Ok(Json(json!(transfer::get(&a.state.db, &scope, &id).await?)))
}

/// POST /api/v1/transfers → 201 {"id"}.
pub async fn create(a: Auth, ApiJson(t): ApiJson<NewTransfer>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let id = transfer::request(&a.state.db, a.now(), &a.actor(), &scope, &t).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn accept(a: Auth, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    transfer::accept(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ReturnBody {
    reason: String,
}

pub async fn send_back(
    a: Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReturnBody>,
) -> Result<StatusCode, ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    transfer::send_back(&a.state.db, a.now(), &a.actor(), &scope, &id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn cancel(a: Auth, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    transfer::cancel(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
