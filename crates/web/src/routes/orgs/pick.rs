//! The organization choosers' type-ahead (选组织): a few organizations in the
//! scope of the page that asks, by part of their name, with their name paths;
//! a page never lists every organization of a province in a drop-down.
use crate::extract::Auth;
use crate::ApiError;
use axum::extract::Query;
use axum::Json;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::org;

/// Suggestions a chooser shows at once.
pub const LIMIT: i64 = 20;

#[derive(serde::Deserialize, Default)]
pub struct PickQuery {
    #[serde(default)]
    q: String,
    /// The page's module: people, life, plan, study or standard; otherwise the organization tree.
    #[serde(rename = "for")]
    purpose: Option<String>,
}

/// The powers of the pages that have a chooser: the route's need.
pub const POWERS: &[Power] = &[
    Power::ViewOrgs,
    Power::ViewPeople,
    Power::ViewLife,
    Power::ViewPlan,
    Power::ViewStudy,
    Power::ViewStandard,
];

/// The power a chooser's page reads organizations with.
fn power_for(purpose: Option<&str>) -> Power {
    match purpose {
        Some("people") => Power::ViewPeople,
        Some("life") => Power::ViewLife,
        Some("plan") => Power::ViewPlan,
        Some("study") => Power::ViewStudy,
        Some("standard") => Power::ViewStandard,
        _ => Power::ViewOrgs,
    }
}

/// GET /api/v1/orgs/pick?q=&for= → {"items": [{id, name, kind, status_label, org_name}]}:
/// `org_name` is the name path and `status_label` the kind, as the person picker shows them.
pub async fn pick(a: Auth, Query(q): Query<PickQuery>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(power_for(q.purpose.as_deref())).await?;
    let found = org::pick(&a.state.db, &scope, &q.q, LIMIT).await?;
    let items: Vec<Value> = found
        .into_iter()
        .map(|(o, path)| {
            json!({ "id": o.id, "name": o.name, "kind": o.kind, "status_label": o.kind_label(), "org_name": path })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}
