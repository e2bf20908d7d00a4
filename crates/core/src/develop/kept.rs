//! What is kept beside the 25 steps: an activist's half-yearly reviews and
//! quarterly written reports, and an extension of probation decided at its
//! end. Each is checked against the steps, written with its audit record in
//! one transaction.
use super::model::{RecordKind, Tracked, Violation};
use super::rules::{check_extension, date_of, rule};
use super::store::{day, done_of};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::people::{self, parse_date};
use crate::text::{check_optional, TextKind};
use crate::{ids, with_db, with_tx, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One kept record, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct KeptRecord {
    pub id: String,
    pub person_id: String,
    /// A `RecordKind` code.
    pub kind: String,
    /// YYYY-MM-DD.
    pub done_on: String,
    /// An extension's months.
    pub months: Option<i64>,
    pub note: String,
    pub recorded_by: String,
    pub created_at: i64,
}

impl KeptRecord {
    pub fn kind_label(&self) -> &'static str {
        RecordKind::from_code(&self.kind).map_or("", RecordKind::label)
    }
}

/// A kept record as typed (form or API).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewKept {
    /// A `RecordKind` code or its Chinese label.
    pub kind: String,
    pub done_on: String,
    /// An extension's months (6 to 12).
    pub months: Option<i64>,
    pub note: String,
}

/// The latest review and report, and the extension, out of kept records.
pub fn tracked_of(kept: &[KeptRecord]) -> Tracked {
    let last = |k: RecordKind| {
        kept.iter()
            .filter(|r| r.kind == k.code())
            .filter_map(|r| day(&r.done_on))
            .max()
    };
    Tracked {
        last_review: last(RecordKind::Review),
        last_report: last(RecordKind::Report),
        extension_months: kept
            .iter()
            .find(|r| r.kind == RecordKind::Extension.code())
            .and_then(|r| r.months)
            .and_then(|m| u32::try_from(m).ok()),
    }
}

/// A person's kept records, oldest first.
pub async fn kept_records(db: &Db, scope: &Scope, person_id: &str) -> Result<Vec<KeptRecord>> {
    people::get(db, scope, person_id).await?;
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT * FROM development_records WHERE person_id = $1 ORDER BY done_on, created_at"
    )
    .bind(person_id)
    .fetch_all(p)
    .await?))
}

struct Valid {
    kind: RecordKind,
    on: NaiveDate,
    months: Option<u32>,
    note: String,
}

fn validate(k: &NewKept) -> Result<Valid> {
    let kind = RecordKind::from_code(k.kind.trim())
        .ok_or_else(|| Error::invalid("类别", "应为半年考察、思想汇报或延长预备期"))?;
    let on = parse_date("日期", &k.done_on)?.ok_or_else(|| Error::invalid("日期", "不能为空，请填写实际日期"))?;
    let months = match (kind, k.months) {
        (RecordKind::Extension, None) => return Err(Error::invalid("延长预备期", "请填写延长的月数")),
        (RecordKind::Extension, Some(m)) => {
            Some(u32::try_from(m).map_err(|_| Error::invalid("延长预备期", format!("应为月数，不能为 {m}")))?)
        }
        (_, Some(_)) => return Err(Error::invalid("延长预备期", "只在登记延长预备期时填写")),
        (_, None) => None,
    };
    let note = check_optional("备注", Some(&k.note), 500, TextKind::Free)?.unwrap_or_default();
    Ok(Valid { kind, on, months, note })
}

fn refused(v: Violation) -> Error {
    let field = if v.rule == rule::EXTENSION {
        "延长预备期"
    } else {
        "日期"
    };
    Error::invalid(field, v.to_string())
}

/// Records a review or report of an activist, or an extension of a
/// probationary member's probation (ManagePeople). A review or report for
/// someone not an activist, dated before they became one or after today,
/// and an extension not at the end of probation, a second one, or outside
/// 6 to 12 months are refused with the rule named (422); nothing is written.
pub async fn record_kept(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    person_id: &str,
    k: &NewKept,
) -> Result<String> {
    let v = validate(k)?;
    people::get(db, scope, person_id).await?;
    let today = crate::clock::beijing(now).date_naive();
    let (actor, scope, person_id) = (actor.clone(), scope.clone(), person_id.to_string());
    let v = std::sync::Arc::new(v);
    db.transaction(move |tx| {
        let (actor, scope, person_id, v) = (actor.clone(), scope.clone(), person_id.clone(), v.clone());
        Box::pin(async move { record_tx(tx, now, today, &actor, &scope, &person_id, &v).await })
    })
    .await
}

async fn record_tx(
    tx: &mut Tx,
    now: i64,
    today: NaiveDate,
    actor: &Actor,
    scope: &Scope,
    person_id: &str,
    v: &Valid,
) -> Result<String> {
    // Queue behind any concurrent recording for the same person.
    with_tx!(tx, |x| sqlx::query("UPDATE people SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(person_id)
        .execute(x)
        .await?
        .rows_affected());
    let row: Option<(String, String)> = with_tx!(tx, |x| sqlx::query_as(
        "SELECT name, org_path FROM people WHERE id = $1"
    )
    .bind(person_id)
    .fetch_optional(x)
    .await?);
    let Some((name, _)) = row.filter(|r| scope.contains_path(&r.1)) else {
        return Err(Error::NotFound("人员不存在或不在您的管理范围内".into()));
    };
    let rows: Vec<(String, i64, String, Option<i64>)> = with_tx!(tx, |x| sqlx::query_as(
        "SELECT person_id, step, done_on, extension_months FROM development_steps WHERE person_id = $1"
    )
    .bind(person_id)
    .fetch_all(x)
    .await?);
    let (done, at_23) = done_of(&rows);
    let kept: Vec<KeptRecord> = with_tx!(tx, |x| sqlx::query_as(
        "SELECT * FROM development_records WHERE person_id = $1"
    )
    .bind(person_id)
    .fetch_all(x)
    .await?);
    let on = v.on;
    match v.kind {
        RecordKind::Review | RecordKind::Report => {
            let (Some(since), None) = (date_of(&done, 3), date_of(&done, 7)) else {
                return Err(Error::invalid(
                    "类别",
                    format!("不符合「{}」：{name} 现在不是入党积极分子", rule::ACTIVIST_ONLY),
                ));
            };
            if on < since {
                return Err(Error::invalid(
                    "日期",
                    format!(
                        "不符合「{}」：{on} 早于确定为入党积极分子的日期 {since}",
                        rule::DATE_ORDER
                    ),
                ));
            }
            if on > today {
                return Err(Error::invalid(
                    "日期",
                    format!("不符合「{}」：{on} 晚于今天 {today}", rule::NOT_FUTURE),
                ));
            }
        }
        RecordKind::Extension => {
            let already = tracked_of(&kept).extension_months.or(at_23);
            check_extension(&done, already, on, v.months.unwrap_or(0), today).map_err(refused)?;
        }
    }
    let id = ids::new_id();
    with_tx!(tx, |x| sqlx::query(
        "INSERT INTO development_records (id, person_id, kind, done_on, months, note, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(&id)
    .bind(person_id)
    .bind(v.kind.code())
    .bind(on.format("%Y-%m-%d").to_string())
    .bind(v.months.map(i64::from))
    .bind(&v.note)
    .bind(&actor.name)
    .bind(now)
    .execute(x)
    .await?
    .rows_affected());
    super::next_due::keep(tx, person_id).await?;
    let mut detail = format!("{}，{on}", v.kind.label());
    if let Some(m) = v.months {
        detail.push_str(&format!("，延长 {m} 个月"));
    }
    let ev = Event::new("develop.record", format!("{name}（{person_id}）"), Outcome::Ok).detail(detail);
    audit::append(tx, now, actor, &ev).await?;
    Ok(id)
}
