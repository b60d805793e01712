//! What published free text must not hold: phone numbers and identity numbers.

use regex::Regex;

use super::Problem;
use crate::domain::ids::check_resident_id;
use crate::domain::text::comparable;

fn phone_pattern() -> Regex {
    // Mobile numbers (11 digits starting 1[3-9]) and landlines with an area code (0xx-xxxxxxx).
    Regex::new(r"(^|[^0-9])(1[3-9][0-9]{9}|0[0-9]{2,3}[- ]?[0-9]{7,8})([^0-9]|$)").expect("static pattern")
}

fn id_pattern() -> Regex {
    Regex::new(r"[0-9]{17}[0-9Xx]").expect("static pattern")
}

/// A phone number or a valid 居民身份证号 in public free text, however its digits are written
/// (separators, full-width digits, Chinese numerals: see [`comparable`]).
pub fn private_in_public_text(text: &str) -> Option<Problem> {
    let text = &comparable(text);
    if phone_pattern().is_match(text) {
        return Some(Problem::PhoneInPublic);
    }
    if id_pattern()
        .find_iter(text)
        .any(|m| check_resident_id(&m.as_str().to_uppercase()).is_ok())
    {
        return Some(Problem::IdNumberInPublic);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_found_however_they_are_written() {
        for text in [
            "联系 139-0000-0001",
            "联系 139 0000 0001",
            "联系 １３９００００００01",
            "联系 一三九〇〇〇〇〇〇〇一",
            "电话(0771)548-2455",
        ] {
            assert_eq!(private_in_public_text(text), Some(Problem::PhoneInPublic), "{text}");
        }
        assert_eq!(
            private_in_public_text("身份证１１０１０５１９４９１２３１００２Ｘ"),
            Some(Problem::IdNumberInPublic)
        );
        assert_eq!(private_in_public_text("已于2026-03-12整改完毕，追回1,200.50元"), None);
    }
}
