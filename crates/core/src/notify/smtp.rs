//! A small SMTP client (RFC 5321): implicit TLS (465) or STARTTLS, AUTH
//! PLAIN or LOGIN, one message to several recipients. The password is sent
//! only over TLS, or to a server on this machine.
use super::mail::dot_stuff;
use super::model::Settings;
use crate::rules::notify::TIMEOUT_SECONDS;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::ClientConfig;
use tokio_rustls::TlsConnector;

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// A failed exchange: the server's reply code when it gave one.
#[derive(Debug)]
pub struct SmtpError {
    pub code: Option<i64>,
    pub message: String,
}

fn err(message: impl Into<String>) -> SmtpError {
    SmtpError {
        code: None,
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

struct Conn {
    io: BufReader<Box<dyn Io>>,
}

impl Conn {
    async fn reply(&mut self) -> Result<(i64, String), SmtpError> {
        let mut text = Vec::new();
        loop {
            let mut line = String::new();
            let n = timeout(Duration::from_secs(TIMEOUT_SECONDS), self.io.read_line(&mut line))
                .await
                .map_err(|_| err("邮件服务器应答超时"))?
                .map_err(|e| err(format!("读取失败：{e}")))?;
            if n == 0 || line.len() < 3 || line.len() > 4096 {
                return Err(err("邮件服务器断开连接或应答不合规范"));
            }
            let code: i64 = line[..3].parse().map_err(|_| err("邮件服务器应答不合规范"))?;
            text.push(line.get(4..).unwrap_or("").trim_end().to_string());
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok((code, text.join("\n")));
            }
            if text.len() > 100 {
                return Err(err("邮件服务器应答过长"));
            }
        }
    }

    async fn send(&mut self, line: &str) -> Result<(), SmtpError> {
        let io = self.io.get_mut();
        timeout(Duration::from_secs(TIMEOUT_SECONDS), async {
            io.write_all(line.as_bytes()).await?;
            io.flush().await
        })
        .await
        .map_err(|_| err("写入邮件服务器超时"))?
        .map_err(|e| err(format!("写入失败：{e}")))
    }

    /// Sends a command and expects one of `ok` codes. `shown` replaces the
    /// command in error messages (credentials are never echoed).
    async fn cmd(&mut self, line: &str, ok: &[i64], shown: &str) -> Result<String, SmtpError> {
        self.send(&format!("{line}\r\n")).await?;
        let (code, text) = self.reply().await?;
        if ok.contains(&code) {
            Ok(text)
        } else {
            Err(SmtpError {
                code: Some(code),
                message: format!("{shown} 被拒绝：{code} {text}"),
            })
        }
    }
}

async fn tls(cfg: &Arc<ClientConfig>, host: &str, tcp: Box<dyn Io>) -> Result<Box<dyn Io>, SmtpError> {
    let name = ServerName::try_from(host.to_string()).map_err(|_| err("邮件服务器地址无效"))?;
    let s = timeout(
        Duration::from_secs(TIMEOUT_SECONDS),
        TlsConnector::from(cfg.clone()).connect(name, tcp),
    )
    .await
    .map_err(|_| err("TLS 握手超时"))?
    .map_err(|e| err(format!("TLS 握手失败：{e}")))?;
    Ok(Box::new(s))
}

fn local(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

/// Delivers `message` (already built) and returns the server's last reply.
pub async fn send(
    cfg: &Arc<ClientConfig>,
    base_url: &str,
    s: &Settings,
    password: &str,
    message: &str,
) -> Result<String, SmtpError> {
    let (host, port) = host_port(base_url, s);
    let tcp = timeout(
        Duration::from_secs(TIMEOUT_SECONDS),
        TcpStream::connect((host.as_str(), port)),
    )
    .await
    .map_err(|_| err("连接邮件服务器超时"))?
    .map_err(|e| err(format!("无法连接邮件服务器：{e}")))?;
    let mut io: Box<dyn Io> = Box::new(tcp);
    let mut secure = false;
    if s.tls {
        io = tls(cfg, &host, io).await?;
        secure = true;
    }
    let mut c = Conn { io: BufReader::new(io) };
    let (code, text) = c.reply().await?;
    if code != 220 {
        return Err(SmtpError {
            code: Some(code),
            message: format!("邮件服务器拒绝连接：{code} {text}"),
        });
    }
    let mut caps = c.cmd("EHLO tongpin.localdomain", &[250], "EHLO").await?;
    if s.starttls && !s.tls {
        c.cmd("STARTTLS", &[220], "STARTTLS").await?;
        let inner = c.io.into_inner();
        c = Conn {
            io: BufReader::new(tls(cfg, &host, inner).await?),
        };
        secure = true;
        caps = c.cmd("EHLO tongpin.localdomain", &[250], "EHLO").await?;
    }
    if !s.username.is_empty() {
        if !secure && !local(&host) {
            return Err(err("未启用 TLS 或 STARTTLS，不通过明文连接发送邮箱密码"));
        }
        let auth = caps
            .lines()
            .find(|l| l.to_ascii_uppercase().starts_with("AUTH"))
            .unwrap_or("")
            .to_ascii_uppercase();
        if auth.contains("PLAIN") || !auth.contains("LOGIN") {
            let token = B64.encode(format!("\0{}\0{password}", s.username));
            c.cmd(
                &format!("AUTH PLAIN {token}"),
                &[235],
                "AUTH PLAIN（用户名或密码错误？）",
            )
            .await?;
        } else {
            c.cmd("AUTH LOGIN", &[334], "AUTH LOGIN").await?;
            c.cmd(&B64.encode(&s.username), &[334], "AUTH LOGIN 用户名").await?;
            c.cmd(&B64.encode(password), &[235], "AUTH LOGIN（用户名或密码错误？）")
                .await?;
        }
    }
    c.cmd(&format!("MAIL FROM:<{}>", s.from), &[250], "MAIL FROM").await?;
    for to in &s.to {
        c.cmd(&format!("RCPT TO:<{to}>"), &[250, 251], &format!("收件人 {to}"))
            .await?;
    }
    c.cmd("DATA", &[354], "DATA").await?;
    c.send(&dot_stuff(message)).await?;
    let done = c.cmd(".", &[250], "邮件内容").await?;
    // The message is accepted; a failed goodbye changes nothing.
    let _ = c.cmd("QUIT", &[221], "QUIT").await;
    Ok(format!("250 {done}"))
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
}
