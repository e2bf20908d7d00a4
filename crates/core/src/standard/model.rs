//! The standard's records: standards and their items, and the codes the
//! cycle moves through (tiers, rules, stages, statuses, grades).
use serde::{Deserialize, Serialize};

/// Defines a code enum with its Chinese labels, `code`, `label`, `parse` and `ALL`.
macro_rules! codes {
    ($(#[$m:meta])* $name:ident { $($v:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v,)+];
            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code,)+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$v => $label,)+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|x| x.code() == s.trim())
            }
        }
    };
}

codes! {
    /// An item's tier: every baseline item must be met; refined items are scored for the grade.
    Tier { Baseline = "baseline", "达标项"; Refined = "refined", "提升项"; }
}

codes! {
    /// What a computed item is computed from.
    Rule {
        LifeCompliance = "life_compliance", "组织生活按期召开";
        StudyPlanApproved = "study_plan_approved", "年度学习计划审核通过";
        DifficultGoalsSupported = "difficult_goals_supported", "业务难点均有党建任务支撑";
        DuesNoArrears = "dues_no_arrears", "党费无欠缴";
        CommitteeSeated = "committee_seated", "支部委员会健全、书记在岗";
    }
}

codes! {
    /// Where a standard stands: items are frozen once published; a change is a new version.
    StandardStatus { Draft = "draft", "草稿"; Published = "published", "已发布"; Superseded = "superseded", "已被新版本取代"; }
}

codes! {
    /// Where an organization's cycle is, as stored.
    Stage { Open = "open", "自查整改中"; Applied = "applied", "已申报"; Accepted = "accepted", "已验收"; }
}

codes! {
    /// An organization's status on the ledger (台账).
    Status {
        NotStarted = "not_started", "未自查";
        NotMet = "not_met", "未达标";
        Met = "met", "已达标（待申报）";
        Applied = "applied", "已申报";
        Accepted = "accepted", "已验收";
    }
}

codes! {
    /// The grade after acceptance (渐进式提升): ⅰ < ⅱ < ⅲ.
    Grade { I = "i", "ⅰ级（巩固）"; Ii = "ii", "ⅱ级（提升）"; Iii = "iii", "ⅲ级（示范）"; }
}

codes! {
    /// A problem's state: closed (销号) only when the direct superior verifies its report.
    ProblemStatus { Open = "open", "整改中"; Reported = "reported", "已报告待核验"; Closed = "closed", "已销号"; }
}

codes! {
    /// Where a problem came from.
    Source {
        SelfCheck = "self_check", "摸底自查";
        Acceptance = "acceptance", "验收未通过";
        Visit = "visit", "联系点走访";
        Warning = "warning", "软弱涣散整顿";
    }
}

codes! {
    /// An application's state.
    AppStatus { Pending = "pending", "待验收"; Passed = "passed", "验收通过"; Failed = "failed", "验收未通过"; Withdrawn = "withdrawn", "已撤回"; }
}

impl Grade {
    /// The grade of a level 1–3 (`rules::standard::grade_for`).
    pub fn of_level(level: u8) -> Grade {
        match level {
            3 => Grade::Iii,
            2 => Grade::Ii,
            _ => Grade::I,
        }
    }
}

/// A building standard (建设标准) as read, with its publishing organization.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Standard {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub year: i64,
    pub title: String,
    /// Comma-separated organization kinds ("branch,general_branch").
    pub org_kinds: String,
    pub version: i64,
    pub previous_id: Option<String>,
    /// draft, published or superseded.
    pub status: String,
    /// Grade thresholds, basis points of the refined items' points.
    pub grade_ii_bp: i64,
    pub grade_iii_bp: i64,
    pub published_at: Option<i64>,
    pub published_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Standard {
    pub fn status(&self) -> StandardStatus {
        StandardStatus::parse(&self.status).unwrap_or(StandardStatus::Draft)
    }
    /// The organization kinds it applies to.
    pub fn kinds(&self) -> Vec<&str> {
        self.org_kinds.split(',').filter(|k| !k.is_empty()).collect()
    }
    /// Whether it applies to an organization of `kind` at `path`: a kind it
    /// names, strictly below the publishing organization.
    pub fn applies_to(&self, kind: &str, path: &str) -> bool {
        self.kinds().contains(&kind) && path.len() > self.org_path.len() && path.starts_with(&self.org_path)
    }
    /// "机关党委2026年度党支部建设标准（第2版）".
    pub fn display(&self) -> String {
        if self.version > 1 {
            format!("{}（第{}版）", self.title, self.version)
        } else {
            self.title.clone()
        }
    }
}

/// An item of a standard.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Item {
    pub code: String,
    pub seq: i64,
    pub dimension: String,
    pub title: String,
    pub criteria: String,
    pub evidence_required: bool,
    pub points: i64,
    /// baseline or refined.
    pub tier: String,
    /// A rule code when computed from records.
    pub rule: Option<String>,
}

impl Item {
    pub fn tier(&self) -> Tier {
        Tier::parse(&self.tier).unwrap_or(Tier::Baseline)
    }
    pub fn rule(&self) -> Option<Rule> {
        self.rule.as_deref().and_then(Rule::parse)
    }
}

/// An item as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewItem {
    pub code: String,
    pub dimension: String,
    pub title: String,
    #[serde(default)]
    pub criteria: String,
    #[serde(default)]
    pub evidence_required: bool,
    #[serde(default)]
    pub points: i64,
    /// baseline or refined.
    pub tier: String,
    /// None, or a rule code (`Rule`).
    #[serde(default)]
    pub rule: Option<String>,
}

/// A standard as typed: created as a draft, replaced while a draft.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewStandard {
    pub org_id: String,
    pub year: i64,
    pub title: String,
    /// Organization kinds it applies to: branch, general_branch, committee.
    pub org_kinds: Vec<String>,
    pub items: Vec<NewItem>,
    /// Grade thresholds in basis points (7500 = 75 %); the rule table's when None.
    #[serde(default)]
    pub grade_ii_bp: Option<i64>,
    #[serde(default)]
    pub grade_iii_bp: Option<i64>,
}

/// A record a computed item was judged from, for the reader to open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// life_window (an obligation's period: id is "org:kind:period"),
    /// study_plan, goal, person, org.
    pub kind: &'static str,
    pub id: String,
    pub label: String,
}

/// A computed item's judgement for an organization at a moment.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    pub met: bool,
    pub detail: String,
    pub records: Vec<Record>,
}
