//! Organizational life's records: meetings of every obligation kind, their
//! attendance, resolutions and appraisal grades.
use serde::{Deserialize, Serialize};

/// The obligations of rules.md, one record kind each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Kind {
    GeneralMeeting,
    CommitteeMeeting,
    GroupMeeting,
    PartyLecture,
    ThemeDay,
    LifeMeeting,
    Appraisal,
    Talk,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::GeneralMeeting,
        Kind::CommitteeMeeting,
        Kind::GroupMeeting,
        Kind::PartyLecture,
        Kind::ThemeDay,
        Kind::LifeMeeting,
        Kind::Appraisal,
        Kind::Talk,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::GeneralMeeting => "general_meeting",
            Kind::CommitteeMeeting => "committee_meeting",
            Kind::GroupMeeting => "group_meeting",
            Kind::PartyLecture => "party_lecture",
            Kind::ThemeDay => "theme_day",
            Kind::LifeMeeting => "life_meeting",
            Kind::Appraisal => "appraisal",
            Kind::Talk => "talk",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::GeneralMeeting => "支部党员大会",
            Kind::CommitteeMeeting => "支委会",
            Kind::GroupMeeting => "党小组会",
            Kind::PartyLecture => "党课",
            Kind::ThemeDay => "主题党日",
            Kind::LifeMeeting => "组织生活会",
            Kind::Appraisal => "民主评议党员",
            Kind::Talk => "谈心谈话",
        }
    }

    /// Accepts the code or the Chinese name.
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim();
        Kind::ALL.into_iter().find(|k| k.code() == s || k.label() == s)
    }

    /// Kinds whose attendance counts as taking part in organizational life
    /// (a talk is between two people; it is not a meeting of the branch).
    pub fn counts_as_participation(self) -> bool {
        !matches!(self, Kind::Talk)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Grade {
    Excellent,
    Qualified,
    BasicallyQualified,
    Unqualified,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Excellent,
        Grade::Qualified,
        Grade::BasicallyQualified,
        Grade::Unqualified,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Qualified => "qualified",
            Grade::BasicallyQualified => "basically_qualified",
            Grade::Unqualified => "unqualified",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Qualified => "合格",
            Grade::BasicallyQualified => "基本合格",
            Grade::Unqualified => "不合格",
        }
    }
    pub fn parse(s: &str) -> Option<Grade> {
        let s = s.trim();
        Grade::ALL.into_iter().find(|g| g.code() == s || g.label() == s)
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Meeting {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub kind: String,
    pub status: String,
    pub topic: String,
    pub starts_at: i64,
    pub month: String,
    pub place: String,
    /// The host's and recorder's names as recorded (typed in older records).
    pub host: String,
    pub recorder: String,
    /// The host and recorder picked from the roster (none in older records).
    pub host_person_id: Option<String>,
    pub recorder_person_id: Option<String>,
    pub agenda: String,
    pub minutes: String,
    pub voting_members: Option<i64>,
    pub dual_life: bool,
    pub created_by: String,
    pub created_at: i64,
}

impl Meeting {
    pub fn kind_label(&self) -> &'static str {
        Kind::parse(&self.kind).map(Kind::label).unwrap_or("组织生活")
    }
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "planned" => "计划中",
            "held" => "已召开",
            _ => "已取消",
        }
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Attendance {
    pub meeting_id: String,
    pub person_id: String,
    pub name: String,
    pub status: String,
    pub present: bool,
    /// The note on an absence (free text; all older records have).
    pub reason: String,
    /// The kind of reason (`ReasonKind` code; empty when not given).
    pub reason_kind: String,
}

impl Attendance {
    /// "病假", "请假（已批准）：家中有事", an older record's text, or "未说明".
    pub fn reason_text(&self) -> String {
        match (ReasonKind::parse(&self.reason_kind), self.reason.trim()) {
            (Some(k), "") => k.label().into(),
            (Some(k), note) if note == k.label() => note.into(),
            (Some(k), note) => format!("{}：{note}", k.label()),
            (None, "") => "未说明".into(),
            (None, note) => note.into(),
        }
    }
    /// An absence with a proper reason (approved leave, illness, official duty).
    pub fn excused(&self) -> bool {
        ReasonKind::parse(&self.reason_kind).is_some_and(ReasonKind::excused)
    }
}

/// Why a member was absent (缺席原因), stored as a code so that the art. 9
/// warnings can tell a proper reason from none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ReasonKind {
    /// 请假（已批准）: leave asked for and approved.
    Leave,
    /// 病假.
    Sick,
    /// 公差: away on official duty (出差、公务、上级调训).
    Official,
    /// 其他（无正当理由）.
    Other,
}

impl ReasonKind {
    pub const ALL: [ReasonKind; 4] = [
        ReasonKind::Leave,
        ReasonKind::Sick,
        ReasonKind::Official,
        ReasonKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReasonKind::Leave => "leave",
            ReasonKind::Sick => "sick",
            ReasonKind::Official => "official",
            ReasonKind::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ReasonKind::Leave => "请假（已批准）",
            ReasonKind::Sick => "病假",
            ReasonKind::Official => "公差",
            ReasonKind::Other => "其他（无正当理由）",
        }
    }
    /// Accepts the code or the Chinese name.
    pub fn parse(s: &str) -> Option<ReasonKind> {
        let s = s.trim();
        ReasonKind::ALL.into_iter().find(|k| k.code() == s || k.label() == s)
    }
    /// A proper reason (正当理由): the absence does not count toward art. 9.
    pub fn excused(self) -> bool {
        !matches!(self, ReasonKind::Other)
    }
    /// The kind a free-text reason names, when it plainly names one (older
    /// records and callers that send only text; migration 0015 applies the
    /// same words to the stored records).
    pub fn infer(text: &str) -> Option<ReasonKind> {
        const WORDS: [(&str, ReasonKind); 9] = [
            ("病", ReasonKind::Sick),
            ("请假", ReasonKind::Leave),
            ("事假", ReasonKind::Leave),
            ("公假", ReasonKind::Leave),
            ("出差", ReasonKind::Official),
            ("公差", ReasonKind::Official),
            ("公务", ReasonKind::Official),
            ("调训", ReasonKind::Official),
            ("借调", ReasonKind::Official),
        ];
        WORDS.iter().find(|(w, _)| text.contains(w)).map(|(_, k)| *k)
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Resolution {
    pub id: String,
    pub meeting_id: String,
    pub seq: i64,
    pub title: String,
    pub votes_for: i64,
    pub votes_against: i64,
    pub abstentions: i64,
    pub passed: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Absentee {
    pub person_id: String,
    /// A note (free text), e.g. "赴外地调研".
    #[serde(default)]
    pub reason: String,
    /// leave（请假，已批准）, sick（病假）, official（公差） or other（无正当理由）;
    /// when empty, the kind the note plainly names, if any.
    #[serde(default)]
    pub reason_kind: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewResolution {
    pub title: String,
    pub votes_for: i64,
    #[serde(default)]
    pub votes_against: i64,
    #[serde(default)]
    pub abstentions: i64,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewGrade {
    pub person_id: String,
    pub grade: String,
}

/// A meeting as entered (API body or form).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    pub org_id: String,
    pub kind: String,
    /// RFC 3339 ("2026-03-05T14:30:00+08:00") or "2026-03-05 14:30" (Beijing time).
    pub held_at: String,
    pub topic: String,
    /// "held" (the default) or "planned".
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub place: String,
    /// The host's name as typed (older callers); `host_person_id` wins.
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub recorder: String,
    /// The host and recorder picked from the roster (person ids).
    #[serde(default)]
    pub host_person_id: String,
    #[serde(default)]
    pub recorder_person_id: String,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub attendee_ids: Vec<String>,
    #[serde(default)]
    pub absentees: Vec<Absentee>,
    #[serde(default)]
    pub goal_ids: Vec<String>,
    #[serde(default)]
    pub task_ids: Vec<String>,
    #[serde(default)]
    pub resolutions: Vec<NewResolution>,
    #[serde(default)]
    pub grades: Vec<NewGrade>,
    #[serde(default)]
    pub dual_life: bool,
}
