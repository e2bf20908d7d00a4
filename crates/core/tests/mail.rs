//! E-mail and robots over TLS against local servers: STARTTLS and implicit
//! TLS with AUTH PLAIN and LOGIN, a private CA bundle trusted besides the
//! public roots, and SMTP refusals: a permanent 5xx fails at once, a
//! transient 4xx is retried on the backoff.
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tongpin_core::audit::Actor;
use tongpin_core::auth::cap;
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::notify::{self, ChannelInput, Client, Settings, Target, Trust};
use tongpin_core::rules::notify::RETRY_AFTER_MS;
use tongpin_core::Error;

mod mail_server;
use mail_server::{Mode, CA, PASSWORD, USER};

const NOW: i64 = 1_790_000_000_000;

fn private_ca() -> Trust {
    Trust::with_bundle(CA).unwrap()
}

fn mail(server: &str, mode: Mode, to: &[&str], password: &str) -> ChannelInput {
    ChannelInput {
        kind: "email".into(),
        name: "党办邮箱".into(),
        // The test CA's certificate names localhost, not the address.
        base_url: server.replace("127.0.0.1", "localhost"),
        secret: Some(password.into()),
        settings: Settings {
            from: USER.into(),
            to: to.iter().map(|t| t.to_string()).collect(),
            username: USER.into(),
            starttls: mode == Mode::StartTls,
            tls: mode == Mode::Implicit,
            ..Settings::default()
        },
        enabled: true,
        ..ChannelInput::default()
    }
}

/// Queues one message on a new channel and runs the job once; returns the
/// message's (status, attempts, next attempt, last error).
async fn send_once(db: &Db, input: ChannelInput, trust: &Trust) -> (String, i64, i64, String) {
    notify::create_channel(
        db,
        NOW,
        &Actor::anonymous("安全管理员", "127.0.0.1"),
        &cap::command_line(),
        &input,
    )
    .await
    .unwrap();
    let key = tongpin_core::ids::new_id();
    notify::enqueue(
        db,
        NOW,
        Target::System,
        &key,
        "换届提醒",
        "第一党支部委员会任期将于 2026年12月31日 届满。\n.以点开头的一行",
    )
    .await
    .unwrap();
    let client = Client::new(trust).unwrap();
    notify::run_once(db, NOW, &client).await.unwrap();
    let (items, _) = notify::list_outbox(db, None, 20, 0).await.unwrap();
    let i = items.into_iter().next().unwrap();
    (
        i.status,
        i.attempts,
        i.next_attempt_at,
        i.last_error.unwrap_or_default(),
    )
}

#[tokio::test]
async fn starttls_and_implicit_tls_deliver_with_auth_through_a_private_ca() {
    for mode in [Mode::StartTls, Mode::Implicit] {
        let db = fresh_db().await.unwrap();
        let (addr, inbox) = mail_server::start(mode).await;
        let got = send_once(
            &db,
            mail(&addr, mode, &["a@example.cn", "b@example.cn"], PASSWORD),
            &private_ca(),
        )
        .await;
        assert_eq!((got.0.as_str(), got.1), ("sent", 1), "{mode:?}: {got:?}");
        let mails = inbox.mails();
        assert_eq!(mails.len(), 1, "{mode:?}");
        let m = &mails[0];
        assert!(m.secure, "{mode:?}: the message went over TLS");
        assert_eq!(m.user.as_deref(), Some(USER));
        assert_eq!(m.rcpts, ["a@example.cn", "b@example.cn"]);
        assert_eq!(mail_server::subject(&m.data), "换届提醒");
        assert_eq!(
            mail_server::body(&m.data),
            "第一党支部委员会任期将于 2026年12月31日 届满。\n.以点开头的一行"
        );
    }
}

#[tokio::test]
async fn auth_login_is_used_where_plain_is_not_offered() {
    let db = fresh_db().await.unwrap();
    let (addr, inbox) = mail_server::start_offering(Mode::StartTls, "LOGIN").await;
    let got = send_once(
        &db,
        mail(&addr, Mode::StartTls, &["a@example.cn"], PASSWORD),
        &private_ca(),
    )
    .await;
    assert_eq!((got.0.as_str(), got.1), ("sent", 1), "{got:?}");
    assert_eq!(inbox.mails()[0].user.as_deref(), Some(USER));
}

#[tokio::test]
async fn without_the_private_ca_the_server_is_not_trusted_and_nothing_is_sent() {
    let db = fresh_db().await.unwrap();
    let (addr, inbox) = mail_server::start(Mode::Implicit).await;
    let (status, attempts, next, error) = send_once(
        &db,
        mail(&addr, Mode::Implicit, &["a@example.cn"], PASSWORD),
        &Trust::public(),
    )
    .await;
    // A certificate may be fixed (or the bundle configured): retried later.
    assert_eq!(
        (status.as_str(), attempts, next),
        ("pending", 1, NOW + RETRY_AFTER_MS[0])
    );
    assert!(error.contains("TLS"), "{error}");
    assert!(inbox.mails().is_empty());
}

#[tokio::test]
async fn a_wrong_password_is_a_permanent_failure_and_is_not_retried() {
    let db = fresh_db().await.unwrap();
    let (addr, inbox) = mail_server::start(Mode::StartTls).await;
    let (status, attempts, _, error) = send_once(
        &db,
        mail(&addr, Mode::StartTls, &["a@example.cn"], "wrong"),
        &private_ca(),
    )
    .await;
    assert_eq!((status.as_str(), attempts), ("failed", 1), "{error}");
    assert!(error.contains("永久错误") && error.contains("535"), "{error}");
    assert!(!error.contains("wrong"), "the password never appears: {error}");
    // The job does not try it again, whenever it runs.
    let client = Client::new(&private_ca()).unwrap();
    assert_eq!(notify::run_once(&db, NOW + 86_400_000, &client).await.unwrap(), 0);
    assert_eq!(inbox.sessions(), 1);
}

#[tokio::test]
async fn an_unknown_recipient_fails_for_good_and_a_full_mailbox_is_retried() {
    let db = fresh_db().await.unwrap();
    let (addr, _) = mail_server::start(Mode::StartTls).await;
    let (status, attempts, _, error) = send_once(
        &db,
        mail(&addr, Mode::StartTls, &["nobody@example.cn"], PASSWORD),
        &private_ca(),
    )
    .await;
    assert_eq!((status.as_str(), attempts), ("failed", 1), "{error}");
    assert!(error.contains("550"), "{error}");

    let db = fresh_db().await.unwrap();
    let (status, attempts, next, error) = send_once(
        &db,
        mail(&addr, Mode::StartTls, &["full@example.cn"], PASSWORD),
        &private_ca(),
    )
    .await;
    assert_eq!(
        (status.as_str(), attempts, next),
        ("pending", 1, NOW + RETRY_AFTER_MS[0]),
        "{error}"
    );
    assert!(error.contains("暂时") && error.contains("452"), "{error}");
}

#[tokio::test]
async fn a_bundle_without_certificates_is_refused_naming_the_setting() {
    for bad in [
        &b""[..],
        b"not a certificate",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ] {
        match Trust::with_bundle(bad) {
            Err(Error::Invalid { field, message }) => {
                assert_eq!(field, "ca_bundle");
                assert!(message.contains("PEM"), "{message}");
            }
            Err(e) => panic!("{e:?}"),
            Ok(_) => panic!("accepted {bad:?}"),
        }
    }
}

/// A private edition of the WeCom robot on HTTPS under the test CA: one
/// request answered `{"errcode":0}`.
async fn private_robot() -> String {
    let tls = mail_server::acceptor();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let tls = tls.clone();
            tokio::spawn(async move {
                let Ok(mut s) = tls.accept(tcp).await else { return };
                let mut buf = vec![0u8; 16 * 1024];
                let mut got = Vec::new();
                while let Ok(n) = s.read(&mut buf).await {
                    if n == 0 {
                        return;
                    }
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got);
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let len = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length: ")
                                    .map(|v| v.trim().parse::<usize>().unwrap())
                            })
                            .unwrap_or(0);
                        if body.len() >= len {
                            break;
                        }
                    }
                }
                let answer = r#"{"errcode":0,"errmsg":"ok"}"#;
                let _ = s
                    .write_all(format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len()).as_bytes())
                    .await;
                let _ = s.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}/cgi-bin/webhook/send?key=k")
}

#[tokio::test]
async fn a_private_robot_is_reached_only_with_the_private_ca() {
    let url = private_robot().await;
    let robot = ChannelInput {
        kind: "wecom".into(),
        name: "内网企业微信群".into(),
        base_url: url,
        enabled: true,
        ..ChannelInput::default()
    };
    let db = fresh_db().await.unwrap();
    let (status, _, _, error) = send_once(&db, robot.clone(), &Trust::public()).await;
    assert_eq!(status, "pending", "untrusted: {error}");
    let db = fresh_db().await.unwrap();
    let (status, attempts, _, error) = send_once(&db, robot, &private_ca()).await;
    assert_eq!((status.as_str(), attempts), ("sent", 1), "{error}");
}
