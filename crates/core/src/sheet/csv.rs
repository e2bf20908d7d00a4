//! A .csv (UTF-8, with or without BOM, or GB18030) read record by record into
//! a bounded grid, stopping at the first row, column, cell or total past the
//! rule table.
use super::bounded::Bounded;
use super::read::Grid;
use crate::rules::import::MAX_COLUMNS;
use crate::{Error, Result};
use std::borrow::Cow;

const F: &str = "文件";

pub(super) fn read_csv(bytes: &[u8]) -> Result<Grid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text: Cow<'_, [u8]> = if std::str::from_utf8(bytes).is_ok() {
        Cow::Borrowed(bytes)
    } else {
        let (s, _, had_errors) = encoding_rs::GB18030.decode(bytes);
        if had_errors {
            return Err(Error::invalid(
                F,
                "无法识别文件编码；CSV 请保存为 UTF-8 或 GB18030（GBK）编码",
            ));
        }
        Cow::Owned(s.into_owned().into_bytes())
    };
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_ref());
    let mut grid = Bounded::default();
    let mut record = ::csv::StringRecord::new();
    for row in 0.. {
        let more = rdr.read_record(&mut record).map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::invalid(F, format!("CSV 第 {line} 行格式错误（引号不成对？）"))
        })?;
        if !more {
            break;
        }
        if record.len() > MAX_COLUMNS {
            Bounded::check_position(row, MAX_COLUMNS)?;
        }
        for (column, field) in record.iter().enumerate() {
            grid.put(row, column, field.trim().to_string())?;
        }
    }
    Ok(grid.finish())
}
