use super::pages::PeopleQuery;
use super::sheet::read_upload;
use crate::download::base64;
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::people::{self, NewPerson};

/// GET /api/v1/people?q=&org=&status=&post=&page=&per_page= → {"items", "total"}, masked.
pub async fn list(a: Auth, Query(q): Query<PeopleQuery>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    let per_page = q.per_page.unwrap_or(20).clamp(1, 200);
    let page = q.page.unwrap_or(1).max(1);
    let f = q.filter();
    // Counted no further than the roster page counts: a surname across a
    // province would otherwise read every match for the total alone.
    let counted = people::count_capped(&a.state.db, &scope, &f, people::COUNT_CAP).await?;
    let items = people::page(&a.state.db, &scope, &f, counted, (page - 1) * per_page, per_page).await?;
    Ok(Json(json!({
        "items": items,
        "total": counted.min(people::COUNT_CAP),
        "total_capped": counted > people::COUNT_CAP,
    })))
}

pub async fn show(a: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    Ok(Json(json!(people::get(&a.state.db, &scope, &id).await?)))
}

/// The full citizen ID and phone; audited.
pub async fn reveal(a: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::RevealPersonal).await?;
    Ok(Json(json!(
        people::reveal(&a.state.db, a.now(), &a.actor(), &scope, &id).await?
    )))
}

pub async fn create(a: Auth, ApiJson(p): ApiJson<NewPerson>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let id = people::create(&a.state.db, a.now(), &a.actor(), &scope, &p).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn update(a: Auth, Path(id): Path<String>, ApiJson(p): ApiJson<NewPerson>) -> Result<StatusCode, ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    people::update(&a.state.db, a.now(), &a.actor(), &scope, &id, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct ImportQuery {
    dry_run: Option<bool>,
    valid_only: Option<bool>,
    update_existing: Option<bool>,
}

/// POST /api/v1/people/import?dry_run=true|false, multipart field `file`
/// → {"imported", "updated", "valid", "total", "errors": [{"row", "column", "message"}]}.
pub async fn import(a: Auth, Query(q): Query<ImportQuery>, mp: Multipart) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let (bytes, filename, mut opts) = read_upload(mp).await?;
    opts.dry_run |= q.dry_run.unwrap_or(false);
    opts.valid_only |= q.valid_only.unwrap_or(false);
    opts.update_existing |= q.update_existing.unwrap_or(false);
    let r = people::import(&a.state.db, a.now(), &a.actor(), &scope, bytes, &filename, opts).await?;
    let errors: Vec<Value> = r
        .errors
        .iter()
        .map(|e| json!({ "row": e.row, "column": e.column, "message": e.message }))
        .collect();
    let mut body =
        json!({ "imported": r.imported, "updated": r.updated, "valid": r.valid, "total": r.total, "errors": errors });
    if let Some(x) = &r.rejected {
        body["rejected_xlsx_base64"] = Value::String(base64(x));
    }
    Ok(Json(body))
}
