//! Plans through their life: draft → frozen → drawn → published (→ closed).

use crate::store::Reader;
use std::collections::HashMap;

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;

use super::Service;
use crate::domain::draw::v2::{ClassMode, InputsV2};
use crate::domain::draw::{self, CURRENT_PROTOCOL, Draw, DrawError};
use crate::domain::eligibility::{Candidate, Exclusions, Freezer};
use crate::domain::plan::{CheckedPlan, PlanContext, PlanSpec};
use crate::domain::{CreditClass, InspectionItem, Inspector, InstitutionStatus};
use crate::i18n::Lang;
use crate::store::plans as db;
pub use crate::store::plans::{Adjustment, DrawRow, FrozenInputs, PlanRow, PlanStatus, TaskRow};
use crate::store::{audit, rosters};

/// A plan file's text checked against the configuration and the rosters.
pub struct ParsedPlan {
    pub spec: PlanSpec,
    pub checked: CheckedPlan,
    /// The plan with the defaults merged in: what is stored.
    pub toml: String,
}

/// What a freeze did: the digest to publish and who was left out and why.
#[derive(Debug, Clone)]
pub struct FreezeReport {
    pub inputs_digest: String,
    pub institutions: usize,
    pub inspectors: usize,
    pub per_class: [u64; 4],
    pub exclusions: Exclusions,
}

impl FreezeReport {
    /// The stored form (plan_inputs.report, the audit log): `key=value` pairs.
    pub fn text(&self) -> String {
        format!(
            "institutions={} inspectors={} A={} B={} C={} D={} out_of_scope={} not_active={} recently_drawn={} escalated={}",
            self.institutions,
            self.inspectors,
            self.per_class[0],
            self.per_class[1],
            self.per_class[2],
            self.per_class[3],
            self.exclusions.out_of_scope,
            self.exclusions.not_active,
            self.exclusions.recently_drawn,
            self.exclusions.escalated
        )
    }

    /// Reads back the stored form (`text`); `None` if a count is missing.
    pub fn parse(inputs_digest: &str, text: &str) -> Option<FreezeReport> {
        let pairs: HashMap<&str, u64> = text
            .split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
            .collect();
        let get = |k: &str| pairs.get(k).copied();
        Some(FreezeReport {
            inputs_digest: inputs_digest.to_string(),
            institutions: get("institutions")? as usize,
            inspectors: get("inspectors")? as usize,
            per_class: [get("A")?, get("B")?, get("C")?, get("D")?],
            exclusions: Exclusions {
                out_of_scope: get("out_of_scope")?,
                not_active: get("not_active")?,
                recently_drawn: get("recently_drawn")?,
                escalated: get("escalated")?,
            },
        })
    }

    /// What was included and left out, for people: three lines.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let (c, x) = (&self.per_class, &self.exclusions);
        match lang {
            Lang::Zh => vec![
                format!(
                    "纳入抽取：机构 {} 家，检查人员 {} 名",
                    self.institutions, self.inspectors
                ),
                format!("各信用等级：A {} · B {} · C {} · D {}", c[0], c[1], c[2], c[3]),
                format!(
                    "排除：范围外 {}，非在册 {}，近期已抽 {}；按屡查屡犯升级风险等级 {}",
                    x.out_of_scope, x.not_active, x.recently_drawn, x.escalated
                ),
            ],
            Lang::En => vec![
                format!(
                    "eligible: {} institutions, {} inspectors",
                    self.institutions, self.inspectors
                ),
                format!("per class: A {} · B {} · C {} · D {}", c[0], c[1], c[2], c[3]),
                format!(
                    "left out: out of scope {}, not active {}, recently drawn {}; escalated for repeat violations {}",
                    x.out_of_scope, x.not_active, x.recently_drawn, x.escalated
                ),
            ],
        }
    }
}

/// A plan with everything that happened to it.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub plan: PlanRow,
    pub frozen: Option<FrozenInputs>,
    pub draws: Vec<DrawRow>,
    pub tasks: Vec<TaskRow>,
    pub adjustments: Vec<Adjustment>,
}

impl PlanView {
    pub fn current_draw(&self) -> Option<&DrawRow> {
        self.draws.last()
    }

    /// Drawn tasks with replacements applied: (task, replaced-from if any).
    pub fn effective_tasks(&self) -> Vec<(TaskRow, Option<String>)> {
        let alternates: HashMap<(CreditClass, u32), &TaskRow> = self
            .tasks
            .iter()
            .filter(|t| t.alternate)
            .map(|t| ((t.class, t.rank), t))
            .collect();
        self.tasks
            .iter()
            .filter(|t| !t.alternate)
            .map(|t| {
                let mut cur = t.clone();
                let mut from = None;
                for a in self.adjustments.iter().filter(|a| a.task_seq == t.seq) {
                    if let Some(alt) = alternates.get(&(t.class, a.replacement_rank)) {
                        from = Some(cur.institution.clone());
                        cur = TaskRow {
                            seq: t.seq,
                            alternate: false,
                            ..(*alt).clone()
                        };
                    }
                }
                (cur, from)
            })
            .collect()
    }
}

impl Service {
    /// The rates a plan text asks for, per class in basis points, with the configured defaults
    /// under it; read leniently (a bad rate is `None`) so that an editor can preview them while
    /// the text is being typed. `None` when the text is not TOML.
    pub fn plan_rates(&self, text: &str) -> Option<[Option<u32>; 4]> {
        let own: toml::Table = text.parse().ok()?;
        let pick = |t: &toml::Table, class: &str| -> Option<String> {
            t.get("rates")?.as_table()?.get(class)?.as_str().map(String::from)
        };
        let mut out = [None; 4];
        for c in CreditClass::ALL {
            let s = pick(&own, c.letter()).or_else(|| pick(&self.config.plan_defaults, c.letter()));
            out[c.index()] = s.as_deref().and_then(crate::domain::plan::parse_rate_bp);
        }
        Some(out)
    }

    /// Parses a plan file, merging the configured defaults under it, and checks it.
    pub fn parse_plan(&self, text: &str) -> Result<ParsedPlan> {
        let own: toml::Table = text.parse().map_err(|e| {
            anyhow!(
                "{}: {e}",
                self.t("计划文件不是有效的 TOML", "the plan file is not valid TOML")
            )
        })?;
        let mut merged = self.config.plan_defaults.clone();
        super::config::merge(&mut merged, own);
        let spec: PlanSpec = toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| anyhow!("{}: {e}", self.t("计划文件有误", "plan file error")))?;
        let items: Vec<String> = rosters::all_active::<InspectionItem>(&self.store.reader())?
            .into_iter()
            .map(|i| i.code)
            .collect();
        let ctx = PlanContext {
            institution_types: &self.config.rosters.institution_types,
            expertise: &self.config.rosters.expertise,
            item_codes: &items,
        };
        let checked = spec.check(&ctx).map_err(|errs| {
            let lines: Vec<String> = errs.iter().map(|e| format!("  - {}", e.text(self.lang))).collect();
            anyhow!(
                "{}\n{}",
                self.t("计划不符合规则：", "the plan breaks these rules:"),
                lines.join("\n")
            )
        })?;
        let toml = toml::to_string(&spec)?;
        Ok(ParsedPlan { spec, checked, toml })
    }

    pub fn create_plan(&mut self, text: &str) -> Result<i64> {
        let p = self.parse_plan(text)?;
        let (now, actor) = (self.now_text(), self.actor.clone());
        let stored = db::PlanText {
            title: &p.spec.title,
            year: p.spec.year,
            spec: &p.toml,
            source: text,
        };
        self.store.write(|tx| {
            let id = db::insert_plan(tx, &stored, &now, &actor)?;
            audit::append(tx, &now, &actor, "plan.create", &format!("plan:{id}"), &p.spec.title)?;
            Ok(id)
        })
    }

    /// Replaces a draft plan's file; frozen plans cannot change.
    pub fn update_plan(&mut self, id: i64, text: &str) -> Result<()> {
        let p = self.parse_plan(text)?;
        let (now, actor) = (self.now_text(), self.actor.clone());
        let stored = db::PlanText {
            title: &p.spec.title,
            year: p.spec.year,
            spec: &p.toml,
            source: text,
        };
        self.store.write(|tx| {
            db::update_draft(tx, id, &stored)?;
            audit::append(tx, &now, &actor, "plan.update", &format!("plan:{id}"), &p.spec.title)?;
            Ok(())
        })
    }

    pub fn plans(&self) -> Result<Vec<PlanRow>> {
        db::list_plans(&self.store.reader())
    }

    pub fn plan_view(&self, id: i64) -> Result<PlanView> {
        plan_view_on(&self.store.reader(), id, self.lang)
    }

    /// Institutions with a confirmed violation within `results.repeat_offender_months` before
    /// today (屡查屡犯; see `Service::repeat_offender_list`).
    fn repeat_offenders(&self) -> Result<std::collections::BTreeSet<String>> {
        Ok(self
            .repeat_offender_list(self.now().date())?
            .into_iter()
            .map(|o| o.institution)
            .collect())
    }

    /// Computes the eligible set, stores the canonical input bytes and returns the digest to publish.
    pub fn freeze_plan(&mut self, id: i64) -> Result<FreezeReport> {
        let view = self.plan_view(id)?;
        if view.plan.status != PlanStatus::Draft {
            bail!(
                "{} ({})",
                self.t("只能冻结草稿状态的计划", "only a draft plan can be frozen"),
                view.plan.status.zh()
            );
        }
        let parsed = self.parse_plan(&view.plan.spec)?;
        let today = self.now().date();
        let reader = &self.store.reader();
        let last: HashMap<String, NaiveDate> = db::last_drawn_dates(reader, id)?
            .into_iter()
            .filter_map(|(k, v)| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok().map(|d| (k, d)))
            .collect();
        let offenders = self.repeat_offenders()?;
        let mut freezer = Freezer::new(
            &parsed.spec,
            &parsed.checked,
            today,
            self.config.results.escalate_repeat_offenders,
        );
        freezer.reserve(rosters::row_estimate::<crate::domain::Institution>(reader)?);
        rosters::for_each_institution_fact(reader, |code, kind, region, credit, status| {
            freezer.offer(Candidate {
                code,
                kind,
                region,
                credit: CreditClass::parse(credit).context("stored credit class")?,
                status: InstitutionStatus::parse(status).unwrap_or(InstitutionStatus::Suspended),
                last_drawn: last.get(code).copied(),
                repeat_offender: offenders.contains(code),
            });
            Ok(())
        })?;
        let exclusions = freezer.exclusions.clone();
        let inspectors = rosters::all_active::<Inspector>(reader)?;
        let items = rosters::all_active::<InspectionItem>(reader)?;
        let inputs = freezer.finish(&inspectors, &items);
        inputs.check().map_err(|e| anyhow!("{e}"))?;
        let class_mode = match self.config.disclosure.pool_credit_classes {
            crate::app::config::PoolCreditClasses::Published => ClassMode::Published,
            crate::app::config::PoolCreditClasses::Committed => ClassMode::Committed,
        };
        let salts = match class_mode {
            ClassMode::Published => vec![],
            ClassMode::Committed => inputs
                .institutions
                .iter()
                .map(|i| self.class_salt(id, &i.code))
                .collect(),
        };
        let inputs = InputsV2 {
            class_mode,
            inputs,
            salts,
        };
        inputs.check().map_err(|e| anyhow!("{e}"))?;
        if inputs.inputs.institutions.is_empty() {
            bail!(
                "{}",
                self.t(
                    "范围内没有可抽取的机构：请检查范围、状态和排除规则",
                    "no eligible institution: check scope, status and exclusion rules"
                )
            );
        }
        let bytes = inputs.to_bytes();
        let mut per_class = [0u64; 4];
        for i in &inputs.inputs.institutions {
            per_class[i.class.index()] += 1;
        }
        let report = FreezeReport {
            inputs_digest: inputs.digests().2,
            institutions: inputs.inputs.institutions.len(),
            inspectors: inputs.inputs.inspectors.len(),
            per_class,
            exclusions,
        };
        let (now, actor) = (self.now_text(), self.actor.clone());
        let frozen = FrozenInputs {
            plan_id: id,
            protocol: CURRENT_PROTOCOL,
            inputs: bytes,
            inputs_digest: report.inputs_digest.clone(),
            report: report.text(),
            frozen_at: now.clone(),
            frozen_by: actor.clone(),
        };
        // 屡查屡犯 are never escalated silently: the log names every flagged institution.
        let flagged = if offenders.is_empty() {
            String::new()
        } else {
            format!(
                " repeat_offenders={} escalation={}",
                offenders.iter().cloned().collect::<Vec<_>>().join(","),
                if self.config.results.escalate_repeat_offenders {
                    "on"
                } else {
                    "off"
                }
            )
        };
        self.store.write(|tx| {
            db::insert_frozen(tx, &frozen)?;
            db::set_status(tx, id, PlanStatus::Frozen)?;
            audit::append(
                tx,
                &now,
                &actor,
                "plan.freeze",
                &format!("plan:{id}"),
                &format!("inputs_digest={} {}{flagged}", frozen.inputs_digest, frozen.report),
            )?;
            Ok(())
        })?;
        Ok(report)
    }

    /// Runs the draw with a seed. A second draw of the same plan needs a reason and is logged;
    /// the earlier draw stays stored and visible.
    pub fn draw_plan(&mut self, id: i64, seed: &str, reason: Option<&str>) -> Result<Draw> {
        let view = self.plan_view(id)?;
        let frozen = view.frozen.as_ref().ok_or_else(|| {
            anyhow!(
                "{}",
                self.t(
                    "计划尚未冻结：先冻结并公布输入摘要",
                    "the plan is not frozen: freeze it and publish the inputs digest first"
                )
            )
        })?;
        match view.plan.status {
            PlanStatus::Frozen => {}
            PlanStatus::Drawn if reason.is_some_and(|r| !r.trim().is_empty()) => {}
            PlanStatus::Drawn => bail!(
                "{}",
                self.t(
                    "该计划已抽取；重新抽取须说明理由（--reason）",
                    "this plan was drawn already; a redraw needs a reason (--reason)"
                )
            ),
            s => bail!(
                "{} ({})",
                self.t("该计划不能再抽取", "this plan can no longer be drawn"),
                s.zh()
            ),
        }
        // A seed gives the same result every time: a repeat could only be a mistake (§22.3).
        if view.draws.iter().any(|d| d.seed == seed) {
            bail!(
                "{}",
                self.t(
                    "该种子已用于本计划的一次抽取；重新抽取须使用新的种子",
                    "this seed was already used for a draw of this plan; a redraw needs a new seed"
                )
            );
        }
        let draw = draw::run(frozen.protocol, &frozen.inputs, seed).map_err(|e| self.explain_draw_error(e))?;
        let (now, actor) = (self.now_text(), self.actor.clone());
        let reason = reason.unwrap_or("").trim().to_string();
        self.store.write(|tx| {
            let draw_id = db::insert_draw(tx, id, &draw, &reason, &now, &actor)?;
            db::set_status(tx, id, PlanStatus::Drawn)?;
            let action = if view.draws.is_empty() { "draw" } else { "redraw" };
            audit::append(
                tx,
                &now,
                &actor,
                action,
                &format!("plan:{id}"),
                &format!(
                    "draw={draw_id} seed={:?} result_digest={} reason={reason}",
                    draw.seed, draw.result_digest
                ),
            )?;
            Ok(())
        })?;
        Ok(draw)
    }

    /// A draw failure in the user's language, naming the institution and what each rule removed.
    pub fn explain_draw_error(&self, e: DrawError) -> anyhow::Error {
        match e {
            DrawError::Seed(s) => anyhow!(
                "{}",
                if self.lang == crate::i18n::Lang::Zh {
                    s.zh()
                } else {
                    s.to_string()
                }
            ),
            DrawError::NoTeam {
                institution,
                class,
                shortfall: s,
            } => {
                let req = s
                    .requirement
                    .map(|(r, n)| format!(", {} {r}: {n}", self.t("缺少", "lacking")))
                    .unwrap_or_default();
                anyhow!(
                    "{} {institution}（{class}）{} {}: {} {}, {} {}, {} {}, {} {}, {} {}{req}。{}",
                    self.t("抽取失败：机构", "draw failed: institution"),
                    self.t("无法组成完整检查组，第", "cannot get a full team; slot"),
                    s.slot,
                    self.t("人员库", "pool"),
                    s.pool,
                    self.t("回避", "conflict"),
                    s.conflict,
                    self.t("同区县", "same region"),
                    s.same_region,
                    self.t("任务已满", "workload cap"),
                    s.workload,
                    self.t("已在组内", "already in team"),
                    s.already_in_team,
                    self.t(
                        "未保存任何结果；请调整计划或人员库后重新冻结",
                        "nothing was stored; adjust the plan or the pool and freeze a new plan"
                    )
                )
            }
            e => anyhow!("{e}"),
        }
    }

    /// Replaces a drawn institution (注销, 查无下落 …) by the next unused alternate of its class.
    pub fn replace_task(&mut self, plan_id: i64, task_seq: u32, reason: &str) -> Result<Adjustment> {
        if reason.trim().is_empty() {
            bail!("{}", self.t("替换须说明理由", "a replacement needs a reason"));
        }
        let view = self.plan_view(plan_id)?;
        if view.plan.status != PlanStatus::Drawn {
            bail!(
                "{}",
                self.t(
                    "只有已抽取、未公示的计划可以替换任务",
                    "only a drawn, unpublished plan can have tasks replaced"
                )
            );
        }
        let draw = view.current_draw().context("no draw")?;
        let effective = view.effective_tasks();
        let (task, _) = effective
            .iter()
            .find(|(t, _)| t.seq == task_seq)
            .ok_or_else(|| anyhow!("{} {task_seq}", self.t("没有这个任务：", "no such task:")))?;
        let used: Vec<u32> = view.adjustments.iter().map(|a| a.replacement_rank).collect();
        let alt = view
            .tasks
            .iter()
            .filter(|t| t.alternate && t.class == task.class && !t.team.is_empty() && !used.contains(&t.rank))
            .min_by_key(|t| t.rank)
            .ok_or_else(|| {
                anyhow!(
                    "{} {}",
                    self.t("该等级已无可用候补：", "no alternate left in class"),
                    task.class
                )
            })?;
        let adj = Adjustment {
            id: 0,
            draw_id: draw.id,
            task_seq,
            replaced: task.institution.clone(),
            replacement: alt.institution.clone(),
            replacement_rank: alt.rank,
            team: alt.team.clone(),
            reason: reason.trim().to_string(),
            at: self.now_text(),
            actor: self.actor.clone(),
        };
        let mut stored = adj.clone();
        self.store.write(|tx| {
            stored.id = db::insert_adjustment(tx, &adj)?;
            audit::append(
                tx,
                &adj.at,
                &adj.actor,
                "task.replace",
                &format!("plan:{plan_id} task:{task_seq}"),
                &format!("{} -> {} reason={}", adj.replaced, adj.replacement, adj.reason),
            )?;
            Ok(())
        })?;
        Ok(stored)
    }

    /// Marks a drawn plan published: from now on nothing about its draw can change.
    pub fn publish_plan(&mut self, id: i64) -> Result<()> {
        let view = self.plan_view(id)?;
        if view.plan.status != PlanStatus::Drawn {
            bail!(
                "{}",
                self.t("只有已抽取的计划可以公示", "only a drawn plan can be published")
            );
        }
        let (now, actor) = (self.now_text(), self.actor.clone());
        self.store.write(|tx| {
            db::set_status(tx, id, PlanStatus::Published)?;
            audit::append(
                tx,
                &now,
                &actor,
                "plan.publish",
                &format!("plan:{id}"),
                &view.current_draw().map(|d| d.result_digest.clone()).unwrap_or_default(),
            )?;
            Ok(())
        })
    }

    /// The salt of an institution's class commitment (docs/draw-protocol.md §16.3): 16 bytes from
    /// the operating system. Under a fixed clock (tests and demos only) it is derived from the plan
    /// and the code instead, so that their digests stay the same from run to run.
    fn class_salt(&self, plan_id: i64, code: &str) -> String {
        if let super::Clock::Fixed(_) = self.clock {
            use sha2::{Digest, Sha256};
            let h = Sha256::digest(format!("choucha-fixed-clock-salt\t{plan_id}\t{code}").as_bytes());
            return hex::encode(&h[..16]);
        }
        use rand::TryRngCore;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .expect("operating system entropy");
        hex::encode(bytes)
    }

    /// A fresh seed from the operating system's entropy: 24 decimal digits, easy to read out.
    pub fn generate_seed() -> String {
        use rand::TryRngCore;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .expect("operating system entropy");
        let n = u128::from_le_bytes(bytes) % 10u128.pow(24);
        format!("{n:024}")
    }
}

/// A plan with its frozen inputs, draws, current tasks and adjustments, read through `reader` (the
/// store's connection, or a write transaction that must see its own changes).
pub(crate) fn plan_view_on(reader: &Reader, id: i64, lang: crate::i18n::Lang) -> Result<PlanView> {
    let plan =
        db::get_plan(reader, id)?.ok_or_else(|| anyhow!("{} {id}", lang.pick("没有这个计划：", "no such plan:")))?;
    let draws = db::draws_of_plan(reader, id)?;
    let (tasks, adjustments) = match draws.last() {
        Some(d) => (db::tasks_of_draw(reader, d.id)?, db::adjustments_of_draw(reader, d.id)?),
        None => (vec![], vec![]),
    };
    Ok(PlanView {
        plan,
        frozen: db::get_frozen(reader, id)?,
        draws,
        tasks,
        adjustments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_freeze_report_reads_back_from_its_stored_text() {
        let r = FreezeReport {
            inputs_digest: "ab".repeat(32),
            institutions: 320,
            inspectors: 49,
            per_class: [127, 118, 59, 16],
            exclusions: Exclusions {
                out_of_scope: 1,
                not_active: 14,
                recently_drawn: 2,
                escalated: 3,
            },
        };
        let back = FreezeReport::parse(&r.inputs_digest, &r.text()).unwrap();
        assert_eq!(back.lines(Lang::Zh), r.lines(Lang::Zh));
        assert_eq!(back.exclusions, r.exclusions);
        assert_eq!(r.lines(Lang::Zh)[0], "纳入抽取：机构 320 家，检查人员 49 名");
        assert!(r.lines(Lang::En)[2].contains("not active 14"));
        assert!(FreezeReport::parse("", "institutions=3").is_none());
    }
}
