//! Properties of the draw over generated rosters, and the inclusion statistics.

use std::collections::{HashMap, HashSet};

use choucha::domain::CreditClass;
use choucha::domain::draw::inputs::{DrawInputs, InspectorInput, InstitutionInput, ItemInput};
use choucha::domain::draw::{DrawError, run};
use choucha::domain::plan::sample_size;
use proptest::prelude::*;

const REGIONS: [&str; 4] = ["江北区", "江南区", "高新区", "临溪县"];
const KINDS: [&str; 2] = ["医疗机构", "零售药店"];

#[derive(Debug, Clone)]
struct Case {
    inputs: DrawInputs,
    seed: String,
}

fn build(
    insts: Vec<(u8, u8, u8)>,
    insps: Vec<(u8, bool, u8, Vec<u16>)>,
    rates: [u32; 4],
    cap: u32,
    alts: u32,
    cross: bool,
    seed: String,
) -> Case {
    let institutions: Vec<InstitutionInput> = insts
        .iter()
        .enumerate()
        .map(|(i, &(class, region, kind))| InstitutionInput {
            code: format!("{}4599{:02}{:05}", if kind == 0 { 'H' } else { 'P' }, region + 1, i),
            kind: KINDS[kind as usize].into(),
            region: REGIONS[region as usize].into(),
            class: CreditClass::ALL[class as usize],
        })
        .collect();
    let inspectors = insps
        .iter()
        .enumerate()
        .map(|(i, (region, certified, exp, conflicts))| InspectorInput {
            id: format!("LJ{i:04}"),
            region: REGIONS[*region as usize].into(),
            certified: *certified,
            expertise: match exp % 3 {
                0 => vec!["医学".into()],
                1 => vec!["药学".into()],
                _ => vec!["医学".into(), "药学".into()],
            },
            conflicts: conflicts
                .iter()
                .filter_map(|&c| {
                    institutions
                        .get(c as usize % institutions.len().max(1))
                        .map(|i| i.code.clone())
                })
                .collect(),
        })
        .collect();
    let mut inputs = DrawInputs {
        version: 1,
        title: "性质测试".into(),
        year: 2026,
        rates_bp: rates,
        team_size: 2,
        require_certified: true,
        cross_region: cross,
        max_tasks_per_inspector: cap,
        alternates_per_class: alts,
        expertise_rules: vec![("医疗机构".into(), "医学".into()), ("零售药店".into(), "药学".into())],
        items: vec![
            ItemInput {
                code: "YB-01".into(),
                applies_to: vec!["医疗机构".into()],
            },
            ItemInput {
                code: "YB-04".into(),
                applies_to: vec!["医疗机构".into(), "零售药店".into()],
            },
        ],
        institutions,
        inspectors,
    };
    inputs.normalize();
    Case { inputs, seed }
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((0u8..4, 0u8..4, 0u8..2), 0..120),
        prop::collection::vec(
            (0u8..4, any::<bool>(), 0u8..3, prop::collection::vec(any::<u16>(), 0..3)),
            2..40,
        ),
        prop::array::uniform4(500u32..=10_000),
        1u32..30,
        0u32..4,
        any::<bool>(),
        "[0-9A-Za-z 骰子]{1,12}",
    )
        .prop_map(|(a, b, r, c, al, x, s)| build(a, b, r, c, al, x, s.trim().to_string()))
        .prop_filter("seed must not be blank", |c| !c.seed.is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn every_rule_holds(case in case()) {
        let bytes = case.inputs.to_bytes();
        let inputs = &case.inputs;
        match run(1, &bytes, &case.seed) {
            Ok(draw) => {
                // Determinism.
                prop_assert_eq!(&run(1, &bytes, &case.seed).unwrap(), &draw);
                let by_code: HashMap<&str, &InstitutionInput> = inputs.institutions.iter().map(|i| (i.code.as_str(), i)).collect();
                let by_id: HashMap<&str, &InspectorInput> = inputs.inspectors.iter().map(|p| (p.id.as_str(), p)).collect();
                // Per-class counts.
                for class in CreditClass::ALL {
                    let n = inputs.institutions.iter().filter(|i| i.class == class).count() as u64;
                    let k = sample_size(inputs.rates_bp[class.index()], n);
                    let drawn = draw.tasks.iter().filter(|t| t.class == class).count() as u64;
                    prop_assert_eq!(drawn, k);
                    prop_assert!(n == 0 || drawn * 10_000 >= n * 500, "class {class} under the 5% floor");
                    let alts = draw.alternates.iter().filter(|t| t.class == class).count() as u64;
                    prop_assert_eq!(alts, (k + u64::from(inputs.alternates_per_class)).min(n) - k);
                }
                // No institution twice.
                let all: Vec<&str> = draw.tasks.iter().chain(&draw.alternates).map(|t| t.institution.as_str()).collect();
                prop_assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len());
                // Team rules.
                let mut load: HashMap<&str, u32> = HashMap::new();
                for t in draw.tasks.iter().chain(draw.alternates.iter().filter(|t| !t.team.is_empty())) {
                    let inst = by_code[t.institution.as_str()];
                    prop_assert_eq!(inst.class, t.class);
                    prop_assert_eq!(t.team.len(), 2);
                    prop_assert_ne!(&t.team[0], &t.team[1]);
                    let members: Vec<&InspectorInput> = t.team.iter().map(|m| by_id[m.as_str()]).collect();
                    prop_assert!(members.iter().any(|m| m.certified));
                    let need = if inst.kind == "医疗机构" { "医学" } else { "药学" };
                    prop_assert!(members.iter().any(|m| m.expertise.iter().any(|e| e == need)));
                    for m in &members {
                        prop_assert!(!m.conflicts.contains(&inst.code), "conflicted member");
                        if inputs.cross_region {
                            prop_assert_ne!(&m.region, &inst.region);
                        }
                        *load.entry(m.id.as_str()).or_default() += 1;
                    }
                    let want_items: Vec<&str> = if inst.kind == "医疗机构" { vec!["YB-01", "YB-04"] } else { vec!["YB-04"] };
                    prop_assert_eq!(t.items.iter().map(String::as_str).collect::<Vec<_>>(), want_items);
                }
                prop_assert!(load.values().all(|&l| l <= inputs.max_tasks_per_inspector));
            }
            Err(DrawError::NoTeam { institution, .. }) => {
                prop_assert!(inputs.institutions.iter().any(|i| i.code == institution));
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn a_changed_seed_changes_the_draw(case in case(), extra in "[0-9a-z]") {
        // Only meaningful where the draw has freedom: some stratum with 2+ institutions drawn or left.
        let bytes = case.inputs.to_bytes();
        let free = case.inputs.institutions.len() >= 8;
        if let (true, Ok(a), Ok(b)) = (free, run(1, &bytes, &case.seed), run(1, &bytes, &format!("{}{extra}", case.seed))) {
            prop_assert_ne!(a.result_digest, b.result_digest);
        }
    }
}

/// Across 2,000 fixed seeds each of 20 institutions in a stratum drawn at 25% is included about
/// 500 times: chi-square over 19 degrees of freedom stays below the 0.1% critical value 43.82.
#[test]
fn inclusion_frequencies_match_the_rate() {
    let insts: Vec<(u8, u8, u8)> = (0..20).map(|i| (1, (i % 4) as u8, 0)).collect();
    let insps: Vec<(u8, bool, u8, Vec<u16>)> = (0..24).map(|i| ((i % 4) as u8, true, 2, vec![])).collect();
    let case = build(insts, insps, [500, 2500, 500, 500], 1000, 0, true, String::new());
    let bytes = case.inputs.to_bytes();
    let mut hits: HashMap<String, u64> = HashMap::new();
    let seeds = 2000;
    for s in 0..seeds {
        let d = run(1, &bytes, &format!("chi-{s}")).unwrap();
        assert_eq!(d.tasks.len(), 5);
        for t in d.tasks {
            *hits.entry(t.institution).or_default() += 1;
        }
    }
    assert_eq!(hits.len(), 20, "every institution is drawn sometimes");
    let expected = seeds as f64 * 5.0 / 20.0;
    let chi2: f64 = case
        .inputs
        .institutions
        .iter()
        .map(|i| {
            let o = *hits.get(&i.code).unwrap_or(&0) as f64;
            (o - expected).powi(2) / expected
        })
        .sum();
    assert!(chi2 < 43.82, "chi-square {chi2:.2} too large: {hits:?}");
    // And the first position of the Fisher–Yates order is uniform too.
    let mut first: HashMap<String, u64> = HashMap::new();
    for s in 0..seeds {
        let d = run(1, &bytes, &format!("chi-{s}")).unwrap();
        *first.entry(d.tasks[0].institution.clone()).or_default() += 1;
    }
    let e1 = seeds as f64 / 20.0;
    let chi2: f64 = case
        .inputs
        .institutions
        .iter()
        .map(|i| (*first.get(&i.code).unwrap_or(&0) as f64 - e1).powi(2) / e1)
        .sum();
    assert!(chi2 < 43.82, "first-position chi-square {chi2:.2}");
}

/// Team members are chosen uniformly among the candidates: 8 equivalent inspectors share the
/// team slots of 2,000 draws evenly (chi-square, 7 df, 0.1% critical value 24.32).
#[test]
fn team_members_are_uniform_among_candidates() {
    let insts: Vec<(u8, u8, u8)> = vec![(3, 0, 0)];
    let insps: Vec<(u8, bool, u8, Vec<u16>)> = (0..8).map(|_| (1, true, 0, vec![])).collect();
    let case = build(insts, insps, [500, 500, 500, 10_000], 5, 0, true, String::new());
    let bytes = case.inputs.to_bytes();
    let mut hits: HashMap<String, u64> = HashMap::new();
    for s in 0..2000 {
        for m in run(1, &bytes, &format!("team-{s}")).unwrap().tasks[0].team.clone() {
            *hits.entry(m).or_default() += 1;
        }
    }
    let e = 2000.0 * 2.0 / 8.0;
    let chi2: f64 = hits.values().map(|&o| (o as f64 - e).powi(2) / e).sum();
    assert_eq!(hits.len(), 8);
    assert!(chi2 < 24.32, "chi-square {chi2:.2}: {hits:?}");
}

// ---------------------------------------------------------------------------------------------
// Protocol 2 (docs/draw-protocol.md Part II).
// ---------------------------------------------------------------------------------------------

mod v2_properties {
    use super::*;
    use choucha::domain::draw::v2::{ClassMode, InputsV2, InstitutionPart};

    fn v2(case: &Case, mode: ClassMode) -> InputsV2 {
        let mut inputs = case.inputs.clone();
        inputs.version = 2;
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

    fn institution_part(x: &InputsV2, seed: &str) -> Option<String> {
        match run(2, &x.to_bytes(), seed) {
            Ok(d) => d.institution_part(),
            Err(DrawError::NoTeam { .. }) => {
                Some(choucha::domain::draw::v2::institution_part_from_public(&x.public(), seed).ok()?)
            }
            Err(e) => panic!("{e}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

        /// §17: the institution part depends on the public section and the seed only — dropping,
        /// adding or changing inspectors leaves it byte for byte the same, and the public check
        /// of §21.3 accepts it.
        #[test]
        fn the_institution_part_is_independent_of_the_sealed_section(case in case(), drop in 0usize..8) {
            for mode in [ClassMode::Published, ClassMode::Committed] {
                let x = v2(&case, mode);
                let Some(part) = institution_part(&x, &case.seed) else { continue };
                let mut y = x.clone();
                if !y.inputs.inspectors.is_empty() {
                    let i = drop % y.inputs.inspectors.len();
                    y.inputs.inspectors.remove(i);
                }
                for p in &mut y.inputs.inspectors {
                    p.certified = !p.certified;
                }
                // Under committed classes a failed team draw hides the part; published always has it.
                match institution_part(&y, &case.seed) {
                    Some(again) => prop_assert_eq!(again, part.clone()),
                    None => prop_assert_eq!(mode, ClassMode::Committed),
                }
                prop_assert_ne!(x.digests().1, y.digests().1);
                let public = x.public();
                let parsed = InstitutionPart::parse(&part).unwrap();
                prop_assert!(parsed.check_against(&public, &public.digest()).is_ok());
            }
        }

        /// Tampering: moving one institution to another class changes the public digest (published
        /// classes) or fails to open its commitment (committed classes); changing the seed changes
        /// the result digest.
        #[test]
        fn tampering_changes_the_digests(case in case(), which in 0usize..64, extra in "[0-9a-z]") {
            let x = v2(&case, ClassMode::Published);
            prop_assume!(!x.inputs.institutions.is_empty());
            let i = which % x.inputs.institutions.len();
            let mut y = x.clone();
            let c = y.inputs.institutions[i].class;
            y.inputs.institutions[i].class = if c == CreditClass::A { CreditClass::B } else { CreditClass::A };
            prop_assert_ne!(x.digests().0, y.digests().0);
            prop_assert_ne!(x.digests().2, y.digests().2);

            let xc = v2(&case, ClassMode::Committed);
            let text = String::from_utf8(xc.to_bytes()).unwrap();
            let code = &xc.inputs.institutions[i].code;
            let line = format!("class\t{code}\t{}\t", c.letter());
            let moved = format!("class\t{code}\t{}\t", if c == CreditClass::A { "B" } else { "A" });
            let tampered = text.replacen(&line, &moved, 1);
            prop_assert!(InputsV2::from_bytes(tampered.as_bytes()).is_err());

            if let (Ok(a), Ok(b)) = (
                run(2, &x.to_bytes(), &case.seed),
                run(2, &x.to_bytes(), &format!("{}{extra}", case.seed)),
            ) {
                prop_assert_ne!(a.institution_part(), b.institution_part());
                prop_assert_ne!(a.result_digest, b.result_digest);
            }
        }
    }
}
