//! Checks on what the admin typed for a channel, with Chinese messages.
use super::model::{ChannelInput, Kind, Settings};
use crate::text::{check, check_optional, TextKind};
use crate::{Error, Result};

/// A channel ready to store: (kind, name, base_url, secret, settings).
pub struct Checked {
    pub kind: Kind,
    pub name: String,
    pub base_url: String,
    pub secret: String,
    pub settings: Settings,
}

fn no_space(field: &str, v: &str) -> Result<()> {
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(field, "不能包含空格或换行"));
    }
    Ok(())
}

fn address(field: &str, v: &str) -> Result<String> {
    let v = v.trim();
    let ok = v.len() <= 254
        && v.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c));
    if ok {
        Ok(v.to_string())
    } else {
        Err(Error::invalid(field, format!("“{v}”不是有效的电子邮箱地址")))
    }
}

/// Checks `input` with the secret already merged (`secret`).
pub fn channel(input: &ChannelInput, secret: String) -> Result<Checked> {
    let kind = Kind::from_code(input.kind.trim()).ok_or_else(|| Error::invalid("渠道类型", "请选择渠道类型"))?;
    let name = check("渠道名称", &input.name, 40, TextKind::Name)?;
    let base_url = check_optional("地址", Some(&input.base_url), 500, TextKind::Free)?.unwrap_or_default();
    no_space("地址", &base_url)?;
    if secret.chars().count() > 500 || secret.chars().any(char::is_control) {
        return Err(Error::invalid("密钥", "过长或含有控制字符"));
    }
    let mut s = input.settings.clone();
    s.keyword = check_optional("关键词", Some(&s.keyword), 20, TextKind::Free)?.unwrap_or_default();
    s.token = s.token.trim().to_string();
    no_space("访问令牌", &s.token)?;
    if s.token.chars().count() > 200 {
        return Err(Error::invalid("访问令牌", "过长"));
    }
    if kind == Kind::Email {
        if base_url.is_empty() {
            return Err(Error::invalid("邮件服务器", "请填写，如 smtp.example.gov.cn:465"));
        }
        if s.tls && s.starttls {
            return Err(Error::invalid("加密方式", "SSL/TLS 与 STARTTLS 只能选一种"));
        }
        s.from = address("发件人", &s.from)?;
        s.to =
            s.to.iter()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(|t| address("收件人", t))
                .collect::<Result<_>>()?;
        if s.to.is_empty() || s.to.len() > 50 {
            return Err(Error::invalid("收件人", "请填写 1 到 50 个收件人"));
        }
        s.username = check_optional("用户名", Some(&s.username), 100, TextKind::Free)?.unwrap_or_default();
        no_space("用户名", &s.username)?;
        s.token.clear();
        s.keyword.clear();
    } else {
        if !(base_url.is_empty() || base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(Error::invalid("Webhook 地址", "应以 https:// 或 http:// 开头"));
        }
        let has_token = match kind {
            Kind::DingTalk => base_url.contains("access_token=") || !s.token.is_empty(),
            Kind::Feishu => base_url.contains("/hook/") || !s.token.is_empty(),
            _ => base_url.contains("key=") || !secret.is_empty(),
        };
        if !has_token {
            let what = match kind {
                Kind::WeCom => "请填写完整的 Webhook 地址，或在“密钥”中填写 Webhook 的 key",
                _ => "请填写完整的 Webhook 地址，或填写访问令牌",
            };
            return Err(Error::invalid("Webhook 地址", what));
        }
        s.from.clear();
        s.to.clear();
        s.username.clear();
        s.tls = false;
        s.starttls = false;
    }
    Ok(Checked {
        kind,
        name,
        base_url,
        secret,
        settings: s,
    })
}
