//! Channels (each change audited), the outbox and the send record.
use super::check::{self, Checked};
use super::model::{mask_url, Attempt, Channel, ChannelInput, ChannelView, Kind, OutboxItem, Settings, MASK};
use super::send::Client;
use crate::audit::{self, Actor, Event, Outcome};
use crate::auth::cap;
use crate::db::{Db, Tx};
use crate::text::{check, TextKind};
use crate::{ids, with_db, with_tx, Error, Result};

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    org_id: Option<String>,
    kind: String,
    name: String,
    base_url: String,
    secret: String,
    settings: String,
    enabled: bool,
    created_by: String,
    created_at: i64,
    updated_at: i64,
}

impl Row {
    fn channel(self) -> Result<Channel> {
        let kind =
            Kind::from_code(&self.kind).ok_or_else(|| Error::unexpected(format!("未知的渠道类型 {}", self.kind)))?;
        Ok(Channel {
            id: self.id,
            org_id: self.org_id,
            kind,
            name: self.name,
            base_url: self.base_url,
            secret: self.secret,
            settings: Settings::parse(&self.settings),
            enabled: self.enabled,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const COLS: &str = "id, org_id, kind, name, base_url, secret, settings, enabled, created_by, created_at, updated_at";

/// A channel with its secret, for the sender.
pub(super) async fn load(db: &Db, id: &str) -> Result<Channel> {
    let sql = format!("SELECT {COLS} FROM notify_channels WHERE id = $1");
    let row: Option<Row> = with_db!(db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    row.ok_or_else(|| Error::NotFound("通知渠道不存在".into()))?.channel()
}

async fn load_tx(tx: &mut Tx, id: &str) -> Result<Channel> {
    let sql = format!("SELECT {COLS} FROM notify_channels WHERE id = $1");
    let row: Option<Row> = with_tx!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_optional(c).await?);
    row.ok_or_else(|| Error::NotFound("通知渠道不存在".into()))?.channel()
}

/// One channel as pages show it.
pub async fn channel(db: &Db, id: &str) -> Result<ChannelView> {
    Ok(load(db, id).await?.view())
}

/// Every channel, system-wide first, secrets masked.
pub async fn list_channels(db: &Db) -> Result<Vec<ChannelView>> {
    let sql = format!("SELECT {COLS} FROM notify_channels ORDER BY org_id IS NOT NULL, created_at, id");
    let rows: Vec<Row> = with_db!(db, |p| sqlx::query_as(&sql).fetch_all(p).await?);
    rows.into_iter().map(|r| r.channel().map(|c| c.view())).collect()
}

fn describe(c: &Checked) -> String {
    format!(
        "名称：{}；类型：{}；地址：{}",
        c.name,
        c.kind.label(),
        mask_url(&c.base_url)
    )
}

/// Adds a channel (`org_id` None: the whole system). Returns its id.
pub async fn create_channel(
    db: &Db,
    now: i64,
    actor: &Actor,
    _: &cap::Channels,
    input: &ChannelInput,
) -> Result<String> {
    let c = check::channel(input, input.secret.clone().unwrap_or_default())?;
    let (input, actor) = (input.clone(), actor.clone());
    let id = ids::new_id();
    let settings = c.settings.to_json();
    let detail = describe(&c);
    db.transaction(move |tx| {
        let (input, actor, id, settings, detail) =
            (input.clone(), actor.clone(), id.clone(), settings.clone(), detail.clone());
        let (kind, name, base_url, secret) = (c.kind, c.name.clone(), c.base_url.clone(), c.secret.clone());
        Box::pin(async move {
            with_tx!(tx, |x| sqlx::query(
                "INSERT INTO notify_channels (id, org_id, kind, name, base_url, secret, settings, enabled, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)"
            )
            .bind(&id)
            .bind(&input.org_id)
            .bind(kind.code())
            .bind(&name)
            .bind(&base_url)
            .bind(&secret)
            .bind(&settings)
            .bind(input.enabled)
            .bind(&actor.name)
            .bind(now)
            .execute(x)
            .await?
            .rows_affected());
            let ev = Event::new("notify.channel.create", name, Outcome::Ok).detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// Changes a channel. A blank secret, an unchanged (masked) address and a
/// masked token keep what is stored; the kind cannot change.
pub async fn update_channel(
    db: &Db,
    now: i64,
    actor: &Actor,
    _: &cap::Channels,
    id: &str,
    input: &ChannelInput,
) -> Result<()> {
    let (input, actor, id) = (input.clone(), actor.clone(), id.to_string());
    db.transaction(move |tx| {
        let (mut input, actor, id) = (input.clone(), actor.clone(), id.clone());
        Box::pin(async move {
            let old = load_tx(tx, &id).await?;
            input.kind = old.kind.code().to_string();
            if input.base_url.trim() == mask_url(&old.base_url) {
                input.base_url = old.base_url.clone();
            }
            if input.settings.token.trim() == MASK {
                input.settings.token = old.settings.token.clone();
            }
            let secret = match input.secret.as_deref().map(str::trim) {
                None | Some("") => old.secret.clone(),
                Some(s) => s.to_string(),
            };
            let c = check::channel(&input, secret)?;
            let changed_secret = c.secret != old.secret;
            with_tx!(tx, |x| sqlx::query(
                "UPDATE notify_channels SET name = $1, base_url = $2, secret = $3, settings = $4, enabled = $5, updated_at = $6 WHERE id = $7"
            )
            .bind(&c.name)
            .bind(&c.base_url)
            .bind(&c.secret)
            .bind(c.settings.to_json())
            .bind(input.enabled)
            .bind(now)
            .bind(&id)
            .execute(x)
            .await?
            .rows_affected());
            let mut detail = format!("原{}；新{}", describe_channel(&old), describe(&c));
            if changed_secret {
                detail.push_str("；密钥已更换");
            }
            let ev = Event::new("notify.channel.update", c.name.clone(), Outcome::Ok).detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

fn describe_channel(c: &Channel) -> String {
    format!(
        "名称：{}；类型：{}；地址：{}；{}",
        c.name,
        c.kind.label(),
        mask_url(&c.base_url),
        if c.enabled { "启用" } else { "停用" }
    )
}

/// 启用 / 停用: a disabled channel is queued nothing and sends nothing.
pub async fn set_enabled(db: &Db, now: i64, actor: &Actor, _: &cap::Channels, id: &str, enabled: bool) -> Result<()> {
    let (actor, id) = (actor.clone(), id.to_string());
    db.transaction(move |tx| {
        let (actor, id) = (actor.clone(), id.clone());
        Box::pin(async move {
            let old = load_tx(tx, &id).await?;
            with_tx!(tx, |x| sqlx::query(
                "UPDATE notify_channels SET enabled = $1, updated_at = $2 WHERE id = $3"
            )
            .bind(enabled)
            .bind(now)
            .bind(&id)
            .execute(x)
            .await?
            .rows_affected());
            let what = if enabled { "启用" } else { "停用" };
            let ev = Event::new("notify.channel.update", old.name, Outcome::Ok).detail(what);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Removes a channel with its queued messages and their send record.
pub async fn delete_channel(db: &Db, now: i64, actor: &Actor, _: &cap::Channels, id: &str) -> Result<()> {
    let (actor, id) = (actor.clone(), id.to_string());
    db.transaction(move |tx| {
        let (actor, id) = (actor.clone(), id.clone());
        Box::pin(async move {
            let old = load_tx(tx, &id).await?;
            let n: u64 = with_tx!(tx, |x| {
                sqlx::query(
                    "DELETE FROM notify_attempts WHERE outbox_id IN (SELECT id FROM notify_outbox WHERE channel_id = $1)",
                )
                .bind(&id)
                .execute(&mut *x)
                .await?;
                let n = sqlx::query("DELETE FROM notify_outbox WHERE channel_id = $1")
                    .bind(&id)
                    .execute(&mut *x)
                    .await?
                    .rows_affected();
                sqlx::query("DELETE FROM notify_channels WHERE id = $1")
                    .bind(&id)
                    .execute(&mut *x)
                    .await?;
                n
            });
            let detail = format!("{}；一并删除 {n} 条消息及其发送记录", describe_channel(&old));
            let ev = Event::new("notify.channel.delete", old.name, Outcome::Ok).detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Which channels a message goes to; only enabled channels are queued.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// These channels.
    Channels(&'a [String]),
    /// The whole system's channels (no organization).
    System,
    /// One organization's own channels.
    Org(&'a str),
}

async fn insert_item(
    tx: &mut Tx,
    now: i64,
    id: &str,
    channel_id: &str,
    key: &str,
    title: &str,
    body: &str,
) -> Result<u64> {
    Ok(with_tx!(tx, |x| {
        sqlx::query(
        "INSERT INTO notify_outbox (id, channel_id, dedupe_key, title, body, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) ON CONFLICT (channel_id, dedupe_key) DO NOTHING"
    )
    .bind(id)
    .bind(channel_id)
    .bind(key)
    .bind(title)
    .bind(body)
    .bind(now)
    .execute(x)
    .await?
    .rows_affected()
    }))
}

/// Queues a message on the target's enabled channels, once per channel and
/// `dedupe_key` (a second call with the same key queues nothing). Returns
/// how many messages were queued.
pub async fn enqueue(
    db: &Db,
    now: i64,
    target: Target<'_>,
    dedupe_key: &str,
    title: &str,
    body: &str,
) -> Result<usize> {
    let key = check("去重键", dedupe_key, 200, TextKind::Free)?;
    let title = check("标题", title, 200, TextKind::Free)?;
    let body = check("内容", body, 5000, TextKind::Free)?;
    let ids: Vec<String> = match target {
        Target::Channels(ids) => ids.to_vec(),
        Target::System => with_db!(db, |p| sqlx::query_scalar(
            "SELECT id FROM notify_channels WHERE org_id IS NULL AND enabled = $1 ORDER BY id"
        )
        .bind(true)
        .fetch_all(p)
        .await?),
        Target::Org(org) => with_db!(db, |p| sqlx::query_scalar(
            "SELECT id FROM notify_channels WHERE org_id = $1 AND enabled = $2 ORDER BY id"
        )
        .bind(org)
        .bind(true)
        .fetch_all(p)
        .await?),
    };
    db.transaction(move |tx| {
        let (ids, key, title, body) = (ids.clone(), key.clone(), title.clone(), body.clone());
        Box::pin(async move {
            let mut n = 0;
            for id in &ids {
                let enabled: Option<bool> = with_tx!(tx, |x| sqlx::query_scalar(
                    "SELECT enabled FROM notify_channels WHERE id = $1"
                )
                .bind(id)
                .fetch_optional(x)
                .await?);
                if enabled == Some(true) {
                    n += insert_item(tx, now, &ids::new_id(), id, &key, &title, &body).await? as usize;
                }
            }
            Ok(n)
        })
    })
    .await
}

/// 发送测试消息: queues a test message on the channel (enabled or not) and
/// sends it at once. Returns the message as it stands after the attempt.
pub async fn send_test(db: &Db, _: &cap::Channels, client: &Client, now: i64, id: &str) -> Result<OutboxItem> {
    let ch = load(db, id).await?;
    let key = format!("test:{now}:{}", ids::new_id());
    let title = "同频消息通知测试".to_string();
    let body = format!(
        "这是一条来自同频平台的测试消息，渠道“{}”配置正确。发送时间：{}",
        ch.name,
        crate::clock::format_beijing(now)
    );
    let (channel_id, item_id) = (ch.id.clone(), ids::new_id());
    let item = item_id.clone();
    db.transaction(move |tx| {
        let (channel_id, item, key, title, body) = (
            channel_id.clone(),
            item.clone(),
            key.clone(),
            title.clone(),
            body.clone(),
        );
        Box::pin(async move { insert_item(tx, now, &item, &channel_id, &key, &title, &body).await })
    })
    .await?;
    super::job::send_now(db, client, now, &item_id).await?;
    outbox_item(db, &item_id).await
}

const OUTBOX_COLS: &str =
    "o.id, o.channel_id, o.dedupe_key, o.title, o.body, o.status, o.attempts, o.next_attempt_at, \
     o.last_error, o.created_at, o.sent_at, c.name AS channel_name";

pub(super) async fn outbox_item(db: &Db, id: &str) -> Result<OutboxItem> {
    let sql = format!(
        "SELECT {OUTBOX_COLS} FROM notify_outbox o JOIN notify_channels c ON c.id = o.channel_id WHERE o.id = $1"
    );
    let row: Option<OutboxItem> = with_db!(db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    row.ok_or_else(|| Error::NotFound("消息不存在".into()))
}

/// The latest messages (newest first), optionally of one channel.
pub async fn list_outbox(db: &Db, channel_id: Option<&str>, limit: i64, offset: i64) -> Result<(Vec<OutboxItem>, i64)> {
    let filter = if channel_id.is_some() {
        "WHERE o.channel_id = $1"
    } else {
        "WHERE $1 IS NULL"
    };
    let sql = format!(
        "SELECT {OUTBOX_COLS} FROM notify_outbox o JOIN notify_channels c ON c.id = o.channel_id {filter} \
         ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3"
    );
    let count = format!("SELECT COUNT(*) FROM notify_outbox o {filter}");
    let ch = channel_id.map(str::to_string);
    with_db!(db, |p| {
        let items = sqlx::query_as(&sql)
            .bind(&ch)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?;
        let total: i64 = sqlx::query_scalar(&count).bind(&ch).fetch_one(p).await?;
        Ok((items, total))
    })
}

/// Every attempt to send one message, oldest first.
pub async fn list_attempts(db: &Db, outbox_id: &str) -> Result<Vec<Attempt>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, outbox_id, at, ok, status_code, response, error FROM notify_attempts WHERE outbox_id = $1 ORDER BY at, id"
    )
    .bind(outbox_id)
    .fetch_all(p)
    .await?
    }))
}
