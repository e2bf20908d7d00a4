use crate::text::replace_unstorable;
use crate::{Error, Result};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook};
use std::borrow::Cow;

/// A sheet to write: headers, rows of text, and for templates the drop-down
/// lists that constrain some columns.
#[derive(Default)]
pub struct Table {
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// (column index, allowed values): a drop-down for the column.
    pub lists: Vec<(usize, Vec<String>)>,
}

/// A cell a spreadsheet would take for a formula when the file is opened
/// (CSV) or the cell edited (xlsx): its first character is = + - @, or a tab
/// or CR before one (OWASP, CSV injection).
pub fn formula_like(v: &str) -> bool {
    v.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A CSV cell as written: formula-like text behind a single quote, which
/// spreadsheets show as text; characters XML cannot hold replaced (the same
/// text the .xlsx shows).
fn csv_cell(v: &str) -> Cow<'_, str> {
    let v = replace_unstorable(v);
    if formula_like(&v) {
        Cow::Owned(format!("'{v}"))
    } else {
        v
    }
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal("生成 Excel 失败", e)
}

/// An .xlsx file: bold, frozen header row; every cell written as text so
/// IDs and phone numbers keep their digits. A formula-like cell keeps its
/// exact text (so it reads back unchanged) with Excel's quote prefix, the
/// stored form of a typed leading ', so editing it never makes a formula.
/// Characters XML cannot hold, stored before the edge refused them, become
/// U+FFFD so the file always opens.
pub fn to_xlsx(t: &Table) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&t.sheet).map_err(xerr)?;
    let head = Format::new().set_bold().set_background_color("F3F4F6");
    let text = Format::new().set_num_format("@");
    let quoted = Format::new().set_num_format("@").set_quote_prefix();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, replace_unstorable(h), &head)
            .map_err(xerr)?;
        let widest = t
            .rows
            .iter()
            .map(|r| r.get(c).map(|s| s.chars().count()).unwrap_or(0))
            .max()
            .unwrap_or(0);
        let width = widest.max(h.chars().count() * 2).clamp(8, 40);
        ws.set_column_width(c as u16, width as f64 + 2.0).map_err(xerr)?;
        ws.set_column_format(c as u16, &text).map_err(xerr)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let format = if formula_like(v) { &quoted } else { &text };
            ws.write_string_with_format((r + 1) as u32, c as u16, replace_unstorable(v), format)
                .map_err(xerr)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    if !t.lists.is_empty() {
        add_lists(&mut wb, t)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

/// The drop-down values live on a hidden sheet (an inline list may hold at
/// most 255 characters, too few for an organization list).
fn add_lists(wb: &mut Workbook, t: &Table) -> Result<()> {
    const SHEET: &str = "下拉选项";
    let lists = wb.add_worksheet();
    lists.set_name(SHEET).map_err(xerr)?;
    for (k, (_, values)) in t.lists.iter().enumerate() {
        for (r, v) in values.iter().enumerate() {
            lists
                .write_string(r as u32, k as u16, replace_unstorable(v))
                .map_err(xerr)?;
        }
    }
    lists.set_hidden(true);
    let ws = wb.worksheet_from_index(0).map_err(xerr)?;
    for (k, (c, values)) in t.lists.iter().enumerate() {
        let col = super::read::column_letter(k);
        let range = format!("='{SHEET}'!${col}$1:${col}${}", values.len().max(1));
        let dv = DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .set_error_title("取值无效")
            .map_err(xerr)?
            .set_error_message("请从下拉列表中选择")
            .map_err(xerr)?;
        ws.add_data_validation(1, *c as u16, 1_048_575, *c as u16, &dv)
            .map_err(xerr)?;
    }
    Ok(())
}

/// A .csv file in UTF-8 with a byte-order mark, which Excel opens correctly;
/// formula-like cells behind a single quote (`csv_cell`).
pub fn to_csv(t: &Table) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(t.headers.iter().map(|h| csv_cell(h).into_owned()))
        .map_err(|e| Error::internal("生成 CSV 失败", e))?;
    for r in &t.rows {
        w.write_record(r.iter().map(|v| csv_cell(v).into_owned()))
            .map_err(|e| Error::internal("生成 CSV 失败", e))?;
    }
    w.into_inner().map_err(|e| Error::internal("生成 CSV 失败", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_reader() {
        let t = Table {
            sheet: "名册".into(),
            headers: vec!["姓名".into(), "身份证号".into()],
            rows: vec![
                vec!["张三".into(), "11010519491231002X".into()],
                vec!["李四".into(), "110105194912310021".into()],
            ],
            lists: vec![(0, vec!["张三".into(), "李四".into()])],
        };
        let g = super::super::read(&to_xlsx(&t).unwrap(), "x.xlsx").unwrap();
        assert_eq!(g.rows[2], vec!["李四", "110105194912310021"]);
        assert!(g.issues.is_empty());
        let g = super::super::read(&to_csv(&t).unwrap(), "x.csv").unwrap();
        assert_eq!(g.rows[1], vec!["张三", "11010519491231002X"]);
    }

    fn risky() -> Table {
        Table {
            sheet: "名册".into(),
            headers: vec!["备注".into(), "电话".into()],
            rows: vec![
                vec!["=HYPERLINK(\"http://x\")".into(), "+86 138".into()],
                vec!["-2+3".into(), "@SUM(A1)".into()],
                vec!["\t=1".into(), "\r=1".into()],
                vec!["a=b".into(), "13800000000".into()],
                vec!["a\u{0}b".into(), "c\u{ffff}".into()],
            ],
            lists: vec![],
        }
    }

    #[test]
    fn csv_cells_that_could_run_as_formulas_start_with_a_quote() {
        let bytes = to_csv(&risky()).unwrap();
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows[0], vec!["'=HYPERLINK(\"http://x\")", "'+86 138"]);
        assert_eq!(rows[1], vec!["'-2+3", "'@SUM(A1)"]);
        assert_eq!(rows[2], vec!["'\t=1", "'\r=1"]);
        assert_eq!(rows[3], vec!["a=b", "13800000000"]);
        assert_eq!(rows[4], vec!["a\u{fffd}b", "c\u{fffd}"]);
    }

    #[test]
    fn xlsx_cells_stay_text_and_always_open() {
        use calamine::{Reader, Xlsx};
        let bytes = to_xlsx(&risky()).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let formulas = wb.worksheet_formula("名册").unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no cell is a formula"
        );
        let g = super::super::read(&bytes, "x.xlsx").unwrap();
        assert_eq!(g.rows[1], vec!["=HYPERLINK(\"http://x\")", "+86 138"]);
        assert_eq!(g.rows[5], vec!["a\u{fffd}b", "c\u{fffd}"]);
    }
}
