//! The channel form: every field as text, turned into a `ChannelInput`.
use serde::Deserialize;
use tongpin_core::notify::{ChannelInput, ChannelView, Settings};

#[derive(Deserialize, Default)]
pub struct ChannelForm {
    /// The organization whose group or mailbox it is; empty for the whole system.
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub secret: String,
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub keyword: String,
    #[serde(default)]
    pub from: String,
    /// One address a line, or separated by commas.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub username: String,
    /// none, starttls or tls.
    #[serde(default)]
    pub security: String,
    #[serde(default)]
    pub enabled: Option<String>,
}

impl ChannelForm {
    pub fn input(&self) -> ChannelInput {
        ChannelInput {
            org_id: Some(self.org_id.trim().to_string()).filter(|s| !s.is_empty()),
            kind: self.kind.clone(),
            name: self.name.clone(),
            base_url: self.base_url.clone(),
            secret: Some(self.secret.clone()).filter(|s| !s.trim().is_empty()),
            settings: Settings {
                from: self.from.clone(),
                to: self
                    .to
                    .split([',', '，', ';', '；', '\n'])
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
                username: self.username.clone(),
                starttls: self.security == "starttls",
                tls: self.security == "tls",
                token: self.token.clone(),
                keyword: self.keyword.clone(),
            },
            enabled: self.enabled.is_some(),
        }
    }

    /// The form filled from a stored channel (secrets masked or left blank).
    pub fn from_view(v: &ChannelView) -> ChannelForm {
        let s = &v.settings;
        ChannelForm {
            org_id: v.org_id.clone().unwrap_or_default(),
            kind: v.kind.code().into(),
            name: v.name.clone(),
            base_url: v.base_url.clone(),
            secret: String::new(),
            token: s.token.clone(),
            keyword: s.keyword.clone(),
            from: s.from.clone(),
            to: s.to.join("\n"),
            username: s.username.clone(),
            security: if s.tls {
                "tls"
            } else if s.starttls {
                "starttls"
            } else {
                "none"
            }
            .into(),
            enabled: v.enabled.then(|| "on".into()),
        }
    }
}
