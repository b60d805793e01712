//! Credit-risk classes (信用等级): A = best credit = lowest risk … D = highest risk.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CreditClass {
    A,
    B,
    C,
    D,
}

impl CreditClass {
    /// Canonical order: strata are drawn A, B, C, D.
    pub const ALL: [CreditClass; 4] = [CreditClass::A, CreditClass::B, CreditClass::C, CreditClass::D];

    pub fn letter(self) -> &'static str {
        match self {
            CreditClass::A => "A",
            CreditClass::B => "B",
            CreditClass::C => "C",
            CreditClass::D => "D",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "A" | "a" => Some(CreditClass::A),
            "B" | "b" => Some(CreditClass::B),
            "C" | "c" => Some(CreditClass::C),
            "D" | "d" => Some(CreditClass::D),
            _ => None,
        }
    }

    /// One class riskier (屡查屡犯 escalation); D stays D.
    pub fn riskier(self) -> Self {
        match self {
            CreditClass::A => CreditClass::B,
            CreditClass::B => CreditClass::C,
            CreditClass::C | CreditClass::D => CreditClass::D,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn risk_zh(self) -> &'static str {
        match self {
            CreditClass::A => "低风险",
            CreditClass::B => "一般风险",
            CreditClass::C => "较高风险",
            CreditClass::D => "高风险",
        }
    }
}

impl std::fmt::Display for CreditClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.letter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_order() {
        assert_eq!(CreditClass::parse("c"), Some(CreditClass::C));
        assert_eq!(CreditClass::parse("E"), None);
        assert!(CreditClass::A < CreditClass::D);
        assert_eq!(CreditClass::C.riskier(), CreditClass::D);
        assert_eq!(CreditClass::D.riskier(), CreditClass::D);
    }
}
