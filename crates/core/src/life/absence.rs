//! Party Constitution art. 9, the pure part: which months count as months
//! without organizational life. A month counts only when the member belonged
//! to the organization and a meeting they were expected at was held; a month
//! they took part in ends the run; a month whose every absence had a proper
//! reason (请假、病假、公差), or with no meeting for them, is not counted and
//! does not end it either.
use std::collections::BTreeMap;

/// How a member stood in one month with meetings they were expected at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Month {
    /// Took part in at least one meeting.
    Attended,
    /// Missed only with a proper reason.
    Excused,
    /// Missed at least one without a proper reason, and took part in none.
    Missed,
}

impl Month {
    /// Folds one more meeting of the month in: taking part wins, then a
    /// missed one without reason.
    pub fn and(self, other: Month) -> Month {
        use Month::*;
        match (self, other) {
            (Attended, _) | (_, Attended) => Attended,
            (Missed, _) | (_, Missed) => Missed,
            _ => Excused,
        }
    }
}

/// The months (YYYY-MM keys) counted toward art. 9, walking back from the
/// latest: Missed counts, Attended stops, Excused is passed over.
pub fn months_without(months: &BTreeMap<String, Month>) -> u32 {
    let mut n = 0;
    for m in months.values().rev() {
        match m {
            Month::Attended => break,
            Month::Missed => n += 1,
            Month::Excused => {}
        }
    }
    n
}

/// The warning level of a run: 0 none, 1 the first (3 months), 2 the second
/// (5 months), 3 the months that count as leaving the Party (6).
pub fn level(months: u32) -> u8 {
    use crate::rules::life::{ABSENCE_LEAVING_MONTHS, ABSENCE_WARNING_MONTHS};
    if months >= ABSENCE_LEAVING_MONTHS {
        3
    } else if months >= ABSENCE_WARNING_MONTHS[1] {
        2
    } else if months >= ABSENCE_WARNING_MONTHS[0] {
        1
    } else {
        0
    }
}

/// "2026-10" moved by `delta` months ("2026-08" for -2).
pub fn shift_month(m: &str, delta: i32) -> String {
    let y: i32 = m.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
    let mo: i32 = m.get(5..7).and_then(|x| x.parse().ok()).unwrap_or(1);
    let i = y * 12 + mo - 1 + delta;
    format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Month::*;

    fn run(ms: &[(&str, Month)]) -> u32 {
        months_without(&ms.iter().map(|(k, v)| (k.to_string(), *v)).collect())
    }

    #[test]
    fn only_missed_months_count_and_taking_part_ends_the_run() {
        assert_eq!(run(&[]), 0);
        assert_eq!(
            run(&[
                ("2026-07", Attended),
                ("2026-08", Missed),
                ("2026-09", Missed),
                ("2026-10", Missed)
            ]),
            3
        );
        // A month without any meeting for them is simply not in the map: not counted.
        assert_eq!(
            run(&[("2026-05", Attended), ("2026-08", Missed), ("2026-10", Missed)]),
            2
        );
        // Sick leave in September is not counted and does not end the run.
        assert_eq!(
            run(&[
                ("2026-06", Missed),
                ("2026-07", Missed),
                ("2026-09", Excused),
                ("2026-10", Missed)
            ]),
            3
        );
        assert_eq!(run(&[("2026-09", Missed), ("2026-10", Attended)]), 0);
        // Across the year end.
        assert_eq!(
            run(&[("2025-11", Attended), ("2025-12", Missed), ("2026-01", Missed)]),
            2
        );
    }

    #[test]
    fn a_month_with_one_meeting_attended_is_attended() {
        assert_eq!(Missed.and(Attended), Attended);
        assert_eq!(Excused.and(Missed), Missed);
        assert_eq!(Excused.and(Excused), Excused);
    }

    #[test]
    fn levels_at_their_edges() {
        assert_eq!([2, 3, 4, 5, 6, 9].map(level), [0, 1, 1, 2, 3, 3]);
        assert_eq!(shift_month("2026-01", -2), "2025-11");
        assert_eq!(shift_month("2026-10", 3), "2027-01");
        assert_eq!(shift_month("2026-10", -11), "2025-11");
    }
}
