//! The second line of defence: no public cell may hold a roster's private value, nor free text a
//! phone or identity number.

use std::collections::HashSet;

use aho_corasick::AhoCorasick;
use anyhow::{Result, anyhow};

use crate::domain::results::private_in_public_text;
use crate::domain::text::comparable;
use crate::i18n::Lang;
use crate::io::disclosure_out::PublicDoc;
use crate::store::results::PrivateValue;

/// Every private value, in its comparable form (and, for addresses, also without the province
/// prefix, which public text often leaves out), in one automaton: each public text
/// is scanned once, whatever the number of values.
struct PrivateMatcher<'a> {
    automaton: AhoCorasick,
    /// For each pattern: the value it came from.
    sources: Vec<&'a PrivateValue>,
}

impl<'a> PrivateMatcher<'a> {
    fn new(private: &'a [PrivateValue]) -> Result<Self> {
        let mut patterns: Vec<String> = Vec::new();
        let mut sources = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for p in private {
            let value = comparable(&p.value);
            let mut forms = vec![value];
            if p.kind == "地址" {
                forms.extend(address_tails(&forms[0]));
            }
            for form in forms {
                // Short values (a two-character street, a bare number) are ordinary words.
                let min = if p.kind == "联系人" { 2 } else { 5 };
                if form.chars().count() >= min && seen.insert(form.clone()) {
                    patterns.push(form);
                    sources.push(p);
                }
            }
        }
        let automaton = AhoCorasick::new(&patterns)?;
        Ok(PrivateMatcher { automaton, sources })
    }

    /// The first private value found in `text`; contact persons only when `contacts` (outside
    /// free text a person's name is too common a word to refuse).
    fn find(&self, text: &str, contacts: bool) -> Option<&'a PrivateValue> {
        let text = comparable(text);
        self.automaton
            .find_overlapping_iter(&text)
            .map(|m| self.sources[m.pattern().as_usize()])
            .find(|p| contacts || p.kind != "联系人")
    }
}

/// An address without its leading province (省, 自治区, 特别行政区, or a municipality):
/// `广西壮族自治区临江市江北区滨江北路6号` gives `临江市江北区滨江北路6号`. (Cutting the city
/// too would leave tails such as `临溪县某镇卫生院` that are institution names, which are public.)
fn address_tails(address: &str) -> Vec<String> {
    let province = ["自治区", "特别行政区", "省"]
        .iter()
        .filter_map(|e| address.find(e).map(|i| i + e.len()))
        .filter(|&i| address[..i].chars().count() <= 12)
        .min()
        .map(|i| address[i..].to_string());
    let municipality = || {
        ["北京市", "天津市", "上海市", "重庆市"]
            .iter()
            .find_map(|m| address.strip_prefix(m).map(str::to_string))
    };
    province
        .or_else(municipality)
        .filter(|rest| !rest.is_empty())
        .into_iter()
        .collect()
}

/// Refuses a public document holding a roster's private value or a phone/identity number in free
/// text. The message names where, never the value.
pub(super) fn privacy_check(doc: &PublicDoc, json: &str, private: &[PrivateValue], lang: Lang) -> Result<()> {
    let free_text: Vec<usize> = doc
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| matches!(h.as_str(), "备注" | "处理情况"))
        .map(|(i, _)| i)
        .collect();
    let matcher = PrivateMatcher::new(private)?;
    let fail = |place: String, what: &str| -> anyhow::Error {
        anyhow!(
            "{}{place}{}{what}{}",
            lang.pick(
                "公示文件不得含有个人或内部信息：",
                "a public file must not hold private data: "
            ),
            lang.pick(" 含有 ", " holds "),
            lang.pick("；未写出任何文件", "; nothing was written")
        )
    };
    for (r, row) in doc.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let place = || {
                format!(
                    "{} {} {}「{}」",
                    lang.pick("第", "row"),
                    r + 1,
                    lang.pick("行", ""),
                    doc.headers[c]
                )
            };
            let free = free_text.contains(&c);
            if let Some(p) = matcher.find(cell, free) {
                return Err(fail(place(), &format!("{}（{}）", p.kind, p.owner)));
            }
            if free && let Some(problem) = private_in_public_text(cell) {
                return Err(fail(place(), &problem.text(lang)));
            }
        }
    }
    let outside_table = std::iter::once((lang.pick("标题", "title"), doc.title.as_str()))
        .chain(doc.facts.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .chain(doc.evidence.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    for (k, v) in outside_table {
        if let Some(p) = matcher.find(v, false) {
            return Err(fail(format!("「{k}」"), p.kind));
        }
    }
    if let Some(p) = matcher.find(json, false) {
        return Err(fail("JSON".into(), p.kind));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::svc;
    use crate::store::audit;

    #[test]
    fn private_values_in_public_cells_are_refused() {
        let mut s = svc();
        let phone: String = s
            .store
            .conn()
            .query_row("SELECT phone FROM institutions WHERE phone != '' LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        let mut input = s.task_result_input(1, 1).unwrap();
        // The remark check refuses phone-like text already; write the value in directly to test
        // the export-time check.
        input.public_remark = "已整改".into();
        s.save_task_result(1, 1, &input).unwrap().unwrap();
        s.store
            .conn()
            .execute("UPDATE task_results SET public_remark = ?1", [format!("见 {phone}")])
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.html");
        let e = s.export_disclosure(1, &p).unwrap_err().to_string();
        assert!(e.contains("联系电话") && e.contains("备注"), "{e}");
        assert!(!e.contains(&phone), "{e}");
        assert!(!p.exists());
        assert_ne!(
            audit::recent(&s.store.reader(), 1).unwrap()[0].action,
            "disclosure.export"
        );
    }

    /// Records a result for task 1 and then puts `remark` into its public remark directly (the
    /// form would refuse phone-like text already): the export-time check must catch it.
    fn export_with_remark(s: &mut crate::app::Service, remark: &str) -> String {
        let mut input = s.task_result_input(1, 1).unwrap();
        input.public_remark = "已整改".into();
        s.save_task_result(1, 1, &input).unwrap().unwrap();
        s.store
            .conn()
            .execute("UPDATE task_results SET public_remark = ?1", [remark])
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        let e = s.export_disclosure(1, &p).unwrap_err().to_string();
        assert!(!p.exists());
        e
    }

    #[test]
    fn private_values_are_found_however_they_are_written() {
        let mut s = svc();
        let (code, phone): (String, String) = s
            .store
            .conn()
            .query_row(
                "SELECT code, phone FROM institutions WHERE length(phone) = 11 LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let digits: Vec<char> = phone.chars().collect();
        let spaced = format!(
            "{}-{} {}",
            digits[..3].iter().collect::<String>(),
            digits[3..7].iter().collect::<String>(),
            digits[7..].iter().collect::<String>()
        );
        let wide: String = phone
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        let chinese: String = phone
            .chars()
            .map(|c| {
                "〇一二三四五六七八九"
                    .chars()
                    .nth(c.to_digit(10).unwrap() as usize)
                    .unwrap()
            })
            .collect();
        for written in [spaced, wide, chinese] {
            let e = export_with_remark(&mut s, &format!("整改联系 {written}"));
            assert!(e.contains("备注") && e.contains("联系电话"), "{written}: {e}");
            assert!(!e.contains(&phone), "{e}");
        }
        // An address quoted without its province prefix.
        s.store
            .conn()
            .execute(
                "UPDATE institutions SET address = '广西壮族自治区临江市江北区滨江北路6号' WHERE code = ?1",
                [&code],
            )
            .unwrap();
        for written in ["临江市江北区滨江北路６号", "临江市江北区滨江北路六号"] {
            let e = export_with_remark(&mut s, &format!("现场位于{written}"));
            assert!(e.contains("地址"), "{written}: {e}");
        }
    }

    #[test]
    fn address_tails_drop_the_province() {
        assert_eq!(
            super::address_tails("广西壮族自治区临江市江北区滨江北路6号"),
            ["临江市江北区滨江北路6号"]
        );
        assert_eq!(
            super::address_tails("北京市海淀区中关村大街1号"),
            ["海淀区中关村大街1号"]
        );
        assert!(super::address_tails("临江市江北区滨江北路6号").is_empty());
    }
}
