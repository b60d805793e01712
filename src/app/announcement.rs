//! 抽查计划公告: what a plan will draw from and how, published after the freeze and before the
//! seed exists, so that anyone can later check that the draw used exactly these inputs.
//!
//! Built here from the frozen plan (its canonical inputs, its stored specification, the public
//! roster facts); rendered by `io::page_out`. Nothing private: the inspectors appear only as a
//! count (their conflicts of interest are in the inputs but never published), institutions only
//! with code, name, class, type and region.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use super::Service;
use crate::domain::CreditClass;
use crate::domain::InspectionItem;
use crate::domain::draw::inputs::DrawInputs;
use crate::domain::draw::v2;
use crate::domain::plan::{PlanSpec, format_rate_bp, sample_size};
use crate::io::page::{ColumnKind, Page, PageTable, Pair, Section, SectionBody};
use crate::io::page_out::{PageFormat, write_page};
use crate::store::results as facts_db;
use crate::store::rosters;

pub const ANNOUNCEMENT_FORMAT: &str = "choucha-plan-announcement";
pub const ANNOUNCEMENT_FORMAT_VERSION: u32 = 1;

/// When and how the seed is fixed: after this announcement, never before.
pub const SEED_RULE: &str = "随机种子在本公告发布、上列输入摘要公开之后产生（产生方式和时间以检查机关另行公告或现场记录为准）。输入在种子产生前已冻结，名单和规则不能再更改；抽取后，种子与抽取结果摘要随抽查结果一并公布。";

/// How anyone checks the draw against this announcement.
pub const HOW_TO_CHECK: &str = "抽取后，任何人均可向检查机关索取本计划的审计包，运行 `choucha verify 审计包.json`（或按公开的抽取协议 docs/draw-protocol.md 自行编程）：审计包中的输入摘要应与本公告一致，由输入和公布的种子重新抽取，所得结果应与公布的抽查名单一致。";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncedItem {
    pub code: String,
    pub name: String,
    pub applies_to: Vec<String>,
    pub basis: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub method: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncedClass {
    pub class: String,
    pub eligible: u64,
    /// As in the plan, e.g. `5%`.
    pub rate: String,
    /// How many the rate draws (rounded up), before alternates.
    pub to_draw: u64,
    pub alternates: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncedInstitution {
    pub no: usize,
    pub code: String,
    pub name: String,
    /// The credit class the draw counts the institution in.
    pub class: String,
    pub kind: String,
    pub region: String,
}

/// The plan announcement (抽查计划公告).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAnnouncement {
    pub format: String,
    pub format_version: u32,
    pub title: String,
    pub authority: String,
    pub plan_id: i64,
    pub plan_title: String,
    pub year: i32,
    pub frozen_at: String,
    pub protocol: u32,
    pub inputs_digest: String,
    /// Regions and institution types in scope; empty: all.
    pub regions: Vec<String>,
    pub institution_types: Vec<String>,
    pub items: Vec<AnnouncedItem>,
    pub classes: Vec<AnnouncedClass>,
    /// The team rules in words, one a line.
    pub team_rules: Vec<String>,
    /// The exclusion rules in words, one a line.
    pub exclusion_rules: Vec<String>,
    pub inspectors: usize,
    pub institutions: Vec<AnnouncedInstitution>,
    pub seed_rule: String,
    pub how_to_check: String,
    pub generated_at: String,
}

/// What writing an announcement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncementOutcome {
    pub institutions: usize,
    pub inputs_digest: String,
}

/// A digest in groups of 8 hex digits, to read out and compare by eye.
pub fn grouped_digest(digest: &str) -> String {
    digest
        .as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Service {
    /// The announcement of a frozen (or drawn) plan.
    pub fn plan_announcement(&self, plan: i64) -> Result<PlanAnnouncement> {
        let conn = &self.store.reader();
        let view = self.plan_view(plan)?;
        let Some(frozen) = view.frozen.as_ref() else {
            bail!(
                "{}",
                self.t(
                    "计划尚未冻结：抽查计划公告公布的是冻结的输入，请先 `choucha plan freeze`",
                    "the plan is not frozen: the announcement publishes the frozen inputs; run `choucha plan freeze` first"
                )
            );
        };
        // Protocol 2 may seal the classes (a salted commitment is public instead): then the
        // announcement does not name any institution's class.
        let (inputs, classes_sealed) = match frozen.protocol {
            1 => (
                DrawInputs::from_bytes(&frozen.inputs).map_err(|e| anyhow!("plan {plan}: {e}"))?,
                false,
            ),
            _ => {
                let x = v2::InputsV2::from_bytes(&frozen.inputs).map_err(|e| anyhow!("plan {plan}: {e}"))?;
                (x.inputs, x.class_mode == v2::ClassMode::Committed)
            }
        };
        let spec: Option<PlanSpec> = toml::from_str(&view.plan.spec).ok();
        let facts = facts_db::institution_facts(conn)?;
        let mut items = Vec::new();
        for it in &inputs.items {
            let rec = rosters::get::<InspectionItem>(conn, &it.code)?;
            items.push(AnnouncedItem {
                code: it.code.clone(),
                name: rec.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
                applies_to: it.applies_to.clone(),
                basis: rec.as_ref().map(|r| r.basis.clone()).unwrap_or_default(),
                method: rec.and_then(|r| r.method),
            });
        }
        let eligible = |c: CreditClass| inputs.institutions.iter().filter(|i| i.class == c).count() as u64;
        let classes = CreditClass::ALL
            .iter()
            .map(|&c| {
                let n = eligible(c);
                let bp = inputs.rates_bp[c.index()];
                AnnouncedClass {
                    class: c.letter().into(),
                    eligible: n,
                    rate: format_rate_bp(bp),
                    to_draw: sample_size(bp, n),
                    alternates: inputs.alternates_per_class,
                }
            })
            .collect();
        let mut team_rules = vec![format!(
            "每个检查组 {} 人，从执法检查人员名录库中随机选派。",
            inputs.team_size
        )];
        if inputs.require_certified {
            team_rules.push("每组至少一人持有行政执法证。".into());
        }
        if inputs.cross_region {
            team_rules.push("组员不得来自被检查机构所在的区县。".into());
        }
        team_rules.push(format!(
            "每名检查人员在本计划中最多承担 {} 个任务（含候补机构的检查组）。",
            inputs.max_tasks_per_inspector
        ));
        let mut by_kind: Vec<(String, Vec<String>)> = Vec::new();
        for (kind, expertise) in &inputs.expertise_rules {
            match by_kind.iter_mut().find(|(k, _)| k == kind) {
                Some((_, v)) => v.push(expertise.clone()),
                None => by_kind.push((kind.clone(), vec![expertise.clone()])),
            }
        }
        for (kind, expertise) in by_kind {
            team_rules.push(format!(
                "检查{kind}的检查组须各有一名{}专业人员。",
                expertise.join("、")
            ));
        }
        team_rules.push("与被检查机构有利害关系的人员按回避名单回避（回避名单不公开）。".into());
        let mut exclusion_rules = vec!["只抽取名录库中状态为“在册”的机构。".to_string()];
        if let Some(s) = &spec
            && s.exclusion.recently_drawn_months > 0
        {
            let mut line = format!(
                "最近 {} 个月内已被其他计划抽中的机构不再抽取",
                s.exclusion.recently_drawn_months
            );
            if !s.exclusion.except_classes.is_empty() {
                line.push_str(&format!("（{} 级机构除外）", s.exclusion.except_classes.join("、")));
            }
            line.push('。');
            exclusion_rules.push(line);
        }
        exclusion_rules.push("屡查屡犯的机构按高一级风险等级抽取（以冻结时的检查结果为准）。".into());
        let institutions = inputs
            .institutions
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                let f = facts.get(&inst.code).unwrap_or_default();
                AnnouncedInstitution {
                    no: i + 1,
                    code: inst.code.clone(),
                    name: f.name.clone(),
                    class: if classes_sealed {
                        "（密封）".into()
                    } else {
                        inst.class.letter().into()
                    },
                    kind: inst.kind.clone(),
                    region: inst.region.clone(),
                }
            })
            .collect();
        Ok(PlanAnnouncement {
            format: ANNOUNCEMENT_FORMAT.into(),
            format_version: ANNOUNCEMENT_FORMAT_VERSION,
            title: format!("{} 抽查计划公告", view.plan.title),
            authority: self.config.disclosure.authority.clone(),
            plan_id: view.plan.id,
            plan_title: view.plan.title.clone(),
            year: view.plan.year,
            frozen_at: frozen.frozen_at.clone(),
            protocol: frozen.protocol,
            inputs_digest: frozen.inputs_digest.clone(),
            regions: spec.as_ref().map(|s| s.scope.regions.clone()).unwrap_or_default(),
            institution_types: spec
                .as_ref()
                .map(|s| s.scope.institution_types.clone())
                .unwrap_or_default(),
            items,
            classes,
            team_rules,
            exclusion_rules,
            inspectors: inputs.inspectors.len(),
            institutions,
            seed_rule: SEED_RULE.into(),
            how_to_check: HOW_TO_CHECK.into(),
            generated_at: self.now_text(),
        })
    }

    /// Writes the announcement of a frozen plan to `path` (.html, .xlsx or .json).
    pub fn export_plan_announcement(&self, plan: i64, path: &Path) -> Result<AnnouncementOutcome> {
        if PageFormat::from_path(path).is_none() {
            bail!(
                "{}: {}",
                self.t(
                    "公告文件的扩展名应为 .html、.xlsx 或 .json",
                    "an announcement file must end in .html, .xlsx or .json"
                ),
                path.display()
            );
        }
        let a = self.plan_announcement(plan)?;
        write_page(path, &a.page(), &serde_json::to_value(&a)?)?;
        Ok(AnnouncementOutcome {
            institutions: a.institutions.len(),
            inputs_digest: a.inputs_digest,
        })
    }
}

impl PlanAnnouncement {
    /// The page people read: the plan's terms once in the header, then scope, rates, teams,
    /// the public inputs and the digest.
    pub fn page(&self) -> Page {
        let all = |v: &[String], what: &str| {
            if v.is_empty() {
                format!("全部{what}")
            } else {
                v.join("、")
            }
        };
        let pair = |label: &str, value: String| Pair {
            label: label.into(),
            value,
            code: false,
        };
        let section = |id: &str, heading: &str, body: SectionBody| Section {
            id: id.into(),
            heading: heading.into(),
            intro: vec![],
            body,
            outro: vec![],
        };
        let total: u64 = self.classes.iter().map(|c| c.to_draw).sum();
        let mut scope = section(
            "scope",
            "一、抽查范围和事项",
            SectionBody::Pairs(vec![
                pair("所属区县", all(&self.regions, "区县")),
                pair("机构类型", all(&self.institution_types, "类型")),
                pair(
                    "纳入抽取",
                    format!(
                        "机构 {} 家，执法检查人员 {} 名",
                        self.institutions.len(),
                        self.inspectors
                    ),
                ),
            ]),
        );
        scope.outro = self.exclusion_rules.clone();
        let items = section(
            "items",
            "二、抽查事项",
            SectionBody::Table(PageTable {
                headers: ["事项编码", "事项名称", "适用对象", "检查依据", "检查方式"]
                    .map(String::from)
                    .to_vec(),
                kinds: vec![
                    ColumnKind::Code,
                    ColumnKind::Text,
                    ColumnKind::Text,
                    ColumnKind::Wide,
                    ColumnKind::Text,
                ],
                rows: self
                    .items
                    .iter()
                    .map(|i| {
                        vec![
                            i.code.clone(),
                            i.name.clone(),
                            i.applies_to.join("、"),
                            i.basis.clone(),
                            i.method.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
                card_title: Some(1),
            }),
        );
        let mut rates = section(
            "rates",
            "三、抽查比例",
            SectionBody::Table(PageTable {
                headers: ["信用等级", "纳入机构数", "抽查比例", "应抽数量", "候补数"]
                    .map(String::from)
                    .to_vec(),
                kinds: vec![
                    ColumnKind::Text,
                    ColumnKind::Number,
                    ColumnKind::Number,
                    ColumnKind::Number,
                    ColumnKind::Number,
                ],
                rows: self
                    .classes
                    .iter()
                    .map(|c| {
                        vec![
                            format!("{} 级", c.class),
                            c.eligible.to_string(),
                            c.rate.clone(),
                            c.to_draw.to_string(),
                            c.alternates.to_string(),
                        ]
                    })
                    .collect(),
                card_title: Some(0),
            }),
        );
        rates.intro = vec![format!(
            "信用等级 A 信用最好、风险最低；各等级按比例分别抽取，应抽数量向上取整，共 {total} 家。候补机构按抽取顺序递补（如机构注销、查无下落）。"
        )];
        let mut teams = section("teams", "四、检查组", SectionBody::None);
        teams.intro = self.team_rules.clone();
        let mut list = section(
            "institutions",
            "五、纳入抽取的机构",
            SectionBody::Table(PageTable {
                headers: ["序号", "机构编码", "机构名称", "信用等级", "机构类型", "所属区县"]
                    .map(String::from)
                    .to_vec(),
                kinds: vec![
                    ColumnKind::Number,
                    ColumnKind::Code,
                    ColumnKind::Text,
                    ColumnKind::Text,
                    ColumnKind::Text,
                    ColumnKind::Text,
                ],
                rows: self
                    .institutions
                    .iter()
                    .map(|i| {
                        vec![
                            i.no.to_string(),
                            i.code.clone(),
                            i.name.clone(),
                            i.class.clone(),
                            i.kind.clone(),
                            i.region.clone(),
                        ]
                    })
                    .collect(),
                card_title: Some(2),
            }),
        );
        list.intro =
            vec!["信用等级为本次抽取所计的等级（已含屡查屡犯升级）。本表与冻结的抽取输入一致，输入摘要见下。".into()];
        let mut digest = section(
            "digest",
            "六、输入摘要与种子",
            SectionBody::Pairs(vec![
                Pair {
                    label: "输入摘要（SHA-256）".into(),
                    value: grouped_digest(&self.inputs_digest),
                    code: true,
                },
                pair("抽取协议版本", self.protocol.to_string()),
                pair("冻结时间", self.frozen_at.clone()),
                pair("随机种子", self.seed_rule.clone()),
            ]),
        );
        digest.outro = vec![format!("如何核验：{}", self.how_to_check)];
        Page {
            title: self.title.clone(),
            notice: String::new(),
            facts: vec![
                ("检查机关".into(), self.authority.clone()),
                (
                    "抽查计划".into(),
                    format!("{}（编号 {}）", self.plan_title, self.plan_id),
                ),
                ("年度".into(), self.year.to_string()),
                ("抽查类型".into(), "双随机抽查".into()),
                ("输入冻结".into(), self.frozen_at.get(..10).unwrap_or("").to_string()),
            ],
            sections: vec![scope, items, rates, teams, list, digest],
            footer: "本页由 choucha 生成，内容以检查机关公布为准。".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_announcement_publishes_the_frozen_inputs_and_nothing_private() {
        let mut svc = crate::app::results::tests::demo();
        assert!(svc.plan_announcement(1).is_err());
        let report = svc.freeze_plan(1).unwrap();
        let a = svc.plan_announcement(1).unwrap();
        assert_eq!(a.inputs_digest, report.inputs_digest);
        assert_eq!(a.institutions.len(), report.institutions);
        assert_eq!(a.inspectors, report.inspectors);
        let per_class: Vec<u64> = a.classes.iter().map(|c| c.eligible).collect();
        assert_eq!(per_class, report.per_class);
        assert!(a.classes.iter().all(|c| c.to_draw <= c.eligible));
        assert!(a.team_rules.iter().any(|r| r.contains("持有行政执法证")));
        assert_eq!(grouped_digest("0123456789abcdef01"), "01234567 89abcdef 01");
        let dir = tempfile::tempdir().unwrap();
        for ext in ["html", "xlsx", "json"] {
            let p = dir.path().join(format!("公告.{ext}"));
            let out = svc.export_plan_announcement(1, &p).unwrap();
            assert_eq!(out.institutions, report.institutions);
            let text = crate::io::disclosure_out::all_text(&p).unwrap();
            let digest = if ext == "json" {
                report.inputs_digest.clone()
            } else {
                grouped_digest(&report.inputs_digest)
            };
            assert!(text.contains(&digest), "{ext}");
            assert!(
                text.contains(&a.institutions[0].code) && text.contains(&a.institutions[0].name),
                "{ext}"
            );
            // Nothing private: no phone, address, contact or conflict list reaches the file.
            let private = crate::store::results::private_values(&svc.store.reader()).unwrap();
            assert!(!private.is_empty());
            for v in private.iter().filter(|v| v.value.chars().count() >= 4) {
                assert!(!text.contains(&v.value), "{ext}: {} {}", v.kind, v.value);
            }
        }
        assert!(svc.export_plan_announcement(1, &dir.path().join("a.csv")).is_err());
    }
}
