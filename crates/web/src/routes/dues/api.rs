use super::pages::LedgerQuery;
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::dues::{self, NewBase};
use tongpin_core::Error;

/// GET /api/v1/dues/ledger?org=&month= → the month's ledger with totals.
pub async fn ledger(a: Auth, Query(q): Query<LedgerQuery>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    let l = dues::ledger(&a.state.db, &scope, q.org(), q.month(), a.now()).await?;
    Ok(Json(json!(l)))
}

/// GET /api/v1/dues/todos → members 3 or more months behind.
pub async fn todos(a: Auth) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    let items = dues::todos(&a.state.db, &scope, a.now()).await?;
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

/// GET /api/v1/people/{id}/dues → bases, the last 12 months, arrears.
pub async fn history(a: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewPeople).await?;
    Ok(Json(json!(dues::history(&a.state.db, &scope, &id, a.now()).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseBody {
    from_month: String,
    category: String,
    /// Yuan as a string ("4500.50") or a number (4500.5).
    #[serde(default)]
    base_yuan: Option<Value>,
    #[serde(default)]
    base_fen: Option<i64>,
    #[serde(default)]
    farmer_amount_yuan: Option<Value>,
    #[serde(default)]
    farmer_amount_fen: Option<i64>,
}

/// A yuan amount given as a string or a number, as text (no float maths).
fn yuan_text(field: &str, v: Option<Value>) -> Result<String, Error> {
    match v {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(_) => Err(Error::invalid(field, "应为数字或字符串，如 4500.50")),
    }
}

/// PUT /api/v1/people/{id}/dues-base → the base as stored, with its amount.
pub async fn set_base(a: Auth, Path(id): Path<String>, ApiJson(b): ApiJson<BaseBody>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let nb = NewBase {
        from_month: b.from_month,
        category: b.category,
        base_yuan: yuan_text("base_yuan", b.base_yuan)?,
        base_fen: b.base_fen,
        farmer_amount_yuan: yuan_text("farmer_amount_yuan", b.farmer_amount_yuan)?,
        farmer_amount_fen: b.farmer_amount_fen,
    };
    let line = dues::set_base(&a.state.db, a.now(), &a.actor(), &scope, &id, &nb).await?;
    Ok(Json(json!(line)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayBody {
    months: Vec<String>,
    #[serde(default)]
    paid_on: Option<String>,
}

/// POST /api/v1/people/{id}/dues-payments → what was recorded, month by month.
pub async fn pay(
    a: Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PayBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let paid_on = b.paid_on.unwrap_or_default();
    let lines = dues::record_payments(&a.state.db, a.now(), &a.actor(), &scope, &id, &b.months, &paid_on).await?;
    let total: i64 = lines.iter().map(|l| l.1).sum();
    let months: Vec<Value> = lines
        .iter()
        .map(|(m, fen)| json!({ "month": m, "amount_fen": fen }))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(json!({ "months": months, "total_fen": total })),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchBody {
    month: String,
    person_ids: Vec<String>,
    #[serde(default)]
    paid_on: Option<String>,
}

/// POST /api/v1/dues/payments → 批量登记 one month for several members.
pub async fn pay_batch(a: Auth, ApiJson(b): ApiJson<BatchBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let paid_on = b.paid_on.unwrap_or_default();
    let (n, total) = dues::record_batch(
        &a.state.db,
        a.now(),
        &a.actor(),
        &scope,
        &b.month,
        &b.person_ids,
        &paid_on,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "members": n, "total_fen": total }))))
}

#[derive(Deserialize)]
pub struct ImportQuery {
    dry_run: Option<bool>,
}

/// POST /api/v1/dues/bases/import?dry_run=, multipart field `file`.
pub async fn import(a: Auth, Query(q): Query<ImportQuery>, mp: Multipart) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ManagePeople).await?;
    let (bytes, filename, check) = crate::upload::sheet_upload(mp).await?;
    let dry_run = check || q.dry_run.unwrap_or(false);
    let r = dues::import_bases(&a.state.db, a.now(), &a.actor(), &scope, bytes, &filename, dry_run).await?;
    let errors: Vec<Value> = r
        .errors
        .iter()
        .map(|e| json!({ "row": e.row, "column": e.column, "message": e.message }))
        .collect();
    Ok(Json(
        json!({ "imported": r.imported, "updated": r.updated, "valid": r.valid, "total": r.total, "errors": errors }),
    ))
}
