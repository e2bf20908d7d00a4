//! The person pickers' type-ahead (选人): name, pinyin or initials, in the
//! scope of the form that asks (组织生活, 年度计划, 学习, 标准化建设, or the roster itself).
use crate::extract::Auth;
use crate::ApiError;
use axum::extract::Query;
use axum::Json;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::people;

/// Suggestions a picker shows at once.
pub const LIMIT: i64 = 10;

#[derive(serde::Deserialize, Default)]
pub struct PickQuery {
    #[serde(default)]
    q: String,
    org: Option<String>,
    /// The form's module: life, plan, study or standard; otherwise the roster.
    #[serde(rename = "for")]
    purpose: Option<String>,
}

/// GET /api/v1/people/pick?q=&org=&for= → {"items": [{id, name, status, status_label, org_id, org_name}]}.
pub async fn pick(a: Auth, Query(q): Query<PickQuery>) -> Result<Json<Value>, ApiError> {
    let power = match q.purpose.as_deref() {
        Some("life") => Power::ManageLife,
        Some("plan") => Power::ManagePlan,
        Some("study") => Power::ManageStudy,
        Some("standard") => Power::ManageStandard,
        Some("assess") => Power::ManageAssessment,
        _ => Power::ViewPeople,
    };
    let scope = a.require(power).await?;
    let org = q.org.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let items = people::pick(&a.state.db, &scope, &q.q, org, LIMIT).await?;
    Ok(Json(json!({ "items": items })))
}
