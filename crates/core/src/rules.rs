//! The rule table: every official or policy number the product encodes lives
//! here, with tests at its edges. Later modules add their tables to this file.

/// Security policy defaults (等保 practice); the security admin may change them.
pub mod security {
    pub const PASSWORD_MIN_LENGTH: i64 = 8;
    /// Of the four classes: lower case, upper case, digits, symbols.
    pub const PASSWORD_MIN_CLASSES: i64 = 3;
    pub const PASSWORD_MAX_AGE_DAYS: i64 = 90;
    pub const PASSWORD_HISTORY: i64 = 5;
    pub const SESSION_IDLE_MINUTES: i64 = 30;
    pub const SESSION_ABSOLUTE_HOURS: i64 = 12;
    pub const LOCKOUT_THRESHOLD: i64 = 5;
    pub const LOCKOUT_MINUTES: i64 = 30;
    /// The last-seen time of a session is written at most this often.
    pub const SESSION_TOUCH_SECONDS: i64 = 60;
}

/// Audit records younger than this many calendar months cannot be purged.
pub const AUDIT_RETENTION_MONTHS: u32 = 6;

/// The earliest instant (ms, UTC) whose records may still be kept, i.e. the
/// purge cutoff may not be later than `now` minus 6 calendar months
/// (in Beijing time, clamped to the month's last day: 31 Aug → 28/29 Feb).
pub fn audit_purge_limit(now_ms: i64) -> i64 {
    use chrono::{Months, TimeZone};
    let local = crate::clock::beijing(now_ms);
    let back = local
        .checked_sub_months(Months::new(AUDIT_RETENTION_MONTHS))
        .unwrap_or(local);
    let tz = *local.offset();
    tz.from_local_datetime(&back.naive_local())
        .single()
        .map(|d| d.timestamp_millis())
        .unwrap_or(now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    fn bj(y: i32, m: u32, d: u32, h: u32) -> i64 {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn purge_limit_is_six_calendar_months() {
        assert_eq!(audit_purge_limit(bj(2026, 11, 28, 10)), bj(2026, 5, 28, 10));
        // 31 August minus 6 months clamps to the end of February, leap or not.
        assert_eq!(audit_purge_limit(bj(2028, 8, 31, 0)), bj(2028, 2, 29, 0));
        assert_eq!(audit_purge_limit(bj(2027, 8, 31, 0)), bj(2027, 2, 28, 0));
        // Across a year end.
        assert_eq!(audit_purge_limit(bj(2027, 3, 1, 0)), bj(2026, 9, 1, 0));
    }
}
