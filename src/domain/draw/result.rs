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
        };
        d.result_digest = super::inputs::digest_hex(&d.result_bytes());
        d
    }

    /// The canonical result text (docs/draw-protocol.md §7).
    pub fn result_bytes(&self) -> Vec<u8> {
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
