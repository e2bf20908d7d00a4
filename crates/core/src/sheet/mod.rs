//! Spreadsheets in and out (Excel 台账): reading .xlsx and .csv (UTF-8 or
//! GB18030) into text cells with the problems a person can fix, within the
//! bounds of `rules::import` whatever the file, and writing .xlsx (with
//! drop-down lists for templates) and .csv.
mod bounded;
mod csv;
mod headers;
mod read;
mod write;
mod xlsx;
mod xmlcheck;
mod zipcheck;

pub use headers::map_headers;
pub use read::{date_text, example, read, CellIssue, Grid, EXAMPLE_MARK};
pub use write::{to_csv, to_xlsx, Table};
