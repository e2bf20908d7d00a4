//! Reading an import's file: .xlsx by content, .csv by name, both into a
//! grid bounded by `rules::import`; then a template's sample rows are left out.
use super::{csv::read_csv, xlsx::read_xlsx};
use crate::{Error, Result};

/// A problem in one cell; `row` is the spreadsheet's own (header = 1) and
/// `column` the header's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellIssue {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// A template's sample row begins with this in its first cell
/// (「示例：张三」); such rows are read as empty, so they are never imported.
pub const EXAMPLE_MARK: &str = "示例";

/// `first` marked as a template's sample: 「示例：张三」.
pub fn example(first: &str) -> String {
    format!("{EXAMPLE_MARK}：{first}")
}

/// The first sheet as text: `rows[0]` is the header row.
#[derive(Debug, Default)]
pub struct Grid {
    pub rows: Vec<Vec<String>>,
    pub issues: Vec<CellIssue>,
    /// The spreadsheet rows (header = 1) left out as a template's samples.
    pub examples: Vec<usize>,
}

/// A date cell's text: a plain number such as 40360 is an Excel serial date
/// (a date cell saved without its format, or pasted as a number) and reads
/// as 2010-07-01; anything else is left for the date parser.
pub fn date_text(cell: &str) -> String {
    let t = cell.trim();
    let serial = (1..=5).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    match t.parse::<u32>() {
        Ok(n) if serial && n > 0 => serial_date(f64::from(n)),
        _ => cell.to_string(),
    }
}

/// Reads .xlsx (by content) or .csv (by name), refusing what is not one, an
/// empty file, merged cells, and any file past the limits of `rules::import`;
/// formulas and numbers that lost digits are noted per cell.
pub fn read(bytes: &[u8], filename: &str) -> Result<Grid> {
    const F: &str = "文件";
    if bytes.is_empty() {
        return Err(Error::invalid(F, "文件为空，请选择填好的模板"));
    }
    let lower = filename.to_lowercase();
    let grid = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else if lower.ends_with(".csv") {
        read_csv(bytes)?
    } else if lower.ends_with(".xlsx") || lower.ends_with(".xls") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::invalid(
            F,
            "无法读取该 Excel 文件；仅支持 .xlsx（请在 Excel 中“另存为 .xlsx”）或 .csv",
        ));
    } else {
        return Err(Error::invalid(F, "仅允许导入 xlsx、csv 格式文件"));
    };
    let mut grid = grid;
    for (i, row) in grid.rows.iter_mut().enumerate().skip(1) {
        if row.first().is_some_and(|c| c.trim_start().starts_with(EXAMPLE_MARK)) {
            row.iter_mut().for_each(String::clear);
            grid.examples.push(i + 1);
        }
    }
    if grid.rows.iter().all(|r| r.iter().all(String::is_empty)) {
        return Err(Error::invalid(F, "文件中没有数据，请在模板中填写后再导入"));
    }
    Ok(grid)
}

/// Excel's serial dates count days from 1899-12-30 (its 1900 leap-year bug included).
/// A number no date can be (1e300 in a date-formatted cell) stays a number.
pub(super) fn serial_date(v: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    chrono::TimeDelta::try_days(v.floor() as i64)
        .and_then(|days| base.checked_add_signed(days))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| v.to_string())
}

/// A, B, …, Z, AA, …
pub fn column_letter(mut c: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (c % 26) as u8) as char);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_and_sample_rows() {
        assert_eq!(date_text("40360"), "2010-07-01");
        assert_eq!(date_text(" 1 "), "1899-12-31");
        assert_eq!(date_text("20100701"), "20100701");
        assert_eq!(date_text("2010-07-01"), "2010-07-01");
        assert_eq!(date_text("0"), "0");
        assert_eq!(date_text(""), "");
        let g = read("姓名,性别\n示例：张三,男\n李四,女\n".as_bytes(), "a.csv").unwrap();
        assert_eq!(g.rows[1], ["", ""]);
        assert_eq!(g.rows[2], ["李四", "女"]);
        assert_eq!(g.examples, [2]);
        assert_eq!(example("张三"), "示例：张三");
    }

    #[test]
    fn csv_in_utf8_and_gb18030() {
        let g = read("姓名,性别\n张三,男\n".as_bytes(), "a.csv").unwrap();
        assert_eq!(g.rows, vec![vec!["姓名", "性别"], vec!["张三", "男"]]);
        let (gbk, _, _) = encoding_rs::GB18030.encode("姓名,性别\r\n李四,女\r\n");
        let g = read(&gbk, "b.CSV").unwrap();
        assert_eq!(g.rows[1], vec!["李四", "女"]);
        let bom = [b"\xEF\xBB\xBF".as_slice(), "姓名\n王五\n".as_bytes()].concat();
        assert_eq!(read(&bom, "c.csv").unwrap().rows[0], vec!["姓名"]);
    }

    #[test]
    fn refusals_are_clear() {
        assert!(read(b"", "a.csv").unwrap_err().to_string().contains("为空"));
        assert!(read(b"hello", "a.txt").unwrap_err().to_string().contains("xlsx、csv"));
        assert!(read(b"not a zip", "a.xlsx").is_err());
        assert!(read(b"\n\n", "a.csv").unwrap_err().to_string().contains("没有数据"));
    }

    #[test]
    fn serials_and_letters() {
        assert_eq!(serial_date(45988.0), "2025-11-27");
        assert_eq!(serial_date(60.0), "1900-02-28");
        // No date is that far: the number stays (chrono's days() would panic).
        assert_eq!(serial_date(1e300), 1e300.to_string());
        assert_eq!(serial_date(-1e18), (-1e18).to_string());
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }
}
