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

    /// "支委会「…」": the meeting's kind and its topic, the kind said once
    /// even when the topic starts with it ("支委会：研究…").
    pub fn headline(self, topic: &str) -> String {
        let label = self.label();
        let rest = topic
            .strip_prefix(label)
            .map(|r| r.trim_start_matches(['：', ':', ' ', '　']))
            .filter(|r| !r.is_empty())
            .unwrap_or(topic);
        format!("{label}「{rest}」")
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
    pub host: String,
    pub recorder: String,
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
    pub reason: String,
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
    #[serde(default)]
    pub reason: String,
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
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub recorder: String,
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
