//! Protocol version 2 (docs/draw-protocol.md Part II, §13–§20): public and sealed input sections,
//! class commitments, the ticket draw of institutions and the two-part result.
//!
//! Version 1 (the rest of this module's parent) is untouched: nothing here is used by a v1 draw.

use sha2::{Digest, Sha256};

use super::inputs::{DrawInputs, InputsError, InspectorInput, InstitutionInput, ItemInput};
use super::result::{Draw, Stratum, Task};
use super::rng::{STREAM_INSTITUTIONS, STREAM_TEAMS, Stream};
use super::teams::TeamAssigner;
use super::{DrawError, check_seed};
use crate::domain::credit::CreditClass;
use crate::domain::plan::sample_size;

pub const PUBLIC_MAGIC: &str = "choucha-draw-public";
pub const SEALED_MAGIC: &str = "choucha-draw-sealed";
pub const INPUTS_HEADER_MAGIC: &str = "choucha-draw-inputs";
pub const INSTITUTIONS_MAGIC: &str = "choucha-draw-institutions";
pub const TEAMS_MAGIC: &str = "choucha-draw-teams";
pub const RESULT_MAGIC: &str = "choucha-draw-result";
pub const INSTITUTION_KEY_TAG: &[u8] = b"choucha-draw-institutions-v2";
pub const TEAM_KEY_TAG: &[u8] = b"choucha-draw-teams-v2";
pub const COMMITMENT_TAG: &str = "choucha-class-commitment-v2";
/// Salts are 16 bytes written as 32 lowercase hex characters.
pub const SALT_HEX_LEN: usize = 32;

/// How the pool's credit classes appear in the public section (§16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassMode {
    /// Each institution's class is in the public section.
    Published,
    /// The public section carries a salted commitment per institution; classes and salts are sealed.
    Committed,
}

impl ClassMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ClassMode::Published => "published",
            ClassMode::Committed => "committed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "published" => Some(ClassMode::Published),
            "committed" => Some(ClassMode::Committed),
            _ => None,
        }
    }
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn hex32(bytes: &[u8]) -> String {
    hex::encode(sha(bytes))
}

/// commitment(code, class, salt) of §16.2.
pub fn commitment(code: &str, class: CreditClass, salt: &str) -> String {
    hex32(format!("{COMMITMENT_TAG}\t{code}\t{}\t{salt}\n", class.letter()).as_bytes())
}

/// The three-line inputs header of §15 and its digest.
pub fn inputs_header(public_digest: &str, sealed_digest: &str) -> String {
    format!("{INPUTS_HEADER_MAGIC}\t2\npublic\t{public_digest}\nsealed\t{sealed_digest}\n")
}
pub fn inputs_digest(public_digest: &str, sealed_digest: &str) -> String {
    hex32(inputs_header(public_digest, sealed_digest).as_bytes())
}

/// The four-line result header of §20.3 and its digest.
pub fn result_header(inputs_digest: &str, institutions_digest: &str, teams_digest: &str) -> String {
    format!("{RESULT_MAGIC}\t2\ninputs\t{inputs_digest}\ninstitutions\t{institutions_digest}\nteams\t{teams_digest}\n")
}
pub fn result_digest(inputs_digest: &str, institutions_digest: &str, teams_digest: &str) -> String {
    hex32(result_header(inputs_digest, institutions_digest, teams_digest).as_bytes())
}

fn key(tag: &[u8], digest_hex: &str, seed: &str) -> [u8; 32] {
    let mut raw = [0u8; 32];
    hex::decode_to_slice(digest_hex, &mut raw).expect("a digest is 64 hex characters");
    let mut h = Sha256::new();
    h.update(tag);
    h.update([0u8]);
    h.update(raw);
    h.update(seed.as_bytes());
    h.finalize().into()
}

/// §17: the institution key, from the public digest and the seed.
pub fn institution_key(public_digest: &str, seed: &str) -> [u8; 32] {
    key(INSTITUTION_KEY_TAG, public_digest, seed)
}

/// §17: the team key, from the inputs digest and the seed.
pub fn team_key(inputs_digest: &str, seed: &str) -> [u8; 32] {
    key(TEAM_KEY_TAG, inputs_digest, seed)
}

/// §18: one ticket per institution, in canonical order.
pub fn tickets(public_digest: &str, seed: &str, count: usize) -> Vec<u64> {
    let mut s = Stream::new(institution_key(public_digest, seed), STREAM_INSTITUTIONS);
    (0..count).map(|_| s.next_word()).collect()
}

/// The public section (§14.1). `plan` holds the parameters, rules, items and institutions (no
/// inspectors); under committed classes each institution's `class` is only a placeholder until the
/// sealed section supplies it, and `commitments` holds the public commitment of each institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicSection {
    pub class_mode: ClassMode,
    pub plan: DrawInputs,
    pub commitments: Vec<String>,
}

/// Full v2 inputs: the plan with every class known and the inspectors, plus the salts (committed
/// classes: one per institution in canonical order; published: empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputsV2 {
    pub class_mode: ClassMode,
    pub inputs: DrawInputs,
    pub salts: Vec<String>,
}

fn bad(line: usize, message: impl Into<String>) -> InputsError {
    InputsError {
        line,
        message: message.into(),
    }
}

fn is_salt(s: &str) -> bool {
    s.len() == SALT_HEX_LEN && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_digest(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

struct Out(String);

impl Out {
    fn line(&mut self, fields: &[&str]) {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.0.push('\t');
            }
            self.0.push_str(f);
        }
        self.0.push('\n');
    }
}

fn flag(b: bool) -> &'static str {
    if b { "1" } else { "0" }
}

/// Writes the public section; `last_field(i)` is the class or the commitment of institution i.
fn write_public<'a>(mode: ClassMode, p: &'a DrawInputs, last_field: impl Fn(usize) -> &'a str) -> Vec<u8> {
    let mut o = Out(String::with_capacity(96 * p.institutions.len() + 512));
    o.line(&[PUBLIC_MAGIC, "2"]);
    o.line(&["classes", mode.as_str()]);
    o.line(&["title", &p.title]);
    o.line(&["year", &p.year.to_string()]);
    for c in CreditClass::ALL {
        o.line(&["rate", c.letter(), &p.rates_bp[c.index()].to_string()]);
    }
    o.line(&["team_size", &p.team_size.to_string()]);
    o.line(&["require_certified", flag(p.require_certified)]);
    o.line(&["cross_region", flag(p.cross_region)]);
    o.line(&["max_tasks_per_inspector", &p.max_tasks_per_inspector.to_string()]);
    o.line(&["alternates_per_class", &p.alternates_per_class.to_string()]);
    for (k, e) in &p.expertise_rules {
        o.line(&["expertise", k, e]);
    }
    for it in &p.items {
        o.line(&["item", &it.code, &it.applies_to.join(",")]);
    }
    for (i, inst) in p.institutions.iter().enumerate() {
        o.line(&["institution", &inst.code, &inst.kind, &inst.region, last_field(i)]);
    }
    o.0.into_bytes()
}

impl PublicSection {
    pub fn to_bytes(&self) -> Vec<u8> {
        match self.class_mode {
            ClassMode::Published => write_public(self.class_mode, &self.plan, |i| {
                self.plan.institutions[i].class.letter()
            }),
            ClassMode::Committed => write_public(self.class_mode, &self.plan, |i| &self.commitments[i]),
        }
    }

    pub fn digest(&self) -> String {
        hex32(&self.to_bytes())
    }

    /// Parses a canonical public section; anything that would not serialise back identically is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, InputsError> {
        let section = parse_public(bytes, 0)?;
        if section.to_bytes() != bytes {
            return Err(bad(0, "the public section is not in canonical form"));
        }
        Ok(section)
    }

    /// The published class of each institution, if classes are published.
    pub fn class_of(&self, i: usize) -> Option<CreditClass> {
        (self.class_mode == ClassMode::Published).then(|| self.plan.institutions[i].class)
    }
}

impl InputsV2 {
    pub fn public(&self) -> PublicSection {
        let mut plan = self.inputs.clone();
        plan.inspectors.clear();
        let commitments = match self.class_mode {
            ClassMode::Published => vec![],
            ClassMode::Committed => plan
                .institutions
                .iter()
                .zip(&self.salts)
                .map(|(i, s)| commitment(&i.code, i.class, s))
                .collect(),
        };
        PublicSection {
            class_mode: self.class_mode,
            plan,
            commitments,
        }
    }

    pub fn public_bytes(&self) -> Vec<u8> {
        self.public().to_bytes()
    }

    pub fn sealed_bytes(&self) -> Vec<u8> {
        let x = &self.inputs;
        let mut o = Out(String::with_capacity(
            64 * (x.institutions.len() + x.inspectors.len()) + 64,
        ));
        o.line(&[SEALED_MAGIC, "2"]);
        if self.class_mode == ClassMode::Committed {
            for (i, salt) in x.institutions.iter().zip(&self.salts) {
                o.line(&["class", &i.code, i.class.letter(), salt]);
            }
        }
        for p in &x.inspectors {
            o.line(&[
                "inspector",
                &p.id,
                &p.region,
                flag(p.certified),
                &p.expertise.join(","),
                &p.conflicts.join(","),
            ]);
        }
        o.0.into_bytes()
    }

    /// public section ‖ sealed section (§14).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.public_bytes();
        b.extend(self.sealed_bytes());
        b
    }

    /// Sorts every list and checks what the format cannot carry (as v1 `check`, plus salts).
    pub fn check(&self) -> Result<(), InputsError> {
        self.inputs.check()?;
        if self.class_mode == ClassMode::Committed {
            if self.salts.len() != self.inputs.institutions.len() {
                return Err(bad(0, "one salt per institution is needed under committed classes"));
            }
            if let Some(s) = self.salts.iter().find(|s| !is_salt(s)) {
                return Err(bad(0, format!("salt {s:?} is not 32 lowercase hex characters")));
            }
        } else if !self.salts.is_empty() {
            return Err(bad(0, "published classes take no salts"));
        }
        Ok(())
    }

    /// Parses canonical v2 inputs (public section ‖ sealed section).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, InputsError> {
        let split = split_sections(bytes)?;
        let (pub_bytes, sealed) = bytes.split_at(split);
        let public_lines = pub_bytes.iter().filter(|&&b| b == b'\n').count();
        let public = parse_public(pub_bytes, 0)?;
        let text = std::str::from_utf8(sealed).map_err(|e| bad(public_lines + 1, format!("not UTF-8: {e}")))?;
        let mut lines = text
            .strip_suffix('\n')
            .ok_or_else(|| bad(0, "must end with a line feed"))?
            .split('\n')
            .enumerate()
            .map(|(i, l)| (public_lines + 1 + i, l));
        let (no, head) = lines.next().expect("split found the sealed header");
        if head != format!("{SEALED_MAGIC}\t2") {
            return Err(bad(no, format!("expected '{SEALED_MAGIC}\t2'")));
        }
        let mut plan = public.plan;
        let n = plan.institutions.len();
        let mut salts = Vec::with_capacity(if public.class_mode == ClassMode::Committed {
            n
        } else {
            0
        });
        let mut classes_seen = 0usize;
        let mut in_inspectors = false;
        for (no, l) in lines {
            let f: Vec<&str> = l.split('\t').collect();
            match f[0] {
                "class" if !in_inspectors => {
                    if f.len() != 4 {
                        return Err(bad(no, "'class' needs 4 fields"));
                    }
                    if public.class_mode != ClassMode::Committed {
                        return Err(bad(no, "'class' lines are only allowed under committed classes"));
                    }
                    let Some(inst) = plan.institutions.get_mut(classes_seen) else {
                        return Err(bad(no, "more 'class' lines than institutions"));
                    };
                    if inst.code != f[1] {
                        return Err(bad(
                            no,
                            format!("'class' line for {} where {} was expected", f[1], inst.code),
                        ));
                    }
                    let class = CreditClass::parse(f[2])
                        .filter(|c| c.letter() == f[2])
                        .ok_or_else(|| bad(no, format!("unknown class '{}'", f[2])))?;
                    if !is_salt(f[3]) {
                        return Err(bad(no, format!("salt '{}' is not 32 lowercase hex characters", f[3])));
                    }
                    if commitment(f[1], class, f[3]) != public.commitments[classes_seen] {
                        return Err(bad(
                            no,
                            format!("the class of {} does not open its public commitment", f[1]),
                        ));
                    }
                    inst.class = class;
                    salts.push(f[3].to_string());
                    classes_seen += 1;
                }
                "class" => return Err(bad(no, "'class' lines must come before 'inspector' lines")),
                "inspector" => {
                    in_inspectors = true;
                    if f.len() != 6 {
                        return Err(bad(no, "'inspector' needs 6 fields"));
                    }
                    let list = |s: &str| -> Vec<String> {
                        if s.is_empty() {
                            vec![]
                        } else {
                            s.split(',').map(String::from).collect()
                        }
                    };
                    plan.inspectors.push(InspectorInput {
                        id: f[1].into(),
                        region: f[2].into(),
                        certified: match f[3] {
                            "0" => false,
                            "1" => true,
                            s => return Err(bad(no, format!("'{s}' is not 0 or 1"))),
                        },
                        expertise: list(f[4]),
                        conflicts: list(f[5]),
                    });
                }
                t => return Err(bad(no, format!("unknown line tag '{t}' in the sealed section"))),
            }
        }
        if public.class_mode == ClassMode::Committed && classes_seen != n {
            return Err(bad(0, format!("{classes_seen} 'class' lines for {n} institutions")));
        }
        let x = InputsV2 {
            class_mode: public.class_mode,
            inputs: plan,
            salts,
        };
        x.check()?;
        if x.sealed_bytes() != sealed {
            return Err(bad(0, "the sealed section is not in canonical form"));
        }
        Ok(x)
    }

    /// (public digest, sealed digest, inputs digest) of §15.
    pub fn digests(&self) -> (String, String, String) {
        let p = hex32(&self.public_bytes());
        let s = hex32(&self.sealed_bytes());
        let i = inputs_digest(&p, &s);
        (p, s, i)
    }
}

/// Byte offset where the sealed section starts (its header line).
fn split_sections(bytes: &[u8]) -> Result<usize, InputsError> {
    let needle = format!("\n{SEALED_MAGIC}\t");
    bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .map(|p| p + 1)
        .ok_or_else(|| bad(0, format!("no '{SEALED_MAGIC}' line: not v2 inputs")))
}

/// The digests of the two sections of v2 inputs bytes, without parsing them (for display).
pub fn section_digests(bytes: &[u8]) -> Option<(String, String)> {
    let at = split_sections(bytes).ok()?;
    Some((hex32(&bytes[..at]), hex32(&bytes[at..])))
}

fn parse_public(bytes: &[u8], first_line: usize) -> Result<PublicSection, InputsError> {
    let text = std::str::from_utf8(bytes).map_err(|e| bad(0, format!("not UTF-8: {e}")))?;
    let body = text
        .strip_suffix('\n')
        .ok_or_else(|| bad(0, "must end with a line feed"))?;
    let line_count = bytes.iter().filter(|&&b| b == b'\n').count();
    let mut lines = body.split('\n').enumerate().map(|(i, l)| (first_line + i + 1, l));
    let mut next = |tag: &str, n: usize| -> Result<(usize, Vec<&str>), InputsError> {
        let (no, l) = lines.next().ok_or_else(|| bad(0, format!("missing line '{tag}'")))?;
        let f: Vec<&str> = l.split('\t').collect();
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
    let (no, f) = next(PUBLIC_MAGIC, 2)?;
    if f[1] != "2" {
        return Err(bad(no, "the public section must be of version 2"));
    }
    let (no, f) = next("classes", 2)?;
    let class_mode = ClassMode::parse(f[1]).ok_or_else(|| bad(no, "classes must be 'published' or 'committed'"))?;
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
    let mut plan = DrawInputs {
        version: 2,
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
    let mut commitments = Vec::new();
    let order = ["expertise", "item", "institution"];
    let mut section = 0;
    for (no, l) in lines {
        let f: Vec<&str> = l.split('\t').collect();
        let Some(pos) = order.iter().position(|t| *t == f[0]) else {
            return Err(bad(no, format!("unknown line tag '{}' in the public section", f[0])));
        };
        if pos < section {
            return Err(bad(
                no,
                format!("'{}' lines must come before '{}' lines", f[0], order[section]),
            ));
        }
        section = pos;
        let want = [3, 3, 5][pos];
        if f.len() != want {
            return Err(bad(no, format!("'{}' needs {want} fields", f[0])));
        }
        match pos {
            0 => plan.expertise_rules.push((f[1].into(), f[2].into())),
            1 => plan.items.push(ItemInput {
                code: f[1].into(),
                applies_to: if f[2].is_empty() {
                    vec![]
                } else {
                    f[2].split(',').map(String::from).collect()
                },
            }),
            _ => {
                let class = match class_mode {
                    ClassMode::Published => CreditClass::parse(f[4])
                        .filter(|c| c.letter() == f[4])
                        .ok_or_else(|| bad(no, format!("unknown class '{}'", f[4])))?,
                    ClassMode::Committed => {
                        if !is_digest(f[4]) {
                            return Err(bad(no, format!("commitment '{}' is not 64 lowercase hex", f[4])));
                        }
                        commitments.push(f[4].to_string());
                        CreditClass::A
                    }
                };
                plan.institutions.push(InstitutionInput {
                    code: f[1].into(),
                    kind: f[2].into(),
                    region: f[3].into(),
                    class,
                });
            }
        }
    }
    plan.check()?;
    Ok(PublicSection {
        class_mode,
        plan,
        commitments,
    })
}

/// v2 extras of a draw: what the institution part carries besides v1's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V2Parts {
    pub public_digest: String,
    pub class_mode: ClassMode,
    /// Ticket and salt ("" under published classes) of each task, then of each alternate.
    pub task_tickets: Vec<(u64, String)>,
    pub alternate_tickets: Vec<(u64, String)>,
}

/// One selected institution of §18: class, rank, index into the canonical institution list.
pub type Pick = (CreditClass, u32, usize);

/// §18 on a list of institutions whose classes are known: strata, drawn and alternates.
pub fn select(
    institutions: &[InstitutionInput],
    rates_bp: &[u32; 4],
    alternates_per_class: u32,
    tickets: &[u64],
) -> (Vec<Stratum>, Vec<Pick>, Vec<Pick>) {
    let mut strata = Vec::with_capacity(4);
    let (mut drawn, mut alternates) = (Vec::new(), Vec::new());
    let mut members: [Vec<usize>; 4] = Default::default();
    for (i, inst) in institutions.iter().enumerate() {
        members[inst.class.index()].push(i);
    }
    for class in CreditClass::ALL {
        let p = &mut members[class.index()];
        let n = p.len() as u64;
        let k = sample_size(rates_bp[class.index()], n);
        let m = (k + u64::from(alternates_per_class)).min(n) as usize;
        let order = |a: &usize, b: &usize| {
            (tickets[*a], institutions[*a].code.as_str()).cmp(&(tickets[*b], institutions[*b].code.as_str()))
        };
        // Only the first m matter: select them, then sort just those.
        if m > 0 && m < p.len() {
            p.select_nth_unstable_by(m - 1, order);
        }
        p[..m].sort_unstable_by(order);
        for (pos, &idx) in p[..m].iter().enumerate() {
            let pick = (class, pos as u32 + 1, idx);
            if (pos as u64) < k {
                drawn.push(pick);
            } else {
                alternates.push(pick);
            }
        }
        strata.push(Stratum {
            class,
            population: n,
            drawn: k,
            alternates: m as u64 - k,
        });
    }
    (strata, drawn, alternates)
}

fn items_for(plan: &DrawInputs, kind: &str) -> Vec<String> {
    plan.items
        .iter()
        .filter(|it| it.applies_to.iter().any(|k| k == kind))
        .map(|it| it.code.clone())
        .collect()
}

/// Runs protocol 2 over canonical v2 inputs and a seed.
pub fn run(input_bytes: &[u8], seed: &str) -> Result<Draw, DrawError> {
    check_seed(seed)?;
    let x = InputsV2::from_bytes(input_bytes)?;
    let (public_digest, _, digest) = x.digests();
    let inputs = &x.inputs;
    let tickets = tickets(&public_digest, seed, inputs.institutions.len());
    let (strata, drawn, alternates) = select(
        &inputs.institutions,
        &inputs.rates_bp,
        inputs.alternates_per_class,
        &tickets,
    );
    let salt = |idx: usize| x.salts.get(idx).cloned().unwrap_or_default();
    let mut team_rng = Stream::new(team_key(&digest, seed), STREAM_TEAMS);
    let mut assigner = TeamAssigner::new(inputs);
    let task = |(class, rank, idx): Pick, team: Vec<usize>| {
        let inst = &inputs.institutions[idx];
        Task {
            class,
            rank,
            institution: inst.code.clone(),
            team: team.iter().map(|&m| inputs.inspectors[m].id.clone()).collect(),
            items: items_for(inputs, &inst.kind),
        }
    };
    let mut tasks = Vec::with_capacity(drawn.len());
    for &pick in &drawn {
        let inst = &inputs.institutions[pick.2];
        match assigner.assign(inst, &mut team_rng) {
            Ok(team) => tasks.push(task(pick, team)),
            Err(shortfall) => {
                return Err(DrawError::NoTeam {
                    institution: inst.code.clone(),
                    class: pick.0,
                    shortfall,
                });
            }
        }
    }
    let mut alternate_tasks = Vec::with_capacity(alternates.len());
    for &pick in &alternates {
        let team = assigner
            .assign(&inputs.institutions[pick.2], &mut team_rng)
            .unwrap_or_default();
        alternate_tasks.push(task(pick, team));
    }
    let parts = V2Parts {
        public_digest,
        class_mode: x.class_mode,
        task_tickets: drawn.iter().map(|p| (tickets[p.2], salt(p.2))).collect(),
        alternate_tickets: alternates.iter().map(|p| (tickets[p.2], salt(p.2))).collect(),
    };
    Ok(Draw::new_v2(
        digest,
        seed.to_string(),
        strata,
        tasks,
        alternate_tasks,
        parts,
    ))
}

/// The institution part of §20.1 for the institution draw alone (no teams): what a public
/// verifier rebuilds under published classes. Fails if classes are committed.
pub fn institution_part_from_public(public: &PublicSection, seed: &str) -> Result<String, DrawError> {
    check_seed(seed)?;
    if public.class_mode != ClassMode::Published {
        return Err(DrawError::Inputs(bad(
            0,
            "classes are committed: the public cannot rerun the strata",
        )));
    }
    let p = &public.plan;
    let public_digest = public.digest();
    let tickets = tickets(&public_digest, seed, p.institutions.len());
    let (strata, drawn, alternates) = select(&p.institutions, &p.rates_bp, p.alternates_per_class, &tickets);
    let to_line = |&(class, rank, idx): &Pick| InstitutionLine {
        class,
        rank,
        code: p.institutions[idx].code.clone(),
        ticket: tickets[idx],
        salt: String::new(),
        items: items_for(p, &p.institutions[idx].kind),
    };
    let part = InstitutionPart {
        public_digest,
        seed: seed.to_string(),
        strata,
        tasks: drawn.iter().map(to_line).collect(),
        alternates: alternates.iter().map(to_line).collect(),
    };
    Ok(part.text())
}

/// One `task` or `alternate` line of the institution part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionLine {
    pub class: CreditClass,
    pub rank: u32,
    pub code: String,
    pub ticket: u64,
    pub salt: String,
    pub items: Vec<String>,
}

/// The institution part of §20.1, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionPart {
    pub public_digest: String,
    pub seed: String,
    pub strata: Vec<Stratum>,
    pub tasks: Vec<InstitutionLine>,
    pub alternates: Vec<InstitutionLine>,
}

impl InstitutionPart {
    pub fn text(&self) -> String {
        let mut o = Out(String::new());
        o.line(&[INSTITUTIONS_MAGIC, "2"]);
        o.line(&["public", &self.public_digest]);
        o.line(&["seed", &self.seed]);
        for s in &self.strata {
            o.line(&[
                "stratum",
                s.class.letter(),
                &s.population.to_string(),
                &s.drawn.to_string(),
                &s.alternates.to_string(),
            ]);
        }
        for (i, t) in self.tasks.iter().enumerate() {
            o.line(&[
                "task",
                &(i + 1).to_string(),
                t.class.letter(),
                &t.rank.to_string(),
                &t.code,
                &t.ticket.to_string(),
                &t.salt,
                &t.items.join(","),
            ]);
        }
        for t in &self.alternates {
            o.line(&[
                "alternate",
                t.class.letter(),
                &t.rank.to_string(),
                &t.code,
                &t.ticket.to_string(),
                &t.salt,
                &t.items.join(","),
            ]);
        }
        o.0
    }

    /// Parses an institution part; refuses anything that does not print back identically.
    pub fn parse(text: &str) -> Result<Self, String> {
        let body = text
            .strip_suffix('\n')
            .ok_or("the institution part must end with a line feed")?;
        let mut lines = body
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.split('\t').collect::<Vec<_>>()));
        let mut next = |tag: &str, n: usize| -> Result<(usize, Vec<&str>), String> {
            let (no, f) = lines.next().ok_or(format!("missing line '{tag}'"))?;
            if f[0] != tag || f.len() != n {
                return Err(format!("line {no}: expected '{tag}' with {n} fields"));
            }
            Ok((no, f))
        };
        let (no, f) = next(INSTITUTIONS_MAGIC, 2)?;
        if f[1] != "2" {
            return Err(format!("line {no}: not a version 2 institution part"));
        }
        let (_, f) = next("public", 2)?;
        let public_digest = f[1].to_string();
        let (_, f) = next("seed", 2)?;
        let seed = f[1].to_string();
        let u64_of = |no: usize, s: &str| -> Result<u64, String> {
            if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("line {no}: '{s}' is not a canonical number"));
            }
            s.parse().map_err(|_| format!("line {no}: '{s}' is out of range"))
        };
        let class_of = |no: usize, s: &str| {
            CreditClass::parse(s)
                .filter(|c| c.letter() == s)
                .ok_or(format!("line {no}: unknown class '{s}'"))
        };
        let mut strata = Vec::new();
        for c in CreditClass::ALL {
            let (no, f) = next("stratum", 5)?;
            if f[1] != c.letter() {
                return Err(format!("line {no}: expected the stratum of class {c}"));
            }
            strata.push(Stratum {
                class: c,
                population: u64_of(no, f[2])?,
                drawn: u64_of(no, f[3])?,
                alternates: u64_of(no, f[4])?,
            });
        }
        let (mut tasks, mut alternates) = (Vec::new(), Vec::new());
        let list = |s: &str| -> Vec<String> {
            if s.is_empty() {
                vec![]
            } else {
                s.split(',').map(String::from).collect()
            }
        };
        for (no, f) in lines {
            let rank = |s: &str| -> Result<u32, String> {
                u32::try_from(u64_of(no, s)?).map_err(|_| format!("line {no}: rank out of range"))
            };
            match (f[0], f.len()) {
                ("task", 8) if alternates.is_empty() => {
                    if u64_of(no, f[1])? != tasks.len() as u64 + 1 {
                        return Err(format!("line {no}: task number {} out of sequence", f[1]));
                    }
                    tasks.push(InstitutionLine {
                        class: class_of(no, f[2])?,
                        rank: rank(f[3])?,
                        code: f[4].into(),
                        ticket: u64_of(no, f[5])?,
                        salt: f[6].into(),
                        items: list(f[7]),
                    });
                }
                ("alternate", 7) => alternates.push(InstitutionLine {
                    class: class_of(no, f[1])?,
                    rank: rank(f[2])?,
                    code: f[3].into(),
                    ticket: u64_of(no, f[4])?,
                    salt: f[5].into(),
                    items: list(f[6]),
                }),
                _ => return Err(format!("line {no}: unexpected line '{}'", f[0])),
            }
        }
        let part = InstitutionPart {
            public_digest,
            seed,
            strata,
            tasks,
            alternates,
        };
        if part.text() != text {
            return Err("the institution part is not in canonical form".into());
        }
        Ok(part)
    }

    /// §21.3 step 4b: what the public can check of an institution part under committed classes
    /// (and, as a cross-check, under published ones). The error names the first failed rule.
    pub fn check_against(&self, public: &PublicSection, public_digest: &str) -> Result<(), String> {
        let p = &public.plan;
        if self.public_digest != public_digest {
            return Err(format!(
                "the institution part names public digest {}, not {public_digest}",
                self.public_digest
            ));
        }
        let total: u64 = self.strata.iter().map(|s| s.population).sum();
        if total != p.institutions.len() as u64 {
            return Err(format!(
                "the strata count {total} institutions, the public section has {}",
                p.institutions.len()
            ));
        }
        for s in &self.strata {
            let k = sample_size(p.rates_bp[s.class.index()], s.population);
            let m = (k + u64::from(p.alternates_per_class)).min(s.population);
            if s.drawn != k || s.alternates != m - k {
                return Err(format!(
                    "stratum {}: N = {} gives {k} drawn and {} alternates, not {} and {}",
                    s.class,
                    s.population,
                    m - k,
                    s.drawn,
                    s.alternates
                ));
            }
        }
        let tickets = tickets(public_digest, &self.seed, p.institutions.len());
        let index: std::collections::HashMap<&str, usize> = p
            .institutions
            .iter()
            .enumerate()
            .map(|(i, inst)| (inst.code.as_str(), i))
            .collect();
        let mut seen = std::collections::HashSet::new();
        // Expected (class, rank) sequence: drawn A..D, then alternates A..D.
        let expect_drawn: Vec<(CreditClass, u32)> = self
            .strata
            .iter()
            .flat_map(|s| (1..=s.drawn as u32).map(move |r| (s.class, r)))
            .collect();
        let expect_alt: Vec<(CreditClass, u32)> = self
            .strata
            .iter()
            .flat_map(|s| (s.drawn as u32 + 1..=(s.drawn + s.alternates) as u32).map(move |r| (s.class, r)))
            .collect();
        let got_drawn: Vec<(CreditClass, u32)> = self.tasks.iter().map(|t| (t.class, t.rank)).collect();
        let got_alt: Vec<(CreditClass, u32)> = self.alternates.iter().map(|t| (t.class, t.rank)).collect();
        if got_drawn != expect_drawn {
            return Err("the task lines do not match the strata (classes, ranks or count)".into());
        }
        if got_alt != expect_alt {
            return Err("the alternate lines do not match the strata (classes, ranks or count)".into());
        }
        let mut last: [Option<(u64, &str)>; 4] = [None; 4];
        // Per class, ranks ascend: drawn lines then alternates.
        let mut by_class: Vec<&InstitutionLine> = self.tasks.iter().chain(&self.alternates).collect();
        by_class.sort_by_key(|t| (t.class, t.rank));
        for t in by_class {
            let Some(&idx) = index.get(t.code.as_str()) else {
                return Err(format!("{} is not an institution of the public section", t.code));
            };
            if !seen.insert(idx) {
                return Err(format!("{} is listed twice", t.code));
            }
            if t.ticket != tickets[idx] {
                return Err(format!(
                    "the ticket of {} is {}, not {}",
                    t.code, tickets[idx], t.ticket
                ));
            }
            let inst = &p.institutions[idx];
            match public.class_mode {
                ClassMode::Committed => {
                    if !is_salt(&t.salt) || commitment(&t.code, t.class, &t.salt) != public.commitments[idx] {
                        return Err(format!(
                            "{} in class {}: the class and salt do not open its commitment",
                            t.code, t.class
                        ));
                    }
                }
                ClassMode::Published => {
                    if !t.salt.is_empty() || inst.class != t.class {
                        return Err(format!("{} is of class {}, not {}", t.code, inst.class, t.class));
                    }
                }
            }
            if t.items != items_for(p, &inst.kind) {
                return Err(format!("the items of {} differ from its kind's", t.code));
            }
            let key = (t.ticket, t.code.as_str());
            if let Some(prev) = last[t.class.index()]
                && prev >= key
            {
                return Err(format!(
                    "class {}: {} (rank {}) does not come after the previous institution by ticket",
                    t.class, t.code, t.rank
                ));
            }
            last[t.class.index()] = Some(key);
        }
        Ok(())
    }
}

impl Draw {
    fn v2_institution_part(&self, p: &V2Parts) -> InstitutionPart {
        let line = |t: &Task, (ticket, salt): &(u64, String)| InstitutionLine {
            class: t.class,
            rank: t.rank,
            code: t.institution.clone(),
            ticket: *ticket,
            salt: salt.clone(),
            items: t.items.clone(),
        };
        InstitutionPart {
            public_digest: p.public_digest.clone(),
            seed: self.seed.clone(),
            strata: self.strata.clone(),
            tasks: self
                .tasks
                .iter()
                .zip(&p.task_tickets)
                .map(|(t, x)| line(t, x))
                .collect(),
            alternates: self
                .alternates
                .iter()
                .zip(&p.alternate_tickets)
                .map(|(t, x)| line(t, x))
                .collect(),
        }
    }

    /// §20.1 text of a v2 draw.
    pub fn institution_part(&self) -> Option<String> {
        self.v2.as_ref().map(|p| self.v2_institution_part(p).text())
    }

    /// §20.2 text of a v2 draw.
    pub fn team_part(&self) -> Option<String> {
        let inst = self.institution_part()?;
        let mut o = Out(String::new());
        o.line(&[TEAMS_MAGIC, "2"]);
        o.line(&["inputs", &self.inputs_digest]);
        o.line(&["institutions", &hex32(inst.as_bytes())]);
        for (i, t) in self.tasks.iter().enumerate() {
            o.line(&["task", &(i + 1).to_string(), &t.institution, &t.team.join(",")]);
        }
        for t in &self.alternates {
            o.line(&[
                "alternate",
                t.class.letter(),
                &t.rank.to_string(),
                &t.institution,
                &t.team.join(","),
            ]);
        }
        Some(o.0)
    }

    /// (institutions digest, teams digest) of a v2 draw.
    pub fn part_digests(&self) -> Option<(String, String)> {
        Some((
            hex32(self.institution_part()?.as_bytes()),
            hex32(self.team_part()?.as_bytes()),
        ))
    }
}

/// Splits a v2 result text into its institution part and team part (§20).
pub fn split_result(text: &str) -> Option<(&str, &str)> {
    let at = text.find(&format!("\n{TEAMS_MAGIC}\t"))? + 1;
    Some(text.split_at(at))
}

pub fn digest_of(text: &str) -> String {
    hex32(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::draw::inputs::tests::sample;

    fn v2(mode: ClassMode) -> InputsV2 {
        let mut inputs = sample();
        inputs.version = 2;
        inputs.inspectors.push(InspectorInput {
            id: "LJ002".into(),
            region: "江南区".into(),
            certified: true,
            expertise: vec!["医学".into()],
            conflicts: vec![],
        });
        let salts = match mode {
            ClassMode::Published => vec![],
            ClassMode::Committed => (0..inputs.institutions.len()).map(|i| format!("{i:032x}")).collect(),
        };
        InputsV2 {
            class_mode: mode,
            inputs,
            salts,
        }
    }

    #[test]
    fn sections_round_trip_in_both_modes() {
        for mode in [ClassMode::Published, ClassMode::Committed] {
            let x = v2(mode);
            let bytes = x.to_bytes();
            assert_eq!(InputsV2::from_bytes(&bytes).unwrap(), x);
            let public = PublicSection::from_bytes(&x.public_bytes()).unwrap();
            assert_eq!(public.class_mode, mode);
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.starts_with("choucha-draw-public\t2\nclasses\t"));
            assert!(text.contains("\nchoucha-draw-sealed\t2\n"));
        }
    }

    #[test]
    fn a_class_that_does_not_open_its_commitment_is_refused() {
        let x = v2(ClassMode::Committed);
        let text = String::from_utf8(x.to_bytes()).unwrap();
        let tampered = text.replace(
            "\tA\t00000000000000000000000000000000\n",
            "\tB\t00000000000000000000000000000000\n",
        );
        assert_ne!(tampered, text);
        let e = InputsV2::from_bytes(tampered.as_bytes()).unwrap_err();
        assert!(e.message.contains("commitment"), "{e}");
    }

    #[test]
    fn the_institution_part_checks_against_the_public_section() {
        for mode in [ClassMode::Published, ClassMode::Committed] {
            let x = v2(mode);
            let d = run(&x.to_bytes(), "42").unwrap();
            let text = d.institution_part().unwrap();
            let part = InstitutionPart::parse(&text).unwrap();
            let public = x.public();
            part.check_against(&public, &public.digest()).unwrap();
            if mode == ClassMode::Published {
                assert_eq!(institution_part_from_public(&public, "42").unwrap(), text);
            }
        }
    }
}
