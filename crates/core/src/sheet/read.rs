use crate::{Error, Result};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// Data rows one file may hold (the header row not counted).
pub const MAX_ROWS: usize = 100_000;

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

/// Reads .xlsx (by content) or .csv (by name), refusing what is not one,
/// an empty file, merged cells and formulas.
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
    let data_rows = grid.rows.len().saturating_sub(1);
    if grid.rows.iter().all(|r| r.iter().all(String::is_empty)) {
        return Err(Error::invalid(F, "文件中没有数据，请在模板中填写后再导入"));
    }
    if data_rows > MAX_ROWS {
        return Err(Error::invalid(
            F,
            format!("共 {data_rows} 行数据，超过单次导入上限 {MAX_ROWS} 行，请拆分为多个文件"),
        ));
    }
    Ok(grid)
}

fn read_xlsx(bytes: &[u8]) -> Result<Grid> {
    let bad = |_| Error::invalid("文件", "不是有效的 xlsx 文件，或文件已损坏");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let Some(name) = wb.sheet_names().first().cloned() else {
        return Err(Error::invalid("文件", "文件中没有工作表"));
    };
    let range = wb.worksheet_range(&name).map_err(bad)?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut grid = Grid {
        rows: range.rows().map(|r| r.iter().map(cell_text).collect()).collect(),
        ..Grid::default()
    };
    // Rows and columns before the range's start are empty in the sheet.
    for row in &mut grid.rows {
        for _ in 0..c0 {
            row.insert(0, String::new());
        }
    }
    for _ in 0..r0 {
        grid.rows.insert(0, Vec::new());
    }
    let header = grid.rows.first().cloned().unwrap_or_default();
    let col_name = |c: usize| {
        header
            .get(c)
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| column_letter(c))
    };
    for (r, row) in range.rows().enumerate() {
        for (c, d) in row.iter().enumerate() {
            if let Data::Float(f) = d {
                if f.abs() >= 1e15 {
                    grid.issues.push(CellIssue {
                        row: r + r0 as usize + 1,
                        column: col_name(c + c0 as usize),
                        message: "数字位数过多，已失去精度；请将此列设为“文本”格式后重新填写".into(),
                    });
                }
            }
        }
    }
    if let Ok(merged) = wb.merge_cells_by_sheet_name(&name) {
        if let Some(m) = merged.first() {
            return Err(Error::invalid(
                "文件",
                format!(
                    "第 {} 行起有合并单元格（{}），请取消合并后再导入",
                    m.start.0 + 1,
                    column_letter(m.start.1 as usize)
                ),
            ));
        }
    }
    if let Ok(formulas) = wb.worksheet_formula(&name) {
        let (fr, fc) = formulas.start().unwrap_or((0, 0));
        for (r, row) in formulas.rows().enumerate() {
            for (c, f) in row.iter().enumerate() {
                if !f.is_empty() {
                    grid.issues.push(CellIssue {
                        row: r + fr as usize + 1,
                        column: col_name(c + fc as usize),
                        message: "单元格含公式，请复制后“选择性粘贴为数值”".into(),
                    });
                }
            }
        }
    }
    Ok(grid)
}

/// Excel's serial dates count days from 1899-12-30 (its 1900 leap-year bug included).
fn serial_date(v: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    base.checked_add_signed(chrono::Duration::days(v.floor() as i64))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| v.to_string())
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => serial_date(dt.as_f64()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Grid> {
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (s, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(Error::invalid(
                    "文件",
                    "无法识别文件编码；CSV 请保存为 UTF-8 或 GB18030（GBK）编码",
                ));
            }
            s.into_owned()
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::invalid("文件", format!("CSV 第 {line} 行格式错误（引号不成对？）"))
        })?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
        if rows.len() > MAX_ROWS + 1 {
            break;
        }
    }
    Ok(Grid {
        rows,
        ..Grid::default()
    })
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
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }
}
