//! 驾照式记分 per person and calendar year, and its internal export (never public).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};

use super::institution_name;
use crate::app::Service;
use crate::domain::results::Qualification;
use crate::io::{OutTable, write_table};
use crate::store::results as db;

/// One points entry of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsLine {
    pub plan_id: i64,
    pub seq: u32,
    pub institution: String,
    pub finding_no: u32,
    /// The finding's violation type (事项编码).
    pub item: String,
    pub points: u32,
    pub scored_on: NaiveDate,
}

/// A person's 驾照式记分 in one calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonPoints {
    /// 人员编码 when known, else `机构编码/姓名`.
    pub key: String,
    pub name: String,
    pub code: String,
    pub role: String,
    /// Institutions (codes) where the person was scored.
    pub institutions: Vec<String>,
    pub institution_names: Vec<String>,
    pub year: i32,
    pub total: u32,
    pub largest: u32,
    pub qualification: Qualification,
    pub entries: Vec<PointsLine>,
}

impl Service {
    /// 驾照式记分 per person for a calendar year (by 记分日期), highest total first.
    pub fn points_by_person(&self, year: i32) -> Result<Vec<PersonPoints>> {
        let (_, facts) = self.refs()?;
        let mut people: BTreeMap<String, PersonPoints> = BTreeMap::new();
        for s in db::of_current_draws(&self.store.reader())? {
            for p in &s.result.points {
                if p.scored_on.year() != year {
                    continue;
                }
                let key = p.person_key(&s.key.institution);
                let e = people.entry(key.clone()).or_insert_with(|| PersonPoints {
                    key,
                    name: p.name.clone(),
                    code: p.code.clone(),
                    role: p.role.clone(),
                    institutions: vec![],
                    institution_names: vec![],
                    year,
                    total: 0,
                    largest: 0,
                    qualification: Qualification::Normal,
                    entries: vec![],
                });
                if !e.institutions.contains(&s.key.institution) {
                    e.institutions.push(s.key.institution.clone());
                    e.institution_names.push(institution_name(&facts, &s.key.institution));
                }
                if !p.role.is_empty() {
                    e.role = p.role.clone();
                }
                e.total += p.points;
                e.largest = e.largest.max(p.points);
                e.entries.push(PointsLine {
                    plan_id: s.key.plan_id,
                    seq: s.key.seq,
                    institution: s.key.institution.clone(),
                    finding_no: p.finding_no,
                    item: s
                        .result
                        .findings
                        .iter()
                        .find(|f| f.no == p.finding_no)
                        .map(|f| f.item.clone())
                        .unwrap_or_default(),
                    points: p.points,
                    scored_on: p.scored_on,
                });
            }
        }
        let mut out: Vec<PersonPoints> = people
            .into_values()
            .map(|mut p| {
                p.qualification = Qualification::of(p.total, p.largest);
                p.entries.sort_by_key(|e| (e.scored_on, e.plan_id, e.seq));
                p
            })
            .collect();
        out.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
        Ok(out)
    }

    /// Writes a year's points per person (and every entry) to .xlsx or .csv: internal, never public.
    pub fn export_points(&self, year: i32, path: &Path) -> Result<usize> {
        let people = self.points_by_person(year)?;
        let headers = [
            "年度",
            "姓名",
            "人员编码",
            "人员类别",
            "机构编码",
            "机构名称",
            "年度累计记分",
            "医保支付资格处理",
        ];
        let rows: Vec<Vec<String>> = people
            .iter()
            .map(|p| {
                vec![
                    year.to_string(),
                    p.name.clone(),
                    p.code.clone(),
                    p.role.clone(),
                    p.institutions.join("、"),
                    p.institution_names.join("、"),
                    p.total.to_string(),
                    p.qualification.zh().to_string(),
                ]
            })
            .collect();
        let details: Vec<Vec<String>> = people
            .iter()
            .flat_map(|p| {
                p.entries.iter().map(move |e| {
                    vec![
                        p.name.clone(),
                        p.code.clone(),
                        e.plan_id.to_string(),
                        e.seq.to_string(),
                        e.institution.clone(),
                        e.finding_no.to_string(),
                        e.item.clone(),
                        e.points.to_string(),
                        e.scored_on.to_string(),
                    ]
                })
            })
            .collect();
        let n = rows.len();
        write_table(
            path,
            &[
                OutTable {
                    sheet_name: "记分汇总",
                    headers: headers.iter().map(|h| h.to_string()).collect(),
                    rows,
                    code_columns: vec![2, 4],
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: "记分明细",
                    headers: [
                        "姓名",
                        "人员编码",
                        "计划编号",
                        "任务序号",
                        "机构编码",
                        "问题序号",
                        "违规类型（事项编码）",
                        "记分",
                        "记分日期",
                    ]
                    .iter()
                    .map(|h| h.to_string())
                    .collect(),
                    rows: details,
                    code_columns: vec![1, 4],
                    neutralize_formulas: true,
                },
            ],
        )?;
        Ok(n)
    }
}
