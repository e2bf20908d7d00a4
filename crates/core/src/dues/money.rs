//! Money as people type it and read it: yuan text to integer fen exactly
//! (no floating point anywhere), and fen to "4500.00".
use crate::{Error, Result};

/// The largest monthly pay the product accepts, in fen (1,000,000 yuan):
/// larger figures are typing mistakes.
pub const MAX_BASE_FEN: i64 = 100_000_000;

/// Yuan as typed or imported, to fen: "4500", "4500.5", "4,500.00",
/// "￥4500", "4500元", full-width digits. At most two decimals; thousands
/// separators must group by three.
pub fn parse_yuan(field: &str, raw: &str) -> Result<i64> {
    let s = crate::people::normalize(raw);
    let s = s
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('元')
        .trim()
        .replace('，', ",");
    if s.is_empty() {
        return Err(Error::invalid(field, "不能为空，请填写金额（元）"));
    }
    let bad = || {
        Error::invalid(
            field,
            format!("“{}”不是有效金额，应为如 4500 或 4500.50 的数字（元）", raw.trim()),
        )
    };
    if s.starts_with('-') {
        return Err(Error::invalid(field, "不能为负数"));
    }
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let int_digits: String = if int_part.is_empty() && frac_part.is_some_and(digits) {
        String::new()
    } else if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let first_ok = groups[0].len() <= 3 && digits(groups[0]);
        if !first_ok || !groups[1..].iter().all(|g| g.len() == 3 && digits(g)) {
            return Err(bad());
        }
        groups.concat()
    } else if digits(int_part) {
        int_part.to_string()
    } else {
        return Err(bad());
    };
    let frac: i64 = match frac_part {
        None | Some("") => 0,
        Some(f) if !digits(f) => return Err(bad()),
        Some(f) if f.len() > 2 => return Err(Error::invalid(field, "最多保留两位小数（到分）")),
        Some(f) => f.parse::<i64>().map_err(|_| bad())? * if f.len() == 1 { 10 } else { 1 },
    };
    let whole = int_digits.trim_start_matches('0');
    if whole.len() > 12 {
        return Err(Error::invalid(field, "数额过大，请核对"));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    Ok(whole * 100 + frac)
}

/// 450050 → "4500.50"; -50 → "-0.50".
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(s: &str) -> i64 {
        parse_yuan("基数", s).unwrap()
    }
    fn msg(s: &str) -> String {
        match parse_yuan("基数", s) {
            Err(Error::Invalid { field, message }) => {
                assert_eq!(field, "基数");
                message
            }
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn yuan_text_becomes_exact_fen() {
        assert_eq!(fen("4500"), 450_000);
        assert_eq!(fen("4500.5"), 450_050);
        assert_eq!(fen("4500.05"), 450_005);
        assert_eq!(fen("4,500.00"), 450_000);
        assert_eq!(fen("12,345,678.9"), 1_234_567_890);
        assert_eq!(fen(" ￥4500元 "), 450_000);
        assert_eq!(fen("４５００．５"), 450_050);
        assert_eq!(fen("0.2"), 20);
        assert_eq!(fen("0"), 0);
        assert_eq!(fen("007"), 700);
        assert_eq!(fen("4500."), 450_000);
        assert_eq!(fen(".5"), 50);
    }

    #[test]
    fn bad_amounts_say_why() {
        assert!(msg("").contains("不能为空"));
        assert!(msg("-1").contains("负数"));
        assert!(msg("4500.123").contains("两位小数"));
        for bad in [
            "45,00", "4,5000", "abc", "4500.5.1", "1e3", ".5x", "4 500", ",", ".", "4500,",
        ] {
            assert!(msg(bad).contains("不是有效金额"), "{bad}");
        }
        assert!(msg("1234567890123456").contains("过大"));
    }

    #[test]
    fn fen_shows_as_yuan_with_two_decimals() {
        assert_eq!(yuan(450_050), "4500.50");
        assert_eq!(yuan(20), "0.20");
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(-50), "-0.50");
    }
}
