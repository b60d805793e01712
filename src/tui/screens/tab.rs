//! The six tabs, in the order of the tab bar.

use crate::app::rosters::RosterKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Items,
    Institutions,
    Inspectors,
    Plans,
    Tasks,
    Stats,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Items,
        Tab::Institutions,
        Tab::Inspectors,
        Tab::Plans,
        Tab::Tasks,
        Tab::Stats,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Tab {
        Tab::ALL[i % Tab::ALL.len()]
    }

    /// The roster a tab shows, with its index in `App::rosters`.
    pub fn roster(self) -> Option<(usize, RosterKind)> {
        match self {
            Tab::Items => Some((0, RosterKind::Items)),
            Tab::Institutions => Some((1, RosterKind::Institutions)),
            Tab::Inspectors => Some((2, RosterKind::Inspectors)),
            _ => None,
        }
    }
}
