//! Line breaking for popups and panes, by display width. Chinese text breaks between any two
//! characters, except that a line never starts with closing punctuation (，。）…) nor ends with
//! an opening bracket (（《…) — the usual 避头尾 rule; Latin words and numbers break only at
//! spaces unless a word is wider than the line.

use unicode_width::UnicodeWidthChar;

/// Characters that may not start a line.
const NO_START: &str = "，。、；：？！）》」』】〕’”…—·%,.;:?!)]}";
/// Characters that may not end a line.
const NO_END: &str = "（《「『【〔‘“([{";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Space,
    /// A run of characters that is kept together (a Latin word, a number).
    Word,
    /// One wide (CJK) character or punctuation mark: a break may come before it.
    Char,
}

struct Token<'a> {
    text: &'a str,
    width: usize,
    kind: Kind,
}

impl<'a> Token<'a> {
    /// The characters of a word, each its own token (a word wider than a line is cut).
    fn split(&self) -> impl Iterator<Item = Token<'a>> + use<'a> {
        let text = self.text;
        text.char_indices().map(move |(i, c)| Token {
            text: &text[i..i + c.len_utf8()],
            width: char_width(c),
            kind: Kind::Char,
        })
    }
}

impl Token<'_> {
    fn no_start(&self) -> bool {
        self.kind == Kind::Char && self.text.chars().all(|c| NO_START.contains(c))
    }

    fn no_end(&self) -> bool {
        self.kind == Kind::Char && self.text.chars().all(|c| NO_END.contains(c))
    }
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// A narrow character that is not a break-rule mark: part of a Latin word or a number.
fn is_word_char(c: char) -> bool {
    c != ' ' && char_width(c) == 1 && !NO_START.contains(c) && !NO_END.contains(c)
}

/// Splits a paragraph into spaces, words (runs of narrow non-punctuation) and single characters.
fn tokens(para: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = para.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        debug_assert_eq!(i, start);
        let kind = if c == ' ' {
            Kind::Space
        } else if is_word_char(c) {
            Kind::Word
        } else {
            Kind::Char
        };
        let mut end = i + c.len_utf8();
        if kind != Kind::Char {
            while let Some(&(j, d)) = iter.peek() {
                let same = match kind {
                    Kind::Space => d == ' ',
                    _ => is_word_char(d),
                };
                if !same {
                    break;
                }
                end = j + d.len_utf8();
                iter.next();
            }
        }
        let text = &para[start..end];
        out.push(Token {
            text,
            width: text.chars().map(char_width).sum(),
            kind,
        });
        start = end;
    }
    out
}

/// Wraps text to `w` columns (at least 2) by display width; `\n` starts a new paragraph.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(2);
    let mut out = Vec::new();
    for para in s.split('\n') {
        wrap_paragraph(para, w, &mut out);
    }
    out
}

fn wrap_paragraph(para: &str, w: usize, out: &mut Vec<String>) {
    let mut line: Vec<Token> = Vec::new();
    let width = |l: &[Token]| l.iter().map(|t| t.width).sum::<usize>();
    let mut queue: std::collections::VecDeque<Token> = tokens(para).into();
    while let Some(tok) = queue.pop_front() {
        if width(&line) + tok.width <= w {
            line.push(tok);
            continue;
        }
        if tok.kind == Kind::Space {
            // A break here: the spaces go.
            flush(&mut line, out);
            continue;
        }
        if tok.kind == Kind::Word && tok.width > w {
            // Wider than any line: cut anywhere.
            for (i, c) in tok.split().enumerate() {
                queue.insert(i, c);
            }
            continue;
        }
        // Carried to the next line with `tok`: a closing mark takes the character before it,
        // an opening bracket at the end goes with what it opens.
        let mut carry = Vec::new();
        if tok.no_start() && line.len() > 1 && line.last().is_some_and(|t| t.kind != Kind::Space) {
            carry.extend(line.pop());
        }
        while line.len() > 1 && line.last().is_some_and(Token::no_end) {
            carry.insert(0, line.pop().expect("not empty"));
        }
        if width(&carry) + tok.width > w {
            // No room to carry anything (a very narrow column): break where it is.
            line.append(&mut carry);
        }
        flush(&mut line, out);
        line = carry;
        line.push(tok);
    }
    flush(&mut line, out);
}

/// Ends a line (its trailing spaces dropped).
fn flush(line: &mut Vec<Token>, out: &mut Vec<String>) {
    while line.last().is_some_and(|t| t.kind == Kind::Space) && line.len() > 1 {
        line.pop();
    }
    out.push(line.iter().map(|t| t.text).collect());
    line.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    fn check(s: &str, w: usize) -> Vec<String> {
        let lines = wrap(s, w);
        for l in &lines {
            assert!(l.width() <= w, "{l:?} wider than {w}");
        }
        let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let original: String = s.chars().filter(|c| *c != ' ' && *c != '\n').collect();
        assert_eq!(joined, original, "no text lost");
        lines
    }

    #[test]
    fn chinese_breaks_anywhere_but_not_before_closing_punctuation() {
        let lines = check(
            "检查完成后应在二十个工作日内公示（工作日按周一至周五计算）。在册机构",
            16,
        );
        assert!(lines.len() > 1);
        for l in &lines[1..] {
            let first = l.chars().next().unwrap();
            assert!(!NO_START.contains(first), "{lines:?}");
        }
        for l in &lines[..lines.len() - 1] {
            let last = l.chars().last().unwrap();
            assert!(!NO_END.contains(last), "{lines:?}");
        }
        // The closing marks would start line 2 at width 14: "）。" takes "七" along.
        assert_eq!(check("一二三四五六七）。八", 14), ["一二三四五六", "七）。八"]);
        assert_eq!(check("一（二", 4), ["一", "（二"]);
        // Too narrow to carry: the width wins.
        for w in 2..6 {
            check("一二三）。（四五）", w);
        }
    }

    #[test]
    fn latin_words_break_at_spaces() {
        assert_eq!(
            check("cannot open the file (os error 2)", 16),
            ["cannot open the", "file (os error", "2)"]
        );
        // A word wider than the line is cut.
        assert_eq!(check("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        // Spaces inside a line are kept (aligned columns), at a break they go.
        assert_eq!(check("  H001  江南  3", 40), ["  H001  江南  3"]);
        assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
    }
}
