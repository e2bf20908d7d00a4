//! How dates read on screen (ui.md): 2026年11月28日; forms still take 2026-11-28.

/// "2026-11" → "2026年11月".
pub fn cn_month(m: &str) -> String {
    match (m.get(..4), m.get(5..7)) {
        (Some(y), Some(mm)) => format!("{y}年{}月", mm.trim_start_matches('0')),
        _ => m.to_string(),
    }
}

/// "2026-11-08" → "2026年11月8日".
pub fn cn_date(d: &str) -> String {
    match d.get(8..10) {
        Some(dd) => format!("{}{}日", cn_month(d), dd.trim_start_matches('0')),
        None => d.to_string(),
    }
}

/// Every YYYY-MM-DD inside a text (a rule's message) read as 2026年11月8日.
pub fn cn_dates_in(text: &str) -> String {
    let b = text.as_bytes();
    let is_date = |i: usize| {
        b.len() >= i + 10
            && b[i..i + 10].iter().enumerate().all(|(k, c)| {
                if k == 4 || k == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            })
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit())
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if is_date(i) {
            out.push_str(&cn_date(&text[i..i + 10]));
            i += 10;
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_inside_a_text() {
        assert_eq!(
            super::cn_dates_in("任期已于 2026-09-01 届满；2026-12-10 14:30:00 召开"),
            "任期已于 2026年9月1日 届满；2026年12月10日 14:30:00 召开"
        );
        assert_eq!(super::cn_dates_in("编号 12026-09-011"), "编号 12026-09-011");
        assert_eq!(super::cn_dates_in(""), "");
    }
}
