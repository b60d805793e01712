//! The public verification package (docs/draw-protocol.md §21.2): everything about a v2 plan's
//! draws that anyone may see and check — the public section, every seed, the institution part of
//! every draw, the digests that commit to the sealed data — and nothing private (no inspector,
//! no salt of an unlisted institution, no operator name, no free-text replacement reason).

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use super::Service;
use super::audit_package::{LogHead, PackagePlan, first_difference};
use super::package_checks::{
    PackageKind, Replacement, Slot, Verified, VerifiedDraw, check_draw_list, check_log_head, check_spec, is_hex64,
};
use crate::domain::CreditClass;
use crate::domain::draw::check_seed;
use crate::domain::draw::inputs::digest_hex;
use crate::domain::draw::v2::{self, ClassMode, InstitutionPart, PublicSection};

pub const PUBLIC_FORMAT: &str = "choucha-public-package";

/// The public reason categories of a replacement (§21.2).
pub const REASON_CATEGORIES: [&str; 4] = ["closed", "not_found", "conflict", "other"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicPackage {
    pub format: String,
    pub format_version: u32,
    pub plan: PackagePlan,
    pub protocol: u32,
    /// The public section of the frozen inputs (§14.1).
    pub public_inputs: String,
    pub public_digest: String,
    pub sealed_digest: String,
    pub inputs_digest: String,
    pub frozen_at: String,
    pub draws: Vec<PublicDraw>,
    pub adjustments: Vec<PublicAdjustment>,
    pub audit_log_head: LogHead,
    pub how_to_verify: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicDraw {
    pub protocol: u32,
    pub seed: String,
    pub reason: String,
    pub drawn_at: String,
    /// The institution part of the result (§20.1).
    pub institutions: String,
    pub institutions_digest: String,
    pub teams_digest: String,
    pub result_digest: String,
    /// Alternates whose team is empty in the team part: skipped by replacements.
    pub alternates_without_team: Vec<AlternateRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlternateRef {
    pub class: String,
    pub rank: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicAdjustment {
    pub task: u32,
    pub replaced: String,
    pub replacement: String,
    pub replacement_rank: u32,
    pub reason_category: String,
    pub at: String,
}

pub const HOW_TO_VERIFY_PUBLIC: &str = "运行 `choucha verify 本文件.json`，或按 docs/draw-protocol.md 第二部分（§21.3）自行验证：对 public_inputs 计算 SHA-256 得 public_digest，与 sealed_digest 一起得 inputs_digest；以 public_digest 和种子派生机构密钥，为每家机构取一个签号，按签号在各信用等级内排序，应得到 institutions 中的抽中机构和候补；再由 inputs_digest、institutions_digest 和 teams_digest 得 result_digest。检查组涉及人员信息，不在本包中，只能用审计包验证。 / Run `choucha verify FILE.json`, or follow docs/draw-protocol.md Part II (§21.3): SHA-256 of public_inputs is public_digest; with sealed_digest it gives inputs_digest; public_digest and the seed key one ticket per institution, and sorting each class by ticket gives the drawn institutions and alternates in `institutions`; inputs_digest, institutions_digest and teams_digest give result_digest. Teams involve personal data and are not in this package: only the audit package checks them.";

/// The public category of a free-text replacement reason (the text itself stays in the audit package).
pub fn reason_category(reason: &str) -> &'static str {
    let has = |words: &[&str]| words.iter().any(|w| reason.contains(w));
    if has(&["注销", "吊销", "停业", "歇业", "关闭", "closed"]) {
        "closed"
    } else if has(&["查无下落", "下落不明", "无法联系", "not found"]) {
        "not_found"
    } else if has(&["回避", "利益冲突", "conflict"]) {
        "conflict"
    } else {
        "other"
    }
}

/// The alternates of a v2 team part whose team is empty, in order.
fn alternates_without_team(team_part: &str) -> Vec<AlternateRef> {
    team_part
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 5 && f[0] == "alternate" && f[4].is_empty()).then(|| AlternateRef {
                class: f[1].to_string(),
                rank: f[2].parse().unwrap_or(0),
            })
        })
        .collect()
}

impl Service {
    pub fn public_package(&self, plan_id: i64) -> Result<PublicPackage> {
        let view = self.plan_view(plan_id)?;
        let frozen = view.frozen.clone().ok_or_else(|| {
            anyhow!(
                "{}",
                self.t(
                    "计划尚未冻结，没有公开验证包",
                    "the plan is not frozen: there is no public package yet"
                )
            )
        })?;
        if frozen.protocol < 2 {
            bail!(
                "{}",
                self.t(
                    "该计划按协议 v1 冻结，输入不分公开和密封部分，没有公开验证包；请用审计包验证",
                    "this plan was frozen under protocol 1, whose inputs have no public part: verify it with the audit package"
                )
            );
        }
        if view.draws.is_empty() {
            bail!(
                "{}",
                self.t(
                    "计划尚未抽取，没有公开验证包",
                    "the plan has not been drawn: there is no public package yet"
                )
            );
        }
        let (public_digest, sealed_digest) =
            v2::section_digests(&frozen.inputs).context("stored v2 inputs have no sealed section")?;
        let split = frozen.inputs.len() - {
            let x = v2::InputsV2::from_bytes(&frozen.inputs).map_err(|e| anyhow!("stored inputs: {e}"))?;
            x.sealed_bytes().len()
        };
        let public_inputs =
            String::from_utf8(frozen.inputs[..split].to_vec()).context("stored inputs are not UTF-8")?;
        let draws = view
            .draws
            .iter()
            .map(|d| {
                let (inst, team) = v2::split_result(&d.result).context("stored v2 result has no team part")?;
                Ok(PublicDraw {
                    protocol: d.protocol,
                    seed: d.seed.clone(),
                    reason: d.reason.clone(),
                    drawn_at: d.drawn_at.clone(),
                    institutions: inst.to_string(),
                    institutions_digest: v2::digest_of(inst),
                    teams_digest: v2::digest_of(team),
                    result_digest: d.result_digest.clone(),
                    alternates_without_team: alternates_without_team(team),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(PublicPackage {
            format: PUBLIC_FORMAT.into(),
            format_version: 1,
            plan: PackagePlan {
                id: view.plan.id,
                title: view.plan.title.clone(),
                year: view.plan.year,
                status: view.plan.status.as_str().into(),
                spec: view.plan.spec.clone(),
            },
            protocol: frozen.protocol,
            public_inputs,
            public_digest,
            sealed_digest,
            inputs_digest: frozen.inputs_digest,
            frozen_at: frozen.frozen_at,
            draws,
            adjustments: view
                .adjustments
                .iter()
                .map(|a| PublicAdjustment {
                    task: a.task_seq,
                    replaced: a.replaced.clone(),
                    replacement: a.replacement.clone(),
                    replacement_rank: a.replacement_rank,
                    reason_category: reason_category(&a.reason).into(),
                    at: a.at.clone(),
                })
                .collect(),
            audit_log_head: self.audit_log_head()?,
            how_to_verify: HOW_TO_VERIFY_PUBLIC.into(),
        })
    }

    pub fn export_public_package(&self, plan_id: i64, path: &Path) -> Result<()> {
        super::audit_package::write_package(&self.public_package(plan_id)?, path)
    }
}

/// §21.3: everything the public can check. The error names the first failed rule.
pub fn verify_public_package(pkg: &PublicPackage) -> Result<Verified> {
    if pkg.format != PUBLIC_FORMAT || pkg.format_version != 1 {
        bail!(
            "不是公开验证包 / not a public package (format {:?}, version {})",
            pkg.format,
            pkg.format_version
        );
    }
    if pkg.protocol != 2 {
        bail!(
            "公开验证包只有协议 v2 / a public package is of protocol 2, not {}",
            pkg.protocol
        );
    }
    let public = PublicSection::from_bytes(pkg.public_inputs.as_bytes())
        .map_err(|e| anyhow!("公开输入不规范 / public_inputs: {e}"))?;
    let public_digest = digest_hex(pkg.public_inputs.as_bytes());
    if public_digest != pkg.public_digest {
        bail!(
            "公开部分摘要不符 / public digest differs: package says {}, public_inputs hash to {public_digest}",
            pkg.public_digest
        );
    }
    if !is_hex64(&pkg.sealed_digest) {
        bail!("密封部分摘要格式不对 / sealed_digest is not 64 lowercase hex");
    }
    let inputs_digest = v2::inputs_digest(&public_digest, &pkg.sealed_digest);
    if inputs_digest != pkg.inputs_digest {
        bail!(
            "输入摘要不符 / inputs digest differs: package says {}, the section digests give {inputs_digest}",
            pkg.inputs_digest
        );
    }
    check_spec(&pkg.plan.spec, &pkg.plan.title, pkg.plan.year, &public.plan)?;
    let draws: Vec<(&str, &str, &str)> = pkg
        .draws
        .iter()
        .map(|d| (d.seed.as_str(), d.reason.as_str(), d.drawn_at.as_str()))
        .collect();
    let at: Vec<&str> = pkg.adjustments.iter().map(|a| a.at.as_str()).collect();
    check_draw_list(&pkg.frozen_at, &draws, &at)?;
    check_log_head(pkg.audit_log_head.seq, &pkg.audit_log_head.hash)?;
    let mut verified = Vec::new();
    let mut current = None;
    for (i, d) in pkg.draws.iter().enumerate() {
        let n = i + 1;
        if d.protocol != 2 {
            bail!("draw {n}: protocol {} in a protocol-2 package", d.protocol);
        }
        check_seed(&d.seed).map_err(|e| anyhow!("种子不符合规则 / draw {n}: {e}"))?;
        let part = match public.class_mode {
            ClassMode::Published => {
                let ours = v2::institution_part_from_public(&public, &d.seed)
                    .map_err(|e| anyhow!("draw {n}: rerun failed: {e}"))?;
                if ours != d.institutions {
                    bail!(
                        "抽中机构不符 / draw {n} differs at institution-part line {}",
                        first_difference(&d.institutions, &ours)
                    );
                }
                InstitutionPart::parse(&ours).map_err(|e| anyhow!("draw {n}: {e}"))?
            }
            ClassMode::Committed => {
                let part = InstitutionPart::parse(&d.institutions)
                    .map_err(|e| anyhow!("抽中机构部分不规范 / draw {n}: {e}"))?;
                if part.seed != d.seed {
                    bail!(
                        "draw {n}: the institution part names seed {:?}, not {:?}",
                        part.seed,
                        d.seed
                    );
                }
                part.check_against(&public, &public_digest)
                    .map_err(|e| anyhow!("抽中机构不符 / draw {n}: {e}"))?;
                part
            }
        };
        let inst_digest = v2::digest_of(&d.institutions);
        if inst_digest != d.institutions_digest {
            bail!(
                "机构部分摘要不符 / draw {n}: institutions digest differs: package says {}, the part hashes to {inst_digest}",
                d.institutions_digest
            );
        }
        if !is_hex64(&d.teams_digest) {
            bail!("draw {n}: teams_digest is not 64 lowercase hex");
        }
        let result = v2::result_digest(&inputs_digest, &inst_digest, &d.teams_digest);
        if result != d.result_digest {
            bail!(
                "结果摘要不符 / draw {n}: result digest differs: package says {}, the digests give {result}",
                d.result_digest
            );
        }
        // The list of team-less alternates: only alternates of this draw, each once, in order.
        let order: Vec<(String, u32)> = part
            .alternates
            .iter()
            .map(|a| (a.class.letter().to_string(), a.rank))
            .collect();
        let mut last_pos = None;
        for a in &d.alternates_without_team {
            let pos = order
                .iter()
                .position(|(c, r)| *c == a.class && *r == a.rank)
                .ok_or_else(|| {
                    anyhow!(
                        "draw {n}: alternates_without_team names {}{}, which is no alternate",
                        a.class,
                        a.rank
                    )
                })?;
            if last_pos.is_some_and(|p| p >= pos) {
                bail!("draw {n}: alternates_without_team is not in order or repeats an alternate");
            }
            last_pos = Some(pos);
        }
        verified.push(VerifiedDraw {
            seed: d.seed.clone(),
            reason: d.reason.clone(),
            drawn_at: d.drawn_at.clone(),
            result_digest: result,
            institutions_digest: Some(inst_digest),
            teams_digest: Some(d.teams_digest.clone()),
        });
        current = Some((part, d));
    }
    let (part, d) = current.expect("at least one draw");
    let without = |class: CreditClass, rank: u32| {
        d.alternates_without_team
            .iter()
            .any(|a| a.class == class.letter() && a.rank == rank)
    };
    let tasks: Vec<Slot> = part
        .tasks
        .iter()
        .map(|t| Slot {
            class: t.class,
            rank: t.rank,
            institution: &t.code,
            team: None,
            has_team: true,
        })
        .collect();
    let alternates: Vec<Slot> = part
        .alternates
        .iter()
        .map(|t| Slot {
            class: t.class,
            rank: t.rank,
            institution: &t.code,
            team: None,
            has_team: !without(t.class, t.rank),
        })
        .collect();
    for (i, a) in pkg.adjustments.iter().enumerate() {
        if !REASON_CATEGORIES.contains(&a.reason_category.as_str()) {
            bail!(
                "adjustment {}: reason_category {:?} is not one of {REASON_CATEGORIES:?}",
                i + 1,
                a.reason_category
            );
        }
    }
    let replacements: Vec<Replacement> = pkg
        .adjustments
        .iter()
        .map(|a| Replacement {
            task: a.task,
            replaced: &a.replaced,
            replacement: &a.replacement,
            replacement_rank: a.replacement_rank,
            team: None,
            reason: &a.reason_category,
        })
        .collect();
    super::package_checks::replay_replacements(&tasks, &alternates, &replacements)?;
    Ok(Verified {
        kind: PackageKind::Public,
        protocol: 2,
        class_mode: Some(public.class_mode.as_str()),
        inputs_digest,
        public_digest: Some(public_digest),
        sealed_digest: Some(pkg.sealed_digest.clone()),
        draws: verified,
        tasks: part.tasks.len(),
        adjustments: pkg.adjustments.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_map_to_public_categories() {
        assert_eq!(reason_category("注销"), "closed");
        assert_eq!(reason_category("经核实查无下落"), "not_found");
        assert_eq!(reason_category("检查组成员须回避"), "conflict");
        assert_eq!(reason_category("其他原因：张三电话 138…"), "other");
    }
}
