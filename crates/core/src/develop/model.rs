use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// The five stages of member development; codes match the people status codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Applicant,
    Activist,
    Candidate,
    Probationary,
    Full,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Applicant,
        Stage::Activist,
        Stage::Candidate,
        Stage::Probationary,
        Stage::Full,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Applicant => "applicant",
            Stage::Activist => "activist",
            Stage::Candidate => "candidate",
            Stage::Probationary => "probationary",
            Stage::Full => "full",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Stage::Applicant => "入党申请人",
            Stage::Activist => "入党积极分子",
            Stage::Candidate => "发展对象",
            Stage::Probationary => "预备党员",
            Stage::Full => "正式党员",
        }
    }
    pub fn from_code(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// Who carries out a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Branch,
    BranchCommittee,
    GeneralMeeting,
    SuperiorCommittee,
    /// The organization department of the committee above the approving one.
    HigherOrgDepartment,
    /// The applicant (later the probationary member) in person.
    Applicant,
}

impl Body {
    pub const ALL: [Body; 6] = [
        Body::Branch,
        Body::BranchCommittee,
        Body::GeneralMeeting,
        Body::SuperiorCommittee,
        Body::HigherOrgDepartment,
        Body::Applicant,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Body::Branch => "branch",
            Body::BranchCommittee => "branch_committee",
            Body::GeneralMeeting => "general_meeting",
            Body::SuperiorCommittee => "superior_committee",
            Body::HigherOrgDepartment => "higher_org_department",
            Body::Applicant => "applicant",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Body::Branch => "党支部",
            Body::BranchCommittee => "支委会",
            Body::GeneralMeeting => "支部大会",
            Body::SuperiorCommittee => "上级党委",
            Body::HigherOrgDepartment => "再上一级党委组织部门",
            Body::Applicant => "本人",
        }
    }
    pub fn from_code(s: &str) -> Option<Body> {
        Body::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// One of the 25 steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepDef {
    pub no: u8,
    pub name: &'static str,
    /// The stage the person is in once this step is done.
    pub stage: Stage,
    pub body: Body,
    /// The document the step produces.
    pub document: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Introducer {
    pub name: String,
    /// The day full membership dates from (转正日期), if a full member at all;
    /// an introducer must be full on the step's date, not only today.
    pub full_since: Option<NaiveDate>,
}

/// What is kept beside the 25 steps: an activist's half-yearly reviews
/// (考察) and quarterly written reports (思想汇报), and an extension of
/// probation (延长预备期) decided when probation ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Review,
    Report,
    Extension,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [RecordKind::Review, RecordKind::Report, RecordKind::Extension];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Review => "review",
            RecordKind::Report => "report",
            RecordKind::Extension => "extension",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Review => "半年考察",
            RecordKind::Report => "思想汇报",
            RecordKind::Extension => "延长预备期",
        }
    }
    pub fn from_code(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|x| x.code() == s || x.label() == s)
    }
}

/// The records beside the steps that the due dates need: the latest review
/// and report, and the extension of probation, if any.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tracked {
    pub last_review: Option<NaiveDate>,
    pub last_report: Option<NaiveDate>,
    pub extension_months: Option<u32>,
}

/// What the checks need beyond the step history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepFacts {
    /// No step may be dated after this day.
    pub today: NaiveDate,
    /// Who is recording the step.
    pub actor: Body,
    pub birth_date: Option<NaiveDate>,
    pub introducers: Vec<Introducer>,
    pub training_days: u32,
    pub training_class_hours: u32,
    /// An extension of probation, if the general meeting decided one.
    pub extension_months: Option<u32>,
}

impl StepFacts {
    /// Facts with nothing known but the day and the actor.
    pub fn new(today: NaiveDate, actor: Body) -> StepFacts {
        StepFacts {
            today,
            actor,
            birth_date: None,
            introducers: Vec::new(),
            training_days: 0,
            training_class_hours: 0,
            extension_months: None,
        }
    }
}

/// A broken rule: which one, and what to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub rule: &'static str,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "不符合「{}」：{}", self.rule, self.message)
    }
}

impl std::error::Error for Violation {}
