use pinyin::ToPinyin;

/// Full-width letters, digits and punctuation to their ASCII forms, the
/// ideographic space to a space, then trimmed with inner runs of spaces
/// folded: what people paste from Word and WeChat.
pub fn normalize(s: &str) -> String {
    let half: String = s
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{00A0}' => ' ',
            _ => c,
        })
        .collect();
    half.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Surnames whose reading differs from the character's common one.
const SURNAMES: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('查', "zha"),
    ('盖', "ge"),
    ('朴', "piao"),
    ('尉', "yu"),
    ('乐', "yue"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('覃', "qin"),
    ('长', "chang"),
    ('种', "chong"),
    ('万', "wan"),
    ('沈', "shen"),
    ('秘', "bi"),
    ('员', "yun"),
];

/// (full pinyin, initials) of a name, lower case without tones or spaces:
/// 张三 → ("zhangsan", "zs"); 曾国藩 → ("zengguofan", "zgf"). Letters and
/// digits are kept; other characters (the dot in minority names) dropped.
pub fn name_pinyin(name: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    for (i, (c, py)) in name.chars().zip(name.to_pinyin()).enumerate() {
        let reading = match (i, SURNAMES.iter().find(|(s, _)| *s == c)) {
            (0, Some((_, r))) => Some(*r),
            _ => py.map(|p| p.plain()),
        };
        match reading {
            Some(r) => {
                full.push_str(r);
                initials.push_str(&r[..r.chars().next().map(char::len_utf8).unwrap_or(0)]);
            }
            None if c.is_ascii_alphanumeric() => {
                let l = c.to_ascii_lowercase();
                full.push(l);
                initials.push(l);
            }
            None => {}
        }
    }
    (full, initials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_read_right() {
        let cases = [
            ("张三", "zhangsan", "zs"),
            ("曾国藩", "zengguofan", "zgf"),
            ("单雄信", "shanxiongxin", "sxx"),
            ("解缙", "xiejin", "xj"),
            ("仇英", "qiuying", "qy"),
            ("区伟", "ouwei", "ow"),
            ("查良镛", "zhaliangyong", "zly"),
            ("盖聂", "genie", "gn"),
            ("朴智星", "piaozhixing", "pzx"),
            ("尉迟恭", "yuchigong", "ycg"),
        ];
        for (name, full, ini) in cases {
            assert_eq!(name_pinyin(name), (full.to_string(), ini.to_string()), "{name}");
        }
    }

    #[test]
    fn the_reading_applies_to_the_surname_only() {
        // 曾 as a given-name character keeps its common reading.
        assert_eq!(name_pinyin("王曾").0, "wangceng");
        assert_eq!(name_pinyin("阿依古丽·买买提").1, "aygl".to_string() + "mmt");
    }

    #[test]
    fn full_width_and_spaces_are_normalized() {
        assert_eq!(normalize("　１１０１０５　ＡＢ  c "), "110105 AB c");
        assert_eq!(normalize("张　三"), "张 三");
    }

    /// The name search narrows by the prefix's pinyin (people::store): it
    /// must be a prefix of the pinyin of every name the prefix starts.
    #[test]
    fn a_prefix_reads_as_a_prefix_of_the_name() {
        let names = [
            "曾国藩",
            "单雄信",
            "王曾",
            "阿依古丽·买买提",
            "尉迟恭",
            "万俟卨",
            "A王1",
            "张 三",
            "欧阳修",
            "乐乐",
        ];
        for name in names {
            let full = name_pinyin(name).0;
            let chars: Vec<char> = name.chars().collect();
            for n in 1..=chars.len() {
                let prefix: String = chars[..n].iter().collect();
                let p = name_pinyin(&prefix).0;
                assert!(full.starts_with(&p), "{prefix} → {p}, {name} → {full}");
            }
        }
    }
}
