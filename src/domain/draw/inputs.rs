//! The frozen draw inputs and their canonical bytes (docs/draw-protocol.md §2).
//!
//! The bytes, not the structs, are what gets committed: the digest is taken over them, the audit
//! package carries them, and `verify` parses them back and insists that re-serialising gives the
//! identical bytes.

use crate::domain::credit::CreditClass;

pub const INPUTS_MAGIC: &str = "choucha-draw-inputs";
/// Largest team the format accepts (a plan rule too).
pub const MAX_TEAM_SIZE: u32 = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawInputs {
    /// Format version of these bytes (same number as the protocol that reads them).
    pub version: u32,
    pub title: String,
    pub year: i32,
    /// Rates of classes A, B, C, D in basis points.
    pub rates_bp: [u32; 4],
    pub team_size: u32,
    pub require_certified: bool,
    pub cross_region: bool,
    pub max_tasks_per_inspector: u32,
    pub alternates_per_class: u32,
    /// (institution type, required expertise), sorted.
    pub expertise_rules: Vec<(String, String)>,
    pub items: Vec<ItemInput>,
    pub institutions: Vec<InstitutionInput>,
    pub inspectors: Vec<InspectorInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInput {
    pub code: String,
    pub applies_to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionInput {
    pub code: String,
    pub kind: String,
    pub region: String,
    /// The stratum: the credit class the plan counts this institution in.
    pub class: CreditClass,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectorInput {
    pub id: String,
    pub region: String,
    pub certified: bool,
    pub expertise: Vec<String>,
    pub conflicts: Vec<String>,
}

/// Why bytes are not canonical draw inputs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct InputsError {
    pub line: usize,
    pub message: String,
}

fn bad(line: usize, message: impl Into<String>) -> InputsError {
    InputsError {
        line,
        message: message.into(),
    }
}

impl DrawInputs {
    /// Puts every list into canonical order (byte-wise ascending, duplicates removed).
    pub fn normalize(&mut self) {
        fn sort_dedup(v: &mut Vec<String>) {
            v.sort();
            v.dedup();
        }
        self.expertise_rules.sort();
        self.expertise_rules.dedup();
        // Unstable sorts are fine: codes are unique in valid inputs, and `check` refuses duplicates.
        self.items.sort_unstable_by(|a, b| a.code.cmp(&b.code));
        for it in &mut self.items {
            sort_dedup(&mut it.applies_to);
        }
        self.institutions.sort_unstable_by(|a, b| a.code.cmp(&b.code));
        self.inspectors.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        for p in &mut self.inspectors {
            sort_dedup(&mut p.expertise);
            sort_dedup(&mut p.conflicts);
        }
    }

    /// Checks what the byte format cannot carry and what the protocol assumes.
    pub fn check(&self) -> Result<(), InputsError> {
        fn field_ok(s: &str) -> bool {
            !s.chars().any(char::is_control)
        }
        fn elem_ok(s: &str) -> bool {
            field_ok(s) && !s.is_empty() && !s.contains(',')
        }
        /// Strictly increasing: canonical order and no duplicates in one pass.
        fn ascending<'a>(mut it: impl Iterator<Item = &'a str>) -> bool {
            let Some(mut prev) = it.next() else { return true };
            it.all(|x| {
                let ok = prev < x;
                prev = x;
                ok
            })
        }
        let bad_text = |t: &str| Err(bad(0, format!("field {t:?} contains a control character")));
        let bad_elem = |e: &str| {
            Err(bad(
                0,
                format!("code or list element {e:?} is empty or contains a comma or control character"),
            ))
        };
        let unordered = |what: &str| Err(bad(0, format!("{what} are not in canonical order or hold duplicates")));
        if !field_ok(&self.title) {
            return bad_text(&self.title);
        }
        if let Some(e) = self
            .expertise_rules
            .iter()
            .flat_map(|(k, e)| [k, e])
            .find(|e| !elem_ok(e))
        {
            return bad_elem(e);
        }
        if !self.expertise_rules.windows(2).all(|w| w[0] < w[1]) {
            return unordered("expertise rules");
        }
        for it in &self.items {
            if let Some(e) = std::iter::once(&it.code).chain(&it.applies_to).find(|e| !elem_ok(e)) {
                return bad_elem(e);
            }
            if !ascending(it.applies_to.iter().map(String::as_str)) {
                return unordered("item types");
            }
        }
        if !ascending(self.items.iter().map(|i| i.code.as_str())) {
            return unordered("items");
        }
        for i in &self.institutions {
            if let Some(e) = [&i.code, &i.kind].into_iter().find(|e| !elem_ok(e)) {
                return bad_elem(e);
            }
            if !field_ok(&i.region) {
                return bad_text(&i.region);
            }
        }
        if !ascending(self.institutions.iter().map(|i| i.code.as_str())) {
            return unordered("institutions");
        }
        for p in &self.inspectors {
            if let Some(e) = std::iter::once(&p.id)
                .chain(&p.expertise)
                .chain(&p.conflicts)
                .find(|e| !elem_ok(e))
            {
                return bad_elem(e);
            }
            if !field_ok(&p.region) {
                return bad_text(&p.region);
            }
            if !ascending(p.expertise.iter().map(String::as_str)) || !ascending(p.conflicts.iter().map(String::as_str))
            {
                return unordered("inspector lists");
            }
        }
        if !ascending(self.inspectors.iter().map(|i| i.id.as_str())) {
            return unordered("inspectors");
        }
        if !(2..=MAX_TEAM_SIZE).contains(&self.team_size) {
            return Err(bad(0, format!("team size must be between 2 and {MAX_TEAM_SIZE}")));
        }
        // Each slot serves one requirement: more requirements than members could not all be met.
        let kinds: std::collections::BTreeSet<&str> = self.institutions.iter().map(|i| i.kind.as_str()).collect();
        for kind in kinds {
            let needed =
                self.expertise_rules.iter().filter(|(k, _)| k == kind).count() + usize::from(self.require_certified);
            if needed > self.team_size as usize {
                return Err(bad(
                    0,
                    format!(
                        "type {kind} has {needed} team requirements but teams have {} members",
                        self.team_size
                    ),
                ));
            }
        }
        if self.max_tasks_per_inspector == 0 || self.rates_bp.iter().any(|&r| r > 10_000) {
            return Err(bad(0, "max tasks must be ≥ 1 and rates ≤ 10000 basis points"));
        }
        Ok(())
    }

    /// The canonical bytes: UTF-8 lines, TAB-separated fields, LF after every line.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::with_capacity(64 * (self.institutions.len() + self.inspectors.len()) + 512);
        self.emit(|piece| {
            out.push_str(piece);
            true
        });
        out.into_bytes()
    }

    /// True when `bytes` are exactly this value's canonical bytes (compared piece by piece,
    /// without building them: verifying a million-institution draw should not need a copy).
    pub fn is_canonical(&self, bytes: &[u8]) -> bool {
        let mut rest = bytes;
        let all = self.emit(|piece| match rest.strip_prefix(piece.as_bytes()) {
            Some(r) => {
                rest = r;
                true
            }
            None => false,
        });
        all && rest.is_empty()
    }

    /// Feeds the canonical text to `put` piece by piece; stops early when `put` returns false.
    fn emit(&self, mut put: impl FnMut(&str) -> bool) -> bool {
        let b = |x: bool| if x { "1" } else { "0" };
        let mut line = |fields: &[&[&str]]| -> bool {
            for (i, f) in fields.iter().enumerate() {
                if i > 0 && !put("\t") {
                    return false;
                }
                // A field is one piece, or a list whose elements are joined by commas.
                for (j, piece) in f.iter().enumerate() {
                    if (j > 0 && !put(",")) || !put(piece) {
                        return false;
                    }
                }
            }
            put("\n")
        };
        fn strs(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let mut ok = line(&[&[INPUTS_MAGIC], &[&self.version.to_string()]])
            && line(&[&["title"], &[&self.title]])
            && line(&[&["year"], &[&self.year.to_string()]]);
        for c in CreditClass::ALL {
            ok = ok && line(&[&["rate"], &[c.letter()], &[&self.rates_bp[c.index()].to_string()]]);
        }
        ok = ok
            && line(&[&["team_size"], &[&self.team_size.to_string()]])
            && line(&[&["require_certified"], &[b(self.require_certified)]])
            && line(&[&["cross_region"], &[b(self.cross_region)]])
            && line(&[
                &["max_tasks_per_inspector"],
                &[&self.max_tasks_per_inspector.to_string()],
            ])
            && line(&[&["alternates_per_class"], &[&self.alternates_per_class.to_string()]]);
        ok = ok
            && self
                .expertise_rules
                .iter()
                .all(|(k, e)| line(&[&["expertise"], &[k], &[e]]));
        ok = ok
            && self
                .items
                .iter()
                .all(|it| line(&[&["item"], &[&it.code], &strs(&it.applies_to)]));
        ok = ok
            && self.institutions.iter().all(|i| {
                line(&[
                    &["institution"],
                    &[&i.code],
                    &[&i.kind],
                    &[&i.region],
                    &[i.class.letter()],
                ])
            });
        ok && self.inspectors.iter().all(|p| {
            line(&[
                &["inspector"],
                &[&p.id],
                &[&p.region],
                &[b(p.certified)],
                &strs(&p.expertise),
                &strs(&p.conflicts),
            ])
        })
    }

    /// Parses canonical bytes; anything that would not serialise back to the same bytes is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, InputsError> {
        let text = std::str::from_utf8(bytes).map_err(|e| bad(0, format!("not UTF-8: {e}")))?;
        if !text.ends_with('\n') {
            return Err(bad(0, "must end with a line feed"));
        }
        // Sized up front: regrowing a million-entry vector costs more than parsing it.
        let line_count = bytes.iter().filter(|&&b| b == b'\n').count();
        let mut lines = text[..text.len() - 1]
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, Fields::split(l)));
        let mut next = |tag: &str, n: usize| -> Result<(usize, Fields), InputsError> {
            let (no, f) = lines.next().ok_or_else(|| bad(0, format!("missing line '{tag}'")))?;
            if f[0] != tag || f.len() != n {
                return Err(bad(no, format!("expected '{tag}' with {n} fields")));
            }
            Ok((no, f))
        };
        let num = |no: usize, s: &str| -> Result<u32, InputsError> {
            if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(no, format!("'{s}' is not a canonical number")));
            }
            s.parse().map_err(|_| bad(no, format!("'{s}' is out of range")))
        };
        let flag = |no: usize, s: &str| match s {
            "0" => Ok(false),
            "1" => Ok(true),
            _ => Err(bad(no, format!("'{s}' is not 0 or 1"))),
        };
        let list = |s: &str| -> Vec<String> {
            if s.is_empty() {
                vec![]
            } else {
                s.split(',').map(String::from).collect()
            }
        };
        let (no, f) = next(INPUTS_MAGIC, 2)?;
        let version = num(no, f[1])?;
        let (_, f) = next("title", 2)?;
        let title = f[1].to_string();
        let (no, f) = next("year", 2)?;
        let year = i32::try_from(num(no, f[1])?).map_err(|_| bad(no, "year out of range"))?;
        let mut rates_bp = [0; 4];
        for c in CreditClass::ALL {
            let (no, f) = next("rate", 3)?;
            if f[1] != c.letter() {
                return Err(bad(no, format!("expected the rate of class {c}")));
            }
            rates_bp[c.index()] = num(no, f[2])?;
        }
        let (no, f) = next("team_size", 2)?;
        let team_size = num(no, f[1])?;
        let (no, f) = next("require_certified", 2)?;
        let require_certified = flag(no, f[1])?;
        let (no, f) = next("cross_region", 2)?;
        let cross_region = flag(no, f[1])?;
        let (no, f) = next("max_tasks_per_inspector", 2)?;
        let max_tasks_per_inspector = num(no, f[1])?;
        let (no, f) = next("alternates_per_class", 2)?;
        let alternates_per_class = num(no, f[1])?;
        let mut inputs = DrawInputs {
            version,
            title,
            year,
            rates_bp,
            team_size,
            require_certified,
            cross_region,
            max_tasks_per_inspector,
            alternates_per_class,
            expertise_rules: vec![],
            items: vec![],
            institutions: Vec::with_capacity(line_count),
            inspectors: vec![],
        };
        // The record sections follow in a fixed order; each tag may repeat.
        let order = ["expertise", "item", "institution", "inspector"];
        let mut section = 0;
        for (no, f) in lines {
            let Some(pos) = order.iter().position(|t| *t == f[0]) else {
                return Err(bad(no, format!("unknown line tag '{}'", f[0])));
            };
            if pos < section {
                return Err(bad(
                    no,
                    format!("'{}' lines must come before '{}' lines", f[0], order[section]),
                ));
            }
            section = pos;
            let want = [3, 3, 5, 6][pos];
            if f.len() != want {
                return Err(bad(no, format!("'{}' needs {want} fields", f[0])));
            }
            match pos {
                0 => inputs.expertise_rules.push((f[1].into(), f[2].into())),
                1 => inputs.items.push(ItemInput {
                    code: f[1].into(),
                    applies_to: list(f[2]),
                }),
                2 => inputs.institutions.push(InstitutionInput {
                    code: f[1].into(),
                    kind: f[2].into(),
                    region: f[3].into(),
                    class: CreditClass::parse(f[4])
                        .filter(|c| c.letter() == f[4])
                        .ok_or_else(|| bad(no, format!("unknown class '{}'", f[4])))?,
                }),
                _ => inputs.inspectors.push(InspectorInput {
                    id: f[1].into(),
                    region: f[2].into(),
                    certified: flag(no, f[3])?,
                    expertise: list(f[4]),
                    conflicts: list(f[5]),
                }),
            }
        }
        inputs.check()?;
        if !inputs.is_canonical(bytes) {
            return Err(bad(0, "bytes are not in canonical form"));
        }
        Ok(inputs)
    }
}

/// The TAB-separated fields of one line, without allocating (a line has at most 6; a seventh
/// slot records that there were more, which every length check then refuses).
struct Fields<'a> {
    parts: [&'a str; 7],
    len: usize,
}

impl<'a> Fields<'a> {
    fn split(line: &'a str) -> Self {
        let mut parts = [""; 7];
        let mut len = 0;
        for p in line.split('\t') {
            if len < 7 {
                parts[len] = p;
            }
            len += 1;
        }
        Fields { parts, len: len.min(7) }
    }
}

impl<'a> std::ops::Deref for Fields<'a> {
    type Target = [&'a str];
    fn deref(&self) -> &[&'a str] {
        &self.parts[..self.len]
    }
}

/// Lower-case hex SHA-256 of the canonical bytes: the inputs digest published before the seed.
pub fn digest_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> DrawInputs {
        let mut d = DrawInputs {
            version: 1,
            title: "2026年第一批".into(),
            year: 2026,
            rates_bp: [500, 1000, 2000, 5000],
            team_size: 2,
            require_certified: true,
            cross_region: true,
            max_tasks_per_inspector: 5,
            alternates_per_class: 1,
            expertise_rules: vec![("医疗机构".into(), "医学".into())],
            items: vec![ItemInput {
                code: "YB-01".into(),
                applies_to: vec!["医疗机构".into(), "零售药店".into()],
            }],
            institutions: vec![
                InstitutionInput {
                    code: "P45990100002".into(),
                    kind: "零售药店".into(),
                    region: "江北区".into(),
                    class: CreditClass::B,
                },
                InstitutionInput {
                    code: "H45990100001".into(),
                    kind: "医疗机构".into(),
                    region: "江北区".into(),
                    class: CreditClass::A,
                },
            ],
            inspectors: vec![InspectorInput {
                id: "LJ001".into(),
                region: "江南区".into(),
                certified: true,
                expertise: vec!["医学".into()],
                conflicts: vec![],
            }],
        };
        d.normalize();
        d
    }

    #[test]
    fn bytes_round_trip_exactly() {
        let d = sample();
        let bytes = d.to_bytes();
        assert_eq!(DrawInputs::from_bytes(&bytes).unwrap(), d);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("choucha-draw-inputs\t1\ntitle\t2026年第一批\n"));
        assert!(text.contains("institution\tH45990100001\t医疗机构\t江北区\tA\ninstitution\tP45990100002"));
        assert!(text.ends_with("inspector\tLJ001\t江南区\t1\t医学\t\n"));
    }

    #[test]
    fn non_canonical_bytes_are_refused() {
        let text = String::from_utf8(sample().to_bytes()).unwrap();
        for bad_text in [
            text.replace("year\t2026", "year\t02026"),
            text.replace("\n", "\r\n"),
            text.trim_end().to_string(),
            text.replace("institution\tH45990100001\t医疗机构\t江北区\tA\n", "")
                .replace(
                    "\ninspector",
                    "\ninstitution\tH45990100001\t医疗机构\t江北区\tA\ninspector",
                ),
            text.replace("\tA\n", "\tE\n"),
        ] {
            assert!(DrawInputs::from_bytes(bad_text.as_bytes()).is_err(), "{bad_text}");
        }
    }
}
