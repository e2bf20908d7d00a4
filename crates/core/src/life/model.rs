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
    /// 党委会 / 党总支委员会: a committee's or general branch's own committee meeting.
    PartyCommitteeMeeting,
    /// 理论学习中心组学习.
    TheoryStudy,
    /// 民主生活会 of the leading group.
    DemocraticLife,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::GeneralMeeting,
        Kind::CommitteeMeeting,
        Kind::GroupMeeting,
        Kind::PartyLecture,
        Kind::ThemeDay,
        Kind::LifeMeeting,
        Kind::Appraisal,
        Kind::Talk,
        Kind::PartyCommitteeMeeting,
        Kind::TheoryStudy,
        Kind::DemocraticLife,
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
            Kind::PartyCommitteeMeeting => "party_committee_meeting",
            Kind::TheoryStudy => "theory_study",
            Kind::DemocraticLife => "democratic_life",
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
            Kind::PartyCommitteeMeeting => "党委会",
            Kind::TheoryStudy => "理论学习中心组学习",
            Kind::DemocraticLife => "民主生活会",
        }
    }

    /// The name an organization of `org_kind` gives it (a 党总支's committee meeting is 党总支委员会).
    pub fn label_for(self, org_kind: &str) -> &'static str {
        match (self, org_kind) {
            (Kind::PartyCommitteeMeeting, "general_branch") => "党总支委员会",
            _ => self.label(),
        }
    }

    /// The kinds an organization of `org_kind` records: a branch its 三会一课
    /// and yearly duties, a group its meetings, a committee or general
    /// branch its own committee meetings, study and 民主生活会 (and the
    /// lectures and Party days it organizes).
    pub fn offered_to(org_kind: &str) -> Vec<Kind> {
        use Kind::*;
        match org_kind {
            "committee" | "general_branch" => vec![
                PartyCommitteeMeeting,
                TheoryStudy,
                DemocraticLife,
                PartyLecture,
                ThemeDay,
            ],
            "group" => vec![GroupMeeting, PartyLecture, ThemeDay],
            _ => vec![
                GeneralMeeting,
                CommitteeMeeting,
                PartyLecture,
                ThemeDay,
                LifeMeeting,
                Appraisal,
                Talk,
            ],
        }
    }

    /// Meetings of a committee, whose quorum is more than half of its members.
    pub fn is_committee_meeting(self) -> bool {
        matches!(self, Kind::CommitteeMeeting | Kind::PartyCommitteeMeeting)
    }

    /// "支委会「…」": the meeting's kind and its topic, the kind said once
    /// even when the topic starts with it ("支委会：研究…").
    pub fn headline(self, topic: &str) -> String {
        let label = self.label();
        format!("{label}「{}」", topic_after(label, topic))
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
    #[serde(skip)]
    pub org_kind: String,
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
    /// 党课: who lectured.
    pub lecturer_id: Option<String>,
    pub lecturer_name: Option<String>,
    /// The quorum when it was recorded: who should attend, and of them who came.
    pub quorum_expected: Option<i64>,
    pub quorum_present: Option<i64>,
    /// Whether it counts as held.
    pub counts: bool,
}

/// The topic without a leading repeat of the kind ("支委会：研究…" → "研究…").
fn topic_after<'a>(label: &str, topic: &'a str) -> &'a str {
    topic
        .strip_prefix(label)
        .map(|r| r.trim_start_matches(['：', ':', ' ', '　']))
        .filter(|r| !r.is_empty())
        .unwrap_or(topic)
}

impl Meeting {
    pub fn kind_label(&self) -> &'static str {
        Kind::parse(&self.kind)
            .map(|k| k.label_for(&self.org_kind))
            .unwrap_or("组织生活")
    }
    /// The topic as shown beside its kind: without a leading repeat of the kind.
    pub fn topic_text(&self) -> &str {
        topic_after(self.kind_label(), &self.topic)
    }
    /// "支委会「研究…」": kind and topic, the kind said once (as [`Kind::headline`]).
    pub fn headline(&self) -> String {
        format!("{}「{}」", self.kind_label(), self.topic_text())
    }
    /// Why a held meeting does not count, if it does not.
    pub fn uncounted_reason(&self) -> Option<String> {
        if self.status != "held" || self.counts {
            return None;
        }
        Some(super::rules::quorum_note(
            self.quorum_expected.unwrap_or(0),
            self.quorum_present.unwrap_or(0),
        ))
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
    /// 党课: the person who lectured (讲课人), a person id.
    #[serde(default)]
    pub lecturer_id: String,
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn a_headline_says_the_kind_once() {
        let k = Kind::CommitteeMeeting;
        assert_eq!(k.headline("支委会：研究发展党员"), "支委会「研究发展党员」");
        assert_eq!(k.headline("研究发展党员"), "支委会「研究发展党员」");
        assert_eq!(k.headline("支委会"), "支委会「支委会」");
        assert_eq!(Kind::ThemeDay.headline("主题党日: 参观"), "主题党日「参观」");
    }
}
