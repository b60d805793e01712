//! What a key, a mouse event or the clock asks the application to do.

/// Every change to the application state goes through one of these (see `update`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    // Everywhere.
    Quit,
    Help,
    NextTab,
    PrevTab,
    GoTab(usize),
    // Moving in lists (and scrolling popups).
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    ToggleDetail,
    // The welcome screen.
    LoadDemo,
    // Roster tabs.
    StartFilter,
    ClearFilter,
    CycleSort,
    ToggleSortDir,
    ToggleInactive,
    Import,
    Export,
    AddRecord,
    EditRecord,
    Deactivate,
    // Plans tab.
    NewPlan,
    EditPlan,
    Freeze,
    Draw,
    Publish,
    ShowDigest,
    /// From the digest popup: write the plan announcement (抽查计划公告) to publish with it.
    ExportAnnouncement,
    // Tasks tab.
    ReplaceTask,
    ExportAudit,
    PrevPlan,
    NextPlan,
    /// Open the results form of the selected task.
    RecordResult,
    /// Remove the selected task's result (asks for a reason).
    ClearResult,
    ExportDisclosure,
    ExportTaskSheet,
    ImportResults,
    /// Overdue rectifications, publication deadlines, flagged persons.
    ShowFollowup,
    // The results form.
    /// Choose a value for the focused input (or today's date).
    Pick,
    AddFinding,
    AddPoints,
    RemoveRow,
    /// Tick an option of a multiple choice.
    Toggle,
    // Text input, forms and popups.
    Char(char),
    Paste(String),
    Backspace,
    Delete,
    Left,
    Right,
    LineStart,
    LineEnd,
    Newline,
    NextField,
    PrevField,
    Submit,
    Save,
    Cancel,
    Confirm,
    GenerateSeed,
    CycleKind,
    // Mouse and terminal.
    Click {
        x: u16,
        y: u16,
    },
    ScrollUp,
    ScrollDown,
    Resize(u16, u16),
    Tick,
    /// The user paused: run deferred queries and read ahead.
    Idle,
    /// Collect work finished on other threads (the search index, a search's count).
    Poll,
    /// Open the screen of row `n` of the key table (`Binding::opens`).
    Open(usize),
}

impl Action {
    /// Every action a key can trigger: the keymap must bind each of them somewhere.
    /// (Typed characters, pasted text, the mouse, resizes and ticks do not come from the table.)
    pub fn bindable() -> Vec<Action> {
        use Action::*;
        let mut v = vec![
            Quit,
            Help,
            NextTab,
            PrevTab,
            Up,
            Down,
            PageUp,
            PageDown,
            Top,
            Bottom,
            ToggleDetail,
            LoadDemo,
            StartFilter,
            ClearFilter,
            CycleSort,
            ToggleSortDir,
            ToggleInactive,
            Import,
            Export,
            AddRecord,
            EditRecord,
            Deactivate,
            NewPlan,
            EditPlan,
            Freeze,
            Draw,
            Publish,
            ShowDigest,
            ExportAnnouncement,
            ReplaceTask,
            ExportAudit,
            PrevPlan,
            NextPlan,
            RecordResult,
            ClearResult,
            ExportDisclosure,
            ExportTaskSheet,
            ImportResults,
            ShowFollowup,
            Pick,
            AddFinding,
            AddPoints,
            RemoveRow,
            Toggle,
            Backspace,
            Delete,
            Left,
            Right,
            LineStart,
            LineEnd,
            Newline,
            NextField,
            PrevField,
            Submit,
            Save,
            Cancel,
            Confirm,
            GenerateSeed,
            CycleKind,
        ];
        v.extend((0..6).map(GoTab));
        v
    }
}
