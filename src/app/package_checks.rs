//! Checks shared by the audit and the public package (docs/draw-protocol.md §22): times, the list
//! of draws, the audit-log head, the plan file against the inputs, and the replay of replacements.
//! Every function returns the first failure as a sentence in Chinese and English.

use anyhow::{Result, bail};

use crate::domain::CreditClass;
use crate::domain::draw::inputs::DrawInputs;
use crate::domain::plan::{PlanSpec, parse_rate_bp};

/// Which package `verify` was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageKind {
    Audit,
    Public,
}

/// One draw as `verify` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedDraw {
    pub seed: String,
    pub reason: String,
    pub drawn_at: String,
    pub result_digest: String,
    /// Protocol 2 only.
    pub institutions_digest: Option<String>,
    pub teams_digest: Option<String>,
}

/// What `verify` established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub kind: PackageKind,
    pub protocol: u32,
    /// Protocol 2: "published" or "committed".
    pub class_mode: Option<&'static str>,
    pub inputs_digest: String,
    pub public_digest: Option<String>,
    pub sealed_digest: Option<String>,
    pub draws: Vec<VerifiedDraw>,
    /// Tasks of the current draw.
    pub tasks: usize,
    pub adjustments: usize,
}

impl Verified {
    /// True when the teams were rerun (only an audit package carries the inspectors).
    pub fn teams_checked(&self) -> bool {
        self.kind == PackageKind::Audit
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, a valid local date and time (§22.4).
pub fn check_time(what: &str, t: &str) -> Result<()> {
    if t.len() != 19 || chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").is_err() {
        bail!("时间格式不对 / {what} is not a time YYYY-MM-DDTHH:MM:SS: {t:?}");
    }
    Ok(())
}

/// §22.3 and §22.4: draws oldest first and after the freeze, no seed twice, reasons as required,
/// replacements not before the current draw.
pub fn check_draw_list(frozen_at: &str, draws: &[(&str, &str, &str)], adjustments_at: &[&str]) -> Result<()> {
    check_time("frozen_at", frozen_at)?;
    if draws.is_empty() {
        bail!("包中没有抽取记录 / the package holds no draw");
    }
    let mut previous = frozen_at;
    for (i, &(seed, reason, drawn_at)) in draws.iter().enumerate() {
        let n = i + 1;
        check_time(&format!("draw {n} drawn_at"), drawn_at)?;
        if drawn_at < frozen_at {
            bail!("抽取早于冻结 / draw {n}: drawn_at {drawn_at} is before frozen_at {frozen_at}");
        }
        if drawn_at < previous {
            bail!("抽取顺序不对 / draw {n}: drawn_at {drawn_at} is before the previous draw ({previous})");
        }
        previous = drawn_at;
        if let Some(j) = draws[..i].iter().position(|d| d.0 == seed) {
            bail!(
                "重复的抽取记录 / draw {n} repeats the seed of draw {}: a duplicated draw",
                j + 1
            );
        }
        if i == 0 && !reason.is_empty() {
            bail!("首次抽取不应有重抽理由 / draw 1 (the first draw) has a reason: {reason:?}");
        }
        if i > 0 && reason.trim().is_empty() {
            bail!("重新抽取须有理由 / draw {n} is a redraw without a reason");
        }
    }
    for (i, at) in adjustments_at.iter().enumerate() {
        check_time(&format!("adjustment {} at", i + 1), at)?;
        if i > 0 && *at < adjustments_at[i - 1] {
            bail!(
                "替换顺序不对 / adjustment {}: at {at} is before the previous adjustment",
                i + 1
            );
        }
        if *at < previous {
            bail!(
                "替换早于抽取 / adjustment {}: at {at} is before the current draw ({previous})",
                i + 1
            );
        }
    }
    Ok(())
}

/// §22.1: the audit-log head is present and well formed (its value is compared by people).
pub fn check_log_head(seq: i64, hash: &str) -> Result<()> {
    if seq < 1 || !is_hex64(hash) {
        bail!("审计日志头不对 / audit_log_head must have seq ≥ 1 and a 64-hex hash");
    }
    Ok(())
}

pub fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// §22.8: the plan's terms in `plan.spec` must not contradict the inputs.
pub fn check_spec(spec_text: &str, title: &str, year: i32, inputs: &DrawInputs) -> Result<()> {
    let contradiction = |what: &str, spec: String, inputs: String| -> Result<()> {
        bail!(
            "计划条款与抽取输入不符 / plan.spec contradicts the inputs: {what} is {spec} in plan.spec but {inputs} in the inputs"
        )
    };
    let spec: PlanSpec = toml::from_str(spec_text)
        .map_err(|e| anyhow::anyhow!("plan.spec 不是有效的计划文件 / plan.spec is not a plan file: {e}"))?;
    if title != inputs.title {
        return contradiction("plan.title", format!("{title:?}"), format!("{:?}", inputs.title));
    }
    if year != inputs.year {
        return contradiction("plan.year", year.to_string(), inputs.year.to_string());
    }
    if spec.title != inputs.title {
        return contradiction("title", format!("{:?}", spec.title), format!("{:?}", inputs.title));
    }
    if spec.year != inputs.year {
        return contradiction("year", spec.year.to_string(), inputs.year.to_string());
    }
    for c in CreditClass::ALL {
        let bp = spec.rates.get(c.letter()).and_then(|r| parse_rate_bp(r));
        if bp != Some(inputs.rates_bp[c.index()]) {
            return contradiction(
                &format!("rates.{c}"),
                format!("{:?}", spec.rates.get(c.letter())),
                format!("{} bp", inputs.rates_bp[c.index()]),
            );
        }
    }
    let t = &spec.team;
    let pairs = [
        ("team.size", t.size.to_string(), inputs.team_size.to_string()),
        (
            "team.require_certified",
            t.require_certified.to_string(),
            inputs.require_certified.to_string(),
        ),
        (
            "team.cross_region",
            t.cross_region.to_string(),
            inputs.cross_region.to_string(),
        ),
        (
            "team.max_tasks_per_inspector",
            t.max_tasks_per_inspector.to_string(),
            inputs.max_tasks_per_inspector.to_string(),
        ),
        (
            "alternates.per_class",
            spec.alternates.per_class.to_string(),
            inputs.alternates_per_class.to_string(),
        ),
    ];
    for (what, a, b) in pairs {
        if a != b {
            return contradiction(what, a, b);
        }
    }
    // An empty [team.expertise] keeps the configured defaults, which the package does not carry.
    if !t.expertise.values().all(Vec::is_empty) {
        let mut want: Vec<(String, String)> = t
            .expertise
            .iter()
            .flat_map(|(k, es)| es.iter().map(move |e| (k.clone(), e.clone())))
            .collect();
        want.sort();
        want.dedup();
        if want != inputs.expertise_rules {
            return contradiction(
                "team.expertise",
                format!("{want:?}"),
                format!("{:?}", inputs.expertise_rules),
            );
        }
    }
    let s = &spec.scope;
    if !s.items.is_empty()
        && let Some(it) = inputs.items.iter().find(|it| !s.items.contains(&it.code))
    {
        return contradiction("scope.items", format!("{:?}", s.items), format!("item {}", it.code));
    }
    if !s.institution_types.is_empty()
        && let Some(i) = inputs
            .institutions
            .iter()
            .find(|i| !s.institution_types.contains(&i.kind))
    {
        return contradiction(
            "scope.institution_types",
            format!("{:?}", s.institution_types),
            format!("{} of type {}", i.code, i.kind),
        );
    }
    if !s.regions.is_empty()
        && let Some(i) = inputs.institutions.iter().find(|i| !s.regions.contains(&i.region))
    {
        return contradiction(
            "scope.regions",
            format!("{:?}", s.regions),
            format!("{} in {}", i.code, i.region),
        );
    }
    Ok(())
}

/// A drawn task or an alternate as the replacement rule sees it.
pub struct Slot<'a> {
    pub class: CreditClass,
    pub rank: u32,
    pub institution: &'a str,
    /// The team, if the package shows it (audit); `None` in a public package.
    pub team: Option<&'a [String]>,
    /// False for an alternate without a team.
    pub has_team: bool,
}

/// One replacement as recorded.
pub struct Replacement<'a> {
    pub task: u32,
    pub replaced: &'a str,
    pub replacement: &'a str,
    pub replacement_rank: u32,
    /// Audit package only.
    pub team: Option<&'a [String]>,
    /// The stated reason (audit) or reason category (public): must not be blank.
    pub reason: &'a str,
}

/// §9 step 3: each replacement takes the next unused alternate with a team of the task's class.
pub fn replay_replacements(tasks: &[Slot], alternates: &[Slot], adjustments: &[Replacement]) -> Result<()> {
    let mut used: Vec<(CreditClass, u32)> = Vec::new();
    let mut holder: Vec<&str> = tasks.iter().map(|t| t.institution).collect();
    for (i, a) in adjustments.iter().enumerate() {
        let n = i + 1;
        let Some(task) = (a.task as usize).checked_sub(1).and_then(|i| tasks.get(i)) else {
            bail!("adjustment {n}: no task {}", a.task);
        };
        let held = holder[a.task as usize - 1];
        if held != a.replaced {
            bail!("adjustment {n}: task {} was held by {held}, not {}", a.task, a.replaced);
        }
        let next = alternates
            .iter()
            .filter(|t| t.class == task.class && t.has_team && !used.contains(&(t.class, t.rank)))
            .min_by_key(|t| t.rank)
            .ok_or_else(|| anyhow::anyhow!("adjustment {n}: no alternate was left in class {}", task.class))?;
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
        if let (Some(want), Some(got)) = (next.team, a.team)
            && want != got
        {
            bail!(
                "adjustment {n}: the team of alternate {} is [{}] in the draw, not [{}]",
                next.institution,
                want.join(","),
                got.join(",")
            );
        }
        if a.reason.trim().is_empty() {
            bail!("adjustment {n}: no reason recorded");
        }
        used.push((next.class, next.rank));
        holder[a.task as usize - 1] = a.replacement;
    }
    Ok(())
}

/// Reads a package file as strict UTF-8 without a byte-order mark (§22.2).
pub fn read_package_text(path: &std::path::Path) -> Result<String> {
    use anyhow::Context;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bail!("{} 以 BOM 开头 / starts with a byte-order mark", path.display());
    }
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("{} 不是 UTF-8 / is not UTF-8: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draw_lists_are_refused_for_each_rule() {
        let f = "2026-03-01T09:00:00";
        let ok = [("1", "", "2026-03-01T09:00:00"), ("2", "重抽", "2026-03-01T10:00:00")];
        check_draw_list(f, &ok, &["2026-03-01T10:00:00"]).unwrap();
        type Draws<'a> = &'a [(&'a str, &'a str, &'a str)];
        let cases: [(Draws, &str); 5] = [
            (&[("1", "", "2026-02-28T09:00:00")], "before frozen_at"),
            (&[("1", "", f), ("1", "x", f)], "duplicated"),
            (&[("1", "why", f)], "first draw"),
            (&[("1", "", f), ("2", " ", f)], "without a reason"),
            (&[("1", "", "2026-03-01 09:00")], "not a time"),
        ];
        for (draws, want) in cases {
            let e = check_draw_list(f, draws, &[]).unwrap_err().to_string();
            assert!(e.contains(want), "{e}");
        }
        let e = check_draw_list(f, &ok[..1], &["2026-02-01T00:00:00"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("before the current draw"), "{e}");
    }
}
