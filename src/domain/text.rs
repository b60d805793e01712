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

/// Text as compared when looking for private values in public text: NFKC (full-width digits and
/// letters become ASCII), upper case, Chinese numerals as digits (〇零一…九, 壹…玖, 幺), no
/// whitespace, no invisible characters, and no separators between digits (`139-0000 0000`,
/// `(0771)5482455`, `139.0000.0000` all become one run of digits). Applied to both sides, so a
/// value matches however either was written.
pub fn comparable(text: &str) -> String {
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    for c in text.nfkc().flat_map(char::to_uppercase) {
        if c.is_whitespace() || invisible(c).is_some() {
            continue;
        }
        chars.push(chinese_digit(c).unwrap_or(c));
    }
    // Drop separators that stand between digits (and runs of them: `139 - 0000`).
    let is_separator = |c: char| matches!(c, '-' | '–' | '—' | '‐' | '−' | '.' | '·' | '(' | ')' | '/' | '_' | '~');
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_separator(c) && out.ends_with(|p: char| p.is_ascii_digit()) {
            let mut j = i;
            while j < chars.len() && is_separator(chars[j]) {
                j += 1;
            }
            if j < chars.len() && chars[j].is_ascii_digit() {
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn chinese_digit(c: char) -> Option<char> {
    Some(match c {
        '〇' | '零' => '0',
        '一' | '壹' | '幺' => '1',
        '二' | '贰' => '2',
        '三' | '叁' => '3',
        '四' | '肆' => '4',
        '五' | '伍' => '5',
        '六' | '陆' => '6',
        '七' | '柒' => '7',
        '八' | '捌' => '8',
        '九' | '玖' => '9',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparable_text_ignores_how_digits_are_written() {
        for phone in [
            "13900000001",
            "139-0000-0001",
            "139 0000 0001",
            "１３９００００００01",
            "一三九〇〇〇〇〇〇〇一",
            "幺三九 零零零零 零零零壹",
            "139\u{200B}00000001",
        ] {
            assert_eq!(comparable(phone), "13900000001", "{phone}");
        }
        assert_eq!(comparable("(0771) 548-2455"), "(07715482455");
        assert_eq!(comparable("滨江北路６号"), "滨江北路6号");
        assert_eq!(comparable("已整改 - 见附件"), "已整改-见附件");
    }

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
