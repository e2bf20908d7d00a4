//! Checks on text a user typed: one place, one set of Chinese messages.
use crate::{Error, Result};
use std::borrow::Cow;

/// A character no stored text may hold. PostgreSQL text cannot hold U+0000;
/// XML 1.0 (every .xlsx) cannot hold the other C0 controls but tab, LF and
/// CR, nor U+FFFE/U+FFFF; the other noncharacters (U+FDD0–U+FDEF and the last
/// two code points of every plane) are not for interchange; DEL and the C1
/// controls are invisible. (Lone surrogates cannot occur in a Rust string.)
pub fn unstorable(c: char) -> bool {
    let n = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// Refuses a value holding an `unstorable` character, naming the field and
/// the character (they are invisible, so the code point says which).
pub fn refuse_unstorable(field: &str, value: &str) -> Result<()> {
    match value.chars().find(|c| unstorable(*c)) {
        None => Ok(()),
        Some(c) => Err(Error::invalid(
            field,
            format!("含有无法保存的不可见字符（U+{:04X}），请删除后重新填写", c as u32),
        )),
    }
}

/// Text stored before the edge refused such characters, made safe for XML
/// and PostgreSQL: each `unstorable` character becomes U+FFFD.
pub fn replace_unstorable(value: &str) -> Cow<'_, str> {
    if value.chars().any(unstorable) {
        Cow::Owned(
            value
                .chars()
                .map(|c| if unstorable(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(value)
    }
}

/// What a field may hold.
#[derive(Clone, Copy)]
pub enum TextKind {
    /// Login names: letters, digits, `_ . -`.
    Username,
    /// Names of people, organizations, units: no markup or quoting characters.
    Name,
    /// Free text: anything printable (shown escaped).
    Free,
}

/// Trims, then checks length (in characters), control characters and the
/// characters the kind forbids. Returns the trimmed text.
pub fn check(field: &str, value: &str, max_chars: usize, kind: TextKind) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, "不能为空，请填写"));
    }
    let n = v.chars().count();
    if n > max_chars {
        return Err(Error::invalid(
            field,
            format!("长度为 {n} 个字符，超过上限 {max_chars}，请删减"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && !(matches!(kind, TextKind::Free) && (c == '\n' || c == '\t' || c == '\r')))
    {
        return Err(Error::invalid(field, "含有控制字符，请删除不可见字符后重新填写"));
    }
    match kind {
        TextKind::Username => {
            if !v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            {
                return Err(Error::invalid(field, "只能包含英文字母、数字和 _ . -，请修改"));
            }
        }
        TextKind::Name => {
            if let Some(c) = v.chars().find(|c| "<>\"'`;\\&".contains(*c)) {
                return Err(Error::invalid(field, format!("不能包含特殊字符“{c}”，请删除")));
            }
        }
        TextKind::Free => {}
    }
    Ok(v.to_string())
}

/// Like `check` but an empty value is allowed and gives `None`.
pub fn check_optional(field: &str, value: Option<&str>, max_chars: usize, kind: TextKind) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => check(field, v, max_chars, kind).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_markup_and_controls() {
        assert!(check("名称", "第一党支部", 50, TextKind::Name).is_ok());
        assert!(check("名称", "<script>", 50, TextKind::Name).is_err());
        assert!(check("名称", "a'; DROP TABLE x;--", 50, TextKind::Name).is_err());
        assert!(check("名称", "a\u{0}b", 50, TextKind::Name).is_err());
        assert!(check("名称", "   ", 50, TextKind::Name).is_err());
        assert!(check("名称", &"长".repeat(51), 50, TextKind::Name).is_err());
        assert_eq!(
            check("名称", &"长".repeat(50), 50, TextKind::Name)
                .unwrap()
                .chars()
                .count(),
            50
        );
    }

    #[test]
    fn free_text_keeps_newlines() {
        assert!(check("内容", "第一行\n第二行 <b>", 100, TextKind::Free).is_ok());
        assert!(check("内容", "x\u{7}", 100, TextKind::Free).is_err());
    }

    #[test]
    fn what_xml_or_postgresql_cannot_hold_is_unstorable() {
        for c in [
            '\u{0}',
            '\u{1}',
            '\u{b}',
            '\u{1f}',
            '\u{7f}',
            '\u{85}',
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ] {
            assert!(unstorable(c), "U+{:04X}", c as u32);
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '张',
            '\u{a0}',
            '\u{fdcf}',
            '\u{fdf0}',
            '\u{fffd}',
            '\u{1f600}',
            '\u{10fffd}',
        ] {
            assert!(!unstorable(c), "U+{:04X}", c as u32);
        }
        match refuse_unstorable("用户名", "a\u{0}b") {
            Err(Error::Invalid { field, message }) => {
                assert_eq!(field, "用户名");
                assert!(message.contains("U+0000"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(refuse_unstorable("内容", "第一行\r\n\t第二行").is_ok());
        assert_eq!(replace_unstorable("a\u{0}b\u{ffff}"), "a\u{fffd}b\u{fffd}");
        assert!(matches!(replace_unstorable("张三"), Cow::Borrowed(_)));
    }

    #[test]
    fn usernames_are_plain() {
        assert!(check("用户名", "zhang.san_1", 32, TextKind::Username).is_ok());
        assert!(check("用户名", "张三", 32, TextKind::Username).is_err());
    }
}
