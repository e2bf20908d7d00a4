//! Hostile spreadsheets, made in the test (no binaries in the repository):
//! an .xlsx is a zip of XML parts, written here part by part.
#![allow(dead_code)]
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
/// Style 1 is a date (built-in format 14), so a number in it reads as a date.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

/// A part of the package: its name and where its bytes come from.
pub enum Part {
    Text(String, String),
    /// `n` bytes of `byte`, written a mebibyte at a time, deflated at `level`
    /// (9 makes a zip bomb of some 1,000 times, 1 one of under 100).
    Repeated(String, u8, u64, i64),
}

/// A zip of `parts`, deflated.
pub fn zip(parts: Vec<Part>) -> Vec<u8> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1));
    for part in parts {
        match part {
            Part::Text(name, text) => {
                z.start_file(name, opts).unwrap();
                z.write_all(text.as_bytes()).unwrap();
            }
            Part::Repeated(name, byte, n, level) => {
                z.start_file(name, opts.compression_level(Some(level))).unwrap();
                let chunk = vec![byte; 1 << 20];
                let mut left = n;
                while left > 0 {
                    let k = left.min(chunk.len() as u64) as usize;
                    z.write_all(&chunk[..k]).unwrap();
                    left -= k as u64;
                }
            }
        }
    }
    z.finish().unwrap().into_inner()
}

/// The package parts around a first sheet, plus `extra`.
pub fn workbook(sheet: String, extra: Vec<Part>) -> Vec<u8> {
    let mut parts = vec![
        Part::Text("[Content_Types].xml".into(), CONTENT_TYPES.into()),
        Part::Text("_rels/.rels".into(), RELS.into()),
        Part::Text("xl/workbook.xml".into(), WORKBOOK.into()),
        Part::Text("xl/_rels/workbook.xml.rels".into(), WORKBOOK_RELS.into()),
        Part::Text("xl/styles.xml".into(), STYLES.into()),
        Part::Text("xl/worksheets/sheet1.xml".into(), sheet),
    ];
    parts.extend(extra);
    zip(parts)
}

/// A worksheet whose `<sheetData>` holds `rows` (raw XML), after `before`.
pub fn sheet(before: &str, rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{before}<sheetData>{rows}</sheetData></worksheet>"#
    )
}

/// An inline-string cell.
pub fn cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A, B, …, Z, AA, … for a 0-based column.
pub fn letters(mut c: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (c % 26) as u8) as char);
        if c < 26 {
            return s;
        }
        c = c / 26 - 1;
    }
}

/// Text no compressor shrinks much (letters from a fixed pseudo-random walk).
pub fn noise(n: usize) -> String {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (b'a' + (x % 26) as u8) as char
        })
        .collect()
}
