//! Checks on text a user typed: one place, one set of Chinese messages.
use crate::{Error, Result};

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
    fn usernames_are_plain() {
        assert!(check("用户名", "zhang.san_1", 32, TextKind::Username).is_ok());
        assert!(check("用户名", "张三", 32, TextKind::Username).is_err());
    }
}
