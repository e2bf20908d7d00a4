//! What one XML part of an .xlsx may hold before calamine reads it: cell
//! texts within bounds, cell positions it can parse without overflowing
//! (`r="ZZZZZZZZ1"`, `ref="B2:A1"`), and no more shared strings than a sheet
//! could use, declared (`uniqueCount`, which calamine reserves) or present.
use super::zipcheck::damaged;
use crate::rules::import::{MAX_CELLS, MAX_CELL_CHARS, MAX_UNCOMPRESSED_BYTES, MAX_XML_EVENT_BYTES};
use crate::{Error, Result};
use quick_xml::events::{BytesStart, Event};

const F: &str = "文件";

/// Raw bytes of one cell's or shared string's text: a character is at most
/// 8 bytes as XML writes it (`&#x10FFFF;` reads as `#x10FFFF`).
pub(super) const MAX_RUN_BYTES: usize = MAX_CELL_CHARS * 8;

/// Which cap an entry passed while inflating.
#[derive(Clone, Copy, Debug)]
pub(super) enum Exceeded {
    Total,
    Ratio,
    Event,
}

impl Exceeded {
    pub(super) fn error(self) -> Error {
        let mib = |b: u64| b / 1024 / 1024;
        let message = match self {
            Exceeded::Total => format!(
                "文件解压后超过 {} MB，超出上限；请删除多余的内容，或拆分为多个文件后重新导入",
                mib(MAX_UNCOMPRESSED_BYTES)
            ),
            Exceeded::Ratio => format!(
                "文件解压后超过压缩时的 {} 倍，不像是 Excel 保存的 xlsx；请在 Excel 中“另存为 .xlsx”后重新导入",
                crate::rules::import::MAX_RATIO
            ),
            Exceeded::Event => format!(
                "文件中有一段内容超过 {} MB，超出上限，文件可能已损坏；请在 Excel 中“另存为 .xlsx”后重新导入",
                mib(MAX_XML_EVENT_BYTES)
            ),
        };
        Error::invalid(F, message)
    }
}

/// What has been seen of one part so far.
#[derive(Default)]
pub(super) struct Part {
    /// Inside a cell (`c`) or a shared string (`si`), and its text so far.
    in_text: bool,
    run_bytes: usize,
    shared_strings: usize,
    unique_count: Option<u64>,
}

impl Part {
    pub(super) fn see(&mut self, event: &Event<'_>) -> Result<()> {
        match event {
            Event::Start(e) | Event::Empty(e) => self.start(e, matches!(event, Event::Start(_))),
            Event::End(e) => {
                if matches!(e.local_name().as_ref(), "c" | "si") {
                    self.in_text = false;
                }
                Ok(())
            }
            Event::Text(t) => self.text(t.len()),
            Event::CData(t) => self.text(t.len()),
            Event::GeneralRef(t) => self.text(t.len()),
            _ => Ok(()),
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, opens: bool) -> Result<()> {
        match e.local_name().as_ref() {
            "sst" => each_attribute(e, "uniqueCount", |v| {
                self.unique_count = Some(parse_count(v.as_bytes()));
                Ok(())
            })?,
            "si" => {
                self.shared_strings += 1;
                self.begin_text(opens);
            }
            "c" => {
                check_references(e, "r")?;
                self.begin_text(opens);
            }
            "row" => each_attribute(e, "r", |r| {
                if r.is_empty() || r.len() > 7 || !r.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad_position(r));
                }
                Ok(())
            })?,
            "dimension" | "mergeCell" | "f" => check_references(e, "ref")?,
            _ => {}
        }
        Ok(())
    }

    fn begin_text(&mut self, opens: bool) {
        self.in_text = opens;
        self.run_bytes = 0;
    }

    fn text(&mut self, bytes: usize) -> Result<()> {
        if !self.in_text {
            return Ok(());
        }
        self.run_bytes = self.run_bytes.saturating_add(bytes);
        if self.run_bytes > MAX_RUN_BYTES {
            return Err(Error::invalid(
                F,
                format!("有单元格的文字超过 {MAX_CELL_CHARS} 个字符，超出上限；请删减后重新导入"),
            ));
        }
        Ok(())
    }

    /// Checks what is known only at the part's end.
    pub(super) fn finish(self) -> Result<()> {
        if self.shared_strings > MAX_CELLS {
            return Err(Error::invalid(
                F,
                format!("文件中的文字超过 {MAX_CELLS} 个单元格，超出上限；请拆分为多个文件后重新导入"),
            ));
        }
        match self.unique_count {
            Some(n) if n > self.shared_strings as u64 => Err(damaged()),
            _ => Ok(()),
        }
    }
}

/// Calls `check` with every value of the attribute `name` (by local name),
/// raw; duplicates are all checked, as a reader may take either.
fn each_attribute(e: &BytesStart<'_>, name: &str, mut check: impl FnMut(&str) -> Result<()>) -> Result<()> {
    let mut all = e.attributes();
    all.with_checks(false);
    for a in all.flatten() {
        if a.key.local_name().as_ref() == name {
            check(&a.value)?;
        }
    }
    Ok(())
}

/// A count as calamine reads it: digits only; anything else it ignores, and
/// so may this check (an overflowing count is as large as can be).
fn parse_count(v: &[u8]) -> u64 {
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX)
}

fn bad_position(v: &str) -> Error {
    let shown: String = v.chars().take(40).collect();
    Error::invalid(
        F,
        format!("单元格位置“{shown}”无效，文件可能已损坏；请在 Excel 中“另存为 .xlsx”后重新导入"),
    )
}

/// A cell (`B3`) or range (`A1:C9`) within what Excel can name: at most 3
/// letters and 7 digits a cell, a range's end not before its start.
fn check_references(e: &BytesStart<'_>, name: &str) -> Result<()> {
    each_attribute(e, name, check_reference)
}

fn check_reference(v: &str) -> Result<()> {
    let mut parts = v.split(':').map(cell_position);
    let fits = match (parts.next(), parts.next(), parts.next()) {
        (Some(Some(_)), None, _) => true,
        (Some(Some(start)), Some(Some(end)), None) => end.0 >= start.0 && end.1 >= start.1,
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(bad_position(v))
    }
}

/// (row, column) of `B3` as written, or `None` past 3 letters or 7 digits.
fn cell_position(part: &str) -> Option<(u64, u32)> {
    let letters = part.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (column, row) = (part.get(..letters)?, part.get(letters..)?);
    if letters > 3 || row.len() > 7 || !row.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let column = column
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1);
    Some((parse_count(row.as_bytes()), column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(xml: &str) -> Result<()> {
        let mut r = quick_xml::Reader::from_str(xml);
        let mut part = Part::default();
        loop {
            match r.read_event() {
                Ok(Event::Eof) => return part.finish(),
                Ok(e) => part.see(&e)?,
                Err(_) => return Err(damaged()),
            }
        }
    }

    #[test]
    fn positions_calamine_could_not_parse_are_refused() {
        assert!(refs(r#"<c r="XFD1048576"/><dimension ref="A1:XFD1048576"/><row r="1048576"/>"#).is_ok());
        assert!(refs(r#"<mergeCell ref="A1:B2"/><f ref="C3:C9"/>"#).is_ok());
        for bad in [
            r#"<c r="ZZZZ1"/>"#,
            r#"<c r="A12345678"/>"#,
            r#"<dimension ref="B2:A1"/>"#,
            r#"<mergeCell ref="A2:B1"/>"#,
            r#"<f ref="A1:B2:C3"/>"#,
            r#"<row r="99999999999"/>"#,
        ] {
            let e = refs(bad).unwrap_err().to_string();
            assert!(e.contains("单元格位置"), "{bad}: {e}");
        }
    }

    #[test]
    fn shared_strings_and_cell_texts_are_bounded() {
        assert!(refs(r#"<sst uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>"#).is_ok());
        let claimed = refs(r#"<sst uniqueCount="99999999999999999999"><si><t>a</t></si></sst>"#);
        assert!(claimed.unwrap_err().to_string().contains("已损坏"));
        let long = format!(
            "<si><r><t>{0}</t></r><r><t>{0}</t></r></si>",
            "a".repeat(MAX_RUN_BYTES / 2 + 1)
        );
        assert!(refs(&long).unwrap_err().to_string().contains("超过 10000 个字符"));
        let outside = format!("<x>{0}</x><x>{0}</x>", "a".repeat(MAX_RUN_BYTES));
        assert!(refs(&outside).is_ok(), "text outside cells is not a cell's");
    }
}
