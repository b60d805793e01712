//! Text input: a one-line field and a multi-line text area, both with a cursor counted in
//! characters and drawn in display columns (a Chinese character takes two columns).
//!
//! Hand-written on purpose; the crates were weighed (2026-12, against ratatui 0.30):
//! - `tui-textarea` 0.7 still depends on ratatui 0.29, so it cannot be used.
//! - `ratatui-textarea` 0.9 (ratatui-core 0.1, i.e. the 0.30 line) counts display widths and
//!   soft-wraps at word or grapheme boundaries, but has no 避头尾 rule, draws itself as a
//!   whole widget and brings its own keys and undo; our editor is driven from the one key
//!   table and shows its text beside a live preview, truncated per line (TOML), not wrapped.
//! - `tui-input` 0.15 (ratatui 0.30) is a one-line state with width-aware scrolling: what
//!   `TextField::view` does here in 25 lines. Our fields are drawn inside our own rows
//!   (popup rows, the results form with its problems under each input, the filter line).
//!
//! What either crate would save is the cursor arithmetic below (about 250 lines); the screens
//! and the tests read `TextField::text` and `TextArea::lines` as plain data. The 避头尾 line
//! breaking for display text is `view::wrap`, which no input crate offers.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::action::Action;

/// Display width of a string in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Byte offset of the `n`th character (or the end).
fn byte_at(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map(|(i, _)| i).unwrap_or(s.len())
}

/// A one-line text field. `cursor` counts characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    pub text: String,
    pub cursor: usize,
}

impl TextField {
    /// Applies an editing action (typing, deleting, moving the cursor); true when it was one.
    pub fn edit(&mut self, action: &Action) -> bool {
        match action {
            Action::Char(c) => self.insert(*c),
            Action::Paste(s) => self.insert_str(s),
            Action::Backspace => self.backspace(),
            Action::Delete => self.delete(),
            Action::Left => self.left(),
            Action::Right => self.right(),
            Action::LineStart => self.home(),
            Action::LineEnd => self.end(),
            _ => return false,
        }
        true
    }

    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let cursor = text.chars().count();
        TextField { text, cursor }
    }

    pub fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn set(&mut self, text: impl Into<String>) {
        *self = TextField::new(text);
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let at = byte_at(&self.text, self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Inserts pasted text; line breaks become spaces (a field holds one line).
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '\r' => {}
                '\n' | '\t' => self.insert(' '),
                c => self.insert(c),
            }
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = byte_at(&self.text, self.cursor);
            self.text.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.len() {
            let at = byte_at(&self.text, self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// The part of the text visible in `cols` columns and the cursor's column in it: the view
    /// scrolls so that the cursor stays visible, never splitting a wide character.
    pub fn view(&self, cols: usize) -> (String, usize) {
        if cols == 0 {
            return (String::new(), 0);
        }
        let chars: Vec<char> = self.text.chars().collect();
        let cursor = self.cursor.min(chars.len());
        // Start as far left as possible while the cursor (plus one column for it) fits.
        let mut start = 0;
        let before = |from: usize| chars[from..cursor].iter().map(|c| char_width(*c)).sum::<usize>();
        while start < cursor && before(start) + 1 > cols {
            start += 1;
        }
        let mut out = String::new();
        let mut w = 0;
        for &c in &chars[start..] {
            let cw = char_width(c);
            if w + cw > cols {
                break;
            }
            out.push(c);
            w += cw;
        }
        (out, before(start))
    }
}

/// A multi-line text area for the plan editor. `row`/`col` count lines and characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextArea {
    pub lines: Vec<String>,
    pub row: usize,
    pub col: usize,
    /// First visible line.
    pub scroll: usize,
}

impl Default for TextArea {
    fn default() -> Self {
        TextArea {
            lines: vec![String::new()],
            row: 0,
            col: 0,
            scroll: 0,
        }
    }
}

impl TextArea {
    pub fn new(text: &str) -> Self {
        let mut lines: Vec<String> = text.replace("\r\n", "\n").split('\n').map(String::from).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        TextArea {
            lines,
            row: 0,
            col: 0,
            scroll: 0,
        }
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    fn line_len(&self, row: usize) -> usize {
        self.lines[row].chars().count()
    }

    pub fn insert(&mut self, c: char) {
        match c {
            '\n' => self.newline(),
            '\r' => {}
            '\t' => {
                self.insert(' ');
                self.insert(' ');
            }
            c if c.is_control() => {}
            c => {
                let line = &mut self.lines[self.row];
                let at = byte_at(line, self.col);
                line.insert(at, c);
                self.col += 1;
            }
        }
    }

    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(c);
        }
    }

    pub fn newline(&mut self) {
        let line = &mut self.lines[self.row];
        let at = byte_at(line, self.col);
        let rest = line.split_off(at);
        self.lines.insert(self.row + 1, rest);
        self.row += 1;
        self.col = 0;
    }

    pub fn backspace(&mut self) {
        if self.col > 0 {
            self.col -= 1;
            let line = &mut self.lines[self.row];
            let at = byte_at(line, self.col);
            line.remove(at);
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line_len(self.row);
            self.lines[self.row].push_str(&line);
        }
    }

    pub fn delete(&mut self) {
        if self.col < self.line_len(self.row) {
            let line = &mut self.lines[self.row];
            let at = byte_at(line, self.col);
            line.remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    pub fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line_len(self.row);
        }
    }

    pub fn right(&mut self) {
        if self.col < self.line_len(self.row) {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    /// The cursor's display column on its line.
    pub fn cursor_x(&self) -> usize {
        let line = &self.lines[self.row];
        width(&line[..byte_at(line, self.col)])
    }

    /// Moves to `row`, keeping the display column as close as possible.
    fn goto_row(&mut self, row: usize) {
        let x = self.cursor_x();
        self.row = row.min(self.lines.len() - 1);
        let mut w = 0;
        let mut col = 0;
        for c in self.lines[self.row].chars() {
            if w + char_width(c) > x {
                break;
            }
            w += char_width(c);
            col += 1;
        }
        self.col = col;
    }

    pub fn up(&mut self, n: usize) {
        self.goto_row(self.row.saturating_sub(n));
    }

    pub fn down(&mut self, n: usize) {
        self.goto_row(self.row + n);
    }

    pub fn home(&mut self) {
        self.col = 0;
    }

    pub fn end(&mut self) {
        self.col = self.line_len(self.row);
    }

    /// Scrolls so that the cursor's line is among `height` visible lines.
    pub fn scroll_to_cursor(&mut self, height: usize) {
        let h = height.max(1);
        if self.row < self.scroll {
            self.scroll = self.row;
        } else if self.row >= self.scroll + h {
            self.scroll = self.row + 1 - h;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_edits_chinese() {
        let mut f = TextField::new("医院");
        f.left();
        f.insert('人');
        assert_eq!(f.text, "医人院");
        f.backspace();
        f.backspace();
        assert_eq!(f.text, "院");
        assert_eq!(f.cursor, 0);
    }

    #[test]
    fn field_view_scrolls_by_width() {
        let f = TextField::new("临江市第一人民医院");
        let (s, x) = f.view(8);
        assert!(width(&s) <= 8);
        assert_eq!(x, width(&s).min(7));
        assert!(s.ends_with('院'));
    }

    #[test]
    fn area_joins_lines() {
        let mut a = TextArea::new("ab\n中文");
        a.down(1);
        a.home();
        a.backspace();
        assert_eq!(a.text(), "ab中文");
        a.newline();
        assert_eq!(a.text(), "ab\n中文");
    }
}
