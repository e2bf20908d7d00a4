//! Required courses (必修课程): set by an organization for its subtree with
//! their class hours; a member completes one when the hours recorded
//! against it reach the course's class hours.
use super::model::{Course, NewCourse};
use super::{rules, study_org};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Result};
use serde::Serialize;

const SELECT: &str = "SELECT c.id, c.org_id, o.name AS org_name, c.year, c.title, c.hours \
     FROM study_courses c JOIN orgs o ON o.id = c.org_id";

/// A course with where it applies.
pub(super) struct CourseRef {
    pub id: String,
    pub title: String,
    pub year: i64,
    pub org_path: String,
}

pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewCourse) -> Result<String> {
    let org = study_org(db, scope, &new.org_id).await?;
    let year = i64::from(crate::plan::year_of(new.year)?);
    let title = check("课程名称", &new.title, 80, TextKind::Free)?;
    let hours = rules::parse_hours("课程学时", &new.hours)?;
    db.transaction(move |tx| {
        let (org, title, actor) = (org.clone(), title.clone(), actor.clone());
        Box::pin(async move {
            let id = ids::new_id();
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO study_courses (id, org_id, year, title, hours, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(&id)
            .bind(&org.id)
            .bind(year)
            .bind(&title)
            .bind(hours)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new(
                "study.course.create",
                format!("{title}（{}，{year}年）", org.name),
                Outcome::Ok,
            )
            .detail(format!("{} 学时", rules::hours_text(hours)));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

pub(super) async fn get_any(db: &Db, id: &str) -> Result<Option<CourseRef>> {
    let row: Option<(String, String, i64, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT c.id, c.title, c.year, o.path FROM study_courses c JOIN orgs o ON o.id = c.org_id WHERE c.id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await?);
    Ok(row.map(|(id, title, year, org_path)| CourseRef {
        id,
        title,
        year,
        org_path,
    }))
}

/// The ids in an organization path, root first ("/a/b/" → a, b).
pub(super) fn path_ids(path: &str) -> Vec<String> {
    path.split('/').filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The courses that apply at an organization path in a year: its own and
/// its superiors', by title.
pub(super) async fn applying(db: &Db, path: &str, year: i64) -> Result<Vec<Course>> {
    let ids = path_ids(path);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Where::default();
    let phs = w.in_list(&ids);
    w.push_raw(format!("c.org_id IN ({})", phs));
    w.push("c.year = {}", Param::I(year));
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY o.path, c.title, c.id");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// The courses required of an organization in the scope (its own and its superiors').
pub async fn for_org(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<Course>> {
    let o = crate::org::get(db, scope, org_id).await?;
    applying(db, &o.path, year).await
}

/// One required course and a person's hours on it.
#[derive(Clone, Debug, Serialize)]
pub struct Completion {
    pub course: Course,
    /// Tenths of a class hour recorded against the course.
    pub recorded: i64,
    pub completed: bool,
}

/// A person's hours on the courses that apply at their organization.
pub(super) async fn completion(db: &Db, person_id: &str, org_path: &str, year: i64) -> Result<Vec<Completion>> {
    let courses = applying(db, org_path, year).await?;
    let sums: Vec<(String, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT r.course_id, CAST(SUM(r.hours) AS BIGINT) FROM study_records r \
         WHERE r.person_id = $1 AND r.course_id IS NOT NULL GROUP BY r.course_id"
    )
    .bind(person_id)
    .fetch_all(p)
    .await?);
    Ok(courses
        .into_iter()
        .map(|c| {
            let recorded = sums.iter().find(|(id, _)| *id == c.id).map(|(_, h)| *h).unwrap_or(0);
            Completion {
                completed: rules::completed(recorded, c.hours),
                recorded,
                course: c,
            }
        })
        .collect())
}
