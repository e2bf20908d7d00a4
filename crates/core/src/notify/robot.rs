//! Group robots: the request each vendor expects and how to read its answer.
use super::model::{Channel, Kind};
use super::sign;
use serde_json::{json, Value};

/// The text with the robot's keyword (自定义关键词) added when it is missing.
fn with_keyword(ch: &Channel, text: String) -> String {
    let k = ch.settings.keyword.trim();
    if k.is_empty() || text.contains(k) {
        text
    } else {
        format!("{text}\n\n【{k}】")
    }
}

/// The address and JSON body for a robot channel, signed at `now_ms`.
/// `None` for an e-mail channel.
pub fn request(ch: &Channel, title: &str, body: &str, now_ms: i64) -> Option<(String, Value)> {
    let token = &ch.settings.token;
    match ch.kind {
        Kind::DingTalk => {
            let url = sign::dingtalk_url(&ch.base_url, token, &ch.secret, now_ms);
            let text = with_keyword(ch, format!("### {title}\n\n{body}"));
            Some((
                url,
                json!({"msgtype": "markdown", "markdown": {"title": title, "text": text}}),
            ))
        }
        Kind::WeCom => {
            let url = sign::wecom_url(&ch.base_url, &ch.secret);
            let content = with_keyword(ch, format!("**{title}**\n{body}"));
            Some((url, json!({"msgtype": "markdown", "markdown": {"content": content}})))
        }
        Kind::Feishu => {
            let url = sign::feishu_url(&ch.base_url, token);
            let text = with_keyword(ch, format!("{title}\n{body}"));
            let mut v = json!({"msg_type": "text", "content": {"text": text}});
            if !ch.secret.is_empty() {
                let ts = now_ms.div_euclid(1000);
                v["timestamp"] = json!(ts.to_string());
                v["sign"] = json!(sign::feishu_sign(ts, &ch.secret));
            }
            Some((url, v))
        }
        Kind::Email => None,
    }
}

/// Whether the vendor accepted the message: DingTalk and WeCom answer
/// `{"errcode":0}`, Feishu `{"code":0}` (older versions `{"StatusCode":0}`).
/// An error carries the vendor's code and message.
pub fn judge(kind: Kind, http_status: u16, text: &str) -> Result<(), String> {
    if !(200..300).contains(&http_status) {
        return Err(format!("HTTP {http_status}"));
    }
    let v: Value = serde_json::from_str(text).map_err(|_| "应答不是 JSON".to_string())?;
    let (code, msg) = match kind {
        Kind::Feishu => {
            let code = v.get("code").or_else(|| v.get("StatusCode"));
            let msg = v.get("msg").or_else(|| v.get("StatusMessage"));
            (code, msg)
        }
        _ => (v.get("errcode"), v.get("errmsg")),
    };
    match code.and_then(Value::as_i64) {
        Some(0) => Ok(()),
        Some(c) => Err(format!(
            "错误码 {c}：{}",
            msg.and_then(Value::as_str).unwrap_or("（无说明）")
        )),
        None => Err("应答中没有错误码".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_answers() {
        assert!(judge(Kind::DingTalk, 200, r#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        assert_eq!(
            judge(Kind::DingTalk, 200, r#"{"errcode":310000,"errmsg":"sign not match"}"#),
            Err("错误码 310000：sign not match".into())
        );
        assert!(judge(Kind::WeCom, 200, r#"{"errcode":0}"#).is_ok());
        assert!(judge(Kind::Feishu, 200, r#"{"code":0,"msg":"success"}"#).is_ok());
        assert!(judge(Kind::Feishu, 200, r#"{"StatusCode":0}"#).is_ok());
        assert!(judge(Kind::Feishu, 200, r#"{"code":19021,"msg":"sign match fail"}"#).is_err());
        assert!(judge(Kind::Feishu, 502, "").is_err());
        assert!(judge(Kind::WeCom, 200, "<html>").is_err());
    }
}
