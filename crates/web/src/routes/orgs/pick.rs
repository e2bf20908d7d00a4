//! The organization choosers' type-ahead (选组织): a few organizations in the
//! scope of the page that asks, by part of their name, with their name paths;
//! a page never lists every organization of a province in a drop-down.
use crate::extract::Auth;
use crate::ApiError;
use axum::extract::Query;
use axum::Json;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::{org, transfer};

/// Suggestions a chooser shows at once.
pub const LIMIT: i64 = 20;

#[derive(serde::Deserialize, Default)]
pub struct PickQuery {
    #[serde(default)]
    q: String,
    /// The page's module: people, life, plan, study, standard, assess or
    /// transfer (a transfer's destination, anywhere in the system);
    /// otherwise (orgs) the organization tree.
    #[serde(rename = "for")]
    purpose: Option<String>,
    /// 1: the organizations the caller manages in that module (a form's
    /// chooser), not those it may view.
    manage: Option<String>,
    /// units: no 党小组; leading: 党委 and 党总支 only; or one kind's code.
    kinds: Option<String>,
    /// Only organizations strictly below this one.
    under: Option<String>,
    /// 1: only the organizations the power was granted on themselves (whose staff the caller is).
    held: Option<String>,
}

/// The powers of the pages that have a chooser: the route's need.
pub const POWERS: &[Power] = &[
    Power::ViewOrgs,
    Power::ManageOrgs,
    Power::ViewPeople,
    Power::ManagePeople,
    Power::ViewLife,
    Power::ManageLife,
    Power::ViewPlan,
    Power::ManagePlan,
    Power::ViewStudy,
    Power::ManageStudy,
    Power::ViewStandard,
    Power::ManageStandard,
    Power::ViewAssessment,
    Power::ManageAssessment,
];

/// The power a chooser's page reads (or, `manage`, changes) organizations with.
fn power_for(purpose: Option<&str>, manage: bool) -> Power {
    match (purpose, manage) {
        (Some("people"), false) => Power::ViewPeople,
        (Some("people" | "transfer"), true) | (Some("transfer"), false) => Power::ManagePeople,
        (Some("life"), false) => Power::ViewLife,
        (Some("life"), true) => Power::ManageLife,
        (Some("plan"), false) => Power::ViewPlan,
        (Some("plan"), true) => Power::ManagePlan,
        (Some("study"), false) => Power::ViewStudy,
        (Some("study"), true) => Power::ManageStudy,
        (Some("standard"), false) => Power::ViewStandard,
        (Some("standard"), true) => Power::ManageStandard,
        (Some("assess"), false) => Power::ViewAssessment,
        (Some("assess"), true) => Power::ManageAssessment,
        (Some("orgs"), true) => Power::ManageOrgs,
        _ => Power::ViewOrgs,
    }
}

/// GET /api/v1/orgs/pick?q=&for=&manage=&kinds=&under=&held= → {"items": [{id, name, kind, status_label, org_name}]}:
/// `org_name` is the name path and `status_label` the kind, as the person picker shows them.
pub async fn pick(a: Auth, Query(q): Query<PickQuery>) -> Result<Json<Value>, ApiError> {
    let purpose = q.purpose.as_deref();
    let scope = a.require(power_for(purpose, q.manage.as_deref() == Some("1"))).await?;
    let db = &a.state.db;
    let found = if purpose == Some("transfer") {
        transfer::pick_targets(db, &q.q, LIMIT).await?
    } else {
        let top = match q.under.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => Some(org::get(db, &scope, id).await?.path),
            None => None,
        };
        let one: [&str; 1];
        let kinds: &[&str] = match q.kinds.as_deref() {
            Some("units") => org::UNITS,
            Some("leading") => org::LEADING,
            Some(k) => match org::OrgKind::from_code(k) {
                Some(kind) => {
                    one = [kind.code()];
                    &one
                }
                None => &[],
            },
            None => &[],
        };
        let n = org::Narrow {
            kinds,
            below: top.as_deref(),
            held: q.held.as_deref() == Some("1"),
        };
        org::pick(db, &scope, &q.q, n, LIMIT).await?
    };
    let items: Vec<Value> = found
        .into_iter()
        .map(|(o, path)| {
            json!({ "id": o.id, "name": o.name, "kind": o.kind, "status_label": o.kind_label(), "org_name": path })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}
