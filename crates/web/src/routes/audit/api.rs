use super::filter::AuditQuery;
use crate::extract::Auth;
use crate::ApiError;
use axum::extract::Query;
use axum::Json;
use serde_json::{json, Value};
use tongpin_core::audit;
use tongpin_core::auth::cap;

pub async fn list(a: Auth, Query(q): Query<AuditQuery>) -> Result<Json<Value>, ApiError> {
    let by = a.capability::<cap::Audit>().await?;
    let filter = q.filter()?;
    let per_page = q.per_page.unwrap_or(20).clamp(1, 200);
    let page = q.page.unwrap_or(1).max(1);
    let total = audit::count(&a.state.db, &by, &filter).await?;
    let items = audit::list(&a.state.db, &by, &filter, (page - 1) * per_page, per_page).await?;
    Ok(Json(json!({ "items": items, "total": total })))
}

pub async fn verify(a: Auth) -> Result<Json<Value>, ApiError> {
    a.capability::<cap::Audit>().await?;
    Ok(Json(match audit::verify(&a.state.db).await? {
        Ok(v) => json!({ "intact": true, "records": v.records, "anchors": v.anchors }),
        Err(b) => json!({ "intact": false, "broken_at": b.seq, "reason": b.reason }),
    }))
}
