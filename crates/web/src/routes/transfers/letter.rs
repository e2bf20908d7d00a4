//! 组织关系介绍信: the print page of a transfer out of the system.
use crate::extract::Auth;
use crate::shell::render;
use crate::PageError;
use askama::Template;
use axum::extract::Path;
use axum::response::Html;
use chrono::{Datelike, NaiveDate};
use tongpin_core::auth::Power;
use tongpin_core::people;
use tongpin_core::transfer;

#[derive(Template)]
#[template(path = "transfers/letter.html")]
struct LetterPage {
    l: transfer::Letter,
    /// 2026年11月28日
    issued: String,
    valid_until: String,
    /// 35 (at the day of issue), when the birth date is known.
    age: Option<i32>,
    /// 正式 or 预备
    member: &'static str,
    citizen_id: String,
    /// The sending organization's path as one name, as a letter writes it.
    from: String,
    /// 党费交至 from the dues ledger, "2026年10月", or blanks to fill by hand.
    dues_paid_to: String,
}

/// "2026-10" → "2026年10月"; blanks when the ledger states nothing.
fn month_text(m: Option<&str>) -> String {
    m.and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .map(|d| format!("{}年{}月", d.year(), d.month()))
        .unwrap_or_else(|| "＿＿＿＿年＿＿月".into())
}

/// 2026-11-28 → 2026年11月28日.
fn chinese_date(d: &str) -> String {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|d| format!("{}年{}月{}日", d.year(), d.month(), d.day()))
        .unwrap_or_else(|_| d.to_string())
}

fn age(birth: Option<&str>, on: &str) -> Option<i32> {
    let b = NaiveDate::parse_from_str(birth?, "%Y-%m-%d").ok()?;
    let d = NaiveDate::parse_from_str(on, "%Y-%m-%d").ok()?;
    Some(tongpin_core::rules::age_on(b, d))
}

/// The letter, A4, no menu or buttons. The citizen ID is printed in full
/// only for a role that may reveal it there (and that view is audited).
pub async fn page(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewPeople).await?;
    let db = &a.state.db;
    let mut l = transfer::letter(db, &scope, &id).await?;
    if let Some(reveal) = a
        .who
        .scope(Power::RevealPersonal)
        .filter(|s| s.contains_path(&l.person.org_path))
    {
        l.person = people::reveal(db, a.now(), &a.actor(), &reveal, &l.person.id).await?;
    }
    let page = LetterPage {
        issued: chinese_date(&l.issued_on),
        valid_until: chinese_date(l.transfer.valid_until.as_deref().unwrap_or_default()),
        age: age(l.person.birth_date.as_deref(), &l.issued_on),
        member: if l.person.status == "probationary" {
            "预备"
        } else {
            "正式"
        },
        citizen_id: l.person.citizen_id.clone().unwrap_or_default(),
        from: l.from_path.replace('/', ""),
        dues_paid_to: month_text(l.dues_paid_to.as_deref()),
        l,
    };
    Ok(Html(render(&page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_ages() {
        assert_eq!(chinese_date("2026-01-05"), "2026年1月5日");
        assert_eq!(age(Some("1980-11-29"), "2026-11-28"), Some(45));
        assert_eq!(age(Some("1980-11-28"), "2026-11-28"), Some(46));
        assert_eq!(age(None, "2026-11-28"), None);
        assert_eq!(month_text(Some("2026-09")), "2026年9月");
        assert_eq!(month_text(None), "＿＿＿＿年＿＿月");
    }
}
