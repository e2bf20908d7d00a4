//! Standardization (标准化规范化建设): the numbers of the cycle — grades,
//! rectification deadlines, the weak-organization (软弱涣散) flags and the
//! sizes a standard may take. Thresholds are defaults a standard may override.

/// Shares are basis points of the refined items' (提升项) points: 10 000 = 100 %.
pub const SHARE_WHOLE_BP: i64 = 10_000;
/// ⅱ (提升) from this share of the refined items' points.
pub const GRADE_II_FROM_BP: i64 = 7_500;
/// ⅲ (示范) from this share, with no problem reopened in the year.
pub const GRADE_III_FROM_BP: i64 = 9_000;

/// A problem's rectification deadline when none is given: this many months on.
pub const PROBLEM_DEADLINE_MONTHS: u32 = 3;

/// A standard holds at most this many items, each worth at most this many points.
pub const MAX_ITEMS: usize = 100;
pub const MAX_POINTS: i64 = 100;

/// 基础保障: staff counts and the venue's area (m²) a person types are at most this.
pub const RESOURCE_COUNT_MAX: i64 = 100_000;

/// 软弱涣散: the secretary post vacant for more than this many months.
pub const WEAK_SECRETARY_VACANT_MONTHS: u32 = 3;
/// 软弱涣散: an obligation overdue in this many consecutive periods.
pub const WEAK_OVERDUE_CONSECUTIVE_PERIODS: usize = 2;

/// The grade a share earns: 3 (ⅲ) from `iii_bp` when no problem was
/// reopened in the year, 2 (ⅱ) from `ii_bp`, else 1 (ⅰ).
pub fn grade_for(share_bp: i64, ii_bp: i64, iii_bp: i64, reopened: bool) -> u8 {
    if share_bp >= iii_bp && !reopened {
        3
    } else if share_bp >= ii_bp {
        2
    } else {
        1
    }
}

/// `part` of `whole` in basis points, rounded down; 0 when there is no whole.
pub fn share_bp(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        part.clamp(0, whole) * SHARE_WHOLE_BP / whole
    }
}

/// Whether a standard's own thresholds are usable: 0 < ⅱ < ⅲ ≤ 100 %.
pub fn thresholds_valid(ii_bp: i64, iii_bp: i64) -> bool {
    0 < ii_bp && ii_bp < iii_bp && iii_bp <= SHARE_WHOLE_BP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_at_their_edges() {
        let g = |s, r| grade_for(s, GRADE_II_FROM_BP, GRADE_III_FROM_BP, r);
        assert_eq!(g(7_499, false), 1);
        assert_eq!(g(7_500, false), 2);
        assert_eq!(g(8_999, false), 2);
        assert_eq!(g(9_000, false), 3);
        assert_eq!(g(9_000, true), 2, "a reopened problem keeps ⅲ away");
        assert_eq!(g(10_000, true), 2);
        assert_eq!(g(0, false), 1);
    }

    #[test]
    fn shares_round_down_and_thresholds_are_ordered() {
        assert_eq!(share_bp(3, 4), 7_500);
        assert_eq!(share_bp(2, 3), 6_666);
        assert_eq!(share_bp(9, 10), 9_000);
        assert_eq!(share_bp(1, 0), 0);
        assert_eq!(share_bp(5, 4), SHARE_WHOLE_BP);
        assert!(thresholds_valid(GRADE_II_FROM_BP, GRADE_III_FROM_BP));
        assert!(!thresholds_valid(9_000, 9_000));
        assert!(!thresholds_valid(0, 9_000));
        assert!(!thresholds_valid(7_500, 10_001));
        assert!(thresholds_valid(1, SHARE_WHOLE_BP));
    }
}
