//! The first sheet of an .xlsx, read cell by cell into a bounded grid (never
//! through the sheet's declared dimension, which a file may set to a million
//! rows by 16,384 columns).
use super::bounded::{cell_name, Bounded};
use super::read::{column_letter, serial_date, CellIssue, Grid};
use super::zipcheck::{self, damaged};
use crate::{Error, Result};
use calamine::{DataRef, Reader, Xlsx, XlsxFormulaMetadata};
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

const F: &str = "文件";
const FORMULA: &str = "单元格含公式，请复制后“选择性粘贴为数值”";
const LOST_DIGITS: &str = "数字位数过多，已失去精度；请将此列设为“文本”格式后重新填写";

pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Grid> {
    zipcheck::check(bytes)?;
    // zipcheck bounds what calamine meets; should calamine still panic on
    // some part, the file is refused as damaged rather than failing the request.
    catch_unwind(AssertUnwindSafe(|| read_checked(bytes))).unwrap_or_else(|_| Err(damaged()))
}

fn read_checked(bytes: &[u8]) -> Result<Grid> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| damaged())?;
    let Some(name) = wb.sheet_names().first().cloned() else {
        return Err(Error::invalid(F, "文件中没有工作表"));
    };
    if let Some(m) = wb.merge_cells_by_sheet_name(&name).map_err(|_| damaged())?.first() {
        return Err(Error::invalid(
            F,
            format!(
                "第 {} 行起有合并单元格（{}），请取消合并后再导入",
                m.start.0 as usize + 1,
                column_letter(m.start.1 as usize)
            ),
        ));
    }
    let mut cells = wb.worksheet_cells_reader(&name).map_err(|_| damaged())?;
    let mut grid = Bounded::default();
    // (column, issue): the column is named from the header once it is read.
    let mut issues = Vec::new();
    while let Some(cell) = cells.next_cell_with_formula_metadata().map_err(|_| damaged())? {
        let (row, column) = (cell.pos.0 as usize, cell.pos.1 as usize);
        let formula = cell.formula.as_ref().is_some_and(has_formula);
        let lost_digits = matches!(cell.value, DataRef::Float(f) if f.abs() >= 1e15);
        let text = cell_text(&cell.value);
        if text.is_empty() && !formula {
            // Blank or only formatted: nothing to read, so nothing to place.
            continue;
        }
        grid.put(row, column, text)?;
        for (flagged, message) in [(lost_digits, LOST_DIGITS), (formula, FORMULA)] {
            if flagged {
                let issue = CellIssue::new(row + 1, &cell_name(row, column), message);
                grid.count_issue(&issue)?;
                issues.push((column, issue));
            }
        }
    }
    let header = grid.rows().first().cloned().unwrap_or_default();
    let mut grid = grid.finish();
    grid.issues = issues
        .into_iter()
        .map(|(column, mut issue)| {
            issue.column = header
                .get(column)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| column_letter(column));
            issue
        })
        .collect();
    Ok(grid)
}

fn has_formula(f: &XlsxFormulaMetadata) -> bool {
    match f {
        XlsxFormulaMetadata::Normal { formula } | XlsxFormulaMetadata::Shared { formula, .. } => !formula.is_empty(),
        _ => true,
    }
}

fn cell_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        DataRef::DateTime(dt) => serial_date(dt.as_f64()),
        DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}
