//! The draw's outcome and its canonical text, whose SHA-256 is the result digest (§7).

use crate::domain::credit::CreditClass;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stratum {
    pub class: CreditClass,
    pub population: u64,
    pub drawn: u64,
    pub alternates: u64,
}

/// One drawn (or alternate) institution with its team and items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub class: CreditClass,
    /// 1-based position in its stratum's draw order.
    pub rank: u32,
    pub institution: String,
    /// Inspector ids in the order they were picked; empty for an alternate that got no team.
    pub team: Vec<String>,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    pub protocol: u32,
    pub inputs_digest: String,
    pub seed: String,
    pub strata: Vec<Stratum>,
    /// Drawn institutions: class A first, each class in draw order. Task number = index + 1.
    pub tasks: Vec<Task>,
    pub alternates: Vec<Task>,
    pub result_digest: String,
    /// Protocol 2's extra data (public digest, tickets, salts); `None` for a v1 draw.
    pub v2: Option<super::v2::V2Parts>,
}

impl Draw {
    pub fn new(
        protocol: u32,
        inputs_digest: String,
        seed: String,
        strata: Vec<Stratum>,
        tasks: Vec<Task>,
        alternates: Vec<Task>,
    ) -> Self {
        let mut d = Draw {
            protocol,
            inputs_digest,
            seed,
            strata,
            tasks,
            alternates,
            result_digest: String::new(),
            v2: None,
        };
        d.result_digest = super::inputs::digest_hex(&d.result_bytes());
        d
    }

    /// A protocol-2 draw: the result digest is that of the result header (§20.3).
    pub fn new_v2(
        inputs_digest: String,
        seed: String,
        strata: Vec<Stratum>,
        tasks: Vec<Task>,
        alternates: Vec<Task>,
        parts: super::v2::V2Parts,
    ) -> Self {
        let mut d = Draw {
            protocol: 2,
            inputs_digest,
            seed,
            strata,
            tasks,
            alternates,
            result_digest: String::new(),
            v2: Some(parts),
        };
        let (inst, teams) = d.part_digests().expect("v2 parts");
        d.result_digest = super::v2::result_digest(&d.inputs_digest, &inst, &teams);
        d
    }

    /// The canonical result text (docs/draw-protocol.md §7; for protocol 2, §20: institution
    /// part ‖ team part).
    pub fn result_bytes(&self) -> Vec<u8> {
        if self.v2.is_some() {
            let mut text = self.institution_part().expect("v2");
            text.push_str(&self.team_part().expect("v2"));
            return text.into_bytes();
        }
        let mut out = String::new();
        let mut line = |f: &[&str]| {
            out.push_str(&f.join("\t"));
            out.push('\n');
        };
        line(&["choucha-draw-result", &self.protocol.to_string()]);
        line(&["inputs", &self.inputs_digest]);
        line(&["seed", &self.seed]);
        for s in &self.strata {
            line(&[
                "stratum",
                s.class.letter(),
                &s.population.to_string(),
                &s.drawn.to_string(),
                &s.alternates.to_string(),
            ]);
        }
        for (i, t) in self.tasks.iter().enumerate() {
            line(&[
                "task",
                &(i + 1).to_string(),
                t.class.letter(),
                &t.rank.to_string(),
                &t.institution,
                &t.team.join(","),
                &t.items.join(","),
            ]);
        }
        for t in &self.alternates {
            line(&[
                "alternate",
                t.class.letter(),
                &t.rank.to_string(),
                &t.institution,
                &t.team.join(","),
                &t.items.join(","),
            ]);
        }
        out.into_bytes()
    }
}
