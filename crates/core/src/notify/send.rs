//! One send over one channel: HTTPS to a robot, or SMTP. Nothing here logs
//! or returns a secret.
use super::model::{Channel, Kind};
use super::trust::Trust;
use super::{robot, smtp};
use crate::rules::notify::{RESPONSE_CHARS, TIMEOUT_SECONDS};
use crate::{Error, Result};
use std::time::Duration;

/// The connections senders share: an HTTP client (rustls, the Mozilla
/// roots and the private CA bundle when one is configured) and the same
/// trust for SMTP.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    trust: Trust,
}

impl Client {
    pub fn new(trust: &Trust) -> Result<Client> {
        let mut http = reqwest::Client::builder()
            .timeout(Duration::from_secs(TIMEOUT_SECONDS))
            .connect_timeout(Duration::from_secs(TIMEOUT_SECONDS))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("tongpin-notify");
        for cert in trust.http_roots() {
            http = http.add_root_certificate(cert);
        }
        let http = http.build().map_err(|e| Error::internal("无法创建 HTTP 客户端", e))?;
        Ok(Client {
            http,
            trust: trust.clone(),
        })
    }
}

/// What one attempt came to.
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    pub ok: bool,
    /// Trying again cannot help (an SMTP 5xx reply): the message fails now.
    pub permanent: bool,
    /// HTTP status, or the SMTP reply code.
    pub status_code: Option<i64>,
    /// The receiver's answer, truncated.
    pub response: String,
    pub error: String,
}

fn cut(s: &str) -> String {
    s.chars().take(RESPONSE_CHARS).collect()
}

/// Sends one message now over `ch`.
pub async fn deliver(client: &Client, ch: &Channel, title: &str, body: &str, now_ms: i64) -> Delivery {
    match robot::request(ch, title, body, now_ms) {
        Some((url, json)) => post(client, ch.kind, &url, &json).await,
        None => email(client, ch, title, body).await,
    }
}

async fn post(client: &Client, kind: Kind, url: &str, json: &serde_json::Value) -> Delivery {
    let sent = client
        .http
        .post(url)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(json.to_string())
        .send()
        .await;
    let resp = match sent {
        Ok(r) => r,
        // reqwest's error text names the URL, which carries the token.
        Err(e) => {
            let why = if e.is_timeout() {
                "请求超时"
            } else if e.is_connect() {
                "无法连接"
            } else {
                "请求失败"
            };
            return Delivery {
                error: why.into(),
                ..Delivery::default()
            };
        }
    };
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    let verdict = robot::judge(kind, status, &text);
    Delivery {
        ok: verdict.is_ok(),
        permanent: false,
        status_code: Some(i64::from(status)),
        response: cut(&text),
        error: verdict.err().map(|e| cut(&e)).unwrap_or_default(),
    }
}

async fn email(client: &Client, ch: &Channel, title: &str, body: &str) -> Delivery {
    match smtp::send(&client.trust, &ch.base_url, &ch.settings, &ch.secret, title, body).await {
        Ok(reply) => Delivery {
            ok: true,
            status_code: Some(250),
            response: cut(&reply),
            ..Delivery::default()
        },
        Err(e) => Delivery {
            permanent: e.permanent,
            status_code: e.code,
            error: cut(&e.message),
            ..Delivery::default()
        },
    }
}
