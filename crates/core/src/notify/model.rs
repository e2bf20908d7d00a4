use serde::{Deserialize, Serialize};

/// Where a channel delivers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    DingTalk,
    WeCom,
    Feishu,
    Email,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::DingTalk, Kind::WeCom, Kind::Feishu, Kind::Email];

    pub fn code(self) -> &'static str {
        match self {
            Kind::DingTalk => "dingtalk",
            Kind::WeCom => "wecom",
            Kind::Feishu => "feishu",
            Kind::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::DingTalk => "钉钉群机器人",
            Kind::WeCom => "企业微信群机器人",
            Kind::Feishu => "飞书群机器人",
            Kind::Email => "电子邮件",
        }
    }

    pub fn from_code(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// A channel's settings (stored as JSON). E-mail uses `from`, `to`,
/// `username`, `starttls` and `tls`; robots use `token` (the webhook's
/// access token when `base_url` is only a host) and `keyword` (自定义关键词:
/// added to a message that lacks it, for robots that require one).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub from: String,
    pub to: Vec<String>,
    pub username: String,
    /// Upgrade the connection with STARTTLS (port 587 or 25).
    pub starttls: bool,
    /// TLS from the first byte (port 465).
    pub tls: bool,
    pub token: String,
    pub keyword: String,
}

impl Settings {
    pub fn parse(json: &str) -> Settings {
        serde_json::from_str(json).unwrap_or_default()
    }
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// A channel as stored, secret included: for the sender only.
#[derive(Clone, Debug)]
pub struct Channel {
    pub id: String,
    pub org_id: Option<String>,
    pub kind: Kind,
    pub name: String,
    pub base_url: String,
    pub secret: String,
    pub settings: Settings,
    pub enabled: bool,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A channel as lists and pages show it: no secret, tokens in URLs masked.
#[derive(Clone, Debug, Serialize)]
pub struct ChannelView {
    pub id: String,
    pub org_id: Option<String>,
    pub kind: Kind,
    pub kind_label: &'static str,
    pub name: String,
    pub base_url: String,
    /// 已设置 or 未设置.
    pub secret: &'static str,
    pub settings: Settings,
    pub enabled: bool,
    pub updated_at: i64,
}

impl Channel {
    pub fn view(&self) -> ChannelView {
        let mut settings = self.settings.clone();
        if !settings.token.is_empty() {
            settings.token = MASK.into();
        }
        ChannelView {
            id: self.id.clone(),
            org_id: self.org_id.clone(),
            kind: self.kind,
            kind_label: self.kind.label(),
            name: self.name.clone(),
            base_url: mask_url(&self.base_url),
            secret: if self.secret.is_empty() {
                "未设置"
            } else {
                "已设置"
            },
            settings,
            enabled: self.enabled,
            updated_at: self.updated_at,
        }
    }
}

pub const MASK: &str = "******";

/// Hides the credential a webhook URL carries: `access_token=` and `key=`
/// values, and the token after Feishu's `/hook/`.
pub fn mask_url(url: &str) -> String {
    let mut out = url.to_string();
    for marker in ["access_token=", "key=", "/hook/"] {
        if let Some(i) = out.find(marker) {
            let start = i + marker.len();
            let end = out[start..].find(['&', '/', '?', '#']).map_or(out.len(), |j| start + j);
            if end > start {
                out.replace_range(start..end, MASK);
            }
        }
    }
    out
}

/// What the admin fills in. `secret: None` keeps the stored secret.
#[derive(Clone, Debug, Default)]
pub struct ChannelInput {
    pub org_id: Option<String>,
    pub kind: String,
    pub name: String,
    pub base_url: String,
    pub secret: Option<String>,
    pub settings: Settings,
    pub enabled: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Sent,
    Failed,
}

impl Status {
    pub fn from_code(s: &str) -> Status {
        match s {
            "sent" => Status::Sent,
            "failed" => Status::Failed,
            _ => Status::Pending,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "待发送",
            Status::Sent => "已发送",
            Status::Failed => "发送失败",
        }
    }
}

/// One queued message.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct OutboxItem {
    pub id: String,
    pub channel_id: String,
    pub dedupe_key: String,
    pub title: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub channel_name: String,
}

impl OutboxItem {
    pub fn status(&self) -> Status {
        Status::from_code(&self.status)
    }
}

/// One send: what the receiver answered.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Attempt {
    pub id: String,
    pub outbox_id: String,
    pub at: i64,
    pub ok: bool,
    pub status_code: Option<i64>,
    pub response: String,
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_tokens_are_masked() {
        assert_eq!(
            mask_url("https://oapi.dingtalk.com/robot/send?access_token=abc123"),
            "https://oapi.dingtalk.com/robot/send?access_token=******"
        );
        assert_eq!(
            mask_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1&x=1"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=******&x=1"
        );
        assert_eq!(
            mask_url("https://open.feishu.cn/open-apis/bot/v2/hook/tok"),
            "https://open.feishu.cn/open-apis/bot/v2/hook/******"
        );
        assert_eq!(mask_url("smtp.example.cn:465"), "smtp.example.cn:465");
    }
}
