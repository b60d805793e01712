//! The columns of the public table: what 一公开 requires, and what the configuration may hide.

use super::ColumnOwned;
use crate::app::Service;

/// A public column: its JSON key and its Chinese header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Column {
    pub key: &'static str,
    pub header: &'static str,
}

const COLUMNS: [Column; 18] = [
    Column {
        key: "no",
        header: "序号",
    },
    Column {
        key: "plan_id",
        header: "抽查计划编号",
    },
    Column {
        key: "plan_title",
        header: "抽查计划名称",
    },
    Column {
        key: "task",
        header: "抽查任务编号",
    },
    Column {
        key: "check_type",
        header: "抽查类型",
    },
    Column {
        key: "items",
        header: "抽查事项",
    },
    Column {
        key: "authority",
        header: "检查机关",
    },
    Column {
        key: "institution_name",
        header: "检查对象名称",
    },
    Column {
        key: "uscc",
        header: "统一社会信用代码",
    },
    Column {
        key: "institution_code",
        header: "机构编码",
    },
    Column {
        key: "credit_class",
        header: "信用等级",
    },
    Column {
        key: "inspectors",
        header: "检查人员",
    },
    Column {
        key: "completed_on",
        header: "检查完成日期",
    },
    Column {
        key: "result",
        header: "检查结果",
    },
    Column {
        key: "handling",
        header: "处理情况",
    },
    Column {
        key: "recovered_fen",
        header: "追回金额（元）",
    },
    Column {
        key: "fine_fen",
        header: "罚款金额（元）",
    },
    Column {
        key: "remark",
        header: "备注",
    },
];

/// Columns the configuration may hide (`privacy.extra_private_fields` naming the header or the
/// roster field behind it); the others are what 一公开 requires.
const HIDEABLE: [(&str, &[&str]); 4] = [
    ("uscc", &["统一社会信用代码", "uscc"]),
    ("institution_code", &["机构编码", "code"]),
    ("credit_class", &["信用等级", "credit"]),
    ("remark", &["备注", "公示备注", "remark", "public_remark"]),
];

impl Service {
    /// The columns of the public table under the current configuration.
    pub fn disclosure_columns(&self) -> Vec<ColumnOwned> {
        let hidden: Vec<String> = self
            .config
            .privacy
            .extra_private_fields
            .iter()
            .map(|s| s.trim().to_lowercase())
            .collect();
        let d = &self.config.disclosure;
        COLUMNS
            .iter()
            .filter(|c| match c.key {
                "credit_class" if !d.show_credit_class => false,
                "inspectors" if !d.show_inspector_names => false,
                key => !HIDEABLE
                    .iter()
                    .any(|(k, names)| *k == key && names.iter().any(|n| hidden.contains(&n.to_lowercase()))),
            })
            .map(|c| ColumnOwned {
                key: c.key.into(),
                header: c.header.into(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::svc;
    use crate::app::Service;

    #[test]
    fn columns_follow_the_configuration() {
        let mut s = svc();
        let keys = |s: &Service| s.disclosure_columns().into_iter().map(|c| c.key).collect::<Vec<_>>();
        assert!(!keys(&s).contains(&"credit_class".to_string()));
        s.config.disclosure.show_credit_class = true;
        s.config.disclosure.show_inspector_names = true;
        s.config.privacy.extra_private_fields = vec!["统一社会信用代码".into()];
        let k = keys(&s);
        assert!(k.contains(&"credit_class".to_string()) && k.contains(&"inspectors".to_string()));
        assert!(!k.contains(&"uscc".to_string()));
        let d = s.disclosure(1).unwrap();
        assert!(d.records[0].uscc.is_none());
        assert_eq!(d.records[0].inspectors.as_ref().unwrap().len(), 2);
        // Hiding the institution code still marks the right results disclosed.
        s.config.privacy.extra_private_fields = vec!["机构编码".into()];
        let dir = tempfile::tempdir().unwrap();
        let out = s.export_disclosure(1, &dir.path().join("d.csv")).unwrap();
        assert_eq!(out.newly_disclosed, 1);
        assert!(s.export_disclosure(1, &dir.path().join("d.pdf")).is_err());
    }
}
