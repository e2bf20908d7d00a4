//! Recording a step: the rules checked against the stored history, the
//! person's status moved on, the step and its audit record written, all in
//! one transaction.
use super::kept::{tracked_of, KeptRecord};
use super::model::{Introducer, Stage, StepFacts};
use super::record::{refused, validate, NewStep, StepRecord, ValidStep, NAME_SEP};
use super::rules::{add_months, check_step, probation_end, step_warnings};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::people::{self, Status};
use crate::rules::development::PROBATION_MONTHS;
use crate::sql::{Param, Where};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use chrono::NaiveDate;

/// A step written: its id, and warnings that did not refuse it (an approval
/// later than three months, say).
#[derive(Clone, Debug)]
pub struct Recorded {
    pub id: String,
    pub warnings: Vec<String>,
}

pub(super) fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The steps done (number, date) out of stored rows, and the extension of
/// probation decided at step 23, if any.
pub(super) fn done_of(rows: &[(String, i64, String, Option<i64>)]) -> (Vec<(u8, NaiveDate)>, Option<u32>) {
    let done = rows
        .iter()
        .filter_map(|(_, no, on, _)| Some((u8::try_from(*no).ok()?, day(on)?)))
        .collect();
    let ext = rows
        .iter()
        .find(|(_, no, _, _)| *no == 23)
        .and_then(|(_, _, _, e)| e.and_then(|m| u32::try_from(m).ok()));
    (done, ext)
}

/// A person's recorded steps, in order.
pub async fn steps(db: &Db, scope: &Scope, person_id: &str) -> Result<Vec<StepRecord>> {
    people::get(db, scope, person_id).await?;
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT * FROM development_steps WHERE person_id = $1 ORDER BY step"
    )
    .bind(person_id)
    .fetch_all(p)
    .await?))
}

/// Introducers by name: each must be on the roster in the scope (not the
/// person themselves); whether they were full members on the step's date is
/// for the rule to judge, from the day full membership dates from (转正日期,
/// or a year after joining where it was not registered).
async fn introducers(db: &Db, scope: &Scope, person_id: &str, names: &[String]) -> Result<Vec<Introducer>> {
    let mut out = Vec::new();
    for name in names {
        let mut w = Where::default();
        scope.restrict(&mut w, "org_path");
        w.push("name = {}", Param::S(name.clone()));
        w.push("id <> {}", Param::S(person_id.to_string()));
        let (cond, _) = w.sql();
        let sql = format!("SELECT status, full_on, joined_on FROM people {cond}");
        let found: Vec<(String, Option<String>, Option<String>)> =
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        if found.is_empty() {
            return Err(Error::invalid(
                "入党介绍人",
                format!("{name} 不在您管理范围内的党员名册中，请核对姓名"),
            ));
        }
        let full_since = found
            .iter()
            .filter(|(s, _, _)| s == Status::Full.code())
            .filter_map(|(_, full, joined)| {
                full.as_deref()
                    .and_then(day)
                    .or_else(|| joined.as_deref().and_then(day).map(|j| add_months(j, PROBATION_MONTHS)))
            })
            .min();
        out.push(Introducer {
            name: name.clone(),
            full_since,
        });
    }
    Ok(out)
}

/// Records step `s` for a person in the scope (ManagePeople). A step out of
/// order, too early, too late, by the wrong body, or with introducers who
/// are not full members is refused with the rule named (422), and nothing
/// is written.
pub async fn record_step(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    person_id: &str,
    s: &NewStep,
) -> Result<Recorded> {
    let v = validate(s)?;
    people::get(db, scope, person_id).await?;
    let intro = introducers(db, scope, person_id, &v.introducers).await?;
    let today = crate::clock::beijing(now).date_naive();
    let (actor, scope, person_id) = (actor.clone(), scope.clone(), person_id.to_string());
    db.transaction(move |tx| {
        let (actor, scope, person_id, v, intro) = (
            actor.clone(),
            scope.clone(),
            person_id.clone(),
            v.clone(),
            intro.clone(),
        );
        Box::pin(async move {
            let c = Ctx {
                now,
                today,
                actor: &actor,
                scope: &scope,
                person_id: &person_id,
            };
            record_tx(tx, &c, &v, intro).await
        })
    })
    .await
}

struct Ctx<'a> {
    now: i64,
    today: NaiveDate,
    actor: &'a Actor,
    scope: &'a Scope,
    person_id: &'a str,
}

type PersonRow = (String, String, Option<String>, String);

async fn record_tx(tx: &mut Tx, c: &Ctx<'_>, v: &ValidStep, intro: Vec<Introducer>) -> Result<Recorded> {
    // Touch the person's row first: concurrent recordings for one person
    // queue here and each then reads the history the other committed.
    with_tx!(tx, |x| sqlx::query("UPDATE people SET updated_at = $1 WHERE id = $2")
        .bind(c.now)
        .bind(c.person_id)
        .execute(x)
        .await?
        .rows_affected());
    let row: Option<PersonRow> = with_tx!(tx, |x| sqlx::query_as(
        "SELECT name, status, birth_date, org_path FROM people WHERE id = $1"
    )
    .bind(c.person_id)
    .fetch_optional(x)
    .await?);
    let Some((name, status, birth, _)) = row.filter(|r| c.scope.contains_path(&r.3)) else {
        return Err(Error::NotFound("人员不存在或不在您的管理范围内".into()));
    };
    let current = Stage::from_code(&status);
    let def = v.def;
    if current == Some(Stage::Full) && def.stage != Stage::Full {
        return Err(Error::invalid(
            "步骤",
            format!("{name} 已是正式党员，不再办理第 {} 步「{}」", def.no, def.name),
        ));
    }
    let rows: Vec<(String, i64, String, Option<i64>)> = with_tx!(tx, |x| sqlx::query_as(
        "SELECT person_id, step, done_on, extension_months FROM development_steps WHERE person_id = $1"
    )
    .bind(c.person_id)
    .fetch_all(x)
    .await?);
    let (done, decided) = done_of(&rows);
    let kept: Vec<KeptRecord> = with_tx!(tx, |x| sqlx::query_as(
        "SELECT * FROM development_records WHERE person_id = $1"
    )
    .bind(c.person_id)
    .fetch_all(x)
    .await?);
    let extended = tracked_of(&kept).extension_months;
    if let (Some(m), Some(_)) = (extended, v.extension_months) {
        return Err(Error::invalid(
            "延长预备期",
            format!("已登记延长预备期 {m} 个月，预备期满的日期已随之顺延，这里不再填写"),
        ));
    }
    let extension = v
        .extension_months
        .or(extended)
        .or(if def.no == 24 { decided } else { None });
    let birth_date = birth.as_deref().and_then(day);
    let facts = StepFacts {
        birth_date,
        introducers: intro,
        training_days: v.training_days.unwrap_or(0),
        training_class_hours: v.training_hours.unwrap_or(0),
        extension_months: extension,
        ..StepFacts::new(c.today, v.body)
    };
    check_step(&done, def.no, v.done_on, &facts).map_err(|e| refused(&e, birth_date.is_some()))?;
    let warnings = step_warnings(&done, def.no, v.done_on);
    let id = ids::new_id();
    insert(tx, c, &id, v, extension).await?;
    super::next_due::keep(tx, c.person_id).await?;
    let stage = current.map_or(def.stage, |s| s.max(def.stage));
    let joined_on = (def.no == 17)
        .then(|| done.iter().find(|(n, _)| *n == 15).map(|(_, d)| ymd(*d)))
        .flatten();
    let full_on = (def.no == 24)
        .then(|| probation_end(&done, extension).map(ymd))
        .flatten();
    with_tx!(tx, |x| sqlx::query(
        "UPDATE people SET status = $1, joined_on = COALESCE($2, joined_on), full_on = COALESCE($3, full_on), \
         updated_at = $4 WHERE id = $5"
    )
    .bind(stage.code())
    .bind(&joined_on)
    .bind(&full_on)
    .bind(c.now)
    .bind(c.person_id)
    .execute(x)
    .await?
    .rows_affected());
    let mut detail = format!(
        "第 {} 步「{}」，{}，{}办理，负责人 {}",
        def.no,
        def.name,
        ymd(v.done_on),
        v.body.label(),
        v.responsible
    );
    if current != Some(stage) {
        let was = Status::parse(&status).map(Status::label).unwrap_or("未知");
        detail.push_str(&format!("；人员类别 {was} → {}", stage.label()));
    }
    let ev = Event::new("develop.step", format!("{name}（{}）", c.person_id), Outcome::Ok).detail(detail);
    audit::append(tx, c.now, c.actor, &ev).await?;
    Ok(Recorded { id, warnings })
}

async fn insert(tx: &mut Tx, c: &Ctx<'_>, id: &str, v: &ValidStep, extension: Option<u32>) -> Result<()> {
    let wide = |n: Option<u32>| n.map(i64::from);
    let extension = if matches!(v.def.no, 23 | 24) { extension } else { None };
    with_tx!(tx, |x| sqlx::query(
        "INSERT INTO development_steps (id, person_id, step, done_on, body, responsible, document, note, introducers, \
         training_days, training_hours, extension_months, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    )
    .bind(id)
    .bind(c.person_id)
    .bind(i64::from(v.def.no))
    .bind(ymd(v.done_on))
    .bind(v.body.code())
    .bind(&v.responsible)
    .bind(&v.document)
    .bind(&v.note)
    .bind(v.introducers.join(NAME_SEP))
    .bind(wide(v.training_days))
    .bind(wide(v.training_hours))
    .bind(wide(extension))
    .bind(&c.actor.name)
    .bind(c.now)
    .execute(x)
    .await?
    .rows_affected());
    Ok(())
}
