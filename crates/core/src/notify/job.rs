//! The background job: takes due messages, sends them, records each
//! attempt, and marks the message sent or schedules a retry.
use super::model::OutboxItem;
use super::send::{deliver, Client, Delivery};
use super::store::{load, outbox_item};
use crate::db::Db;
use crate::rules::notify::{next_attempt, BATCH, LEASE_MS};
use crate::{ids, with_db, with_tx, Result};

/// Takes a message for this server: moves its next attempt past the lease
/// only if no one else moved it first, so two servers never send one
/// message twice (one UPDATE, atomic on both engines).
async fn claim(db: &Db, now: i64, id: &str, seen_next: i64) -> Result<bool> {
    let n = with_db!(db, |p| {
        sqlx::query(
        "UPDATE notify_outbox SET next_attempt_at = $1 WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3"
    )
    .bind(now + LEASE_MS)
    .bind(id)
    .bind(seen_next)
    .execute(p)
    .await?
    .rows_affected()
    });
    Ok(n == 1)
}

/// Sends what is due at `now` on enabled channels, at most the rule table's
/// batch. Returns how many attempts were made.
pub async fn run_once(db: &Db, now: i64, client: &Client) -> Result<usize> {
    let due: Vec<(String, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT o.id, o.next_attempt_at FROM notify_outbox o JOIN notify_channels c ON c.id = o.channel_id \
         WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND c.enabled = $2 \
         ORDER BY o.next_attempt_at, o.id LIMIT $3"
    )
    .bind(now)
    .bind(true)
    .bind(BATCH)
    .fetch_all(p)
    .await?);
    let mut n = 0;
    for (id, next) in due {
        if claim(db, now, &id, next).await? {
            attempt(db, client, now, &id).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Sends one pending message now whatever its schedule (发送测试消息).
pub(super) async fn send_now(db: &Db, client: &Client, now: i64, id: &str) -> Result<bool> {
    let item = outbox_item(db, id).await?;
    if item.status != "pending" || !claim(db, now, id, item.next_attempt_at).await? {
        return Ok(false);
    }
    attempt(db, client, now, id).await?;
    Ok(true)
}

async fn attempt(db: &Db, client: &Client, now: i64, id: &str) -> Result<()> {
    let item = outbox_item(db, id).await?;
    let d = match load(db, &item.channel_id).await {
        Ok(ch) => deliver(client, &ch, &item.title, &item.body, now).await,
        Err(e) => Delivery {
            error: e.to_string(),
            ..Delivery::default()
        },
    };
    record(db, now, &item, d).await
}

/// The attempt row and the message's new state, in one transaction.
async fn record(db: &Db, now: i64, item: &OutboxItem, d: Delivery) -> Result<()> {
    let attempts = item.attempts + 1;
    let (status, next, sent_at, last_error) = if d.ok {
        ("sent", item.next_attempt_at, Some(now), None)
    } else if d.permanent {
        ("failed", now, None, Some(d.error.clone()))
    } else {
        match next_attempt(now, attempts) {
            Some(t) => ("pending", t, None, Some(d.error.clone())),
            None => ("failed", now, None, Some(d.error.clone())),
        }
    };
    let id = item.id.clone();
    db.transaction(move |tx| {
        let (id, d, last_error) = (id.clone(), d.clone(), last_error.clone());
        Box::pin(async move {
            with_tx!(tx, |x| {
                sqlx::query(
                    "INSERT INTO notify_attempts (id, outbox_id, at, ok, status_code, response, error) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(ids::new_id())
                .bind(&id)
                .bind(now)
                .bind(d.ok)
                .bind(d.status_code)
                .bind(&d.response)
                .bind(&d.error)
                .execute(&mut *x)
                .await?;
                sqlx::query(
                    "UPDATE notify_outbox SET status = $1, attempts = $2, next_attempt_at = $3, sent_at = $4, last_error = $5 WHERE id = $6",
                )
                .bind(status)
                .bind(attempts)
                .bind(next)
                .bind(sent_at)
                .bind(&last_error)
                .bind(&id)
                .execute(&mut *x)
                .await?;
            });
            Ok(())
        })
    })
    .await
}
