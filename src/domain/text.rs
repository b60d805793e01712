//! Text that looks the same but is not: invisible and direction-changing characters, and keys
//! that differ only by full-width forms or letter case.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// What an invisible character does, when `c` is one: zero-width characters, direction
/// overrides and isolates, fillers, variation selectors and tags. A cell holding one shows
/// the same as a cell without it (or, for bidi controls, shows its text reordered), so two
/// such cells look equal and are not.
pub fn invisible(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        '\u{200B}' => ("零宽空格", "zero-width space"),
        '\u{200C}' => ("零宽不连字", "zero-width non-joiner"),
        '\u{200D}' => ("零宽连字", "zero-width joiner"),
        '\u{2060}' => ("零宽不换行", "word joiner"),
        '\u{FEFF}' => ("零宽不换行空格（BOM）", "zero-width no-break space (BOM)"),
        '\u{00AD}' => ("软连字符", "soft hyphen"),
        '\u{034F}' => ("组合字形连接符", "combining grapheme joiner"),
        '\u{200E}' | '\u{200F}' | '\u{061C}' => ("文字方向标记", "direction mark"),
        '\u{202A}'..='\u{202E}' => (
            "文字方向覆盖（显示顺序与实际不同）",
            "bidi embedding/override (shown reordered)",
        ),
        '\u{2066}'..='\u{2069}' => ("文字方向隔离（显示顺序与实际不同）", "bidi isolate (shown reordered)"),
        '\u{2061}'..='\u{2064}' | '\u{206A}'..='\u{206F}' | '\u{FFF9}'..='\u{FFFB}' => {
            ("不可见格式字符", "invisible format character")
        }
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{17B4}' | '\u{17B5}' => {
            ("空白填充字符", "filler character")
        }
        '\u{180B}'..='\u{180F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' => {
            ("变体选择符", "variation selector")
        }
        '\u{E0000}'..='\u{E007F}' => ("标签字符", "tag character"),
        _ => return None,
    })
}

/// The first invisible character of `s` and what it is.
pub fn first_invisible(s: &str) -> Option<(char, &'static str, &'static str)> {
    s.chars().find_map(|c| invisible(c).map(|(zh, en)| (c, zh, en)))
}

/// A key as compared for sameness: NFKC (full-width letters and digits become half-width,
/// compatibility forms their plain letters) and upper case. `ＬＪ００１`, `lj001` and `LJ001`
/// fold to the same key. Keys already in that form (the usual upper-case ASCII codes) are
/// returned as they are.
pub fn fold_key(key: &str) -> Cow<'_, str> {
    if key.bytes().all(|b| b.is_ascii() && !b.is_ascii_lowercase()) {
        return Cow::Borrowed(key);
    }
    let folded: String = key.nfkc().flat_map(char::to_uppercase).collect();
    if folded == key {
        Cow::Borrowed(key)
    } else {
        Cow::Owned(folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_bidi_characters_are_named() {
        assert_eq!(first_invisible("张\u{200B}三").map(|x| x.0), Some('\u{200B}'));
        assert!(first_invisible("LJ\u{202E}100").unwrap().1.contains("方向"));
        assert_eq!(first_invisible("张三 (医学)、药学"), None);
        assert_eq!(first_invisible("临江市第一人民医院"), None);
    }

    #[test]
    fn width_and_case_fold_to_one_key() {
        assert_eq!(fold_key("ＬＪ００１"), "LJ001");
        assert_eq!(fold_key("lj001"), "LJ001");
        assert_eq!(fold_key("yb-01"), "YB-01");
        assert!(matches!(fold_key("H45990100001"), Cow::Borrowed(_)));
        assert_eq!(fold_key("张三"), "张三");
        assert_ne!(fold_key("LJ001"), fold_key("LJ002"));
    }
}
