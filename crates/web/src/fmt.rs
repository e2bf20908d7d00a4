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
