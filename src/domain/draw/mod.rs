//! The draw: (canonical input bytes, seed) → drawn institutions, teams and alternates.
//!
//! Pure: no clock, no database, no terminal, no randomness but the keyed ChaCha20 stream.
//! docs/draw-protocol.md is the normative description; this module must agree with it and with
//! the test vectors under tests/vectors/.

pub mod inputs;
pub mod result;
pub mod rng;
pub mod seed;
pub mod teams;
pub mod v2;

use crate::domain::credit::CreditClass;
use crate::domain::plan::sample_size;
use inputs::{DrawInputs, InputsError, digest_hex};
pub use result::{Draw, Stratum, Task};
use rng::{STREAM_INSTITUTIONS, STREAM_TEAMS, Stream, derive_key};
pub use seed::{SeedError, check_seed};
use teams::{Shortfall, TeamAssigner};

/// The protocol a new draw uses.
pub const CURRENT_PROTOCOL: u32 = 2;
/// Every protocol this build can still run: old draws verify forever.
pub const SUPPORTED_PROTOCOLS: &[u32] = &[1, 2];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("unknown draw protocol version {0}")]
    UnknownProtocol(u32),
    #[error("draw inputs are not canonical: {0}")]
    Inputs(#[from] InputsError),
    #[error("bad seed: {0}")]
    Seed(#[from] SeedError),
    #[error("no full team for institution {institution} (class {class})")]
    NoTeam {
        institution: String,
        class: CreditClass,
        shortfall: Shortfall,
    },
}

/// Runs the draw of `protocol` over canonical input bytes and a seed.
pub fn run(protocol: u32, input_bytes: &[u8], seed: &str) -> Result<Draw, DrawError> {
    match protocol {
        1 => run_v1(input_bytes, seed),
        2 => v2::run(input_bytes, seed),
        v => Err(DrawError::UnknownProtocol(v)),
    }
}

fn run_v1(input_bytes: &[u8], seed: &str) -> Result<Draw, DrawError> {
    check_seed(seed)?;
    let inputs = DrawInputs::from_bytes(input_bytes)?;
    if inputs.version != 1 {
        return Err(DrawError::Inputs(InputsError {
            line: 1,
            message: format!("inputs of version {} cannot be run by protocol 1", inputs.version),
        }));
    }
    let digest = digest_hex(input_bytes);
    let mut digest_raw = [0u8; 32];
    hex::decode_to_slice(&digest, &mut digest_raw).expect("own hex");
    let key = derive_key(&digest_raw, seed);

    // §5 Strata: a partial Fisher–Yates over each class's canonically sorted institutions.
    let mut pick_rng = Stream::new(key, STREAM_INSTITUTIONS);
    let mut strata = Vec::new();
    let mut drawn: Vec<(CreditClass, u32, usize)> = Vec::new();
    let mut alternates: Vec<(CreditClass, u32, usize)> = Vec::new();
    for class in CreditClass::ALL {
        let mut members: Vec<usize> = Vec::with_capacity(inputs.institutions.len());
        members.extend((0..inputs.institutions.len()).filter(|&i| inputs.institutions[i].class == class));
        let n = members.len() as u64;
        let k = sample_size(inputs.rates_bp[class.index()], n);
        let m = (k + u64::from(inputs.alternates_per_class)).min(n);
        for i in 0..m {
            let j = i + pick_rng.below(n - i);
            members.swap(i as usize, j as usize);
        }
        for (pos, &idx) in members.iter().take(m as usize).enumerate() {
            let rank = pos as u32 + 1;
            if (pos as u64) < k {
                drawn.push((class, rank, idx));
            } else {
                alternates.push((class, rank, idx));
            }
        }
        strata.push(Stratum {
            class,
            population: n,
            drawn: k,
            alternates: m - k,
        });
    }

    // §6 Teams: drawn institutions first, then alternates, all on the team stream.
    let mut team_rng = Stream::new(key, STREAM_TEAMS);
    let mut assigner = TeamAssigner::new(&inputs);
    let task = |class, rank, idx: usize, team: Vec<usize>| {
        let inst = &inputs.institutions[idx];
        Task {
            class,
            rank,
            institution: inst.code.clone(),
            team: team.iter().map(|&m| inputs.inspectors[m].id.clone()).collect(),
            items: inputs
                .items
                .iter()
                .filter(|it| it.applies_to.contains(&inst.kind))
                .map(|it| it.code.clone())
                .collect(),
        }
    };
    let mut tasks = Vec::with_capacity(drawn.len());
    for &(class, rank, idx) in &drawn {
        let inst = &inputs.institutions[idx];
        match assigner.assign(inst, &mut team_rng) {
            Ok(team) => tasks.push(task(class, rank, idx, team)),
            Err(shortfall) => {
                return Err(DrawError::NoTeam {
                    institution: inst.code.clone(),
                    class,
                    shortfall,
                });
            }
        }
    }
    let mut alternate_tasks = Vec::with_capacity(alternates.len());
    for &(class, rank, idx) in &alternates {
        // An alternate that cannot get a full team keeps an empty team and is skipped on replacement.
        let team = assigner
            .assign(&inputs.institutions[idx], &mut team_rng)
            .unwrap_or_default();
        alternate_tasks.push(task(class, rank, idx, team));
    }
    Ok(Draw::new(1, digest, seed.to_string(), strata, tasks, alternate_tasks))
}
