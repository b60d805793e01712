//! The second line of defence: no public cell may hold a roster's private value, nor free text a
//! phone or identity number.

use anyhow::{Result, anyhow};

use crate::domain::results::private_in_public_text;
use crate::i18n::Lang;
use crate::io::disclosure_out::PublicDoc;
use crate::store::results::PrivateValue;

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
    let long_enough = |p: &PrivateValue| match p.kind {
        "联系人" => p.value.chars().count() >= 2,
        _ => p.value.chars().count() >= 5,
    };
    // Outside the table's free text a contact person's name is too common a word to refuse.
    let outside_table = |p: &&PrivateValue| long_enough(p) && p.kind != "联系人";
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
            let place = format!(
                "{} {} {}「{}」",
                lang.pick("第", "row"),
                r + 1,
                lang.pick("行", ""),
                doc.headers[c]
            );
            for p in private.iter().filter(|p| long_enough(p)) {
                let checked = p.kind != "联系人" || free_text.contains(&c);
                if checked && cell.contains(&p.value) {
                    return Err(fail(place, &format!("{}（{}）", p.kind, p.owner)));
                }
            }
            if free_text.contains(&c)
                && let Some(problem) = private_in_public_text(cell)
            {
                return Err(fail(place, &problem.text(lang)));
            }
        }
    }
    for (k, v) in &doc.evidence {
        for p in private.iter().filter(outside_table) {
            if v.contains(&p.value) {
                return Err(fail(format!("「{k}」"), p.kind));
            }
        }
    }
    for p in private.iter().filter(outside_table) {
        if json.contains(&p.value) {
            return Err(fail("JSON".into(), p.kind));
        }
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
}
