use super::rules::{chain_hash, purge_record_text};
use super::{Actor, Event, Outcome, Record};
use crate::auth::cap;
use crate::auth::Policy;
use crate::bind_all;
use crate::db::{Db, Tx};
use crate::sql::{Param, Where};
use crate::{with_db, with_tx, Error, Result};

/// Appends one record inside the caller's transaction, so the record and the
/// change it describes commit or roll back together. The head row update
/// serializes appends across connections and servers.
pub async fn append(tx: &mut Tx, now: i64, actor: &Actor, ev: &Event) -> Result<i64> {
    let (seq, prev_hash): (i64, String) = with_tx!(tx, |c| {
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *c)
            .await?
    });
    let Some(key) = tx.seal().map(|s| s.key().clone()) else {
        return Err(Error::unexpected("审计密钥未加载，不能写审计记录"));
    };
    let algo = Policy::load_tx(tx).await?.audit_algo().keyed();
    let mut r = Record {
        seq,
        at: now,
        actor_id: actor.id.clone(),
        actor_name: actor.name.clone(),
        scope: actor.scope.clone(),
        action: ev.action.to_string(),
        object: ev.object.clone(),
        result: ev.outcome.code().to_string(),
        client_addr: actor.addr.clone(),
        detail: ev.detail.clone(),
        algo: algo.code().to_string(),
        prev_hash,
        hash: String::new(),
    };
    r.hash = chain_hash(algo, Some(&key), &r).ok_or_else(|| Error::unexpected("审计记录无法签名"))?;
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_id, actor_name, scope, action, object, result, client_addr, detail, algo, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(r.seq)
        .bind(r.at)
        .bind(&r.actor_id)
        .bind(&r.actor_name)
        .bind(&r.scope)
        .bind(&r.action)
        .bind(&r.object)
        .bind(&r.result)
        .bind(&r.client_addr)
        .bind(&r.detail)
        .bind(&r.algo)
        .bind(&r.prev_hash)
        .bind(&r.hash)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&r.hash)
            .execute(&mut *c)
            .await?;
    });
    Ok(seq)
}

/// Records an event in a transaction of its own (logins, denials, reads).
pub async fn record(db: &Db, now: i64, actor: &Actor, ev: Event) -> Result<()> {
    db.transaction(|tx| {
        let (actor, ev) = (actor.clone(), ev.clone());
        Box::pin(async move { append(tx, now, &actor, &ev).await.map(|_| ()) })
    })
    .await
}

/// What the audit admin filters by.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub result: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

impl Filter {
    fn to_where(&self) -> Where {
        let mut w = Where::default();
        if let Some(a) = &self.actor {
            w.push("actor_name LIKE {} ESCAPE '\\'", Param::S(crate::sql::like_contains(a)));
        }
        if let Some(a) = &self.action {
            w.push("action = {}", Param::S(a.clone()));
        }
        if let Some(r) = &self.result {
            w.push("result = {}", Param::S(r.clone()));
        }
        if let Some(f) = self.from_ms {
            w.push("at >= {}", Param::I(f));
        }
        if let Some(t) = self.to_ms {
            w.push("at < {}", Param::I(t));
        }
        w
    }
}

/// Newest first. Reading the log takes the audit admin's capability.
pub async fn list(db: &Db, _: &cap::Audit, filter: &Filter, offset: i64, limit: i64) -> Result<Vec<Record>> {
    let mut w = filter.to_where();
    let (cond, _) = w.sql();
    let lim = w.param(Param::I(limit));
    let off = w.param(Param::I(offset));
    let sql = format!("SELECT * FROM audit_log {cond} ORDER BY seq DESC LIMIT {lim} OFFSET {off}");
    Ok(with_db!(db, |p| bind_all!(
        sqlx::query_as::<_, Record>(&sql),
        w.params()
    )
    .fetch_all(p)
    .await?))
}

pub async fn count(db: &Db, _: &cap::Audit, filter: &Filter) -> Result<i64> {
    let w = filter.to_where();
    let (cond, _) = w.sql();
    let sql = format!("SELECT COUNT(*) FROM audit_log {cond}");
    Ok(with_db!(db, |p| bind_all!(
        sqlx::query_scalar::<_, i64>(&sql),
        w.params()
    )
    .fetch_one(p)
    .await?))
}

/// Deletes the records older than `cutoff_ms`, which may be no later than
/// six calendar months ago; the chain's base moves to the last deleted record
/// so the rest still verifies. The purge is itself recorded, naming the new
/// base, and the new base is anchored.
pub async fn purge_before(db: &Db, now: i64, cutoff_ms: i64, actor: &Actor) -> Result<i64> {
    if cutoff_ms > crate::rules::audit_purge_limit(now) {
        return Err(Error::invalid(
            "清理截止时间",
            format!(
                "审计记录须保存至少 {} 个月，截止时间不能晚于 {}",
                crate::rules::AUDIT_RETENTION_MONTHS,
                crate::clock::format_beijing(crate::rules::audit_purge_limit(now))
            ),
        ));
    }
    let actor = actor.clone();
    let n = db
        .transaction(move |tx| {
            let actor = actor.clone();
            Box::pin(async move {
                let last: Option<(i64, String)> = with_tx!(tx, |c| {
                    sqlx::query_as("SELECT seq, hash FROM audit_log WHERE at < $1 ORDER BY seq DESC LIMIT 1")
                        .bind(cutoff_ms)
                        .fetch_optional(&mut *c)
                        .await?
                });
                let Some((seq, hash)) = last else { return Ok(0) };
                let n = with_tx!(tx, |c| {
                    let n = sqlx::query("DELETE FROM audit_log WHERE seq <= $1")
                        .bind(seq)
                        .execute(&mut *c)
                        .await?
                        .rows_affected();
                    sqlx::query("UPDATE audit_head SET base_seq = $1, base_hash = $2 WHERE id = 1")
                        .bind(seq)
                        .bind(&hash)
                        .execute(&mut *c)
                        .await?;
                    n
                });
                let (object, detail) = purge_record_text(seq, &hash, n);
                let ev = Event::new("audit.purge", object, Outcome::Ok).detail(detail);
                append(tx, now, &actor, &ev).await?;
                Ok(n as i64)
            })
        })
        .await?;
    // The base moved: anchor it now, so verification knows the move was a purge's.
    if n > 0 {
        super::anchor_head(db, now).await?;
    }
    Ok(n)
}
