//! 驾照式记分: what a person's points in a calendar year mean for their 医保支付资格.

use crate::i18n::Lang;

/// A calendar year's total at or above this suspends the person's 医保支付资格 (1–6 months).
pub const POINTS_SUSPEND: u32 = 9;
/// A calendar year's total at or above this terminates it.
pub const POINTS_TERMINATE: u32 = 12;
pub const POINTS_MAX_PER_ENTRY: u32 = 12;

/// What a person's points in one calendar year mean for their 医保支付资格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Qualification {
    Normal,
    /// 9–11 points: 暂停医保支付资格 1–6 个月.
    Suspend,
    /// 12 or more: 终止医保支付资格; 1 year, or 3 years when 12 points came at once.
    Terminate {
        years: u8,
    },
}

impl Qualification {
    /// From a year's total and the largest single entry of that year.
    pub fn of(total: u32, largest_entry: u32) -> Qualification {
        if total >= POINTS_TERMINATE {
            Qualification::Terminate {
                years: if largest_entry >= POINTS_TERMINATE { 3 } else { 1 },
            }
        } else if total >= POINTS_SUSPEND {
            Qualification::Suspend
        } else {
            Qualification::Normal
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Qualification::Normal => "正常",
            Qualification::Suspend => "暂停医保支付资格（1–6 个月）",
            Qualification::Terminate { years: 3 } => "终止医保支付资格（一次记满 12 分，3 年内不得再次登记备案）",
            Qualification::Terminate { .. } => "终止医保支付资格（1 年内不得再次登记备案）",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Qualification::Normal => "normal",
            Qualification::Suspend => "suspend payment qualification (1–6 months)",
            Qualification::Terminate { years: 3 } => "terminate payment qualification (12 points at once: 3 years)",
            Qualification::Terminate { .. } => "terminate payment qualification (1 year)",
        }
    }
    pub fn text(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }
    pub fn flagged(self) -> bool {
        self != Qualification::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_thresholds() {
        assert_eq!(Qualification::of(0, 0), Qualification::Normal);
        assert_eq!(Qualification::of(8, 6), Qualification::Normal);
        assert_eq!(Qualification::of(9, 3), Qualification::Suspend);
        assert_eq!(Qualification::of(11, 6), Qualification::Suspend);
        assert_eq!(Qualification::of(12, 6), Qualification::Terminate { years: 1 });
        assert_eq!(Qualification::of(12, 12), Qualification::Terminate { years: 3 });
        assert_eq!(Qualification::of(20, 10), Qualification::Terminate { years: 1 });
        assert!(Qualification::of(9, 9).flagged() && !Qualification::of(8, 8).flagged());
    }
}
