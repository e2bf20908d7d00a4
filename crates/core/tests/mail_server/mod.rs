//! A local SMTP server for the mail tests: plain, STARTTLS or implicit TLS
//! (a certificate of the test CA in tests/fixtures/tls), AUTH PLAIN and
//! LOGIN for one account (before STARTTLS only 538), and recipients that answer the way real servers
//! refuse: `full@…` a transient 452, `nobody@…` a permanent 550.
#![allow(dead_code)] // each test binary uses part of it

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

pub const USER: &str = "notice@example.cn";
pub const PASSWORD: &str = "mail-pass";
pub const CA: &[u8] = include_bytes!("../fixtures/tls/ca.pem");
const CERT: &[u8] = include_bytes!("../fixtures/tls/server.pem");
const KEY: &[u8] = include_bytes!("../fixtures/tls/server.key");

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Plain,
    StartTls,
    Implicit,
}

/// One accepted message: the envelope, who logged in, whether the session
/// was encrypted, and the DATA as sent (dots unstuffed).
#[derive(Clone, Debug)]
pub struct Mail {
    pub rcpts: Vec<String>,
    pub user: Option<String>,
    pub secure: bool,
    pub data: String,
}

#[derive(Clone, Default)]
pub struct Inbox {
    pub mails: Arc<Mutex<Vec<Mail>>>,
    pub sessions: Arc<AtomicUsize>,
}

impl Inbox {
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
    pub fn sessions(&self) -> usize {
        self.sessions.load(Ordering::SeqCst)
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// TLS under the test CA's certificate for localhost and 127.0.0.1.
pub fn acceptor() -> TlsAcceptor {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(CERT).map(|c| c.unwrap()).collect();
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let cfg = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    TlsAcceptor::from(Arc::new(cfg))
}

/// Starts a server offering AUTH PLAIN and LOGIN; returns its
/// `127.0.0.1:port` and its inbox.
pub async fn start(mode: Mode) -> (String, Inbox) {
    start_offering(mode, "PLAIN LOGIN").await
}

/// A server offering only the AUTH mechanisms `auth` (e.g. "LOGIN").
pub async fn start_offering(mode: Mode, auth: &'static str) -> (String, Inbox) {
    let inbox = Inbox::default();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let tls = acceptor();
    let rx = inbox.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (rx, tls) = (rx.clone(), tls.clone());
            rx.sessions.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let io: Box<dyn Io> = if mode == Mode::Implicit {
                    match tls.accept(tcp).await {
                        Ok(s) => Box::new(s),
                        Err(_) => return,
                    }
                } else {
                    Box::new(tcp)
                };
                session(io, mode == Mode::Implicit, mode, auth, tls, rx).await;
            });
        }
    });
    (addr, inbox)
}

async fn line(r: &mut BufReader<Box<dyn Io>>) -> Option<String> {
    let mut l = String::new();
    match r.read_line(&mut l).await {
        Ok(n) if n > 0 => Some(l.trim_end_matches(['\r', '\n']).to_string()),
        _ => None,
    }
}

async fn say(r: &mut BufReader<Box<dyn Io>>, text: &str) -> Option<()> {
    let w = r.get_mut();
    w.write_all(text.as_bytes()).await.ok()?;
    w.flush().await.ok()
}

fn plain_ok(token: &str) -> Option<String> {
    let raw = B64.decode(token.trim()).ok()?;
    let parts: Vec<&[u8]> = raw.split(|b| *b == 0).collect();
    (parts.len() == 3 && parts[1] == USER.as_bytes() && parts[2] == PASSWORD.as_bytes()).then(|| USER.to_string())
}

fn b64_is(token: &str, want: &str) -> bool {
    B64.decode(token.trim()).ok().as_deref() == Some(want.as_bytes())
}

async fn session(io: Box<dyn Io>, mut secure: bool, mode: Mode, auth: &str, tls: TlsAcceptor, rx: Inbox) {
    let mut r = BufReader::new(io);
    let mut user: Option<String> = None;
    let mut rcpts = Vec::new();
    if say(&mut r, "220 mail.example.cn ESMTP\r\n").await.is_none() {
        return;
    }
    while let Some(cmd) = line(&mut r).await {
        let upper = cmd.to_ascii_uppercase();
        let reply = if upper.starts_with("EHLO") {
            if mode == Mode::StartTls && !secure {
                "250-mail.example.cn\r\n250-8BITMIME\r\n250 STARTTLS\r\n".to_string()
            } else {
                format!("250-mail.example.cn\r\n250-8BITMIME\r\n250 AUTH {auth}\r\n")
            }
        } else if upper == "STARTTLS" && mode == Mode::StartTls && !secure {
            if say(&mut r, "220 2.0.0 Ready to start TLS\r\n").await.is_none() {
                return;
            }
            let inner = r.into_inner();
            // A Box<dyn Io> is itself Io, so the upgraded stream nests.
            match tls.accept(inner).await {
                Ok(s) => {
                    r = BufReader::new(Box::new(s));
                    secure = true;
                    continue;
                }
                Err(_) => return,
            }
        } else if upper.starts_with("AUTH") && mode == Mode::StartTls && !secure {
            "538 5.7.11 Encryption required for requested authentication mechanism\r\n".into()
        } else if upper.starts_with("AUTH") && !auth.split(' ').any(|m| upper[5..].starts_with(m)) {
            "504 5.5.4 Unrecognized authentication type\r\n".into()
        } else if upper.starts_with("AUTH PLAIN") {
            let token = match cmd.get(11..).filter(|t| !t.trim().is_empty()) {
                Some(t) => t.to_string(),
                None => {
                    if say(&mut r, "334 \r\n").await.is_none() {
                        return;
                    }
                    line(&mut r).await.unwrap_or_default()
                }
            };
            user = plain_ok(&token);
            if user.is_some() {
                "235 2.7.0 Authentication successful\r\n".into()
            } else {
                "535 5.7.8 Authentication credentials invalid\r\n".into()
            }
        } else if upper.starts_with("AUTH LOGIN") {
            if say(&mut r, "334 VXNlcm5hbWU6\r\n").await.is_none() {
                return;
            }
            let name = line(&mut r).await.unwrap_or_default();
            if say(&mut r, "334 UGFzc3dvcmQ6\r\n").await.is_none() {
                return;
            }
            let pass = line(&mut r).await.unwrap_or_default();
            if b64_is(&name, USER) && b64_is(&pass, PASSWORD) {
                user = Some(USER.to_string());
                "235 2.7.0 Authentication successful\r\n".into()
            } else {
                "535 5.7.8 Authentication credentials invalid\r\n".into()
            }
        } else if upper.starts_with("MAIL FROM:") {
            if user.is_none() {
                "530 5.7.0 Authentication required\r\n".into()
            } else {
                rcpts.clear();
                "250 2.1.0 OK\r\n".into()
            }
        } else if upper.starts_with("RCPT TO:") {
            let to = cmd[8..].trim().trim_matches(['<', '>']).to_string();
            if to.starts_with("full@") {
                "452 4.2.2 Mailbox full, try again later\r\n".into()
            } else if to.starts_with("nobody@") {
                "550 5.1.1 No such user\r\n".into()
            } else {
                rcpts.push(to);
                "250 2.1.5 OK\r\n".into()
            }
        } else if upper == "DATA" {
            if say(&mut r, "354 End data with <CR><LF>.<CR><LF>\r\n").await.is_none() {
                return;
            }
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).await.unwrap_or(0) == 0 {
                    return;
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
            }
            rx.mails.lock().unwrap().push(Mail {
                rcpts: rcpts.clone(),
                user: user.clone(),
                secure,
                data,
            });
            "250 2.0.0 OK queued as 1\r\n".into()
        } else if upper == "RSET" || upper == "NOOP" {
            "250 2.0.0 OK\r\n".into()
        } else if upper == "QUIT" {
            let _ = say(&mut r, "221 2.0.0 Bye\r\n").await;
            return;
        } else {
            "502 5.5.2 Command not recognized\r\n".into()
        };
        if say(&mut r, &reply).await.is_none() {
            return;
        }
    }
}

/// The Subject header, its encoded words decoded (B or Q, any case).
pub fn subject(data: &str) -> String {
    let head = data.split("\r\n\r\n").next().unwrap_or("");
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let raw = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or("")
        .to_string();
    let mut out = Vec::new();
    for w in raw.split(' ') {
        let lower = w.to_ascii_lowercase();
        if let Some(b) = lower.strip_prefix("=?utf-8?b?").map(|_| &w[10..w.len() - 2]) {
            out.extend(B64.decode(b).unwrap());
        } else if lower.starts_with("=?utf-8?q?") {
            out.extend(quoted(&w[10..w.len() - 2].replace('_', " ")));
        } else {
            out.extend(w.as_bytes());
        }
    }
    String::from_utf8(out).unwrap()
}

fn quoted(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && b.get(i + 1) == Some(&b'\r') {
            i += 3;
        } else if b[i] == b'=' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// The body, decoded from its Content-Transfer-Encoding, with CRLF as LF.
pub fn body(data: &str) -> String {
    let (head, body) = data.split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    let bytes = if head.contains("content-transfer-encoding: base64") {
        B64.decode(body.replace("\r\n", "")).unwrap()
    } else if head.contains("content-transfer-encoding: quoted-printable") {
        quoted(body)
    } else {
        body.as_bytes().to_vec()
    };
    String::from_utf8(bytes)
        .unwrap()
        .replace("\r\n", "\n")
        .trim_end_matches('\n')
        .to_string()
}
