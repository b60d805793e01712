//! Team assignment (docs/draw-protocol.md §6): for each task in order, members are picked one at
//! a time, uniformly among the candidates in canonical order. Candidates are kept as bitsets over
//! the canonically sorted inspectors so that a million-institution draw stays fast; the bitsets
//! are an implementation detail — the result is defined by the plain rule in the document.

use std::collections::HashMap;

use super::inputs::{DrawInputs, InstitutionInput};
use super::rng::Stream;

/// A constraint the team as a whole must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Certified,
    Expertise(String),
}

/// How many inspectors each rule removed, for the message of a failed draw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shortfall {
    /// The member slot (1-based) that found no candidate.
    pub slot: u32,
    pub pool: usize,
    pub conflict: usize,
    pub same_region: usize,
    pub workload: usize,
    pub already_in_team: usize,
    /// The unmet requirement ("执法证" or an expertise) and how many it removed.
    pub requirement: Option<(String, usize)>,
}

#[derive(Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn clear(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
    fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
    fn count(&self) -> u64 {
        self.0.iter().map(|w| u64::from(w.count_ones())).sum()
    }
    fn and(&mut self, o: &Bits) {
        self.0.iter_mut().zip(&o.0).for_each(|(a, b)| *a &= b);
    }
    fn and_not(&mut self, o: &Bits) {
        self.0.iter_mut().zip(&o.0).for_each(|(a, b)| *a &= !b);
    }
    /// Index of the r-th (0-based) set bit.
    fn select(&self, mut r: u64) -> usize {
        for (wi, &w) in self.0.iter().enumerate() {
            let c = u64::from(w.count_ones());
            if r < c {
                let mut w = w;
                for _ in 0..r {
                    w &= w - 1;
                }
                return wi * 64 + w.trailing_zeros() as usize;
            }
            r -= c;
        }
        unreachable!("select beyond count")
    }
}

pub struct TeamAssigner<'a> {
    inputs: &'a DrawInputs,
    load: Vec<u32>,
    available: Bits,
    certified: Bits,
    expertise: HashMap<&'a str, Bits>,
    region: HashMap<&'a str, Bits>,
    conflicts: HashMap<&'a str, Vec<usize>>,
    requirements: HashMap<&'a str, Vec<Requirement>>,
    empty: Bits,
}

impl<'a> TeamAssigner<'a> {
    pub fn new(inputs: &'a DrawInputs) -> Self {
        let n = inputs.inspectors.len();
        let mut available = Bits::new(n);
        let mut certified = Bits::new(n);
        let mut expertise: HashMap<&str, Bits> = HashMap::new();
        let mut region: HashMap<&str, Bits> = HashMap::new();
        let mut conflicts: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, p) in inputs.inspectors.iter().enumerate() {
            available.set(i);
            if p.certified {
                certified.set(i);
            }
            for e in &p.expertise {
                expertise.entry(e).or_insert_with(|| Bits::new(n)).set(i);
            }
            region.entry(&p.region).or_insert_with(|| Bits::new(n)).set(i);
            for c in &p.conflicts {
                conflicts.entry(c).or_default().push(i);
            }
        }
        let mut requirements: HashMap<&str, Vec<Requirement>> = HashMap::new();
        for inst in &inputs.institutions {
            requirements.entry(&inst.kind).or_insert_with(|| {
                let mut r = Vec::new();
                if inputs.require_certified {
                    r.push(Requirement::Certified);
                }
                for (k, e) in &inputs.expertise_rules {
                    if *k == inst.kind {
                        r.push(Requirement::Expertise(e.clone()));
                    }
                }
                r
            });
        }
        TeamAssigner {
            inputs,
            load: vec![0; n],
            available,
            certified,
            expertise,
            region,
            conflicts,
            requirements,
            empty: Bits::new(n),
        }
    }

    fn satisfies(&self, member: usize, req: &Requirement) -> bool {
        match req {
            Requirement::Certified => self.certified.get(member),
            Requirement::Expertise(e) => self.expertise.get(e.as_str()).is_some_and(|b| b.get(member)),
        }
    }

    fn requirement_bits(&self, req: &Requirement) -> &Bits {
        match req {
            Requirement::Certified => &self.certified,
            Requirement::Expertise(e) => self.expertise.get(e.as_str()).unwrap_or(&self.empty),
        }
    }

    /// Picks a full team for `inst`, or says why a slot had no candidate. Loads change only on success.
    pub fn assign(&mut self, inst: &InstitutionInput, rng: &mut Stream) -> Result<Vec<usize>, Shortfall> {
        let reqs = self.requirements.get(inst.kind.as_str()).cloned().unwrap_or_default();
        let conflicted = self.conflicts.get(inst.code.as_str()).cloned().unwrap_or_default();
        let mut base = self.available.clone();
        if self.inputs.cross_region
            && let Some(r) = self.region.get(inst.region.as_str())
        {
            base.and_not(r);
        }
        for &c in &conflicted {
            base.clear(c);
        }
        let mut team: Vec<usize> = Vec::with_capacity(self.inputs.team_size as usize);
        for slot in 0..self.inputs.team_size {
            let unmet = reqs.iter().find(|r| !team.iter().any(|&m| self.satisfies(m, r)));
            let mut cand = base.clone();
            if let Some(r) = unmet {
                cand.and(self.requirement_bits(r));
            }
            let n = cand.count();
            if n == 0 {
                return Err(self.shortfall(inst, &conflicted, &team, unmet, slot + 1));
            }
            let pick = cand.select(rng.below(n));
            team.push(pick);
            base.clear(pick);
        }
        for &m in &team {
            self.load[m] += 1;
            if self.load[m] >= self.inputs.max_tasks_per_inspector {
                self.available.clear(m);
            }
        }
        Ok(team)
    }

    /// Counts, rule by rule in document order, how many inspectors each rule removed.
    fn shortfall(
        &self,
        inst: &InstitutionInput,
        conflicted: &[usize],
        team: &[usize],
        unmet: Option<&Requirement>,
        slot: u32,
    ) -> Shortfall {
        let mut s = Shortfall {
            slot,
            pool: self.inputs.inspectors.len(),
            ..Default::default()
        };
        let mut req_removed = 0;
        for (i, p) in self.inputs.inspectors.iter().enumerate() {
            if conflicted.contains(&i) {
                s.conflict += 1;
            } else if self.inputs.cross_region && p.region == inst.region {
                s.same_region += 1;
            } else if self.load[i] >= self.inputs.max_tasks_per_inspector {
                s.workload += 1;
            } else if team.contains(&i) {
                s.already_in_team += 1;
            } else if unmet.is_some_and(|r| !self.satisfies(i, r)) {
                req_removed += 1;
            }
        }
        s.requirement = unmet.map(|r| {
            let name = match r {
                Requirement::Certified => "执法证".to_string(),
                Requirement::Expertise(e) => e.clone(),
            };
            (name, req_removed)
        });
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_finds_the_rth_set_bit() {
        let mut b = Bits::new(200);
        for i in [3, 64, 65, 130, 199] {
            b.set(i);
        }
        let got: Vec<usize> = (0..5).map(|r| b.select(r)).collect();
        assert_eq!(got, [3, 64, 65, 130, 199]);
        assert_eq!(b.count(), 5);
    }
}
