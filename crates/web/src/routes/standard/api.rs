//! The standards API under /api/v1: standards (list, create, read,
//! publish), an organization's self-check and its answers, and the
//! superior's ledger.
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::standard::checks::{self, SelfCheck, SetItem};
use tongpin_core::standard::ledger::{self, Ledger, LedgerQuery};
use tongpin_core::standard::{standards, Item, NewStandard, Standard, StandardStatus};
use tongpin_core::{org, Error};

type Api<T> = Result<T, ApiError>;

pub fn standard_json(s: &Standard, items: Option<&[Item]>) -> Value {
    let mut v = json!({ "id": s.id, "org_id": s.org_id, "org_name": s.org_name, "year": s.year, "title": s.title,
        "org_kinds": s.kinds(), "version": s.version, "previous_id": s.previous_id, "status": s.status,
        "grade_ii_bp": s.grade_ii_bp, "grade_iii_bp": s.grade_iii_bp, "published_at": s.published_at,
        "published_by": s.published_by, "created_by": s.created_by, "created_at": s.created_at });
    if let Some(items) = items {
        v["items"] = items
            .iter()
            .map(|i| {
                json!({ "code": i.code, "dimension": i.dimension, "title": i.title, "criteria": i.criteria,
                    "evidence_required": i.evidence_required, "points": i.points, "tier": i.tier, "rule": i.rule })
            })
            .collect();
    }
    v
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i64>,
}

/// GET /api/v1/standards?year= → the standards the caller can read.
pub async fn list(a: Auth, Query(q): Query<YearQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStandard).await?;
    let list = standards::list(&a.state.db, &scope, q.year).await?;
    Ok(Json(
        json!({ "items": list.iter().map(|s| standard_json(s, None)).collect::<Vec<_>>() }),
    ))
}

/// POST /api/v1/standards → 201 {"id"}: a draft with its items.
pub async fn create(a: Auth, ApiJson(s): ApiJson<NewStandard>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageStandard).await?;
    let id = standards::create(&a.state.db, a.now(), &a.actor(), &scope, s).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn get(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStandard).await?;
    let s = standards::get(&a.state.db, &scope, &id).await?;
    let items = standards::items_of(&a.state.db, &s.id).await?;
    Ok(Json(standard_json(&s, Some(&items))))
}

pub async fn publish(a: Auth, Path(id): Path<String>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageStandard).await?;
    standards::publish(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct StandardQuery {
    standard_id: Option<String>,
}

fn self_check_json(sc: &SelfCheck) -> Value {
    json!({
        "org_id": sc.org_id, "org_name": sc.org_name, "standard_id": sc.standard.id, "standard_title": sc.standard.display(),
        "status": sc.status, "grade": sc.grade, "round": sc.round, "share_bp": sc.share_bp,
        "suggested_grade": sc.suggested_grade, "missing": sc.missing, "open_problems": sc.open_problems,
        "overdue_problems": sc.overdue_problems,
        "items": sc.items.iter().map(|i| json!({
            "code": i.item.code, "dimension": i.item.dimension, "title": i.item.title, "tier": i.item.tier,
            "points": i.item.points, "met": i.met, "computed": i.computed, "computed_met": i.computed_met,
            "detail": i.detail, "note": i.note, "override_reason": i.override_reason,
            "file_ids": i.files.iter().map(|f| f.id.clone()).collect::<Vec<_>>(), "open_problems": i.open_problems,
        })).collect::<Vec<_>>(),
    })
}

/// The standard the request names, or the first in force for the organization this year.
async fn standard_for(a: &Auth, org_id: &str, wanted: Option<String>) -> Result<Option<String>, Error> {
    if let Some(s) = wanted.filter(|s| !s.trim().is_empty()) {
        return Ok(Some(s));
    }
    let scope = a.require(Power::ViewStandard).await?;
    let list = standards::applicable(&a.state.db, &scope, org_id, super::this_year(a)).await?;
    Ok(list.into_iter().next().map(|s| s.id))
}

/// GET /api/v1/orgs/{id}/self-check?standard_id= → the organization's
/// self-check; without `standard_id`, on the standard in force this year
/// (none: `standard_id` null, not started, no items).
pub async fn self_check(a: Auth, Path(id): Path<String>, Query(q): Query<StandardQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let o = org::get(db, &scope, &id).await?;
    match standard_for(&a, &o.id, q.standard_id).await? {
        Some(sid) => {
            let sc = checks::self_check(db, &scope, &o.id, &sid, a.now()).await?;
            Ok(Json(self_check_json(&sc)))
        }
        None => Ok(Json(json!({
            "org_id": o.id, "org_name": o.name, "standard_id": null, "standard_title": null, "status": "not_started",
            "grade": null, "round": 1, "share_bp": 0, "suggested_grade": "i",
            "missing": [format!("{}没有适用的本年度建设标准", o.name)], "open_problems": 0, "overdue_problems": 0, "items": [],
        }))),
    }
}

/// PUT /api/v1/orgs/{id}/self-check/{standard_id}/items/{code}: one answer
/// (met, note, the evidence files to keep, an override's reason).
pub async fn set_item(
    a: Auth,
    Path((id, standard_id, code)): Path<(String, String, String)>,
    ApiJson(set): ApiJson<SetItem>,
) -> Api<StatusCode> {
    let scope = a.require(Power::ManageStandard).await?;
    checks::set_item(
        &a.state.db,
        a.now(),
        &a.actor(),
        &scope,
        &id,
        &standard_id,
        &code,
        set,
        Vec::new(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn ledger_json(l: &Ledger) -> Value {
    json!({
        "standard_id": l.standard.id, "standard_title": l.standard.display(), "org_id": l.root_id, "org_name": l.root_name,
        "counts": l.counts, "grades": l.grades, "open_problems": l.open_problems, "overdue_problems": l.overdue_problems,
        "total": l.total,
        "items": l.rows.iter().map(|r| json!({ "org_id": r.org_id, "org_name": r.org_name, "status": r.status, "grade": r.grade,
            "round": r.round, "open_problems": r.open_problems, "overdue_problems": r.overdue_problems,
            "baseline_unmet": r.baseline_unmet, "share_bp": r.share_bp })).collect::<Vec<_>>(),
        "groups": l.groups.iter().map(|g| json!({ "org_id": g.org_id, "org_name": g.org_name, "counts": g.counts,
            "grades": g.grades, "open_problems": g.open_problems, "overdue_problems": g.overdue_problems })).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize)]
pub struct LedgerParams {
    standard_id: Option<String>,
    status: Option<String>,
}

/// GET /api/v1/orgs/{id}/standard-ledger?standard_id=&status= → the ledger
/// under the organization; without `standard_id`, of the first standard
/// published this year whose area meets it (none: `standard_id` null, zeros).
pub async fn ledger(a: Auth, Path(id): Path<String>, Query(q): Query<LedgerParams>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let o = org::get(db, &scope, &id).await?;
    let sid = match q.standard_id.filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(s),
        None => standards::list(db, &scope, Some(super::this_year(&a)))
            .await?
            .into_iter()
            .find(|s| {
                s.status() == StandardStatus::Published
                    && (o.path.starts_with(&s.org_path) || s.org_path.starts_with(&o.path))
            })
            .map(|s| s.id),
    };
    let Some(sid) = sid else {
        let zero = json!({ "not_started": 0, "not_met": 0, "met": 0, "applied": 0, "accepted": 0 });
        return Ok(Json(json!({
            "standard_id": null, "standard_title": null, "org_id": o.id, "org_name": o.name, "counts": zero,
            "grades": { "i": 0, "ii": 0, "iii": 0 }, "open_problems": 0, "overdue_problems": 0, "total": 0,
            "items": [], "groups": [],
        })));
    };
    let lq = LedgerQuery {
        org_id: Some(o.id.clone()),
        status: q.status,
        limit: None,
    };
    let l = ledger::ledger(db, &scope, &sid, &lq, a.now()).await?;
    Ok(Json(ledger_json(&l)))
}
