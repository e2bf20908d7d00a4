//! Study's JSON API under /api/v1: plans (save, file, approve, return),
//! records (own, or a session for members), courses, a person's year.
//! Hours travel as text with one decimal ("1.5"), never as floating point.
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::study::{
    courses, hours_text, plans, records, summary, Course, NewCourse, NewPlan, NewRecord, PlanItem, StudyPlan,
};
use tongpin_core::Error;

type Api<T> = Result<T, ApiError>;

#[derive(Deserialize)]
pub struct OrgYear {
    org: Option<String>,
    year: Option<i64>,
}

fn this_year(a: &Auth) -> i64 {
    i64::from(chrono::Datelike::year(
        &tongpin_core::clock::beijing(a.now()).date_naive(),
    ))
}

fn plan_json(p: &StudyPlan, items: Option<&[PlanItem]>) -> Value {
    let mut v = json!({ "id": p.id, "org_id": p.org_id, "org_name": p.org_name, "year": p.year, "title": p.title,
        "status": p.status, "review_comment": p.review_comment, "filed_at": p.filed_at,
        "reviewed_by": p.reviewed_by, "reviewed_at": p.reviewed_at });
    if let Some(items) = items {
        v["items"] = items
            .iter()
            .map(|i| json!({ "month": i.month, "topic": i.topic, "form": i.form, "hours": hours_text(i.hours_planned), "notes": i.notes }))
            .collect();
    }
    v
}

fn course_json(c: &Course) -> Value {
    json!({ "id": c.id, "org_id": c.org_id, "org_name": c.org_name, "year": c.year, "title": c.title, "hours": hours_text(c.hours) })
}

/// GET /api/v1/study/plans?org=&year= → the organization's plan with its
/// items, the plans below it, and the branches below without one.
pub async fn plans(a: Auth, Query(q): Query<OrgYear>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStudy).await?;
    let db = &a.state.db;
    let org = q
        .org
        .filter(|o| !o.trim().is_empty())
        .ok_or_else(|| Error::invalid("org", "请指定组织"))?;
    let year = q.year.unwrap_or_else(|| this_year(&a));
    let own = match plans::of_org(db, &scope, &org, year).await? {
        Some(p) => Some(plan_json(&p, Some(&plans::items_of(db, &p.id).await?))),
        None => None,
    };
    let r = summary::review(db, &scope, &org, year).await?;
    let below: Vec<Value> = [&r.filed, &r.returned, &r.approved, &r.draft]
        .into_iter()
        .flatten()
        .map(|p| plan_json(p, None))
        .collect();
    let missing: Vec<Value> = r
        .missing
        .iter()
        .map(|(id, name)| json!({ "org_id": id, "org_name": name }))
        .collect();
    Ok(Json(
        json!({ "org_id": org, "year": year, "plan": own, "below": below, "missing": missing }),
    ))
}

/// POST /api/v1/study/plans → 201 {"id"}: creates or replaces the draft's items.
pub async fn save_plan(a: Auth, ApiJson(p): ApiJson<NewPlan>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageStudy).await?;
    let id = plans::save(&a.state.db, a.now(), &a.actor(), &scope, p).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn plan(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStudy).await?;
    let p = plans::get(&a.state.db, &scope, &id).await?;
    let items = plans::items_of(&a.state.db, &p.id).await?;
    Ok(Json(plan_json(&p, Some(&items))))
}

pub async fn file(a: Auth, Path(id): Path<String>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageStudy).await?;
    plans::file(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    #[serde(default)]
    comment: String,
}

/// POST …/approve, with an optional body {"comment"}.
pub async fn approve(a: Auth, Path(id): Path<String>, body: axum::body::Bytes) -> Api<StatusCode> {
    let scope = a.require(Power::ManageStudy).await?;
    let c = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        serde_json::from_slice::<Comment>(&body)
            .map_err(|_| Error::invalid("comment", "请求体应为 JSON 对象，如 {\"comment\": \"同意\"}"))?
            .comment
    };
    plans::review(&a.state.db, a.now(), &a.actor(), &scope, &id, true, &c).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn send_back(a: Auth, Path(id): Path<String>, ApiJson(c): ApiJson<Comment>) -> Api<StatusCode> {
    let scope = a.require(Power::ManageStudy).await?;
    plans::review(&a.state.db, a.now(), &a.actor(), &scope, &id, false, &c.comment).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    /// For a session: the attendees (ManageStudy over them). Empty: oneself.
    #[serde(default)]
    person_ids: Vec<String>,
    studied_on: String,
    topic: String,
    #[serde(deserialize_with = "tongpin_core::plan::text_or_number")]
    hours: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    course_id: Option<String>,
    #[serde(default)]
    notes: String,
}

/// POST /api/v1/study/records → 201 {"ids"}.
pub async fn log(a: Auth, ApiJson(b): ApiJson<RecordBody>) -> Api<(StatusCode, Json<Value>)> {
    let r = NewRecord {
        studied_on: b.studied_on,
        topic: b.topic,
        hours: b.hours,
        form: b.form,
        course_id: b.course_id,
        notes: b.notes,
    };
    let (db, now) = (&a.state.db, a.now());
    let ids = if b.person_ids.is_empty() {
        let Some(pid) = a.who.person_id.as_deref() else {
            return Err(Error::Forbidden("您的账号未关联名册中的人员，不能登记本人学习记录".into()).into());
        };
        vec![records::log_own(db, now, &a.actor(), pid, r).await?]
    } else {
        let scope = a.require(Power::ManageStudy).await?;
        records::log_for(db, now, &a.actor(), &scope, &b.person_ids, r).await?
    };
    Ok((StatusCode::CREATED, Json(json!({ "ids": ids }))))
}

/// GET /api/v1/study/courses?org=&year= → the courses required of the organization.
pub async fn courses(a: Auth, Query(q): Query<OrgYear>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewStudy).await?;
    let org = q.org.unwrap_or_default();
    let list = courses::for_org(&a.state.db, &scope, &org, q.year.unwrap_or_else(|| this_year(&a))).await?;
    Ok(Json(
        json!({ "items": list.iter().map(course_json).collect::<Vec<_>>() }),
    ))
}

pub async fn create_course(a: Auth, ApiJson(c): ApiJson<NewCourse>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManageStudy).await?;
    let id = courses::create(&a.state.db, a.now(), &a.actor(), &scope, c).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i64>,
}

/// GET /api/v1/people/{id}/study?year= → the person's hours, records and courses.
pub async fn person(a: Auth, Path(id): Path<String>, Query(q): Query<YearQuery>) -> Api<Json<Value>> {
    let scope = a.require_or_linked(Power::ViewStudy).await?;
    let year = q.year.unwrap_or_else(|| this_year(&a));
    let db = &a.state.db;
    let y = summary::person(db, scope.as_ref(), a.who.person_id.as_deref(), &id, year).await?;
    let recs = records::of_person(db, &y.person_id, year).await?;
    Ok(Json(json!({
        "person_id": y.person_id, "name": y.name, "org_name": y.org_name, "year": y.year,
        "hours": hours_text(y.hours), "records_count": y.records,
        "courses_required": y.courses.len(), "courses_completed": y.courses_completed,
        "courses": y.courses.iter().map(|c| json!({ "course": course_json(&c.course), "recorded": hours_text(c.recorded), "completed": c.completed })).collect::<Vec<_>>(),
        "records": recs.iter().map(|r| json!({ "id": r.id, "studied_on": r.studied_on, "topic": r.topic, "hours": hours_text(r.hours),
            "form": r.form, "course_id": r.course_id, "notes": r.notes })).collect::<Vec<_>>(),
    })))
}
