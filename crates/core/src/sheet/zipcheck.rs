//! An .xlsx is a zip. Before calamine opens one, every entry is inflated into
//! a sink while its real size is counted (the sizes a zip declares are never
//! trusted) and its XML is read event by event, so calamine later meets only
//! parts whose size, tags, cell texts, cell positions and shared-string count
//! are known to be within the rule table.
use super::xmlcheck::{Exceeded, Part};
use crate::rules::import::{ratio_exceeded, MAX_ENTRIES, MAX_UNCOMPRESSED_BYTES, MAX_XML_EVENT_BYTES};
use crate::{Error, Result};
use std::io::{self, BufRead, BufReader, Cursor, Read};

const F: &str = "文件";

pub(super) fn damaged() -> Error {
    Error::invalid(
        F,
        "不是有效的 xlsx 文件，或文件已损坏；请在 Excel 中打开并“另存为 .xlsx”后重新导入",
    )
}

fn too_many_entries(n: usize) -> Error {
    Error::invalid(
        F,
        format!("文件内含 {n} 个部件，超出上限 {MAX_ENTRIES} 个，不像是 Excel 保存的 xlsx；请在 Excel 中“另存为 .xlsx”后重新导入"),
    )
}

/// Refuses an .xlsx whose zip could make reading it unbounded.
pub(super) fn check(bytes: &[u8]) -> Result<()> {
    let declared = declared_entries(bytes)?;
    if declared > MAX_ENTRIES {
        return Err(too_many_entries(declared));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| damaged())?;
    if zip.len() > MAX_ENTRIES {
        return Err(too_many_entries(zip.len()));
    }
    let file_len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|_| damaged())?;
        let compressed = entry.compressed_size().min(file_len);
        let mut inflated = Inflating::new(entry, compressed, MAX_UNCOMPRESSED_BYTES.saturating_sub(total));
        let outcome = scan(&mut inflated);
        if let Some(over) = inflated.exceeded {
            return Err(over.error());
        }
        outcome?;
        total = total.saturating_add(inflated.count);
    }
    Ok(())
}

/// The entry count of the zip's end record; a zip64 archive (only needed past
/// 4 GiB or 65,535 entries) is refused, as no workbook an import takes is one.
fn declared_entries(bytes: &[u8]) -> Result<usize> {
    const END: &[u8] = b"PK\x05\x06";
    let tail_from = bytes.len().saturating_sub(22 + usize::from(u16::MAX));
    let tail = bytes.get(tail_from..).unwrap_or_default();
    let at = tail.windows(4).rposition(|w| w == END).ok_or_else(damaged)?;
    if tail.windows(4).any(|w| w == b"PK\x06\x06" || w == b"PK\x06\x07") {
        return Err(damaged());
    }
    let entries = tail.get(at + 10..at + 12).ok_or_else(damaged)?;
    Ok(usize::from(u16::from_le_bytes([entries[0], entries[1]])))
}

/// Inflates an entry, reads it as XML when it is XML, else into a sink.
fn scan<R: Read>(inflated: &mut Inflating<R>) -> Result<()> {
    let mut reader = BufReader::new(inflated);
    let head = reader.fill_buf().map_err(|_| damaged())?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
        io::copy(&mut reader, &mut io::sink()).map_err(|_| damaged())?;
        return Ok(());
    }
    reader.get_mut().event_limit = true;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.trim_text(false);
    let mut part = Part::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(event) => part.see(&event)?,
            // calamine meets the same fault if it reads this part; the rest
            // is still inflated and counted.
            Err(_) => {
                let rest = xml.get_mut();
                rest.get_mut().event_limit = false;
                io::copy(rest, &mut io::sink()).map_err(|_| damaged())?;
                break;
            }
        }
        xml.get_mut().get_mut().mark();
    }
    part.finish()
}

/// An entry's bytes as they inflate, counted against the caps.
struct Inflating<R> {
    inner: R,
    count: u64,
    compressed: u64,
    budget: u64,
    /// Where the XML event being read began, when events are measured.
    event_start: u64,
    event_limit: bool,
    exceeded: Option<Exceeded>,
}

impl<R: Read> Inflating<R> {
    fn new(inner: R, compressed: u64, budget: u64) -> Self {
        Inflating {
            inner,
            count: 0,
            compressed,
            budget,
            event_start: 0,
            event_limit: false,
            exceeded: None,
        }
    }

    fn mark(&mut self) {
        self.event_start = self.count;
    }
}

impl<R: Read> Read for Inflating<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.exceeded.is_some() {
            return Err(io::Error::other("import limit"));
        }
        let n = self.inner.read(buf)?;
        self.count = self.count.saturating_add(n as u64);
        self.exceeded = if self.count > self.budget {
            Some(Exceeded::Total)
        } else if ratio_exceeded(self.count, self.compressed) {
            Some(Exceeded::Ratio)
        } else if self.event_limit && self.count - self.event_start > MAX_XML_EVENT_BYTES {
            Some(Exceeded::Event)
        } else {
            None
        };
        match self.exceeded {
            Some(_) => Err(io::Error::other("import limit")),
            None => Ok(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_record_is_read_and_zip64_refused() {
        let mut end = b"PK\x05\x06".to_vec();
        end.extend([0, 0, 0, 0, 0x34, 0x12, 0x34, 0x12]);
        end.extend([0; 10]);
        assert_eq!(declared_entries(&end).unwrap(), 0x1234);
        assert!(declared_entries(b"PK\x03\x04 no end").is_err());
        let zip64 = [b"PK\x06\x07".as_slice(), &end].concat();
        assert!(declared_entries(&zip64).is_err());
    }
}
