use crate::{Error, Result};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook};

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

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal("生成 Excel 失败", e)
}

/// An .xlsx file: bold, frozen header row; every cell written as text so
/// IDs and phone numbers keep their digits.
pub fn to_xlsx(t: &Table) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&t.sheet).map_err(xerr)?;
    let head = Format::new().set_bold().set_background_color("F3F4F6");
    let text = Format::new().set_num_format("@");
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &head).map_err(xerr)?;
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
            ws.write_string_with_format((r + 1) as u32, c as u16, v, &text)
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
            lists.write_string(r as u32, k as u16, v).map_err(xerr)?;
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

/// A .csv file in UTF-8 with a byte-order mark, which Excel opens correctly.
pub fn to_csv(t: &Table) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&t.headers)
        .map_err(|e| Error::internal("生成 CSV 失败", e))?;
    for r in &t.rows {
        w.write_record(r).map_err(|e| Error::internal("生成 CSV 失败", e))?;
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
}
