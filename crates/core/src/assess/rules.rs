//! The arithmetic of a scorecard, exact: points in hundredths, shares and
//! weights in basis points, every division rounded half up once. No floating
//! point anywhere, so two engines and a re-computation agree to the digit.
use super::model::{Grade, Thresholds, Tier, Weights};
use crate::rules::assess::{POINT_SCALE, WHOLE_BP};
use crate::{Error, Result};

/// n ÷ d rounded half up, for n ≥ 0 and d > 0.
pub fn div_round(n: i128, d: i128) -> i128 {
    (2 * n + d) / (2 * d)
}

fn round_i64(n: i128, d: i128) -> i64 {
    i64::try_from(div_round(n, d)).unwrap_or(i64::MAX)
}

/// Parses a decimal with at most `places` decimals into an integer scaled by 10^places.
fn parse_fixed(raw: &str, places: usize) -> Option<i64> {
    let s = crate::people::normalize(raw).replace([' ', ','], "");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > places
        || int.len() > 12
    {
        return None;
    }
    let whole: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: i64 = if places == 0 {
        0
    } else {
        format!("{frac:0<places$}").parse().ok()?
    };
    whole.checked_mul(10_i64.pow(places as u32))?.checked_add(frac)
}

/// Points as entered ("8", "8.5", "8.25"): hundredths, not negative.
pub fn parse_points(field: &str, raw: &str) -> Result<i64> {
    if raw.trim().is_empty() {
        return Err(Error::invalid(field, "不能为空，请填写分值"));
    }
    parse_fixed(raw, 2).ok_or_else(|| {
        Error::invalid(
            field,
            format!("“{}”不是有效分值，应为不小于 0 的数，最多 2 位小数", raw.trim()),
        )
    })
}

/// Points as text: 1250 → "12.5", 800 → "8".
pub fn points_text(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let a = h.unsigned_abs();
    let (int, frac) = (a / POINT_SCALE as u64, a % POINT_SCALE as u64);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{}", format!("{frac:02}").trim_end_matches('0'))
    }
}

/// A share as a fraction or a percentage ("0.5", "1", "50%", "33.33%"): basis points, 0 to 100 %.
pub fn parse_share(field: &str, raw: &str) -> Result<i64> {
    let s = crate::people::normalize(raw).trim().to_string();
    let bad = || {
        Error::invalid(
            field,
            format!(
                "“{}”不是有效比例，应为 0 至 1 之间的小数（最多 4 位）或百分数，如 0.5 或 50%",
                raw.trim()
            ),
        )
    };
    let bp = match s.strip_suffix('%') {
        Some(p) => parse_fixed(p, 2).ok_or_else(bad)?,
        None => parse_fixed(&s, 4).ok_or_else(bad)?,
    };
    if bp > WHOLE_BP {
        return Err(bad());
    }
    Ok(bp)
}

/// A share as text: 5000 → "50%", 3333 → "33.33%".
pub fn share_text(bp: i64) -> String {
    let (int, frac) = (bp / 100, bp % 100);
    if frac == 0 {
        format!("{int}%")
    } else {
        format!("{int}.{}%", format!("{frac:02}").trim_end_matches('0'))
    }
}

/// A rated indicator's weights must sum to exactly 1.
pub fn check_weights(field: &str, w: &Weights) -> Result<()> {
    if w.sum() != WHOLE_BP {
        return Err(Error::invalid(
            field,
            format!("各评价主体权重之和应为 1（100%），现为 {}", share_text(w.sum())),
        ));
    }
    Ok(())
}

/// The mean of `n` values summing to `sum`, rounded half up.
pub fn mean(sum: i64, n: i64) -> Option<i64> {
    (n > 0).then(|| round_i64(i128::from(sum), i128::from(n)))
}

/// `full` × done ÷ due; None when nothing was due.
pub fn share_points(full: i64, done: i64, due: i64) -> Option<i64> {
    (due > 0).then(|| round_i64(i128::from(full) * i128::from(done.clamp(0, due)), i128::from(due)))
}

/// done ÷ due in basis points, rounded half up; None when nothing was due.
pub fn share_bp(done: i64, due: i64) -> Option<i64> {
    share_points(WHOLE_BP, done, due)
}

/// Σ weight × the group's mean; None while a weighted group has no mean
/// (no rating yet, or anonymous ballots below the threshold).
pub fn rated_points(groups: &[(i64, Option<i64>)]) -> Option<i64> {
    let mut sum: i128 = 0;
    for (w, mean) in groups.iter().filter(|(w, _)| *w > 0) {
        sum += i128::from(*w) * i128::from((*mean)?);
    }
    Some(round_i64(sum, i128::from(WHOLE_BP)))
}

/// Whether a baseline item passes: its points reach `pass_bp` of its full
/// points (an item of no points passes on `share_bp`).
pub fn passes(full: i64, points: i64, share_bp: Option<i64>, pass_bp: i64) -> bool {
    if full > 0 {
        i128::from(points) * i128::from(WHOLE_BP) >= i128::from(full) * i128::from(pass_bp)
    } else {
        share_bp.is_some_and(|s| s >= pass_bp)
    }
}

/// A line as the total reads it.
#[derive(Clone, Copy, Debug)]
pub struct LinePoints {
    pub tier: Tier,
    pub full: i64,
    pub points: Option<i64>,
    pub passed: Option<bool>,
}

/// A target's total: the score (None while incomplete), the full score
/// the grade is measured on, the bonus counted, and the grade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Total {
    pub score: Option<i64>,
    pub full: i64,
    pub bonus: i64,
    pub vetoed: bool,
    pub complete: bool,
    pub grade: Option<Grade>,
}

/// Sums the lines: normal and baseline points, plus the high-line bonus up
/// to the cap (a bonus item not yet scored adds nothing and leaves the score
/// complete). A failed baseline item vetoes: the grade is 差 whatever the
/// score, even while other lines are missing.
pub fn total(lines: &[LinePoints], th: &Thresholds, bonus_cap: i64) -> Total {
    let (mut base, mut full, mut bonus, mut complete, mut vetoed) = (0_i64, 0_i64, 0_i64, true, false);
    for l in lines {
        match l.tier {
            Tier::Bonus => bonus += l.points.unwrap_or(0),
            Tier::Normal | Tier::Baseline => {
                full += l.full;
                match l.points {
                    Some(p) => base += p,
                    None => complete = false,
                }
                if l.tier == Tier::Baseline {
                    match l.passed {
                        Some(false) => vetoed = true,
                        Some(true) => {}
                        None => complete = false,
                    }
                }
            }
        }
    }
    let bonus = bonus.min(bonus_cap);
    let score = complete.then_some(base + bonus);
    let grade = if vetoed {
        Some(Grade::Poor)
    } else {
        score.map(|s| grade_for(s, full, th))
    };
    Total {
        score,
        full,
        bonus,
        vetoed,
        complete,
        grade,
    }
}

/// The grade a score earns on its share of the full score, compared exactly.
pub fn grade_for(score: i64, full: i64, th: &Thresholds) -> Grade {
    let reaches = |bp: i64| i128::from(score) * i128::from(WHOLE_BP) >= i128::from(full) * i128::from(bp);
    if reaches(th.good_bp) {
        Grade::Good
    } else if reaches(th.fairly_good_bp) {
        Grade::FairlyGood
    } else if reaches(th.fair_bp) {
        Grade::Fair
    } else {
        Grade::Poor
    }
}

/// Ranks within an assessment (1 = best): complete scores only, vetoed ones
/// after all the others, ties sharing a rank and the next rank skipping
/// (1, 1, 3). Input: (score, vetoed) per target; output in the same order.
pub fn ranks(scores: &[(Option<i64>, bool)]) -> Vec<Option<i64>> {
    let mut order: Vec<(usize, bool, i64)> = scores
        .iter()
        .enumerate()
        .filter_map(|(i, (s, v))| s.map(|s| (i, *v, s)))
        .collect();
    order.sort_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)));
    let mut out = vec![None; scores.len()];
    let mut prev: Option<(bool, i64)> = None;
    let mut rank = 0;
    for (pos, (i, v, s)) in order.into_iter().enumerate() {
        if prev != Some((v, s)) {
            rank = pos as i64 + 1;
            prev = Some((v, s));
        }
        out[i] = Some(rank);
    }
    out
}
