//! Notifications against local receivers that check what each vendor
//! checks: DingTalk's and Feishu's signatures, WeCom's key, and an SMTP
//! server that decodes the message.
use axum::extract::{Path, Query, State};
use axum::routing::post;
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tongpin_core::audit::{self, Actor, Filter};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::notify::{self, ChannelInput, Client, Settings, Target, Trust};

mod mail_server;
use mail_server::{Inbox, Mode};
use tongpin_core::rules::notify::{MAX_ATTEMPTS, RETRY_AFTER_MS};
use tongpin_core::with_db;

const NOW: i64 = 1_790_000_000_000;
const DT_TOKEN: &str = "dt-token";
const DT_SECRET: &str = "SECdingtalk0123456789";
const FS_TOKEN: &str = "fs-token";
const FS_SECRET: &str = "feishu-secret";
const WX_KEY: &str = "wx-key-693a";

#[derive(Clone, Default)]
struct Rx {
    /// The receiver's clock (ms), set by the test like the job's `now`.
    now: Arc<AtomicI64>,
    got: Arc<Mutex<Vec<(String, Value)>>>,
}

fn hmac_b64(key: &[u8], msg: &[u8]) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg);
    B64.encode(m.finalize().into_bytes())
}

async fn dingtalk(State(rx): State<Rx>, Query(q): Query<HashMap<String, String>>, Json(v): Json<Value>) -> Json<Value> {
    let now = rx.now.load(Ordering::SeqCst);
    let ts: i64 = q.get("timestamp").and_then(|t| t.parse().ok()).unwrap_or(0);
    let expected = hmac_b64(DT_SECRET.as_bytes(), format!("{ts}\n{DT_SECRET}").as_bytes());
    if q.get("access_token").map(String::as_str) != Some(DT_TOKEN) {
        return Json(json!({"errcode": 300001, "errmsg": "token is not exist"}));
    }
    if (now - ts).abs() > 3_600_000 || q.get("sign") != Some(&expected) {
        return Json(json!({"errcode": 310000, "errmsg": "sign not match"}));
    }
    rx.got.lock().unwrap().push(("dingtalk".into(), v));
    Json(json!({"errcode": 0, "errmsg": "ok"}))
}

async fn feishu(State(rx): State<Rx>, Path(token): Path<String>, Json(v): Json<Value>) -> Json<Value> {
    let now_s = rx.now.load(Ordering::SeqCst) / 1000;
    let ts: i64 = v["timestamp"].as_str().and_then(|t| t.parse().ok()).unwrap_or(0);
    let expected = hmac_b64(format!("{ts}\n{FS_SECRET}").as_bytes(), b"");
    if token != FS_TOKEN {
        return Json(json!({"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}));
    }
    if (now_s - ts).abs() > 3600 || v["sign"].as_str() != Some(expected.as_str()) {
        return Json(
            json!({"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}),
        );
    }
    rx.got.lock().unwrap().push(("feishu".into(), v));
    Json(json!({"code": 0, "msg": "success", "data": {}}))
}

async fn wecom(State(rx): State<Rx>, Query(q): Query<HashMap<String, String>>, Json(v): Json<Value>) -> Json<Value> {
    if q.get("key").map(String::as_str) != Some(WX_KEY) {
        return Json(json!({"errcode": 93000, "errmsg": "invalid webhook url"}));
    }
    rx.got.lock().unwrap().push(("wecom".into(), v));
    Json(json!({"errcode": 0, "errmsg": "ok"}))
}

/// A plain SMTP server enough for one client: checks AUTH PLAIN, keeps
/// the recipients and the un-dot-stuffed message.
/// Starts both receivers; returns (http base, smtp host:port, state, inbox).
async fn receivers() -> (String, String, Rx, Inbox) {
    let rx = Rx::default();
    rx.now.store(NOW, Ordering::SeqCst);
    let app = Router::new()
        .route("/robot/send", post(dingtalk))
        .route("/open-apis/bot/v2/hook/{token}", post(feishu))
        .route("/cgi-bin/webhook/send", post(wecom))
        .with_state(rx.clone());
    let http = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let http_addr = http.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(http, app).await.unwrap() });
    let (smtp, inbox) = mail_server::start(Mode::Plain).await;
    (format!("http://{http_addr}"), smtp, rx, inbox)
}

fn admin() -> Actor {
    Actor::anonymous("安全管理员", "127.0.0.1")
}

fn robot(kind: &str, base: &str, secret: &str, token: &str) -> ChannelInput {
    ChannelInput {
        kind: kind.into(),
        name: format!("{kind} 群"),
        base_url: base.into(),
        secret: Some(secret.into()),
        settings: Settings {
            token: token.into(),
            ..Settings::default()
        },
        enabled: true,
        ..ChannelInput::default()
    }
}

fn email(smtp: &str) -> ChannelInput {
    ChannelInput {
        kind: "email".into(),
        name: "党办邮箱".into(),
        base_url: smtp.into(),
        secret: Some("mail-pass".into()),
        settings: Settings {
            from: "notice@example.cn".into(),
            to: vec!["a@example.cn".into(), "b@example.cn".into()],
            username: "notice@example.cn".into(),
            ..Settings::default()
        },
        enabled: true,
        ..ChannelInput::default()
    }
}

async fn one(db: &Db, sql: &str, id: &str) -> (String, i64, i64, Option<String>) {
    with_db!(db, |p| sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap())
}

async fn item_state(db: &Db, channel: &str) -> (String, i64, i64, Option<String>) {
    one(
        db,
        "SELECT status, attempts, next_attempt_at, last_error FROM notify_outbox WHERE channel_id = $1",
        channel,
    )
    .await
}

#[tokio::test]
async fn every_kind_delivers_signed_messages() {
    let db = fresh_db().await.unwrap();
    let (http, smtp, rx, inbox) = receivers().await;
    let client = Client::new(&Trust::public()).unwrap();
    // DingTalk and Feishu with host + token; WeCom with a whole webhook URL.
    for input in [
        robot("dingtalk", &http, DT_SECRET, DT_TOKEN),
        robot("feishu", &http, FS_SECRET, FS_TOKEN),
        robot("wecom", &format!("{http}/cgi-bin/webhook/send?key={WX_KEY}"), "", ""),
        email(&smtp),
    ] {
        notify::create_channel(&db, NOW, &admin(), &tongpin_core::auth::cap::command_line(), &input)
            .await
            .unwrap();
    }
    let title = "换届提醒";
    let body = "第一党支部委员会任期将于 2026年12月31日 届满，请及时启动换届选举。";
    let n = notify::enqueue(&db, NOW, Target::System, "term:org1:2026", title, body)
        .await
        .unwrap();
    assert_eq!(n, 4);
    assert_eq!(notify::run_once(&db, NOW, &client).await.unwrap(), 4);

    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 3, "{got:?}");
    let by = |k: &str| got.iter().find(|(kind, _)| kind == k).unwrap().1.clone();
    assert_eq!(by("dingtalk")["msgtype"], "markdown");
    assert_eq!(by("dingtalk")["markdown"]["title"], title);
    assert!(by("dingtalk")["markdown"]["text"].as_str().unwrap().contains(body));
    assert!(by("wecom")["markdown"]["content"].as_str().unwrap().contains(body));
    assert_eq!(by("feishu")["msg_type"], "text");
    assert!(by("feishu")["content"]["text"].as_str().unwrap().contains(title));

    let mails = inbox.mails();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.rcpts, ["a@example.cn", "b@example.cn"]);
    assert_eq!(m.user.as_deref(), Some(mail_server::USER));
    assert_eq!(mail_server::subject(&m.data), title);
    assert_eq!(mail_server::body(&m.data), body);
    let head = m.data.split("\r\n\r\n").next().unwrap().to_ascii_lowercase();
    assert!(head.contains("content-type: text/plain; charset=utf-8"), "{head}");
    assert!(
        head.contains("mime-version: 1.0") && head.contains("\r\ndate: "),
        "{head}"
    );
    assert!(head.contains("message-id: <"), "{head}");

    let (items, total) = notify::list_outbox(&db, None, 20, 0).await.unwrap();
    assert_eq!(total, 4);
    assert!(items
        .iter()
        .all(|i| i.status == "sent" && i.attempts == 1 && i.sent_at == Some(NOW)));
    for i in &items {
        let a = notify::list_attempts(&db, &i.id).await.unwrap();
        assert_eq!(a.len(), 1);
        assert!(a[0].ok && a[0].error.is_empty(), "{a:?}");
    }
    // Nothing is due any more.
    assert_eq!(notify::run_once(&db, NOW + 3_600_000, &client).await.unwrap(), 0);
}

#[tokio::test]
async fn a_refused_signature_is_retried_on_the_backoff_then_given_up() {
    let db = fresh_db().await.unwrap();
    let (http, _, rx, _) = receivers().await;
    let client = Client::new(&Trust::public()).unwrap();
    let dt = notify::create_channel(
        &db,
        NOW,
        &admin(),
        &tongpin_core::auth::cap::command_line(),
        &robot("dingtalk", &http, "SECwrong", DT_TOKEN),
    )
    .await
    .unwrap();
    let fs = notify::create_channel(
        &db,
        NOW,
        &admin(),
        &tongpin_core::auth::cap::command_line(),
        &robot("feishu", &http, "wrong", FS_TOKEN),
    )
    .await
    .unwrap();
    let wx = notify::create_channel(
        &db,
        NOW,
        &admin(),
        &tongpin_core::auth::cap::command_line(),
        &robot("wecom", &http, "wrong-key", ""),
    )
    .await
    .unwrap();
    notify::enqueue(&db, NOW, Target::System, "k1", "提醒", "内容")
        .await
        .unwrap();
    assert_eq!(notify::run_once(&db, NOW, &client).await.unwrap(), 3);
    let (status, attempts, next, err) = item_state(&db, &dt).await;
    assert_eq!(
        (status.as_str(), attempts, next),
        ("pending", 1, NOW + RETRY_AFTER_MS[0])
    );
    assert!(err.unwrap().contains("310000"));
    assert!(item_state(&db, &fs).await.3.unwrap().contains("19021"));
    assert!(item_state(&db, &wx).await.3.unwrap().contains("93000"));
    assert!(rx.got.lock().unwrap().is_empty());

    // Not due before the backoff has passed.
    assert_eq!(
        notify::run_once(&db, NOW + RETRY_AFTER_MS[0] - 1, &client)
            .await
            .unwrap(),
        0
    );
    let mut t = NOW;
    for (i, wait) in RETRY_AFTER_MS.iter().enumerate() {
        t += wait;
        rx.now.store(t, Ordering::SeqCst);
        assert_eq!(notify::run_once(&db, t, &client).await.unwrap(), 3);
        let (status, attempts, next, _) = item_state(&db, &dt).await;
        assert_eq!(attempts, i as i64 + 2);
        if attempts < MAX_ATTEMPTS {
            assert_eq!((status.as_str(), next), ("pending", t + RETRY_AFTER_MS[i + 1]));
        } else {
            assert_eq!(status, "failed");
        }
    }
    assert_eq!(notify::run_once(&db, t + 86_400_000, &client).await.unwrap(), 0);
    let (items, _) = notify::list_outbox(&db, Some(&dt), 20, 0).await.unwrap();
    let a = notify::list_attempts(&db, &items[0].id).await.unwrap();
    assert_eq!(a.len() as i64, MAX_ATTEMPTS);
    assert!(a
        .iter()
        .all(|a| !a.ok && a.status_code == Some(200) && a.response.contains("sign not match")));
}

#[tokio::test]
async fn a_reminder_is_queued_once_and_disabled_channels_get_nothing() {
    let db = fresh_db().await.unwrap();
    let (http, _, rx, _) = receivers().await;
    let client = Client::new(&Trust::public()).unwrap();
    let wx = notify::create_channel(
        &db,
        NOW,
        &admin(),
        &tongpin_core::auth::cap::command_line(),
        &robot("wecom", &http, WX_KEY, ""),
    )
    .await
    .unwrap();
    let mut off = robot("dingtalk", &http, DT_SECRET, DT_TOKEN);
    off.enabled = false;
    let dt = notify::create_channel(&db, NOW, &admin(), &tongpin_core::auth::cap::command_line(), &off)
        .await
        .unwrap();
    assert_eq!(
        notify::enqueue(&db, NOW, Target::System, "same", "标题", "内容")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        notify::enqueue(&db, NOW + 1, Target::System, "same", "标题", "内容")
            .await
            .unwrap(),
        0
    );
    let both = [wx.clone(), dt.clone()];
    assert_eq!(
        notify::enqueue(&db, NOW, Target::Channels(&both), "same", "标题", "内容")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        notify::enqueue(&db, NOW, Target::Channels(&both), "other", "标题", "内容")
            .await
            .unwrap(),
        1
    );
    // Queued while enabled, then disabled: kept, not sent.
    notify::enqueue(
        &db,
        NOW,
        Target::Channels(std::slice::from_ref(&dt)),
        "x",
        "标题",
        "内容",
    )
    .await
    .unwrap();
    notify::set_enabled(&db, NOW, &admin(), &tongpin_core::auth::cap::command_line(), &dt, true)
        .await
        .unwrap();
    notify::enqueue(
        &db,
        NOW,
        Target::Channels(std::slice::from_ref(&dt)),
        "later",
        "标题",
        "内容",
    )
    .await
    .unwrap();
    notify::set_enabled(&db, NOW, &admin(), &tongpin_core::auth::cap::command_line(), &dt, false)
        .await
        .unwrap();
    assert_eq!(notify::run_once(&db, NOW, &client).await.unwrap(), 2);
    assert_eq!(rx.got.lock().unwrap().len(), 2);
    assert!(rx.got.lock().unwrap().iter().all(|(k, _)| k == "wecom"));
    let (status, attempts, _, _) = item_state(&db, &dt).await;
    assert_eq!((status.as_str(), attempts), ("pending", 0));
    assert_eq!(
        notify::enqueue(&db, NOW, Target::Org("no-such-org"), "k", "标题", "内容")
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn two_jobs_at_once_send_each_message_once() {
    let db = fresh_db().await.unwrap();
    let (http, _, rx, _) = receivers().await;
    let client = Client::new(&Trust::public()).unwrap();
    notify::create_channel(
        &db,
        NOW,
        &admin(),
        &tongpin_core::auth::cap::command_line(),
        &robot("wecom", &http, WX_KEY, ""),
    )
    .await
    .unwrap();
    for i in 0..20 {
        notify::enqueue(
            &db,
            NOW,
            Target::System,
            &format!("k{i}"),
            "标题",
            &format!("第 {i} 条"),
        )
        .await
        .unwrap();
    }
    let (a, b) = tokio::join!(notify::run_once(&db, NOW, &client), notify::run_once(&db, NOW, &client));
    assert_eq!(a.unwrap() + b.unwrap(), 20);
    assert_eq!(rx.got.lock().unwrap().len(), 20);
    let attempts: i64 = with_db!(&db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM notify_attempts")
        .fetch_one(p)
        .await
        .unwrap());
    assert_eq!(attempts, 20);
}

#[tokio::test]
async fn channel_changes_are_audited_and_secrets_never_shown() {
    let db = fresh_db().await.unwrap();
    let (http, _, rx, _) = receivers().await;
    let client = Client::new(&Trust::public()).unwrap();
    let url = format!("{http}/robot/send?access_token={DT_TOKEN}");
    let id = notify::create_channel(
        &db,
        NOW,
        &admin(),
        &tongpin_core::auth::cap::command_line(),
        &robot("dingtalk", &url, DT_SECRET, ""),
    )
    .await
    .unwrap();
    let v = notify::channel(&db, &id).await.unwrap();
    assert_eq!(v.secret, "已设置");
    assert!(!v.base_url.contains(DT_TOKEN) && v.base_url.ends_with("access_token=******"));
    let listed = serde_json::to_string(&notify::list_channels(&db).await.unwrap()).unwrap();
    assert!(!listed.contains(DT_SECRET) && !listed.contains(DT_TOKEN));

    // Editing with the masked address and no secret keeps both.
    let mut edit = robot("dingtalk", &v.base_url, "", "");
    edit.secret = None;
    edit.name = "党委办公室钉钉群".into();
    notify::update_channel(
        &db,
        NOW + 1,
        &admin(),
        &tongpin_core::auth::cap::command_line(),
        &id,
        &edit,
    )
    .await
    .unwrap();
    let out = notify::send_test(&db, &tongpin_core::auth::cap::command_line(), &client, NOW + 2, &id)
        .await
        .unwrap();
    assert_eq!(out.status, "sent", "{out:?}");
    assert_eq!(rx.got.lock().unwrap().len(), 1);

    notify::delete_channel(&db, NOW + 3, &admin(), &tongpin_core::auth::cap::command_line(), &id)
        .await
        .unwrap();
    assert!(notify::list_channels(&db).await.unwrap().is_empty());
    let records = audit::list(&db, &tongpin_core::auth::cap::command_line(), &Filter::default(), 0, 50)
        .await
        .unwrap();
    let actions: Vec<&str> = records.iter().map(|r| r.action.as_str()).collect();
    for a in [
        "notify.channel.create",
        "notify.channel.update",
        "notify.channel.delete",
    ] {
        assert!(actions.contains(&a), "{actions:?}");
        assert!(audit::action_label(a) != a);
    }
    assert!(records
        .iter()
        .all(|r| !r.detail.contains(DT_SECRET) && !r.detail.contains(DT_TOKEN)));

    // Checks name the field.
    let bad = robot("feishu", "ftp://x", "", "");
    let e = notify::create_channel(&db, NOW, &admin(), &tongpin_core::auth::cap::command_line(), &bad)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("Webhook 地址"), "{e}");
    let mut bad = email("smtp.example.cn:465");
    bad.settings.to = vec!["not-an-address".into()];
    assert!(
        notify::create_channel(&db, NOW, &admin(), &tongpin_core::auth::cap::command_line(), &bad)
            .await
            .unwrap_err()
            .to_string()
            .contains("收件人")
    );
}
