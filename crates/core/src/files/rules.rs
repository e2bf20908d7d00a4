//! What may be uploaded: an allow-list by extension, each checked against the
//! file's first bytes, and the type it is served with. Markup (HTML, SVG,
//! XML) and programs are never accepted, so nothing stored can render as a page.
use crate::{Error, Result};

/// The field every message names.
pub const FIELD: &str = "佐证材料";

/// How many leading bytes the content check reads.
pub const HEAD_BYTES: usize = 8192;

/// Longest kept file name, in characters (extension included).
pub const MAX_NAME_CHARS: usize = 100;

const ALLOWED: &str = "可上传 PDF、OFD、Word、Excel、PowerPoint、WPS、图片、文本、音视频或压缩包";

#[derive(Clone, Copy)]
enum Sig {
    Pdf,
    Zip,
    Ole2,
    /// OLE2 or zip (WPS Office saves either under its own extensions).
    Wps,
    Png,
    Jpeg,
    Gif,
    Webp,
    Bmp,
    Text,
    /// An ISO media file ("ftyp" box at offset 4).
    Ftyp,
    /// QuickTime: "ftyp" or an older first atom.
    Mov,
    Mp3,
    Wav,
    Rar,
    SevenZip,
}

/// extension → (what the user calls it, signature, type served).
const TYPES: &[(&str, &str, Sig, &str)] = &[
    ("pdf", "PDF", Sig::Pdf, "application/pdf"),
    ("ofd", "OFD 版式文件", Sig::Zip, "application/ofd"),
    ("doc", "Word 文档", Sig::Ole2, "application/msword"),
    ("xls", "Excel 表格", Sig::Ole2, "application/vnd.ms-excel"),
    ("ppt", "PowerPoint 演示文稿", Sig::Ole2, "application/vnd.ms-powerpoint"),
    (
        "docx",
        "Word 文档",
        Sig::Zip,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "Excel 表格",
        Sig::Zip,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "PowerPoint 演示文稿",
        Sig::Zip,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("wps", "WPS 文字文档", Sig::Wps, "application/vnd.ms-works"),
    ("et", "WPS 表格", Sig::Wps, "application/vnd.ms-excel"),
    ("dps", "WPS 演示文稿", Sig::Wps, "application/vnd.ms-powerpoint"),
    ("png", "PNG 图片", Sig::Png, "image/png"),
    ("jpg", "JPEG 图片", Sig::Jpeg, "image/jpeg"),
    ("jpeg", "JPEG 图片", Sig::Jpeg, "image/jpeg"),
    ("gif", "GIF 图片", Sig::Gif, "image/gif"),
    ("webp", "WebP 图片", Sig::Webp, "image/webp"),
    ("bmp", "BMP 图片", Sig::Bmp, "image/bmp"),
    ("txt", "文本", Sig::Text, "text/plain"),
    ("csv", "CSV 文本", Sig::Text, "text/csv"),
    ("mp4", "MP4 视频", Sig::Ftyp, "video/mp4"),
    ("m4a", "M4A 音频", Sig::Ftyp, "audio/mp4"),
    ("mov", "MOV 视频", Sig::Mov, "video/quicktime"),
    ("mp3", "MP3 音频", Sig::Mp3, "audio/mpeg"),
    ("wav", "WAV 音频", Sig::Wav, "audio/wav"),
    ("zip", "ZIP 压缩包", Sig::Zip, "application/zip"),
    ("rar", "RAR 压缩包", Sig::Rar, "application/vnd.rar"),
    ("7z", "7z 压缩包", Sig::SevenZip, "application/x-7z-compressed"),
];

/// The lower-case extension of a name ("" when it has none).
pub fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn entry(name: &str) -> Result<&'static (&'static str, &'static str, Sig, &'static str)> {
    let ext = extension(name);
    if ext.is_empty() {
        return Err(Error::invalid(
            FIELD,
            format!("文件“{name}”没有扩展名，无法判断类型；{ALLOWED}"),
        ));
    }
    TYPES
        .iter()
        .find(|t| t.0 == ext)
        .ok_or_else(|| Error::invalid(FIELD, format!("不支持 .{ext} 类型的文件，{ALLOWED}")))
}

/// Refuses a name whose extension is not on the allow-list (before any byte is read).
pub fn check_name(name: &str) -> Result<()> {
    entry(name).map(|_| ())
}

/// The type to serve for `name`, or None when it is not on the allow-list.
pub fn served_type(name: &str) -> Option<&'static str> {
    entry(name).ok().map(|t| t.3)
}

/// Checks the file's first bytes (up to HEAD_BYTES; `whole` when that is all
/// of it) against what its name says, and returns the type to serve it with.
pub fn check(name: &str, head: &[u8], whole: bool) -> Result<&'static str> {
    let (_, label, sig, mime) = *entry(name)?;
    if head.is_empty() {
        return Err(Error::invalid(FIELD, format!("文件“{name}”是空文件，请重新选择")));
    }
    let ok = match sig {
        Sig::Pdf => head.windows(5).take(1024).any(|w| w == b"%PDF-"),
        Sig::Zip => is_zip(head),
        Sig::Ole2 => head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        Sig::Wps => is_zip(head) || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        Sig::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        Sig::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        Sig::Gif => head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a"),
        Sig::Webp => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
        Sig::Bmp => head.starts_with(b"BM"),
        Sig::Ftyp => head.get(4..8) == Some(b"ftyp"),
        Sig::Mov => matches!(
            head.get(4..8),
            Some(b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free" | b"skip")
        ),
        Sig::Mp3 => head.starts_with(b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0),
        Sig::Wav => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WAVE",
        Sig::Rar => head.starts_with(b"Rar!\x1A\x07"),
        Sig::SevenZip => head.starts_with(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]),
        Sig::Text => return text_type(name, head, whole, mime),
    };
    if ok {
        Ok(mime)
    } else {
        Err(Error::invalid(
            FIELD,
            format!("文件“{name}”的内容不是 {label}，请确认文件未损坏或扩展名正确"),
        ))
    }
}

fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Plain text in UTF-8 or GB18030, with no NUL and not starting like markup.
fn text_type(name: &str, head: &[u8], whole: bool, mime: &str) -> Result<&'static str> {
    let bad = |why: &str| Err(Error::invalid(FIELD, format!("文件“{name}”{why}")));
    if head.contains(&0) {
        return bad("不是文本文件（含有二进制内容），请确认扩展名正确");
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'<') {
        return bad("的内容像网页或标记文件（以“<”开头），不能作为文本上传");
    }
    // A head cut from a longer file may end inside a character.
    let cut = if whole { 0 } else { 3.min(body.len()) };
    let utf8 = (0..=cut).any(|n| std::str::from_utf8(&body[..body.len() - n]).is_ok());
    let gb = !utf8
        && (0..=cut).any(|n| {
            encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(&body[..body.len() - n])
                .is_some()
        });
    Ok(match (mime, utf8, gb) {
        ("text/csv", true, _) => "text/csv; charset=utf-8",
        ("text/csv", _, true) => "text/csv; charset=gb18030",
        (_, true, _) => "text/plain; charset=utf-8",
        (_, _, true) => "text/plain; charset=gb18030",
        _ => return bad("不是 UTF-8 或 GB18030 编码的文本，请另存为 UTF-8 后重新上传"),
    })
}

/// The name as kept: its last path component, without control characters,
/// direction overrides (which can disguise "exe.pdf") or characters Windows refuses, at most MAX_NAME_CHARS long with its extension kept.
pub fn sanitize_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((s, e)) if !s.trim().is_empty() && e.chars().count() <= 10 => (s.trim().to_string(), format!(".{e}")),
        _ if cleaned.is_empty() => ("未命名".to_string(), String::new()),
        _ => (cleaned.clone(), String::new()),
    };
    let room = MAX_NAME_CHARS.saturating_sub(ext.chars().count()).max(1);
    let stem: String = stem.chars().take(room).collect();
    format!("{stem}{ext}")
}

/// A byte count for messages: "20 MiB", "512 KiB", "300 字节".
pub fn size_label(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} 字节")
    }
}

/// The message for a file over the limit.
pub fn too_large(name: &str, max: u64) -> Error {
    Error::invalid(FIELD, format!("文件“{name}”超过 {} 上限", size_label(max)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(name: &str, head: &[u8]) -> &'static str {
        match check(name, head, true) {
            Ok(m) => m,
            Err(e) => panic!("{name}: {e}"),
        }
    }

    fn refused(name: &str, head: &[u8]) -> String {
        match check(name, head, true) {
            Ok(m) => panic!("{name} accepted as {m}"),
            Err(e) => e.to_string(),
        }
    }

    const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];

    #[test]
    fn each_type_is_recognized_by_its_content() {
        assert_eq!(ok("通知.pdf", b"%PDF-1.7\n..."), "application/pdf");
        assert_eq!(ok("发票.OFD", b"PK\x03\x04\x14\x00OFD.xml"), "application/ofd");
        assert_eq!(ok("a.doc", OLE2), "application/msword");
        assert_eq!(ok("a.xls", OLE2), "application/vnd.ms-excel");
        assert_eq!(ok("a.ppt", OLE2), "application/vnd.ms-powerpoint");
        assert!(ok("a.docx", b"PK\x03\x04rest").contains("wordprocessingml"));
        assert!(ok("a.xlsx", b"PK\x03\x04rest").contains("spreadsheetml"));
        assert!(ok("a.pptx", b"PK\x03\x04rest").contains("presentationml"));
        ok("a.wps", OLE2);
        ok("a.et", b"PK\x03\x04");
        assert_eq!(ok("a.png", b"\x89PNG\r\n\x1a\n\0\0"), "image/png");
        assert_eq!(ok("a.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
        assert_eq!(ok("a.JPEG", &[0xFF, 0xD8, 0xFF, 0xE1]), "image/jpeg");
        assert_eq!(ok("a.gif", b"GIF89a.."), "image/gif");
        assert_eq!(ok("a.webp", b"RIFF\x10\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(ok("a.bmp", b"BM\x36\0"), "image/bmp");
        assert_eq!(ok("a.mp4", b"\0\0\0\x20ftypisom"), "video/mp4");
        assert_eq!(ok("a.mov", b"\0\0\0\x14ftypqt  "), "video/quicktime");
        assert_eq!(ok("a.mov", b"\0\0\0\x08wide"), "video/quicktime");
        assert_eq!(ok("a.mp3", b"ID3\x04\0"), "audio/mpeg");
        assert_eq!(ok("a.mp3", &[0xFF, 0xFB, 0x90, 0x64]), "audio/mpeg");
        assert_eq!(ok("a.wav", b"RIFF\x10\0\0\0WAVEfmt "), "audio/wav");
        assert_eq!(ok("a.zip", b"PK\x03\x04"), "application/zip");
        assert_eq!(ok("a.rar", b"Rar!\x1A\x07\x01\x00"), "application/vnd.rar");
        assert_eq!(
            ok("a.7z", &[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0]),
            "application/x-7z-compressed"
        );
    }

    #[test]
    fn text_is_utf8_or_gb18030() {
        assert_eq!(ok("纪要.txt", "会议纪要".as_bytes()), "text/plain; charset=utf-8");
        assert_eq!(ok("纪要.txt", b"\xEF\xBB\xBFhello"), "text/plain; charset=utf-8");
        let (gbk, _, _) = encoding_rs::GB18030.encode("会议纪要：学习贯彻");
        assert_eq!(ok("纪要.txt", &gbk), "text/plain; charset=gb18030");
        assert_eq!(ok("名单.csv", "姓名,支部\n".as_bytes()), "text/csv; charset=utf-8");
        // A head cut inside a character is still text.
        let s = "党".as_bytes();
        assert!(check("a.txt", &[b"ab", &s[..2]].concat(), false).is_ok());
        assert!(refused("a.txt", &[0xFF, 0xFE, b'a', 0]).contains("二进制"));
        assert!(refused("a.txt", &[0x81, 0x20, 0xFF]).contains("UTF-8"));
    }

    #[test]
    fn markup_in_a_text_file_is_refused() {
        for head in [
            &b"<html><script>alert(1)</script>"[..],
            b"\xEF\xBB\xBF  \n<svg xmlns='http://www.w3.org/2000/svg'/>",
            b"\t<!DOCTYPE html>",
        ] {
            let m = refused("说明.txt", head);
            assert!(m.starts_with("佐证材料："), "{m}");
            assert!(m.contains("网页或标记"), "{m}");
        }
        assert!(refused("a.csv", b"<?xml version='1.0'?>").contains("网页或标记"));
    }

    #[test]
    fn content_that_does_not_match_the_name_is_refused() {
        assert_eq!(
            refused("x.pdf", b"PK\x03\x04"),
            "佐证材料：文件“x.pdf”的内容不是 PDF，请确认文件未损坏或扩展名正确"
        );
        assert!(refused("照片.jpg", b"\x89PNG\r\n\x1a\n").contains("不是 JPEG 图片"));
        assert!(refused("a.docx", OLE2).contains("不是 Word 文档"));
        assert!(refused("a.doc", b"PK\x03\x04").contains("不是 Word 文档"));
        assert!(refused("a.mp4", b"<html>").contains("不是 MP4 视频"));
        assert!(refused("a.pdf", b"").contains("空文件"));
    }

    #[test]
    fn markup_and_programs_are_never_allowed() {
        for name in [
            "a.html", "a.htm", "a.svg", "a.xml", "a.js", "a.exe", "a.xhtml", "a.bat", "a.sh",
        ] {
            let m = refused(name, b"MZ");
            assert!(m.contains("不支持 ."), "{m}");
            assert!(m.contains("PDF、OFD"), "{m}");
            assert!(served_type(name).is_none());
        }
        assert_eq!(
            refused("a.exe", b"MZ"),
            "佐证材料：不支持 .exe 类型的文件，可上传 PDF、OFD、Word、Excel、PowerPoint、WPS、图片、文本、音视频或压缩包"
        );
        assert!(refused("README", b"hello").contains("没有扩展名"));
        assert!(refused(".pdf", b"%PDF-").contains("没有扩展名"));
        assert!(check_name("a.pdf").is_ok() && check_name("a.html").is_err());
    }

    #[test]
    fn names_are_sanitized() {
        assert_eq!(sanitize_name("C:\\Users\\张三\\Desktop\\报告.pdf"), "报告.pdf");
        assert_eq!(sanitize_name("../../etc/passwd.txt"), "passwd.txt");
        assert_eq!(sanitize_name("a\u{0}b\r\n\u{202e}c.pdf"), "abc.pdf");
        assert_eq!(sanitize_name("a<b>:\"c\".pdf"), "a_b___c_.pdf");
        assert_eq!(sanitize_name("  ..hidden.txt "), "hidden.txt");
        assert_eq!(sanitize_name(""), "未命名");
        assert_eq!(sanitize_name("///"), "未命名");
        let long = format!("{}.docx", "党".repeat(300));
        let s = sanitize_name(&long);
        assert_eq!(s.chars().count(), MAX_NAME_CHARS);
        assert!(s.ends_with("党.docx"));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size_label(20 * 1024 * 1024), "20 MiB");
        assert_eq!(size_label(1536 * 1024), "1.5 MiB");
        assert_eq!(size_label(4096), "4 KiB");
        assert_eq!(
            too_large("a.pdf", 20 * 1024 * 1024).to_string(),
            "佐证材料：文件“a.pdf”超过 20 MiB 上限"
        );
    }
}
