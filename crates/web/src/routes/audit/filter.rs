use chrono::{NaiveDate, TimeZone};
use serde::Deserialize;
use tongpin_core::audit::Filter;
use tongpin_core::Error;

/// The audit list's query: the same for the page, the export and the API.
#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub result: Option<String>,
    /// YYYY-MM-DD, Beijing time, inclusive.
    pub from: Option<String>,
    /// YYYY-MM-DD, Beijing time, inclusive.
    pub to: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

fn day_start(field: &str, d: &str) -> Result<i64, Error> {
    let date = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "日期格式应为 2026-11-28"))?;
    let tz = chrono::FixedOffset::east_opt(8 * 3600).ok_or_else(|| Error::invalid(field, "时区错误"))?;
    tz.from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
        .single()
        .map(|t| t.timestamp_millis())
        .ok_or_else(|| Error::invalid(field, "日期无效"))
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(50).collect())
}

impl AuditQuery {
    pub fn filter(&self) -> Result<Filter, Error> {
        let from = nonempty(&self.from).map(|d| day_start("开始日期", &d)).transpose()?;
        let to = nonempty(&self.to)
            .map(|d| day_start("结束日期", &d).map(|t| t + 86_400_000))
            .transpose()?;
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                return Err(Error::invalid("结束日期", "不能早于开始日期"));
            }
        }
        Ok(Filter {
            actor: nonempty(&self.actor),
            action: nonempty(&self.action),
            result: nonempty(&self.result),
            from_ms: from,
            to_ms: to,
        })
    }

    /// The filters as a query string prefix (`k=v&`), for pager links.
    pub fn query_string(&self) -> String {
        let pairs: Vec<(&str, String)> = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("result", &self.result),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter_map(|(k, v)| nonempty(v).map(|v| (k, v)))
        .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("{}&", serde_urlencoded::to_string(pairs).unwrap_or_default())
        }
    }
}
