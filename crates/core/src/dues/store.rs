//! Bases and payments: reads by scope, and the audited writes.
use super::model::{Base, BaseLine, NewBase, Payment, ValidBase, F_FROM};
use super::money::yuan;
use super::rules::{add_months, base_for_month};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::people::{self, Person, Status};
use crate::sql::{Param, Where};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use std::collections::HashMap;

/// How far ahead a new base may start (a raise known in advance).
const MAX_MONTHS_AHEAD: i64 = 12;
/// Members one batch may record.
pub const MAX_BATCH: usize = 1000;

/// This month, Beijing time: "2026-11".
pub fn current_month(now: i64) -> String {
    crate::clock::beijing(now).format("%Y-%m").to_string()
}

fn today(now: i64) -> chrono::NaiveDate {
    crate::clock::beijing(now).date_naive()
}

/// The first month a member owes dues: the month of joining (for a
/// probationary member, the month the branch general meeting accepted them).
/// Refuses anyone else.
pub fn start_month(p: &Person) -> Result<String> {
    if !Status::parse(&p.status).is_some_and(Status::is_member) {
        return Err(Error::invalid(
            "人员类别",
            format!("{}为{}，仅预备党员、正式党员交纳党费", p.name, p.status_label()),
        ));
    }
    match p.joined_on.as_deref().and_then(|d| d.get(..7)) {
        Some(m) if super::validate_month(m).is_ok() => Ok(m.to_string()),
        _ => Err(Error::invalid(
            "入党日期",
            format!(
                "{}未登记入党日期，无法确定交纳党费的起始月份，请先在党员名册中补充",
                p.name
            ),
        )),
    }
}

/// Members (probationary and full) in the scope, under `under` (an org
/// path) when given, who joined by the end of `month`. People are `p`.
pub(super) fn member_where(scope: &Scope, under: Option<&str>, month: &str) -> Where {
    let mut w = Where::default();
    scope.restrict(&mut w, "p.org_path");
    if let Some(path) = under {
        // A range, not LIKE: SQLite's LIKE cannot use the index and read the
        // whole roster for one branch's ledger (1.2 s at 100,000 people).
        w.prefix("p.org_path", path);
    }
    w.push_raw(format!(
        "p.status IN ('{}', '{}')",
        Status::Probationary.code(),
        Status::Full.code()
    ));
    w.push("p.joined_on <= {}", Param::S(format!("{month}-31")));
    w
}

pub(super) async fn members(db: &Db, w: &Where) -> Result<Vec<Person>> {
    let (cond, _) = w.sql();
    let sql = format!("SELECT p.* FROM people p {cond} ORDER BY p.org_path, p.name_pinyin, p.id");
    let rows: Vec<Person> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().map(Person::masked).collect())
}

/// The bases of the members `w` selects, by person, oldest first.
pub(super) async fn bases_where(db: &Db, w: &Where) -> Result<HashMap<String, Vec<Base>>> {
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT b.* FROM dues_bases b JOIN people p ON p.id = b.person_id {cond} ORDER BY b.person_id, b.from_month"
    );
    let rows: Vec<Base> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut out: HashMap<String, Vec<Base>> = HashMap::new();
    for b in rows {
        out.entry(b.person_id.clone()).or_default().push(b);
    }
    Ok(out)
}

/// The latest month each member `w` selects paid, up to `through`.
pub(super) async fn latest_paid(db: &Db, mut w: Where, through: &str) -> Result<HashMap<String, String>> {
    w.push("x.month <= {}", Param::S(through.into()));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT x.person_id, MAX(x.month) FROM dues_payments x JOIN people p ON p.id = x.person_id {cond} GROUP BY x.person_id"
    );
    let rows: Vec<(String, String)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().collect())
}

/// The payments for `month` of the members `w` selects, by person.
pub(super) async fn payments_in(db: &Db, mut w: Where, month: &str) -> Result<HashMap<String, Payment>> {
    w.push("x.month = {}", Param::S(month.into()));
    let (cond, _) = w.sql();
    let sql = format!("SELECT x.* FROM dues_payments x JOIN people p ON p.id = x.person_id {cond}");
    let rows: Vec<Payment> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().map(|x| (x.person_id.clone(), x)).collect())
}

pub(super) async fn bases_of(db: &Db, person_id: &str) -> Result<Vec<Base>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT * FROM dues_bases WHERE person_id = $1 ORDER BY from_month"
    )
    .bind(person_id)
    .fetch_all(p)
    .await?))
}

pub(super) async fn payments_of(db: &Db, person_id: &str) -> Result<Vec<Payment>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT * FROM dues_payments WHERE person_id = $1 ORDER BY month"
    )
    .bind(person_id)
    .fetch_all(p)
    .await?))
}

/// The base in force in `month` among a person's bases.
pub fn base_in_force<'a>(bases: &'a [Base], month: &str) -> Option<&'a Base> {
    let keyed: Vec<(String, i64)> = bases
        .iter()
        .enumerate()
        .map(|(i, b)| (b.from_month.clone(), i as i64))
        .collect();
    base_for_month(&keyed, month).and_then(|i| bases.get(usize::try_from(i).ok()?))
}

pub(super) fn base_line(b: &Base) -> BaseLine {
    BaseLine {
        from_month: b.from_month.clone(),
        category: b.category.clone(),
        category_label: b.category_label().to_string(),
        base_fen: b.base_fen,
        farmer_amount_fen: b.farmer_amount_fen,
        rate: b.rate(),
        amount_fen: b.amount_fen().ok(),
    }
}

fn describe(v: &ValidBase) -> String {
    let base = match v.category {
        super::DuesCategory::Working | super::DuesCategory::Retired => {
            format!("，月工资基数 {} 元", yuan(v.base_fen))
        }
        _ => String::new(),
    };
    format!("{}{base}，月交 {} 元", v.category.label(), yuan(v.amount_fen))
}

/// A base for this member: not before the month they start owing dues,
/// nor more than a year ahead.
pub(super) fn check_base_for(v: &ValidBase, start: &str, current: &str) -> Result<()> {
    if v.from_month.as_str() < start {
        return Err(Error::invalid(
            F_FROM,
            format!(
                "{} 早于入党月份 {start}（预备党员自支部党员大会接收之月起交纳党费）",
                v.from_month
            ),
        ));
    }
    let latest = add_months(current, MAX_MONTHS_AHEAD).unwrap_or_default();
    if v.from_month > latest {
        return Err(Error::invalid(F_FROM, format!("不能晚于 {latest}")));
    }
    Ok(())
}

/// Writes a base (a correction replaces the base from the same month).
/// Returns true when it replaced one.
pub(super) async fn upsert_base(tx: &mut Tx, now: i64, person_id: &str, v: &ValidBase) -> Result<Option<Base>> {
    let old: Option<Base> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT * FROM dues_bases WHERE person_id = $1 AND from_month = $2"
    )
    .bind(person_id)
    .bind(&v.from_month)
    .fetch_optional(c)
    .await?);
    match &old {
        Some(o) => {
            with_tx!(tx, |c| {
                sqlx::query(
            "UPDATE dues_bases SET category = $1, base_fen = $2, farmer_amount_fen = $3, updated_at = $4 WHERE id = $5"
        )
        .bind(v.category.code())
        .bind(v.base_fen)
        .bind(v.farmer_amount_fen)
        .bind(now)
        .bind(&o.id)
        .execute(c)
        .await?
        .rows_affected()
            })
        }
        None => with_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO dues_bases (id, person_id, from_month, category, base_fen, farmer_amount_fen, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
        )
        .bind(ids::new_id())
        .bind(person_id)
        .bind(&v.from_month)
        .bind(v.category.code())
        .bind(v.base_fen)
        .bind(v.farmer_amount_fen)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected()
        }),
    };
    Ok(old)
}

/// Sets a member's base from a month on (a new base applies from the month
/// the new pay starts). Returns the base as stored, with its amount.
pub async fn set_base(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    person_id: &str,
    nb: &NewBase,
) -> Result<BaseLine> {
    let p = people::get(db, scope, person_id).await?;
    let start = start_month(&p)?;
    let v = nb.validate()?;
    check_base_for(&v, &start, &current_month(now))?;
    let actor = actor.clone();
    let (pid, name) = (p.id.clone(), p.name.clone());
    let v2 = v.clone();
    db.transaction(move |tx| {
        let (pid, name, v, actor) = (pid.clone(), name.clone(), v2.clone(), actor.clone());
        Box::pin(async move {
            let old = upsert_base(tx, now, &pid, &v).await?;
            let mut detail = format!("自 {} 起：{}", v.from_month, describe(&v));
            if let Some(o) = old {
                detail.push_str(&format!(
                    "（更正，原为{}，基数 {} 元）",
                    o.category_label(),
                    yuan(o.base_fen)
                ));
            }
            let ev = Event::new("dues.base", format!("{name}（{pid}）"), Outcome::Ok).detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await?;
    Ok(BaseLine {
        from_month: v.from_month.clone(),
        category: v.category.code().into(),
        category_label: v.category.label().into(),
        base_fen: v.base_fen,
        farmer_amount_fen: v.farmer_amount_fen,
        rate: super::rate_label(v.category, v.base_fen),
        amount_fen: Some(v.amount_fen),
    })
}

/// What one member pays: (month, amount due) for each month.
#[derive(Clone, Debug)]
struct PayPlan {
    person_id: String,
    name: String,
    lines: Vec<(String, i64)>,
}

fn parse_paid_on(raw: &str, now: i64) -> Result<String> {
    let d = people::parse_date("缴纳日期", raw)?.unwrap_or_else(|| today(now));
    if d > today(now) {
        return Err(Error::invalid("缴纳日期", "不能晚于今天"));
    }
    Ok(d.format("%Y-%m-%d").to_string())
}

/// Checks the months a member would pay for and prices each by the base in
/// force: no month before they owe dues, none after this month, none twice
/// in the list, none without a base. (Months already paid are refused in
/// the writing transaction.)
async fn plan(db: &Db, p: &Person, months: &[String], now: i64) -> Result<PayPlan> {
    const F: &str = "月份";
    let start = start_month(p)?;
    if months.is_empty() {
        return Err(Error::invalid(F, "请至少选择一个月份"));
    }
    let current = current_month(now);
    let bases = bases_of(db, &p.id).await?;
    let mut lines: Vec<(String, i64)> = Vec::new();
    for raw in months {
        let m = super::model::parse_month_field(F, raw)?;
        if lines.iter().any(|(x, _)| *x == m) {
            return Err(Error::invalid(F, format!("{m} 重复，请只选一次")));
        }
        if m > current {
            return Err(Error::invalid(
                F,
                format!("{m} 尚未到期，不能预先登记（本月为 {current}）"),
            ));
        }
        if m < start {
            return Err(Error::invalid(F, format!("{m} 早于入党月份 {start}，该月无须交纳党费")));
        }
        let base = base_in_force(&bases, &m)
            .ok_or_else(|| Error::invalid(F, format!("{m} 尚未设置党费基数，请先设置自该月起的基数")))?;
        lines.push((m, base.amount_fen()?));
    }
    lines.sort();
    Ok(PayPlan {
        person_id: p.id.clone(),
        name: p.name.clone(),
        lines,
    })
}

/// Writes the plans in the caller's transaction, refusing a month already
/// paid; one audit record per member.
async fn write_plans(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    plans: &[PayPlan],
    paid_on: &str,
    prefix: bool,
) -> Result<()> {
    for plan in plans {
        let paid: Vec<(String, String)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT month, paid_on FROM dues_payments WHERE person_id = $1"
        )
        .bind(&plan.person_id)
        .fetch_all(c)
        .await?);
        for (m, _) in &plan.lines {
            if let Some((_, on)) = paid.iter().find(|(x, _)| x == m) {
                let who = if prefix {
                    format!("{}：", plan.name)
                } else {
                    String::new()
                };
                return Err(Error::invalid(
                    "月份",
                    format!("{who}{m} 已于 {on} 登记缴纳，不能重复登记"),
                ));
            }
        }
        for (m, fen) in &plan.lines {
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO dues_payments (id, person_id, month, amount_fen, paid_on, recorded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(ids::new_id())
            .bind(&plan.person_id)
            .bind(m)
            .bind(fen)
            .bind(paid_on)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
        }
        let months: Vec<&str> = plan.lines.iter().map(|(m, _)| m.as_str()).collect();
        let total: i64 = plan.lines.iter().map(|(_, f)| f).sum();
        let ev = Event::new("dues.pay", format!("{}（{}）", plan.name, plan.person_id), Outcome::Ok).detail(format!(
            "{}，共 {} 元，缴纳日期 {paid_on}",
            months.join("、"),
            yuan(total)
        ));
        audit::append(tx, now, actor, &ev).await?;
    }
    Ok(())
}

async fn write(db: &Db, now: i64, actor: &Actor, plans: Vec<PayPlan>, paid_on: String, prefix: bool) -> Result<()> {
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (plans, paid_on, actor) = (plans.clone(), paid_on.clone(), actor.clone());
        Box::pin(async move { write_plans(tx, now, &actor, &plans, &paid_on, prefix).await })
    })
    .await
}

/// Records that a member paid the amount due for one or several months,
/// on `paid_on` (today when empty). All months or none are written.
/// Returns (month, amount) per month.
pub async fn record_payments(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    person_id: &str,
    months: &[String],
    paid_on: &str,
) -> Result<Vec<(String, i64)>> {
    let p = people::get(db, scope, person_id).await?;
    let paid_on = parse_paid_on(paid_on, now)?;
    let plan = plan(db, &p, months, now).await?;
    let lines = plan.lines.clone();
    write(db, now, actor, vec![plan], paid_on, false).await?;
    Ok(lines)
}

/// 批量登记: records payment of the amount due for `month` for each member
/// listed, all or none. Returns (members, total fen).
pub async fn record_batch(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    month: &str,
    person_ids: &[String],
    paid_on: &str,
) -> Result<(usize, i64)> {
    if person_ids.is_empty() {
        return Err(Error::invalid("人员", "请勾选要登记缴纳的党员"));
    }
    if person_ids.len() > MAX_BATCH {
        return Err(Error::invalid("人员", format!("一次最多登记 {MAX_BATCH} 人")));
    }
    let paid_on = parse_paid_on(paid_on, now)?;
    let month = super::model::parse_month_field("月份", month)?;
    let mut plans = Vec::new();
    for id in person_ids {
        let p = people::get(db, scope, id)
            .await
            .map_err(|_| Error::invalid("人员", "所选人员不存在或不在您的管理范围内"))?;
        if plans.iter().any(|x: &PayPlan| x.person_id == p.id) {
            continue;
        }
        let plan = plan(db, &p, std::slice::from_ref(&month), now)
            .await
            .map_err(|e| match e {
                Error::Invalid { field, message } if !message.starts_with(&p.name) => {
                    Error::invalid(&field, format!("{}：{message}", p.name))
                }
                e => e,
            })?;
        plans.push(plan);
    }
    let total = plans.iter().flat_map(|p| p.lines.iter().map(|l| l.1)).sum();
    let n = plans.len();
    write(db, now, actor, plans, paid_on, true).await?;
    Ok((n, total))
}
