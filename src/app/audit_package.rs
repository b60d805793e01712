//! The audit package: everything an outsider needs to rerun a plan's draws, in one JSON file.
//! `verify` needs no database: it rebuilds the digests and reruns every draw.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use super::Service;
use crate::domain::draw::{self, inputs::digest_hex};
use crate::store::audit;

pub const PACKAGE_FORMAT: &str = "choucha-audit-package";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The audit log's head when the package was written.
    pub audit_log_head: Option<LogHead>,
    pub how_to_verify: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackagePlan {
    pub id: i64,
    pub title: String,
    pub year: i32,
    pub status: String,
    /// The plan file with the configured defaults merged in.
    pub spec: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
            audit_log_head: audit::latest(&self.store.reader())?.map(|(seq, hash)| LogHead { seq, hash }),
            how_to_verify: HOW_TO_VERIFY.into(),
        })
    }

    pub fn export_audit_package(&self, plan_id: i64, path: &Path) -> Result<()> {
        let pkg = self.audit_package(plan_id)?;
        let json = serde_json::to_string_pretty(&pkg)?;
        crate::io::write_atomic(path, json.as_bytes())
    }
}

/// What `verify` established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub draws: usize,
    pub tasks: usize,
    pub adjustments: usize,
}

/// Reruns everything in a package. The error names the first difference.
pub fn verify_package(pkg: &AuditPackage) -> Result<Verified> {
    if pkg.format != PACKAGE_FORMAT {
        bail!("not an audit package (format {:?})", pkg.format);
    }
    let digest = digest_hex(pkg.inputs.as_bytes());
    if digest != pkg.inputs_digest {
        bail!(
            "输入摘要不符 / inputs digest differs: package says {}, the inputs hash to {digest}",
            pkg.inputs_digest
        );
    }
    if pkg.draws.is_empty() {
        bail!("包中没有抽取记录 / the package holds no draw");
    }
    let mut tasks = 0;
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
        let again = draw::run(d.protocol, pkg.inputs.as_bytes(), &d.seed)
            .map_err(|e| anyhow!("draw {n}: rerun failed: {e}"))?;
        let text = String::from_utf8(again.result_bytes())?;
        if text != d.result {
            let line = text
                .lines()
                .zip(d.result.lines())
                .position(|(a, b)| a != b)
                .map(|p| p + 1)
                .unwrap_or(text.lines().count().min(d.result.lines().count()) + 1);
            let ours = text.lines().nth(line - 1).unwrap_or("(end)");
            let theirs = d.result.lines().nth(line - 1).unwrap_or("(end)");
            bail!(
                "抽取结果不符 / draw {n} differs at result line {line}: package has {theirs:?}, rerun gives {ours:?}"
            );
        }
        if again.result_digest != d.result_digest {
            bail!(
                "结果摘要不符 / draw {n}: result digest differs: package says {}, rerun gives {}",
                d.result_digest,
                again.result_digest
            );
        }
        tasks = again.tasks.len();
        last = Some(again);
    }
    // Replacements must take the next unused alternate of the task's class, with its team.
    let current = last.expect("at least one draw");
    let mut used: Vec<(crate::domain::CreditClass, u32)> = Vec::new();
    let mut holder: Vec<String> = current.tasks.iter().map(|t| t.institution.clone()).collect();
    for (i, a) in pkg.adjustments.iter().enumerate() {
        let n = i + 1;
        let task = current
            .tasks
            .get((a.task as usize).wrapping_sub(1))
            .ok_or_else(|| anyhow!("adjustment {n}: no task {}", a.task))?;
        if holder[a.task as usize - 1] != a.replaced {
            bail!(
                "adjustment {n}: task {} was held by {}, not {}",
                a.task,
                holder[a.task as usize - 1],
                a.replaced
            );
        }
        let next = current
            .alternates
            .iter()
            .filter(|t| t.class == task.class && !t.team.is_empty() && !used.contains(&(t.class, t.rank)))
            .min_by_key(|t| t.rank)
            .ok_or_else(|| anyhow!("adjustment {n}: no alternate was left in class {}", task.class))?;
        if next.institution != a.replacement || next.rank != a.replacement_rank {
            bail!(
                "adjustment {n}: the next alternate of class {} is {} (rank {}), not {} (rank {})",
                task.class,
                next.institution,
                next.rank,
                a.replacement,
                a.replacement_rank
            );
        }
        if next.team != a.team {
            bail!(
                "adjustment {n}: the team of alternate {} is [{}] in the draw, not [{}]",
                next.institution,
                next.team.join(","),
                a.team.join(",")
            );
        }
        if a.reason.trim().is_empty() {
            bail!("adjustment {n}: no reason recorded");
        }
        used.push((next.class, next.rank));
        holder[a.task as usize - 1] = a.replacement.clone();
    }
    Ok(Verified {
        draws: pkg.draws.len(),
        tasks,
        adjustments: pkg.adjustments.len(),
    })
}

/// Reads and verifies a package file.
pub fn verify_file(path: &Path) -> Result<Verified> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let pkg: AuditPackage =
        serde_json::from_str(&text).with_context(|| format!("{} is not an audit package", path.display()))?;
    verify_package(&pkg)
}
