//! The grid as it is read, cell by cell: a position past the rows or columns a
//! file may hold is refused before anything grows, and the cells (the blank
//! ones a far cell pads in included) and their text are counted against the
//! rule table, so no file can make the grid larger than those bounds.
use super::read::{column_letter, CellIssue, Grid};
use crate::rules::import::{column_fits, row_fits, MAX_CELLS, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT_BYTES};
use crate::{Error, Result};

const F: &str = "文件";

/// `A1`, `XFD1048576`: a 0-based position as Excel names it.
pub(super) fn cell_name(row: usize, column: usize) -> String {
    format!("{}{}", column_letter(column), row.saturating_add(1))
}

#[derive(Default)]
pub(super) struct Bounded {
    grid: Grid,
    cells: usize,
    text_bytes: usize,
}

impl Bounded {
    /// Refuses a cell at `row`, `column` (0-based) the file may not hold.
    pub(super) fn check_position(row: usize, column: usize) -> Result<()> {
        let at = || cell_name(row, column);
        if !row_fits(row) {
            return Err(Error::invalid(
                F,
                format!(
                    "单元格 {} 在第 {} 行，超出上限：表头下最多 {MAX_ROWS} 行数据；请删除多余的行，或拆分为多个文件后重新导入",
                    at(),
                    row.saturating_add(1)
                ),
            ));
        }
        if !column_fits(column) {
            return Err(Error::invalid(
                F,
                format!(
                    "单元格 {} 在第 {} 列，超出上限：最多 {MAX_COLUMNS} 列；请删除多余的列后重新导入",
                    at(),
                    column.saturating_add(1)
                ),
            ));
        }
        Ok(())
    }

    /// Puts `text` at `row`, `column` (0-based), padding the row with blanks.
    pub(super) fn put(&mut self, row: usize, column: usize, text: String) -> Result<()> {
        Self::check_position(row, column)?;
        // A character is at least a byte: only a long text needs counting.
        let chars = if text.len() > MAX_CELL_CHARS {
            text.chars().count()
        } else {
            0
        };
        if chars > MAX_CELL_CHARS {
            return Err(Error::invalid(
                F,
                format!(
                    "单元格 {} 有 {chars} 个字符，超出上限 {MAX_CELL_CHARS} 个；请删减后重新导入",
                    cell_name(row, column)
                ),
            ));
        }
        let new_rows = (row + 1).saturating_sub(self.grid.rows.len());
        let width = self.grid.rows.get(row).map_or(0, Vec::len);
        self.count(new_rows + (column + 1).saturating_sub(width), text.len())?;
        if new_rows > 0 {
            self.grid.rows.resize_with(row + 1, Vec::new);
        }
        if let Some(cells) = self.grid.rows.get_mut(row) {
            if cells.len() <= column {
                cells.resize_with(column + 1, String::new);
            }
            if let Some(cell) = cells.get_mut(column) {
                *cell = text;
            }
        }
        Ok(())
    }

    /// Counts a problem the caller keeps as a cell, so problems are bounded too.
    pub(super) fn count_issue(&mut self, issue: &CellIssue) -> Result<()> {
        self.count(1, issue.column.len() + issue.message.len())
    }

    pub(super) fn rows(&self) -> &[Vec<String>] {
        &self.grid.rows
    }

    pub(super) fn finish(self) -> Grid {
        self.grid
    }

    fn count(&mut self, cells: usize, text_bytes: usize) -> Result<()> {
        self.cells = self.cells.saturating_add(cells);
        self.text_bytes = self.text_bytes.saturating_add(text_bytes);
        if self.cells > MAX_CELLS {
            return Err(Error::invalid(
                F,
                format!("单元格超过 {MAX_CELLS} 个（含夹在中间的空白单元格），超出上限；请拆分为多个文件后重新导入"),
            ));
        }
        if self.text_bytes > MAX_TEXT_BYTES {
            return Err(Error::invalid(
                F,
                format!(
                    "文字总量超过 {} MB，超出上限；请拆分为多个文件后重新导入",
                    MAX_TEXT_BYTES / 1024 / 1024
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<()>) -> String {
        r.map_or_else(|e| e.to_string(), |()| String::new())
    }

    #[test]
    fn positions_are_refused_before_anything_grows() {
        let mut b = Bounded::default();
        b.put(0, 0, "姓名".into()).unwrap();
        let far = message(b.put(1_048_575, 16_383, "x".into()));
        assert!(far.contains("XFD1048576") && far.contains("100000"), "{far}");
        assert_eq!(b.rows().len(), 1, "nothing was padded");
        b.put(MAX_ROWS, MAX_COLUMNS - 1, "x".into()).unwrap();
        assert_eq!(b.rows().len(), MAX_ROWS + 1);
        let wide = message(b.put(0, MAX_COLUMNS, "x".into()));
        assert!(wide.contains(&format!("最多 {MAX_COLUMNS} 列")), "{wide}");
    }

    #[test]
    fn cells_and_text_are_counted() {
        let mut b = Bounded::default();
        b.put(0, 0, "字".repeat(MAX_CELL_CHARS)).unwrap();
        let long = message(b.put(0, 1, "字".repeat(MAX_CELL_CHARS + 1)));
        assert!(long.contains("B1") && long.contains("10001"), "{long}");
        // Each far cell costs its row and the blanks before it.
        let mut b = Bounded::default();
        let fit = (0..).find(|&r| b.put(r, MAX_COLUMNS - 1, String::new()).is_err());
        assert_eq!(fit, Some(MAX_CELLS / (MAX_COLUMNS + 1)));
        let many = message(
            b.put(0, 0, String::new())
                .and(b.count_issue(&CellIssue::new(1, "A", "x"))),
        );
        assert!(many.contains("超过 5000000 个"), "{many}");
    }
}
