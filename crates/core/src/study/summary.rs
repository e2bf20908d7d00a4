//! What study adds up to, for the annual assessment and the democratic
//! appraisal: a person's class hours and required courses in a year, a
//! branch's members (by name, never ranked by hours), and a superior's view
//! of the plans below it by status.
use super::courses::{self, Completion};
use super::model::StudyPlan;
use super::{plans, year_range};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Error, Result};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct PersonYear {
    pub person_id: String,
    pub name: String,
    pub org_name: String,
    pub year: i64,
    /// Tenths of a class hour recorded in the year.
    pub hours: i64,
    pub records: i64,
    pub courses: Vec<Completion>,
    pub courses_completed: usize,
}

/// Who may read a person's study: the person, or a scope holding their organization.
pub async fn person(
    db: &Db,
    scope: Option<&Scope>,
    own: Option<&str>,
    person_id: &str,
    year: i64,
) -> Result<PersonYear> {
    let row: Option<(String, String, String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT p.id, p.name, o.name, p.org_path FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1"
    )
    .bind(person_id.trim())
    .fetch_optional(p)
    .await?);
    let Some((id, name, org_name, path)) = row else {
        return Err(Error::NotFound("人员不存在或不在您的管理范围内".into()));
    };
    let allowed = own == Some(id.as_str()) || scope.is_some_and(|s| s.contains_path(&path));
    if !allowed {
        return Err(Error::NotFound("人员不存在或不在您的管理范围内".into()));
    }
    let (from, to) = year_range(year);
    let (hours, records): (i64, i64) = with_db!(db, |p| sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(hours), 0) AS BIGINT), COUNT(*) FROM study_records \
         WHERE person_id = $1 AND studied_on >= $2 AND studied_on <= $3"
    )
    .bind(&id)
    .bind(&from)
    .bind(&to)
    .fetch_one(p)
    .await?);
    let courses = courses::completion(db, &id, &path, year).await?;
    Ok(PersonYear {
        courses_completed: courses.iter().filter(|c| c.completed).count(),
        person_id: id,
        name,
        org_name,
        year,
        hours,
        records,
        courses,
    })
}

/// One member's line in a branch's summary.
#[derive(Clone, Debug, Serialize)]
pub struct MemberLine {
    pub person_id: String,
    pub name: String,
    pub hours: i64,
    pub courses_required: usize,
    pub courses_completed: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Branch {
    pub org_id: String,
    pub org_name: String,
    pub year: i64,
    pub plan: Option<StudyPlan>,
    pub total_hours: i64,
    /// Party members (正式、预备) on the roster, by name.
    pub members: Vec<MemberLine>,
}

/// An organization's members with their hours and courses, by name.
pub async fn branch(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Branch> {
    let o = org::get(db, scope, org_id).await?;
    let (from, to) = year_range(year);
    let mut w = Where::default();
    w.prefix("p.org_path", &o.path);
    w.push_raw("p.left_on IS NULL AND p.status IN ('full', 'probationary')".into());
    let a = w.param(Param::S(from));
    let b = w.param(Param::S(to));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.id, p.name, p.org_path, CAST(COALESCE((SELECT SUM(r.hours) FROM study_records r \
         WHERE r.person_id = p.id AND r.studied_on >= {a} AND r.studied_on <= {b}), 0) AS BIGINT) \
         FROM people p {cond} ORDER BY p.name_pinyin, p.id LIMIT 5000"
    );
    let rows: Vec<(String, String, String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut members = Vec::new();
    for (id, name, path, hours) in rows {
        let c = courses::completion(db, &id, &path, year).await?;
        members.push(MemberLine {
            person_id: id,
            name,
            hours,
            courses_required: c.len(),
            courses_completed: c.iter().filter(|x| x.completed).count(),
        });
    }
    Ok(Branch {
        plan: plans::of_org(db, scope, &o.id, year).await?,
        total_hours: members.iter().map(|m| m.hours).sum(),
        org_id: o.id,
        org_name: o.name,
        year,
        members,
    })
}

/// The superior's view: the plans below an organization by status, and the
/// branches below with none filed yet.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Review {
    pub filed: Vec<StudyPlan>,
    pub approved: Vec<StudyPlan>,
    pub returned: Vec<StudyPlan>,
    pub draft: Vec<StudyPlan>,
    /// Branches below with no plan at all: (id, name).
    pub missing: Vec<(String, String)>,
}

pub async fn review(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Review> {
    let o = org::get(db, scope, org_id).await?;
    let mut r = Review::default();
    for p in plans::below(db, scope, &o.id, year).await? {
        match p.status() {
            super::Status::Filed => r.filed.push(p),
            super::Status::Approved => r.approved.push(p),
            super::Status::Returned => r.returned.push(p),
            super::Status::Draft => r.draft.push(p),
        }
    }
    let mut w = Where::default();
    w.prefix("o.path", &o.path);
    w.push("o.id <> {}", Param::S(o.id.clone()));
    w.push_raw("o.kind = 'branch' AND o.dissolved_at IS NULL".into());
    let y = w.param(Param::I(year));
    w.push_raw(format!(
        "NOT EXISTS (SELECT 1 FROM study_plans s WHERE s.org_id = o.id AND s.year = {y})"
    ));
    let (cond, _) = w.sql();
    let sql = format!("SELECT o.id, o.name FROM orgs o {cond} ORDER BY o.path LIMIT 2000");
    r.missing = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(r)
}
