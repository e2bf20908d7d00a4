//! The header row of an import: every template column found once, nothing else.
use super::CellIssue;
use std::collections::HashMap;

impl CellIssue {
    pub fn new(row: usize, column: &str, message: impl Into<String>) -> CellIssue {
        CellIssue {
            row,
            column: column.to_string(),
            message: message.into(),
        }
    }
}

/// Maps each of `columns` to its position in `header`, or says, in row 1,
/// what is renamed, repeated or missing. The first `required` columns must
/// be present. Headers compare as typed in full or half width and with
/// either kind of brackets (月工资基数(元) is 月工资基数（元）).
pub fn map_headers(
    header: &[String],
    columns: &[&'static str],
    required: usize,
) -> Result<HashMap<&'static str, usize>, Vec<CellIssue>> {
    let bare = |s: &str| crate::people::normalize(s).replace(['(', ')', '（', '）'], "");
    let mut map = HashMap::new();
    let mut errs = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let typed = crate::people::normalize(h);
        if typed.is_empty() {
            continue;
        }
        match columns.iter().find(|c| bare(c) == bare(&typed)) {
            Some(c) if map.contains_key(c) => errs.push(CellIssue::new(1, c, "列名重复，请删除多余的一列")),
            Some(c) => {
                map.insert(*c, i);
            }
            None => errs.push(CellIssue::new(
                1,
                &typed,
                "无法识别的列名，请使用下载的模板，不要修改表头",
            )),
        }
    }
    for c in &columns[..required.min(columns.len())] {
        if !map.contains_key(c) {
            errs.push(CellIssue::new(1, c, "缺少此列，请使用下载的模板"));
        }
    }
    if errs.is_empty() {
        Ok(map)
    } else {
        Err(errs)
    }
}
