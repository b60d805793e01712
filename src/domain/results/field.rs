//! The fields of a result, with the headers used in spreadsheets and forms.

use crate::i18n::Lang;

/// A field of a result, with the header used in spreadsheets and forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    CheckDate,
    CompletedOn,
    Category,
    Measures,
    Recovered,
    Fine,
    RectifyBy,
    RectifyStatus,
    PublicRemark,
    InternalNotes,
    ItemCode,
    ItemCategory,
    FindingNo,
    FindingItem,
    FindingDescription,
    FindingAmount,
    PointsFinding,
    PointsName,
    PointsRole,
    PointsCode,
    PointsValue,
    PointsDate,
}

impl Field {
    /// The main fields, in the order of the 检查结果 sheet and the form.
    pub const MAIN: [Field; 10] = [
        Field::CheckDate,
        Field::CompletedOn,
        Field::Category,
        Field::Measures,
        Field::Recovered,
        Field::Fine,
        Field::RectifyBy,
        Field::RectifyStatus,
        Field::PublicRemark,
        Field::InternalNotes,
    ];
    pub const FINDING: [Field; 4] = [
        Field::FindingNo,
        Field::FindingItem,
        Field::FindingDescription,
        Field::FindingAmount,
    ];
    pub const POINTS: [Field; 6] = [
        Field::PointsFinding,
        Field::PointsName,
        Field::PointsRole,
        Field::PointsCode,
        Field::PointsValue,
        Field::PointsDate,
    ];

    /// The exact Chinese header.
    pub fn zh(self) -> &'static str {
        match self {
            Field::CheckDate => "检查日期",
            Field::CompletedOn => "检查完成日期",
            Field::Category => "检查结果",
            Field::Measures => "处理措施",
            Field::Recovered => "追回金额（元）",
            Field::Fine => "罚款金额（元）",
            Field::RectifyBy => "整改期限",
            Field::RectifyStatus => "整改状态",
            Field::PublicRemark => "公示备注",
            Field::InternalNotes => "内部备注（不公开）",
            Field::ItemCode => "事项编码",
            Field::ItemCategory => "检查结果",
            Field::FindingNo => "问题序号",
            Field::FindingItem => "违规类型（事项编码）",
            Field::FindingDescription => "问题描述",
            Field::FindingAmount => "涉及金额（元）",
            Field::PointsFinding => "问题序号",
            Field::PointsName => "姓名",
            Field::PointsRole => "人员类别",
            Field::PointsCode => "人员编码",
            Field::PointsValue => "记分",
            Field::PointsDate => "记分日期",
        }
    }

    /// English alias accepted as a header.
    pub fn en(self) -> &'static str {
        match self {
            Field::CheckDate => "check_date",
            Field::CompletedOn => "completed_on",
            Field::Category => "result",
            Field::Measures => "measures",
            Field::Recovered => "recovered",
            Field::Fine => "fine",
            Field::RectifyBy => "rectify_by",
            Field::RectifyStatus => "rectify_status",
            Field::PublicRemark => "public_remark",
            Field::InternalNotes => "internal_notes",
            Field::ItemCode => "item",
            Field::ItemCategory => "result",
            Field::FindingNo => "finding_no",
            Field::FindingItem => "violation_type",
            Field::FindingDescription => "description",
            Field::FindingAmount => "amount",
            Field::PointsFinding => "finding_no",
            Field::PointsName => "name",
            Field::PointsRole => "role",
            Field::PointsCode => "person_code",
            Field::PointsValue => "points",
            Field::PointsDate => "scored_on",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }
}
