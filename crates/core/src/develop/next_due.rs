//! When a person in development next has something due (下一个期限), kept
//! so the to-dos read only the people with something due soon instead of
//! everyone in development under a superior. The rules in `pipeline::dues`
//! still judge each person it returns.
//!
//! Triggers (migration 0023) mark a person '' (not worked out) on every write
//! of their steps or kept records; the code that records one works the date
//! out in the same transaction (`keep`), and `settle` works out whatever a
//! bulk load, a copy or the migration left marked. A marked person counts as
//! due, so a figure is never missed while it waits.
use super::kept::KeptRecord;
use super::pipeline::{by_person, dues, history, StepRow};
use crate::db::{Db, Tx};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, with_tx, Result};
use chrono::NaiveDate;

/// Not worked out yet: sorts before every date, so it is always "due".
const UNKNOWN: &str = "";
/// People worked out per round of `settle`.
const BATCH: usize = 500;

/// The earliest day anything comes due for this history, and the earliest
/// deadline (None: nothing). The dates do not depend on the day they are
/// read on, only whether each is overdue does, so the day passed to the
/// rules is the last there is: every deadline is overdue then, and a date
/// from which a step may be taken (起可) never is.
fn next_on(steps: &[StepRow], kept: &[KeptRecord]) -> Next {
    let (done, tracked) = history(steps, kept);
    let all = dues(&done, &tracked, NaiveDate::MAX);
    let on = all.iter().map(|d| d.on.clone()).min();
    let deadline = all.into_iter().filter(|d| d.overdue).map(|d| d.on).min();
    (on, deadline)
}

/// (next_on, next_deadline) as stored.
type Next = (Option<String>, Option<String>);

/// Narrows a query over `people p` to those with something due by `day`
/// (or not yet worked out).
pub(super) fn narrow(w: &mut Where, day: NaiveDate) {
    let d = w.param(Param::S(day.format("%Y-%m-%d").to_string()));
    w.push_raw(format!(
        "p.id IN (SELECT person_id FROM development_due WHERE next_on <= {d})"
    ));
}

/// Works out one person's date inside the transaction that wrote their
/// step or record (after the trigger marked them).
pub(super) async fn keep(tx: &mut Tx, person_id: &str) -> Result<()> {
    let steps: Vec<StepRow> = with_tx!(tx, |x| sqlx::query_as(
        "SELECT person_id, step, done_on, extension_months FROM development_steps WHERE person_id = $1"
    )
    .bind(person_id)
    .fetch_all(x)
    .await?);
    let kept: Vec<KeptRecord> = with_tx!(tx, |x| sqlx::query_as(
        "SELECT * FROM development_records WHERE person_id = $1"
    )
    .bind(person_id)
    .fetch_all(x)
    .await?);
    let (on, deadline) = next_on(&steps, &kept);
    with_tx!(tx, |x| sqlx::query(
        "UPDATE development_due SET next_on = $1, next_deadline = $2 WHERE person_id = $3"
    )
    .bind(&on)
    .bind(&deadline)
    .bind(person_id)
    .execute(x)
    .await?
    .rows_affected());
    Ok(())
}

/// Works out every marked person; returns how many. A person written to
/// meanwhile is left to that write (the update only replaces a mark).
pub async fn settle(db: &Db) -> Result<usize> {
    let mut n = 0;
    loop {
        let ids: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
            "SELECT person_id FROM development_due WHERE next_on = $1 ORDER BY person_id LIMIT $2"
        )
        .bind(UNKNOWN)
        .bind(BATCH as i64)
        .fetch_all(p)
        .await?);
        if ids.is_empty() {
            return Ok(n);
        }
        let mut w = Where::default();
        let list = w.in_list(&ids);
        let sql = format!(
            "SELECT person_id, step, done_on, extension_months FROM development_steps WHERE person_id IN ({list})"
        );
        let rows: Vec<StepRow> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        let sql = format!("SELECT * FROM development_records WHERE person_id IN ({list})");
        let records: Vec<KeptRecord> =
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        let (steps, kept) = by_person(rows, records);
        let worked: Vec<(String, Next)> = ids
            .into_iter()
            .map(|id| {
                let next = next_on(
                    steps.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                    kept.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                );
                (id, next)
            })
            .collect();
        n += worked.len();
        db.transaction(move |tx| {
            let worked = worked.clone();
            Box::pin(async move {
                for (id, (on, deadline)) in &worked {
                    with_tx!(tx, |x| sqlx::query(
                        "UPDATE development_due SET next_on = $1, next_deadline = $2 WHERE person_id = $3 AND next_on = $4"
                    )
                    .bind(on)
                    .bind(deadline)
                    .bind(id)
                    .bind(UNKNOWN)
                    .execute(x)
                    .await?
                    .rows_affected());
                }
                Ok(())
            })
        })
        .await?;
    }
}

/// Marks everyone with a step or a record and works them all out again:
/// `tongpin recount-todos`. Returns how many people were worked out.
pub async fn rebuild(db: &Db) -> Result<usize> {
    db.transaction(|tx| {
        Box::pin(async move {
            with_tx!(tx, |x| sqlx::query("DELETE FROM development_due")
                .execute(x)
                .await?
                .rows_affected());
            with_tx!(tx, |x| sqlx::query(
                "INSERT INTO development_due (person_id, next_on, next_deadline) SELECT person_id, '', '' \
                 FROM development_steps UNION SELECT person_id, '', '' FROM development_records"
            )
            .execute(x)
            .await?
            .rows_affected());
            Ok(())
        })
    })
    .await?;
    settle(db).await
}
