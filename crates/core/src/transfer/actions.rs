//! Changing transfers: request (internal, out, in), accept, return, cancel.
//! Each change and its audit record share one transaction.
use super::model::{Kind, NewTransfer, Status, Transfer};
use super::posts::{end_posts, ended_text};
use super::rules::{self, field};
use super::store::{get, name_path, person_state, today};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{self, Scope};
use crate::people::{self, Person};
use crate::{ids, with_tx, Error, Result};

/// One row of `transfers`, as written.
#[derive(Clone, Default)]
struct Row {
    id: String,
    person_id: String,
    kind: &'static str,
    from_org_id: Option<String>,
    to_org_id: Option<String>,
    outside_org: String,
    status: &'static str,
    reason: String,
    letter_no: String,
    valid_until: Option<String>,
    requested_by: String,
    decided_by: Option<String>,
    created_at: i64,
    decided_at: Option<i64>,
}

async fn insert(tx: &mut Tx, r: &Row) -> Result<()> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO transfers (id, person_id, kind, from_org_id, to_org_id, outside_org, status, reason, letter_no, \
         valid_until, requested_by, decided_by, decision_note, created_at, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', $13, $14)"
    )
    .bind(&r.id)
    .bind(&r.person_id)
    .bind(r.kind)
    .bind(&r.from_org_id)
    .bind(&r.to_org_id)
    .bind(&r.outside_org)
    .bind(r.status)
    .bind(&r.reason)
    .bind(&r.letter_no)
    .bind(&r.valid_until)
    .bind(&r.requested_by)
    .bind(&r.decided_by)
    .bind(r.created_at)
    .bind(r.decided_at)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Refuses a person who left the system or already has an open transfer.
async fn check_free(tx: &mut Tx, person_id: &str) -> Result<()> {
    let (left, open) = person_state(tx, person_id).await?;
    if let Some(d) = left {
        return Err(Error::invalid(
            field::PERSON,
            format!("已于 {d} 转出本系统，不能再办理转接"),
        ));
    }
    if open > 0 {
        return Err(Error::invalid(
            field::PERSON,
            "已有一项待接收的转接，请等待接收方处理，或撤销后再申请",
        ));
    }
    Ok(())
}

/// The person, if in the scope.
async fn person_in(db: &Db, scope: &Scope, id: &str) -> Result<Person> {
    if id.trim().is_empty() {
        return Err(Error::invalid(field::PERSON, "不能为空，请选择人员"));
    }
    people::get(db, scope, id.trim())
        .await
        .map_err(|_| Error::invalid(field::PERSON, "不存在或不在您的管理范围内"))
}

/// Starts a transfer; returns its id. The caller's scope is where it may
/// manage people (ManagePeople): the person (internal, out) or the
/// receiving organization (in) must lie in it.
pub async fn request(db: &Db, now: i64, actor: &Actor, scope: &Scope, t: &NewTransfer) -> Result<String> {
    match Kind::parse(t.kind.trim()) {
        Some(Kind::Internal) => internal(db, now, actor, scope, t).await,
        Some(Kind::Out) => out(db, now, actor, scope, t).await,
        Some(Kind::In) => transfer_in(db, now, actor, scope, t).await,
        None => Err(Error::invalid(
            field::KIND,
            "应为 internal（系统内转接）、out（转出系统外）或 in（从系统外转入）",
        )),
    }
}

/// To another organization anywhere in the system; it waits for the
/// receiving side.
async fn internal(db: &Db, now: i64, actor: &Actor, scope: &Scope, t: &NewTransfer) -> Result<String> {
    let p = person_in(db, scope, &t.person_id).await?;
    let to_id = t.to_org_id.trim();
    if to_id.is_empty() {
        return Err(Error::invalid(field::TO_ORG, "不能为空，请选择"));
    }
    let target = org::anywhere(db, to_id)
        .await
        .map_err(|_| Error::invalid(field::TO_ORG, "不存在，请重新选择"))?;
    rules::check_target(&target, &p.org_id)?;
    let reason = rules::check_reason(&t.reason)?;
    let from = name_path(db, &p.org_id).await?.unwrap_or_default();
    let to = name_path(db, &target.id).await?.unwrap_or_else(|| target.name.clone());
    let row = Row {
        id: ids::new_id(),
        person_id: p.id.clone(),
        kind: Kind::Internal.code(),
        from_org_id: Some(p.org_id.clone()),
        to_org_id: Some(target.id.clone()),
        status: Status::Pending.code(),
        reason,
        requested_by: actor.name.clone(),
        created_at: now,
        ..Row::default()
    };
    let ev = Event::new("transfer.request", format!("{}（{}）", p.name, p.id), Outcome::Ok)
        .detail(format!("{from} → {to}，待接收（转接 {}）", row.id));
    write(db, now, actor, row, ev, Extra::None).await
}

/// Out of the system: the person leaves the roster and a numbered letter
/// is issued at once.
async fn out(db: &Db, now: i64, actor: &Actor, scope: &Scope, t: &NewTransfer) -> Result<String> {
    let p = person_in(db, scope, &t.person_id).await?;
    if !people::Status::parse(&p.status).is_some_and(people::Status::is_member) {
        return Err(Error::invalid(
            field::PERSON,
            format!(
                "{}是{}，只有正式党员、预备党员开具组织关系介绍信",
                p.name,
                p.status_label()
            ),
        ));
    }
    let outside = rules::check_outside_org(field::OUTSIDE_ORG, &t.outside_org)?;
    let reason = rules::check_reason(&t.reason)?;
    let from = name_path(db, &p.org_id).await?.unwrap_or_default();
    let prefix = rules::letter_prefix(from.split('/').next().unwrap_or_default());
    let day = today(now);
    let year = chrono::Datelike::year(&day);
    let row = Row {
        id: ids::new_id(),
        person_id: p.id.clone(),
        kind: Kind::Out.code(),
        from_org_id: Some(p.org_id.clone()),
        outside_org: outside.clone(),
        status: Status::Done.code(),
        reason,
        valid_until: Some(rules::valid_until(day).format("%Y-%m-%d").to_string()),
        requested_by: actor.name.clone(),
        decided_by: Some(actor.name.clone()),
        created_at: now,
        decided_at: Some(now),
        ..Row::default()
    };
    let ev = Event::new("transfer.out", format!("{}（{}）", p.name, p.id), Outcome::Ok)
        .detail(format!("{from} → {outside}（转接 {}）", row.id));
    let extra = Extra::Leave {
        left_on: day.format("%Y-%m-%d").to_string(),
        prefix,
        year,
    };
    write(db, now, actor, row, ev, extra).await
}

/// In from outside: the person is put on the roster of the receiving
/// organization, with the outside organization and its letter recorded.
async fn transfer_in(db: &Db, now: i64, actor: &Actor, scope: &Scope, t: &NewTransfer) -> Result<String> {
    let Some(np) = &t.person else {
        return Err(Error::invalid(field::PERSON, "请填写转入人员的信息"));
    };
    let v = people::validate(np, today(now))?;
    if !v.status.is_member() {
        return Err(Error::invalid(
            "人员类别",
            "转入组织关系的应为正式党员或预备党员；其他人员请在党员名册中新增",
        ));
    }
    let o = org::get(db, scope, &v.org_id)
        .await
        .map_err(|_| Error::invalid("所属组织", "不存在或不在您的管理范围内"))?;
    if o.dissolved_at.is_some() {
        return Err(Error::invalid(
            "所属组织",
            format!("“{}”已撤销，请选择其他组织", o.name),
        ));
    }
    let outside = rules::check_outside_org(field::FROM_OUTSIDE, &t.outside_org)?;
    let letter_no = rules::check_letter_no(&t.letter_no)?;
    let reason = rules::check_reason(&t.reason)?;
    let person_id = ids::new_id();
    let row = Row {
        id: ids::new_id(),
        person_id: person_id.clone(),
        kind: Kind::In.code(),
        to_org_id: Some(o.id.clone()),
        outside_org: outside.clone(),
        status: Status::Done.code(),
        reason,
        letter_no: letter_no.clone(),
        requested_by: actor.name.clone(),
        decided_by: Some(actor.name.clone()),
        created_at: now,
        decided_at: Some(now),
        ..Row::default()
    };
    let ev = Event::new("transfer.in", format!("{}（{person_id}）", v.name), Outcome::Ok)
        .detail(format!("{outside} → {}，介绍信 {letter_no}（转接 {}）", o.name, row.id));
    write(
        db,
        now,
        actor,
        row,
        ev,
        Extra::Arrive {
            v: Box::new(v),
            path: o.path,
        },
    )
    .await
}

/// What a request writes besides the transfer row.
#[derive(Clone)]
enum Extra {
    None,
    /// Out: the person leaves the roster and the letter gets its number.
    Leave {
        left_on: String,
        prefix: String,
        year: i32,
    },
    /// In: the person is added to the roster.
    Arrive {
        v: Box<people::ValidPerson>,
        path: String,
    },
}

/// Marks the person as left, and numbers the letter: one counter row per
/// year, whose upsert serializes concurrent letters.
async fn leave(tx: &mut Tx, now: i64, row: &mut Row, left_on: &str, prefix: &str, year: i32) -> Result<()> {
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE people SET left_on = $1, updated_at = $2 WHERE id = $3 AND left_on IS NULL"
    )
    .bind(left_on)
    .bind(now)
    .bind(&row.person_id)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 {
        return Err(Error::Conflict("该人员已转出本系统".into()));
    }
    let seq: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO transfer_letter_seq (year, last_seq) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last_seq = transfer_letter_seq.last_seq + 1 RETURNING last_seq"
    )
    .bind(i64::from(year))
    .fetch_one(c)
    .await?);
    row.letter_no = rules::letter_no(prefix, year, seq);
    Ok(())
}

/// In one transaction: the checks on the person, the extra writes, the
/// row, the audit record.
async fn write(db: &Db, now: i64, actor: &Actor, row: Row, ev: Event, extra: Extra) -> Result<String> {
    let out = row.id.clone();
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (mut row, ev, actor, extra) = (row.clone(), ev.clone(), actor.clone(), extra.clone());
        Box::pin(async move {
            let mut ended = Vec::new();
            match &extra {
                Extra::None => check_free(tx, &row.person_id).await?,
                Extra::Leave { left_on, prefix, year } => {
                    check_free(tx, &row.person_id).await?;
                    leave(tx, now, &mut row, left_on, prefix, *year).await?;
                    ended = end_posts(tx, now, &row.person_id, None).await?;
                }
                Extra::Arrive { v, path } => people::insert_new(tx, now, &actor, &row.person_id, path, v).await?,
            }
            insert(tx, &row).await?;
            let ev = if row.kind == Kind::Out.code() {
                let d = format!("{}；介绍信 {}{}", ev.detail, row.letter_no, ended_text(&ended));
                ev.detail(d)
            } else {
                ev
            };
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await?;
    Ok(out)
}

/// A pending transfer the scope may decide, or why not. `receiving`: the
/// receiving side (accept, return); otherwise the sending side (cancel).
async fn decidable(db: &Db, scope: &Scope, id: &str, receiving: bool) -> Result<Transfer> {
    let t = get(db, scope, id).await?;
    let side = if receiving { &t.to_org_path } else { &t.from_org_path };
    if !side.as_deref().is_some_and(|p| scope.contains_path(p)) {
        return Err(Error::Forbidden(if receiving {
            "只有转入组织（接收方）可以接收或退回该转接".into()
        } else {
            "只有转出组织可以撤销该转接".into()
        }));
    }
    if !t.is_pending() {
        return Err(Error::Conflict(format!("该转接{}，不能再办理", t.status_label())));
    }
    Ok(t)
}

/// Sets a pending transfer's outcome; refuses one decided meanwhile.
async fn settle(tx: &mut Tx, now: i64, actor: &Actor, id: &str, status: Status, note: &str) -> Result<()> {
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE transfers SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4 \
         WHERE id = $5 AND status = 'pending'"
    )
    .bind(status.code())
    .bind(&actor.name)
    .bind(now)
    .bind(note)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 {
        return Err(Error::Conflict("该转接已被处理，请刷新后查看".into()));
    }
    Ok(())
}

fn object(t: &Transfer) -> String {
    format!("{}（{}）", t.person_name, t.person_id)
}

/// 接收: the person moves to the receiving organization; their records
/// (development, dues…) hang off the person and so move with them, and
/// their posts in the organizations they leave end the same day.
pub async fn accept(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let t = decidable(db, scope, id, true).await?;
    let to_id = t.to_org_id.clone().unwrap_or_default();
    let target = org::anywhere(db, &to_id).await?;
    if target.dissolved_at.is_some() {
        return Err(Error::Conflict(format!(
            "“{}”已撤销，不能接收，请退回该转接",
            target.name
        )));
    }
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (t, target, actor) = (t.clone(), target.clone(), actor.clone());
        Box::pin(async move {
            settle(tx, now, &actor, &t.id, Status::Accepted, "").await?;
            with_tx!(tx, |c| sqlx::query(
                "UPDATE people SET org_id = $1, org_path = $2, updated_at = $3 WHERE id = $4"
            )
            .bind(&target.id)
            .bind(&target.path)
            .bind(now)
            .bind(&t.person_id)
            .execute(c)
            .await?
            .rows_affected());
            let ended = end_posts(tx, now, &t.person_id, Some(&target.path)).await?;
            let ev = Event::new("transfer.accept", object(&t), Outcome::Ok).detail(format!(
                "{} → {}（转接 {}）{}",
                t.from_text(),
                t.to_text(),
                t.id,
                ended_text(&ended)
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// 退回 with a reason: nothing moves.
pub async fn send_back(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, reason: &str) -> Result<()> {
    let reason = rules::check_return_reason(reason)?;
    let t = decidable(db, scope, id, true).await?;
    decide(db, now, actor, t, Status::Returned, reason, "transfer.return").await
}

/// 撤销 by the sending side while the transfer waits.
pub async fn cancel(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let t = decidable(db, scope, id, false).await?;
    decide(db, now, actor, t, Status::Cancelled, String::new(), "transfer.cancel").await
}

async fn decide(
    db: &Db,
    now: i64,
    actor: &Actor,
    t: Transfer,
    status: Status,
    note: String,
    action: &'static str,
) -> Result<()> {
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (t, note, actor) = (t.clone(), note.clone(), actor.clone());
        Box::pin(async move {
            settle(tx, now, &actor, &t.id, status, &note).await?;
            let mut detail = format!("{} → {}（转接 {}）", t.from_text(), t.to_text(), t.id);
            if !note.is_empty() {
                detail.push_str(&format!("；原因：{note}"));
            }
            audit::append(
                tx,
                now,
                &actor,
                &Event::new(action, object(&t), Outcome::Ok).detail(detail),
            )
            .await?;
            Ok(())
        })
    })
    .await
}
