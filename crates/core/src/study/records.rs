//! Study records (学习记录): a member logs their own study; the branch's
//! secretary may log for the branch's members, e.g. one 集中学习 session for
//! everyone who attended. Hours are the class hours of the study as recorded.
use super::model::{NewRecord, StudyRecord};
use super::{courses, rules, today, year_range};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::text::{check, check_optional, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};

const SELECT: &str = "SELECT r.id, r.person_id, p.name AS person_name, r.org_id, o.name AS org_name, r.studied_on, \
     r.topic, r.hours, r.form, r.course_id, c.title AS course_title, r.notes, r.created_by \
     FROM study_records r JOIN people p ON p.id = r.person_id JOIN orgs o ON o.id = r.org_id \
     LEFT JOIN study_courses c ON c.id = r.course_id";

/// At most this many people on one session's record.
pub const MAX_BATCH: usize = 500;

/// A record whose fields were checked.
#[derive(Clone)]
struct Valid {
    studied_on: String,
    topic: String,
    hours: i64,
    form: String,
    course: Option<(String, String, String)>,
    notes: String,
}

/// Someone on the roster a record is for: (id, name, org id, org path).
type Member = (String, String, String, String);

async fn validate(db: &Db, now: i64, new: &NewRecord) -> Result<Valid> {
    let date = rules::check_study_date(&new.studied_on, today(now))?;
    let topic = check("学习内容", &new.topic, 100, TextKind::Free)?;
    let hours = rules::parse_hours("学时", &new.hours)?;
    let form = check_optional("学习形式", Some(&new.form), 20, TextKind::Name)?.unwrap_or_else(|| "自学".into());
    let notes = check_optional("学习心得", Some(&new.notes), 2000, TextKind::Free)?.unwrap_or_default();
    let course = match new.course_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(id) => {
            let c = courses::get_any(db, id)
                .await?
                .ok_or_else(|| Error::invalid("必修课程", "所选课程不存在"))?;
            let y = date.format("%Y").to_string();
            if c.year.to_string() != y {
                return Err(Error::invalid(
                    "必修课程",
                    format!("“{}”是 {} 年度的必修课程，学习日期应在该年度内", c.title, c.year),
                ));
            }
            Some((c.id, c.title, c.org_path))
        }
    };
    Ok(Valid {
        studied_on: date.to_string(),
        topic,
        hours,
        form,
        course,
        notes,
    })
}

async fn member(db: &Db, person_id: &str) -> Result<Option<Member>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT id, name, org_id, org_path FROM people WHERE id = $1 AND left_on IS NULL"
    )
    .bind(person_id.trim())
    .fetch_optional(p)
    .await?))
}

/// A course applies to the people of its organization's subtree.
fn course_applies(v: &Valid, m: &Member) -> Result<()> {
    match &v.course {
        Some((_, title, path)) if !m.3.starts_with(path.as_str()) => Err(Error::invalid(
            "必修课程",
            format!("“{title}”不是 {} 所在组织的必修课程", m.1),
        )),
        _ => Ok(()),
    }
}

async fn insert(tx: &mut Tx, now: i64, by: &str, m: &Member, v: &Valid) -> Result<String> {
    let id = ids::new_id();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO study_records (id, person_id, org_id, studied_on, topic, hours, form, course_id, notes, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )
    .bind(&id)
    .bind(&m.0)
    .bind(&m.2)
    .bind(&v.studied_on)
    .bind(&v.topic)
    .bind(v.hours)
    .bind(&v.form)
    .bind(v.course.as_ref().map(|c| c.0.clone()))
    .bind(&v.notes)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(id)
}

/// A member logs their own study (the account's person).
pub async fn log_own(db: &Db, now: i64, actor: &Actor, person_id: &str, new: NewRecord) -> Result<String> {
    let m = member(db, person_id)
        .await?
        .ok_or_else(|| Error::Forbidden("您的账号未关联名册中的人员，不能登记本人学习记录".into()))?;
    let v = validate(db, now, &new).await?;
    course_applies(&v, &m)?;
    db.transaction(move |tx| {
        let (m, v, actor) = (m.clone(), v.clone(), actor.clone());
        Box::pin(async move {
            let id = insert(tx, now, &actor.name, &m, &v).await?;
            let ev = Event::new("study.record", format!("{}：{}", m.1, v.topic), Outcome::Ok).detail(format!(
                "{} {} 学时",
                v.studied_on,
                rules::hours_text(v.hours)
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// The secretary logs one study (a session) for members in the scope; all
/// are written or none. Answers the records' ids.
pub async fn log_for(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    person_ids: &[String],
    new: NewRecord,
) -> Result<Vec<String>> {
    let mut wanted: Vec<&str> = Vec::new();
    for id in person_ids.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !wanted.contains(&id) {
            wanted.push(id);
        }
    }
    if wanted.is_empty() {
        return Err(Error::invalid("参加人员", "不能为空，请选择参加学习的人员"));
    }
    if wanted.len() > MAX_BATCH {
        return Err(Error::invalid(
            "参加人员",
            format!("一次最多登记 {MAX_BATCH} 人，请分批登记"),
        ));
    }
    let v = validate(db, now, &new).await?;
    let mut people = Vec::new();
    for id in wanted {
        match member(db, id).await? {
            Some(m) if scope.contains_path(&m.3) => {
                course_applies(&v, &m)?;
                people.push(m);
            }
            _ => return Err(Error::invalid("参加人员", "所选人员不在名册中或不在您的管理范围内")),
        }
    }
    db.transaction(move |tx| {
        let (people, v, actor) = (people.clone(), v.clone(), actor.clone());
        Box::pin(async move {
            let mut ids = Vec::new();
            for m in &people {
                ids.push(insert(tx, now, &actor.name, m, &v).await?);
            }
            let names: Vec<&str> = people.iter().take(20).map(|m| m.1.as_str()).collect();
            let more = if people.len() > 20 { " 等" } else { "" };
            let ev = Event::new("study.record.batch", v.topic.clone(), Outcome::Ok).detail(format!(
                "{} {} 学时，{} 人：{}{more}",
                v.studied_on,
                rules::hours_text(v.hours),
                people.len(),
                names.join("、")
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(ids)
        })
    })
    .await
}

/// A person's records in a year, newest first.
pub async fn of_person(db: &Db, person_id: &str, year: i64) -> Result<Vec<StudyRecord>> {
    let (from, to) = year_range(year);
    let sql = format!(
        "{SELECT} WHERE r.person_id = $1 AND r.studied_on >= $2 AND r.studied_on <= $3 \
         ORDER BY r.studied_on DESC, r.created_at DESC LIMIT 1000"
    );
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(person_id)
        .bind(&from)
        .bind(&to)
        .fetch_all(p)
        .await?))
}

/// Records of the people of an organization's subtree in a year, newest
/// first, a page at a time, with the total.
pub async fn of_org(
    db: &Db,
    scope: &Scope,
    org_id: &str,
    year: i64,
    offset: i64,
    limit: i64,
) -> Result<(Vec<StudyRecord>, i64)> {
    let o = crate::org::get(db, scope, org_id).await?;
    let (from, to) = year_range(year);
    let mut w = Where::default();
    w.prefix("o.path", &o.path);
    w.push("r.studied_on >= {}", Param::S(from));
    w.push("r.studied_on <= {}", Param::S(to));
    let (cond, _) = w.sql();
    let count_sql = format!("SELECT COUNT(*) FROM study_records r JOIN orgs o ON o.id = r.org_id {cond}");
    let total: i64 = with_db!(db, |p| bind_all!(sqlx::query_scalar(&count_sql), w.params())
        .fetch_one(p)
        .await?);
    let off = w.param(Param::I(offset.max(0)));
    let lim = w.param(Param::I(limit.clamp(1, 200)));
    let sql = format!("{SELECT} {cond} ORDER BY r.studied_on DESC, p.name_pinyin, r.id LIMIT {lim} OFFSET {off}");
    let rows = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok((rows, total))
}
