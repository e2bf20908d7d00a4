//! Leaders' dual-duty lists (一岗双责): for a year, each leader of an
//! organization lists their business duties and their Party-building
//! duties; each is marked done with the day and a note, and the list shows
//! how much of each side is done.
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::text::{check, check_optional, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Duty {
    pub id: String,
    pub org_id: String,
    pub year: i64,
    pub person_id: String,
    pub person_name: String,
    /// "business" (业务职责) or "party" (党建职责).
    pub side: String,
    pub seq: i64,
    pub duty: String,
    pub done_on: Option<String>,
    pub note: String,
}

/// One leader's list with its completion per side.
#[derive(Clone, Debug, Serialize)]
pub struct DutyList {
    pub person_id: String,
    pub person_name: String,
    pub business: Vec<Duty>,
    pub party: Vec<Duty>,
    /// (done, total) per side.
    pub business_done: (i64, i64),
    pub party_done: (i64, i64),
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewDuty {
    pub org_id: String,
    pub year: i64,
    pub person_id: String,
    /// "business" or "party".
    pub side: String,
    pub duty: String,
}

fn side_of(raw: &str) -> Result<&'static str> {
    match raw.trim() {
        "business" | "业务" | "业务职责" => Ok("business"),
        "party" | "党建" | "党建职责" => Ok("party"),
        _ => Err(Error::invalid(
            "职责类别",
            "应为 business（业务职责）或 party（党建职责）",
        )),
    }
}

/// Adds a duty to a leader's list; returns its id.
pub async fn add(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewDuty) -> Result<String> {
    let o = org::get(db, scope, new.org_id.trim()).await?;
    let year = i64::from(crate::plan::year_of(new.year)?);
    let side = side_of(&new.side)?;
    let duty = check("职责内容", &new.duty, 300, TextKind::Free)?;
    crate::rules::formalism::check("职责内容", "职责", &duty)?;
    let person: Option<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT name, org_path FROM people WHERE id = $1 AND left_on IS NULL"
    )
    .bind(new.person_id.trim())
    .fetch_optional(p)
    .await?);
    let name = match person {
        Some((name, path)) if path.starts_with(&o.path) => name,
        _ => return Err(Error::invalid("领导干部", format!("不是{}在册人员", o.name))),
    };
    let person_id = new.person_id.trim().to_string();
    db.transaction(move |tx| {
        let (o, duty, actor, name, person_id) = (o.clone(), duty.clone(), actor.clone(), name.clone(), person_id.clone());
        Box::pin(async move {
            let id = ids::new_id();
            let seq: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM assessment_duties WHERE org_id = $1 AND year = $2 AND person_id = $3"
            )
            .bind(&o.id)
            .bind(year)
            .bind(&person_id)
            .fetch_one(&mut *c)
            .await?);
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO assessment_duties (id, org_id, year, person_id, side, seq, duty, note, created_by, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9, $9)"
            )
            .bind(&id)
            .bind(&o.id)
            .bind(year)
            .bind(&person_id)
            .bind(side)
            .bind(seq)
            .bind(&duty)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("assess.duty.add", format!("{name}（{}，{year}年）", o.name), Outcome::Ok).detail(duty);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

const SELECT: &str =
    "SELECT d.id, d.org_id, d.year, d.person_id, p.name AS person_name, d.side, d.seq, d.duty, d.done_on, \
     d.note FROM assessment_duties d JOIN people p ON p.id = d.person_id JOIN orgs o ON o.id = d.org_id";

/// Marks a duty done on a day (empty: not done) with a note.
pub async fn set_done(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    done_on: &str,
    note: &str,
) -> Result<()> {
    let mut w = Where::default();
    w.push("d.id = {}", Param::S(id.trim().into()));
    scope.restrict(&mut w, "o.path");
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond}");
    let d: Duty = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_optional(p)
        .await?)
    .ok_or_else(|| Error::NotFound("职责不存在或不在您的管理范围内".into()))?;
    let day = crate::people::parse_date("完成日期", done_on)?.map(|d| d.to_string());
    if day
        .as_deref()
        .is_some_and(|x| x > super::today(now).to_string().as_str())
    {
        return Err(Error::invalid("完成日期", "不能晚于今天"));
    }
    let note = check_optional("完成情况", Some(note), 500, TextKind::Free)?.unwrap_or_default();
    db.transaction(move |tx| {
        let (d, day, note, actor) = (d.clone(), day.clone(), note.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE assessment_duties SET done_on = $1, note = $2, updated_at = $3 WHERE id = $4"
            )
            .bind(&day)
            .bind(&note)
            .bind(now)
            .bind(&d.id)
            .execute(c)
            .await?
            .rows_affected());
            let what = day
                .as_deref()
                .map(|x| format!("{x} 完成"))
                .unwrap_or_else(|| "未完成".into());
            let ev = Event::new(
                "assess.duty.done",
                format!("{}：{}", d.person_name, d.duty),
                Outcome::Ok,
            )
            .detail(what);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// The lists of an organization's leaders for a year.
pub async fn lists(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<DutyList>> {
    let o = org::get(db, scope, org_id.trim()).await?;
    let rows: Vec<Duty> = with_db!(db, |p| sqlx::query_as(&format!(
        "{SELECT} WHERE d.org_id = $1 AND d.year = $2 ORDER BY p.name_pinyin, d.person_id, d.side, d.seq"
    ))
    .bind(&o.id)
    .bind(year)
    .fetch_all(p)
    .await?);
    let mut out: Vec<DutyList> = Vec::new();
    for d in rows {
        if out.last().is_none_or(|l| l.person_id != d.person_id) {
            out.push(DutyList {
                person_id: d.person_id.clone(),
                person_name: d.person_name.clone(),
                business: Vec::new(),
                party: Vec::new(),
                business_done: (0, 0),
                party_done: (0, 0),
            });
        }
        let Some(l) = out.last_mut() else { continue };
        let done = i64::from(d.done_on.is_some());
        if d.side == "business" {
            l.business_done = (l.business_done.0 + done, l.business_done.1 + 1);
            l.business.push(d);
        } else {
            l.party_done = (l.party_done.0 + done, l.party_done.1 + 1);
            l.party.push(d);
        }
    }
    Ok(out)
}
