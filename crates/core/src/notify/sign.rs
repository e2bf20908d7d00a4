//! The vendors' webhook addresses and signatures (pure functions).
//!
//! - DingTalk custom robot (加签): `timestamp_ms + "\n" + secret` signed with
//!   HMAC-SHA256 keyed by the secret, Base64, URL-encoded, appended to the
//!   webhook as `&timestamp=…&sign=…`.
//! - Feishu / Lark custom bot (签名校验): HMAC-SHA256 keyed by
//!   `timestamp_seconds + "\n" + secret` over an empty message, Base64, sent
//!   in the JSON body with the timestamp.
//! - WeCom (企业微信) group robot: the vendor defines no signature; the
//!   webhook's `key` is the credential, so a channel's secret is that key.
//!
//! Private editions (政务钉钉, 政务微信, 飞书私有化) speak the same robot
//! protocol at another host: a channel's `base_url` is either the whole
//! webhook address or only that host; empty means the public service.
use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use sha2::Sha256;

pub const DINGTALK_HOST: &str = "https://oapi.dingtalk.com";
pub const WECOM_HOST: &str = "https://qyapi.weixin.qq.com";
pub const FEISHU_HOST: &str = "https://open.feishu.cn";

fn hmac_b64(key: &[u8], msg: &[u8]) -> String {
    // HMAC takes a key of any length, so this never fails.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(msg);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn url_encode(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// DingTalk's `sign` before URL encoding.
pub fn dingtalk_sign(timestamp_ms: i64, secret: &str) -> String {
    hmac_b64(secret.as_bytes(), format!("{timestamp_ms}\n{secret}").as_bytes())
}

/// Feishu's `sign` (goes in the body as is).
pub fn feishu_sign(timestamp_s: i64, secret: &str) -> String {
    hmac_b64(format!("{timestamp_s}\n{secret}").as_bytes(), b"")
}

fn host_or(base_url: &str, default: &str) -> String {
    let b = base_url.trim().trim_end_matches('/');
    if b.is_empty() {
        default.to_string()
    } else {
        b.to_string()
    }
}

fn join_query(url: &str, query: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{query}")
}

/// The address to post to: the webhook (from `base_url`, or the host plus
/// `token`), signed when a secret is set.
pub fn dingtalk_url(base_url: &str, token: &str, secret: &str, now_ms: i64) -> String {
    let webhook = if base_url.contains("access_token=") {
        base_url.trim().to_string()
    } else {
        format!(
            "{}/robot/send?access_token={}",
            host_or(base_url, DINGTALK_HOST),
            url_encode(token.trim())
        )
    };
    if secret.is_empty() {
        return webhook;
    }
    let sign = url_encode(&dingtalk_sign(now_ms, secret));
    join_query(&webhook, &format!("timestamp={now_ms}&sign={sign}"))
}

/// Feishu's webhook: `base_url` when it holds `/hook/`, else host + token.
pub fn feishu_url(base_url: &str, token: &str) -> String {
    if base_url.contains("/hook/") {
        base_url.trim().to_string()
    } else {
        format!(
            "{}/open-apis/bot/v2/hook/{}",
            host_or(base_url, FEISHU_HOST),
            url_encode(token.trim())
        )
    }
}

/// WeCom's webhook: `base_url` when it holds `key=`, else host + the key
/// (the channel's secret). WeCom has no signature; the key is the credential.
pub fn wecom_url(base_url: &str, key: &str) -> String {
    if base_url.contains("key=") {
        base_url.trim().to_string()
    } else {
        format!(
            "{}/cgi-bin/webhook/send?key={}",
            host_or(base_url, WECOM_HOST),
            url_encode(key.trim())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known answers, computed outside this code with a stock HMAC-SHA256.
    #[test]
    fn dingtalk_known_answer() {
        assert_eq!(
            dingtalk_sign(1_700_000_000_000, "SECabc"),
            "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM="
        );
        assert_eq!(
            dingtalk_url("", "tok", "SECabc", 1_700_000_000_000),
            "https://oapi.dingtalk.com/robot/send?access_token=tok&timestamp=1700000000000\
             &sign=jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D"
        );
    }

    #[test]
    fn feishu_known_answer() {
        assert_eq!(
            feishu_sign(1_700_000_000, "SECabc"),
            "XprR1de+0SSBnwWyU/4k6x2TL+Q2SJlM5NNEdAv7MWg="
        );
    }

    #[test]
    fn addresses_default_to_the_public_services() {
        assert_eq!(
            dingtalk_url("", "t", "", 1),
            "https://oapi.dingtalk.com/robot/send?access_token=t"
        );
        assert_eq!(
            dingtalk_url("https://oapi.example.gov.cn/robot/send?access_token=x", "", "", 1),
            "https://oapi.example.gov.cn/robot/send?access_token=x"
        );
        assert_eq!(
            dingtalk_url("https://ding.example.gov.cn/", "t", "", 1),
            "https://ding.example.gov.cn/robot/send?access_token=t"
        );
        assert_eq!(feishu_url("", "t"), "https://open.feishu.cn/open-apis/bot/v2/hook/t");
        assert_eq!(
            feishu_url("https://fs.example.cn/open-apis/bot/v2/hook/abc", ""),
            "https://fs.example.cn/open-apis/bot/v2/hook/abc"
        );
        assert_eq!(
            wecom_url("", "k+1"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k%2B1"
        );
        assert_eq!(
            wecom_url("https://wx.example.gov.cn", "k"),
            "https://wx.example.gov.cn/cgi-bin/webhook/send?key=k"
        );
    }
}
