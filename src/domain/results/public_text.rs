//! What published free text must not hold: phone numbers and identity numbers.

use regex::Regex;

use super::Problem;
use crate::domain::ids::check_resident_id;

fn phone_pattern() -> Regex {
    // Mobile numbers (11 digits starting 1[3-9]) and landlines with an area code (0xx-xxxxxxx).
    Regex::new(r"(^|[^0-9])(1[3-9][0-9]{9}|0[0-9]{2,3}[- ]?[0-9]{7,8})([^0-9]|$)").expect("static pattern")
}

fn id_pattern() -> Regex {
    Regex::new(r"[0-9]{17}[0-9Xx]").expect("static pattern")
}

/// A phone number or a valid 居民身份证号 in public free text.
pub fn private_in_public_text(text: &str) -> Option<Problem> {
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
