//! E-mail over SMTP through lettre: implicit TLS (465), STARTTLS or plain,
//! AUTH PLAIN or LOGIN, one message to several recipients. The password is
//! sent only over TLS, or to a server on this machine.
use super::model::Settings;
use super::trust::Trust;
use crate::rules::notify::TIMEOUT_SECONDS;
use lettre::message::header::{ContentType, MIME_VERSION_1_0};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// A failed delivery: the server's reply code when it gave one, and whether
/// trying again cannot help (a 5xx reply, or a message that cannot be built).
#[derive(Debug)]
pub struct SmtpError {
    pub code: Option<i64>,
    pub permanent: bool,
    pub message: String,
}

fn refused(message: impl Into<String>) -> SmtpError {
    SmtpError {
        code: None,
        permanent: true,
        message: message.into(),
    }
}

/// `host:port`, `host` (port from the TLS mode), with `smtp://`/`smtps://` allowed.
pub fn host_port(base_url: &str, s: &Settings) -> (String, u16) {
    let b = base_url.trim();
    let b = b
        .strip_prefix("smtps://")
        .or_else(|| b.strip_prefix("smtp://"))
        .unwrap_or(b);
    let b = b.trim_end_matches('/');
    let default = if s.tls {
        465
    } else if s.starttls {
        587
    } else {
        25
    };
    match b.rsplit_once(':') {
        Some((h, p)) if !h.contains(']') || h.ends_with(']') => match p.parse() {
            Ok(port) => (h.trim_matches(['[', ']']).to_string(), port),
            Err(_) => (b.to_string(), default),
        },
        _ => (b.trim_matches(['[', ']']).to_string(), default),
    }
}

fn local(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

fn mailbox(addr: &str, field: &str) -> Result<Mailbox, SmtpError> {
    addr.parse()
        .map_err(|_| refused(format!("{field}地址「{addr}」不是有效的邮箱地址")))
}

/// The message: UTF-8 subject as encoded words, text/plain body in the
/// encoding lettre picks, Date and Message-ID set.
pub fn message(s: &Settings, subject: &str, body: &str) -> Result<Message, SmtpError> {
    let domain = s.from.rsplit_once('@').map_or("localhost", |(_, d)| d);
    let mut b = Message::builder()
        .from(mailbox(&s.from, "发件人")?)
        .subject(subject)
        .message_id(Some(format!("<{}@{domain}>", crate::ids::new_id())));
    for to in &s.to {
        b = b.to(mailbox(to, "收件人")?);
    }
    b.header(MIME_VERSION_1_0)
        .header(ContentType::TEXT_PLAIN)
        .body(body.replace("\r\n", "\n"))
        .map_err(|e| refused(format!("邮件无法生成：{e}")))
}

fn transport(
    host: &str,
    port: u16,
    s: &Settings,
    password: &str,
    trust: &Trust,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SmtpError> {
    let mut params = TlsParameters::builder(host.to_string());
    if let Some(roots) = trust.mail_roots() {
        params = params.add_root_certificate(roots);
    }
    let params = params
        .build_rustls()
        .map_err(|e| refused(format!("TLS 设置无效：{e}")))?;
    let tls = if s.tls {
        Tls::Wrapper(params)
    } else if s.starttls {
        Tls::Required(params)
    } else {
        Tls::None
    };
    let mut t = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .tls(tls)
        .hello_name(ClientId::Domain("tongpin.localdomain".into()))
        .timeout(Some(Duration::from_secs(TIMEOUT_SECONDS)));
    if !s.username.is_empty() {
        if !s.tls && !s.starttls && !local(host) {
            return Err(refused("未启用 TLS 或 STARTTLS，不通过明文连接发送邮箱密码"));
        }
        t = t
            .credentials(Credentials::new(s.username.clone(), password.to_string()))
            .authentication(vec![Mechanism::Plain, Mechanism::Login]);
    }
    Ok(t.build())
}

/// Delivers the message and returns the server's reply.
pub async fn send(
    trust: &Trust,
    base_url: &str,
    s: &Settings,
    password: &str,
    subject: &str,
    body: &str,
) -> Result<String, SmtpError> {
    let (host, port) = host_port(base_url, s);
    let msg = message(s, subject, body)?;
    let t = transport(&host, port, s, password, trust)?;
    match t.send(msg).await {
        Ok(r) => Ok(format!("{} {}", r.code(), r.message().collect::<Vec<_>>().join(" "))),
        Err(e) => Err(explain(&e)),
    }
}

/// Whether a certificate or handshake failure lies under the error (lettre
/// reports one during an implicit-TLS connect as a connection error).
fn tls_failure(e: &lettre::transport::smtp::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        let inner = s.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref());
        if s.is::<rustls::Error>() || inner.is_some_and(|i| i.is::<rustls::Error>()) {
            return true;
        }
        source = s.source();
    }
    false
}

/// The error in Chinese; lettre's own text (never the credentials) follows.
fn explain(e: &lettre::transport::smtp::Error) -> SmtpError {
    let code = e.status().map(|c| i64::from(u16::from(c)));
    let why = if e.is_permanent() {
        "邮件服务器拒绝（永久错误，不再重试）"
    } else if e.is_transient() {
        "邮件服务器暂时拒绝"
    } else if e.is_timeout() {
        "连接或应答超时"
    } else if e.is_tls() || tls_failure(e) {
        "TLS 握手失败（证书不受信任时可配置私有 CA 证书）"
    } else if e.is_response() {
        "邮件服务器应答不合规范"
    } else {
        "无法连接邮件服务器"
    };
    SmtpError {
        code,
        permanent: e.is_permanent(),
        message: format!("{why}：{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let plain = Settings::default();
        let tls = Settings {
            tls: true,
            ..Settings::default()
        };
        assert_eq!(host_port("smtp.x.cn:2525", &plain), ("smtp.x.cn".into(), 2525));
        assert_eq!(host_port("smtp.x.cn", &plain), ("smtp.x.cn".into(), 25));
        assert_eq!(host_port("smtps://smtp.x.cn", &tls), ("smtp.x.cn".into(), 465));
        assert_eq!(host_port("[::1]:25", &plain), ("::1".into(), 25));
    }

    #[test]
    fn a_bad_address_is_refused_for_good() {
        let s = Settings {
            from: "不是地址".into(),
            to: vec!["a@x.cn".into()],
            ..Settings::default()
        };
        let e = message(&s, "通知", "正文").unwrap_err();
        assert!(e.permanent && e.message.contains("发件人"), "{e:?}");
    }
}
