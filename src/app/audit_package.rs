//! The audit package: everything an outsider needs to rerun a plan's draws, in one JSON file.
//! `verify` needs no database: it rebuilds the digests and reruns every draw.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use super::Service;
use super::package_checks::{
    PackageKind, Replacement, Slot, Verified, VerifiedDraw, check_draw_list, check_log_head, check_spec,
    read_package_text,
};
use crate::domain::draw::inputs::{DrawInputs, digest_hex};
use crate::domain::draw::{self, v2};

pub const PACKAGE_FORMAT: &str = "choucha-audit-package";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditPackage {
    pub format: String,
    pub format_version: u32,
    pub plan: PackagePlan,
    /// Protocol version the inputs were frozen for.
    pub protocol: u32,
    /// The canonical input bytes (UTF-8 text, LF line ends) exactly as frozen.
    pub inputs: String,
    pub inputs_digest: String,
    pub frozen_at: String,
    pub frozen_by: String,
    /// Every draw of the plan, oldest first; the last one is current.
    pub draws: Vec<PackageDraw>,
    pub adjustments: Vec<PackageAdjustment>,
    /// The audit log's head when the package was written (required, §22.1).
    pub audit_log_head: LogHead,
    pub how_to_verify: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackagePlan {
    pub id: i64,
    pub title: String,
    pub year: i32,
    pub status: String,
    /// The plan file with the configured defaults merged in.
    pub spec: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageDraw {
    pub protocol: u32,
    pub seed: String,
    /// The canonical result text (docs/draw-protocol.md §7).
    pub result: String,
    pub result_digest: String,
    pub reason: String,
    pub drawn_at: String,
    pub drawn_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageAdjustment {
    pub task: u32,
    pub replaced: String,
    pub replacement: String,
    pub replacement_rank: u32,
    pub team: Vec<String>,
    pub reason: String,
    pub at: String,
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogHead {
    pub seq: i64,
    pub hash: String,
}

pub const HOW_TO_VERIFY: &str = "运行 `choucha verify 本文件.json` 即可复现；或按 docs/draw-protocol.md 自行实现：对 inputs 计算 SHA-256 得 inputs_digest，再以 seed 派生密钥、运行 ChaCha20 抽取，应得到与 result 完全相同的文本和 result_digest。 / Run `choucha verify FILE.json`, or implement docs/draw-protocol.md: SHA-256 of `inputs` gives inputs_digest; the seed and that digest key the ChaCha20 draw, which must give `result` byte for byte.";

impl Service {
    pub fn audit_package(&self, plan_id: i64) -> Result<AuditPackage> {
        let view = self.plan_view(plan_id)?;
        let frozen = view.frozen.clone().ok_or_else(|| {
            anyhow!(
                "{}",
                self.t(
                    "计划尚未冻结，没有审计包",
                    "the plan is not frozen: there is no audit package yet"
                )
            )
        })?;
        Ok(AuditPackage {
            format: PACKAGE_FORMAT.into(),
            format_version: 1,
            plan: PackagePlan {
                id: view.plan.id,
                title: view.plan.title.clone(),
                year: view.plan.year,
                status: view.plan.status.as_str().into(),
                spec: view.plan.spec.clone(),
            },
            protocol: frozen.protocol,
            inputs: String::from_utf8(frozen.inputs).context("stored inputs are not UTF-8")?,
            inputs_digest: frozen.inputs_digest,
            frozen_at: frozen.frozen_at,
            frozen_by: frozen.frozen_by,
            draws: view
                .draws
                .iter()
                .map(|d| PackageDraw {
                    protocol: d.protocol,
                    seed: d.seed.clone(),
                    result: d.result.clone(),
                    result_digest: d.result_digest.clone(),
                    reason: d.reason.clone(),
                    drawn_at: d.drawn_at.clone(),
                    drawn_by: d.drawn_by.clone(),
                })
                .collect(),
            adjustments: view
                .adjustments
                .iter()
                .map(|a| PackageAdjustment {
                    task: a.task_seq,
                    replaced: a.replaced.clone(),
                    replacement: a.replacement.clone(),
                    replacement_rank: a.replacement_rank,
                    team: a.team.clone(),
                    reason: a.reason.clone(),
                    at: a.at.clone(),
                    actor: a.actor.clone(),
                })
                .collect(),
            audit_log_head: self.audit_log_head()?,
            how_to_verify: HOW_TO_VERIFY.into(),
        })
    }

    /// The newest audit-log entry: both packages record it so that readers can compare it with
    /// the log the unit keeps.
    pub fn audit_log_head(&self) -> Result<LogHead> {
        self.log_head()?.context("the audit log is empty")
    }

    pub fn export_audit_package(&self, plan_id: i64, path: &Path) -> Result<()> {
        write_package(&self.audit_package(plan_id)?, path)
    }
}

/// Writes a package (audit or public) as pretty JSON, completely or not at all.
pub(crate) fn write_package(pkg: &impl Serialize, path: &Path) -> Result<()> {
    crate::io::write_atomic(path, serde_json::to_string_pretty(pkg)?.as_bytes())
}

/// Reruns everything in an audit package (v1 §9, v2 §21.4, and §22). The error names the first
/// difference.
pub fn verify_package(pkg: &AuditPackage) -> Result<Verified> {
    if pkg.format != PACKAGE_FORMAT || pkg.format_version != 1 {
        bail!(
            "不是审计包 / not an audit package (format {:?}, version {})",
            pkg.format,
            pkg.format_version
        );
    }
    if !draw::SUPPORTED_PROTOCOLS.contains(&pkg.protocol) {
        bail!("不支持的协议版本 / unknown protocol version {}", pkg.protocol);
    }
    let bytes = pkg.inputs.as_bytes();
    // The digest first: it is what was published, whatever the inputs say.
    let (digest, plan_inputs, sections) = match pkg.protocol {
        1 => {
            let digest = digest_hex(bytes);
            if digest != pkg.inputs_digest {
                bail!(
                    "输入摘要不符 / inputs digest differs: package says {}, the inputs hash to {digest}",
                    pkg.inputs_digest
                );
            }
            let parsed = DrawInputs::from_bytes(bytes).map_err(|e| anyhow!("抽取输入不规范 / inputs: {e}"))?;
            (digest, parsed, None)
        }
        _ => {
            let x = v2::InputsV2::from_bytes(bytes).map_err(|e| anyhow!("抽取输入不规范 / inputs: {e}"))?;
            let (p, s, digest) = x.digests();
            if digest != pkg.inputs_digest {
                bail!(
                    "输入摘要不符 / inputs digest differs: package says {}, the inputs give {digest}",
                    pkg.inputs_digest
                );
            }
            (digest, x.inputs, Some((p, s, x.class_mode.as_str())))
        }
    };
    check_spec(&pkg.plan.spec, &pkg.plan.title, pkg.plan.year, &plan_inputs)?;
    let draws: Vec<(&str, &str, &str)> = pkg
        .draws
        .iter()
        .map(|d| (d.seed.as_str(), d.reason.as_str(), d.drawn_at.as_str()))
        .collect();
    let at: Vec<&str> = pkg.adjustments.iter().map(|a| a.at.as_str()).collect();
    check_draw_list(&pkg.frozen_at, &draws, &at)?;
    check_log_head(pkg.audit_log_head.seq, &pkg.audit_log_head.hash)?;
    let mut verified_draws = Vec::new();
    let mut last = None;
    for (i, d) in pkg.draws.iter().enumerate() {
        let n = i + 1;
        if d.protocol != pkg.protocol {
            bail!(
                "draw {n}: protocol {} differs from the frozen inputs' protocol {}",
                d.protocol,
                pkg.protocol
            );
        }
        let again =
            draw::run(d.protocol, bytes, &d.seed).map_err(|e| anyhow!("未能重新运行 / draw {n}: rerun failed: {e}"))?;
        let text = String::from_utf8(again.result_bytes())?;
        if text != d.result {
            bail!(
                "抽取结果不符 / draw {n} differs at result line {}",
                first_difference(&d.result, &text)
            );
        }
        if again.result_digest != d.result_digest {
            bail!(
                "结果摘要不符 / draw {n}: result digest differs: package says {}, rerun gives {}",
                d.result_digest,
                again.result_digest
            );
        }
        let parts = again.part_digests();
        verified_draws.push(VerifiedDraw {
            seed: d.seed.clone(),
            reason: d.reason.clone(),
            drawn_at: d.drawn_at.clone(),
            result_digest: again.result_digest.clone(),
            institutions_digest: parts.as_ref().map(|p| p.0.clone()),
            teams_digest: parts.map(|p| p.1),
        });
        last = Some(again);
    }
    let current = last.expect("at least one draw");
    fn slot(t: &draw::Task) -> Slot<'_> {
        Slot {
            class: t.class,
            rank: t.rank,
            institution: &t.institution,
            team: Some(&t.team),
            has_team: !t.team.is_empty(),
        }
    }
    let tasks: Vec<Slot> = current.tasks.iter().map(slot).collect();
    let alternates: Vec<Slot> = current.alternates.iter().map(slot).collect();
    let replacements: Vec<Replacement> = pkg
        .adjustments
        .iter()
        .map(|a| Replacement {
            task: a.task,
            replaced: &a.replaced,
            replacement: &a.replacement,
            replacement_rank: a.replacement_rank,
            team: Some(&a.team),
            reason: &a.reason,
        })
        .collect();
    super::package_checks::replay_replacements(&tasks, &alternates, &replacements)?;
    Ok(Verified {
        kind: PackageKind::Audit,
        protocol: pkg.protocol,
        class_mode: sections.as_ref().map(|s| s.2),
        inputs_digest: digest,
        public_digest: sections.as_ref().map(|s| s.0.clone()),
        sealed_digest: sections.map(|s| s.1),
        draws: verified_draws,
        tasks: current.tasks.len(),
        adjustments: pkg.adjustments.len(),
    })
}

/// "line N: package has …, rerun gives …" for the first line where two texts differ.
pub fn first_difference(theirs: &str, ours: &str) -> String {
    let line = ours
        .lines()
        .zip(theirs.lines())
        .position(|(a, b)| a != b)
        .map(|p| p + 1)
        .unwrap_or(ours.lines().count().min(theirs.lines().count()) + 1);
    let o = ours.lines().nth(line - 1).unwrap_or("(end)");
    let t = theirs.lines().nth(line - 1).unwrap_or("(end)");
    format!("{line}: package has {t:?}, rerun gives {o:?}")
}

/// Reads and verifies a package file of either kind: the `format` field decides which.
pub fn verify_file(path: &Path) -> Result<Verified> {
    let text = read_package_text(path)?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} 不是 JSON / is not JSON", path.display()))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(PACKAGE_FORMAT) => {
            let pkg: AuditPackage = serde_json::from_str(&text)
                .with_context(|| format!("{} 不是完整的审计包 / is not a complete audit package", path.display()))?;
            verify_package(&pkg)
        }
        Some(super::public_package::PUBLIC_FORMAT) => {
            let pkg: super::public_package::PublicPackage = serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} 不是完整的公开验证包 / is not a complete public package",
                    path.display()
                )
            })?;
            super::public_package::verify_public_package(&pkg)
        }
        other => bail!(
            "{} 不是审计包或公开验证包 / is neither an audit nor a public package (format {other:?})",
            path.display()
        ),
    }
}
