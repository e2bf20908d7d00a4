//! What an assessment is made of: its indicators (指标) with their kinds,
//! tiers and rater groups, its targets, and the grades it gives.
use serde::{Deserialize, Serialize};

macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($v:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($v),+ }
        /// As its code ("life_compliance"), the word the API documents.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
        /// From its code, or its variant name (results frozen before the
        /// codes were written).
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == s || format!("{v:?}") == s)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown {}: {s}", stringify!($name))))
            }
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code),+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$v => $label),+ }
            }
            /// From its code or its Chinese label.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s || v.label() == s)
            }
        }
    };
}

coded!(
    /// Whom an assessment assesses: organizations, or members (一考双评).
    Subject { Orgs = "orgs" / "党组织", Members = "members" / "党员" }
);
coded!(
    /// How an indicator gets its points.
    Kind { Computed = "computed" / "按记录计算", Entered = "entered" / "考核组织录入", Rated = "rated" / "评价打分" }
);
coded!(
    /// 底线 items pass or fail (a failure vetoes); 高线 items add bonus points.
    Tier { Normal = "normal" / "常规项", Baseline = "baseline" / "底线项", Bonus = "bonus" / "高线项" }
);
coded!(
    /// Which side of 一表双考 an indicator belongs to.
    Side { Party = "party" / "党建", Business = "business" / "业务" }
);
coded!(
    /// The records a computed indicator reads.
    Metric {
        LifeCompliance = "life_compliance" / "组织生活按期开展率",
        KpiAttainment = "kpi_attainment" / "业务指标完成度",
        TaskCompletion = "task_completion" / "党建任务按期完成率",
        StudyCompletion = "study_completion" / "必修课程学时完成率",
        RectificationClosure = "rectification_closure" / "问题按期整改销号率",
        DuesOnTime = "dues_on_time" / "党费按月交纳率",
    }
);
coded!(
    /// Rater groups of a rated indicator.
    Group {
        Superior = "superior" / "组织评价",
        Peers = "peers" / "互评",
        Masses = "masses" / "群众评议",
        SelfRating = "self" / "自评",
    }
);
coded!(
    /// Grades of the annual 述职评议考核.
    Grade { Good = "good" / "好", FairlyGood = "fairly_good" / "较好", Fair = "fair" / "一般", Poor = "poor" / "差" }
);

impl Metric {
    /// The usual side of 一表双考 for an indicator on this source.
    pub fn side(self) -> Side {
        match self {
            Metric::KpiAttainment => Side::Business,
            _ => Side::Party,
        }
    }

    /// Whether a target that owed nothing on this source in the period
    /// keeps the item's full points (无应考核事项的不扣分): no task, problem,
    /// member-month of dues or required course fell due. Every organization
    /// owes meetings and plans its KPIs, so for those two nothing due means
    /// the records are missing and the line stays open (the score incomplete).
    pub fn full_when_nothing_due(self) -> bool {
        !matches!(self, Metric::LifeCompliance | Metric::KpiAttainment)
    }
}

/// Grade thresholds in basis points of the full score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Thresholds {
    pub good_bp: i64,
    pub fairly_good_bp: i64,
    pub fair_bp: i64,
}

/// Each rater group's weight in basis points (a rated indicator's sum to 10 000).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Weights {
    pub superior: i64,
    pub peers: i64,
    pub masses: i64,
    pub self_rating: i64,
}

impl Weights {
    pub fn of(&self, g: Group) -> i64 {
        match g {
            Group::Superior => self.superior,
            Group::Peers => self.peers,
            Group::Masses => self.masses,
            Group::SelfRating => self.self_rating,
        }
    }
    pub fn sum(&self) -> i64 {
        self.superior + self.peers + self.masses + self.self_rating
    }
    /// The groups with a weight, in the order of `Group::ALL`.
    pub fn groups(&self) -> impl Iterator<Item = (Group, i64)> + '_ {
        Group::ALL.iter().map(|g| (*g, self.of(*g))).filter(|(_, w)| *w > 0)
    }
}

/// An entered indicator given as a figure: full points at the target,
/// none at the baseline (KPI arithmetic of the plan).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FigureRule {
    pub unit: String,
    pub baseline: i64,
    pub target: i64,
    /// "higher" or "lower".
    pub direction: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Indicator {
    pub code: String,
    pub seq: i64,
    pub dimension: String,
    pub side: Side,
    pub title: String,
    /// Hundredths of a point.
    pub full_points: i64,
    pub kind: Kind,
    pub metric: Option<Metric>,
    pub tier: Tier,
    pub pass_bp: i64,
    pub figure: Option<FigureRule>,
    pub weights: Weights,
}

#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub title: String,
    /// "2026", "2026-Q1" or "2026-03".
    pub period: String,
    pub subject: Subject,
    pub closed: bool,
    pub thresholds: Thresholds,
    /// Hundredths of a point.
    pub bonus_cap: i64,
    pub appeal_days: i64,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    pub hash: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    #[serde(skip)]
    pub(crate) org_path: String,
}

impl Assessment {
    pub fn period_title(&self) -> String {
        crate::plan::Period::title_of(&self.period)
    }
}

/// Someone or some organization being assessed.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    pub id: String,
    pub name: String,
    /// The organization itself, or the member's organization.
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub(crate) org_path: String,
}

/// An assessment to set up. Numbers come as text and are parsed exactly.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewAssessment {
    pub org_id: String,
    pub title: String,
    pub period: String,
    /// "orgs" or "members".
    pub subject: String,
    /// The targets by id; or, when empty, every organization of `target_kinds`
    /// below the assessor (orgs), or every Party member under it (members).
    pub target_ids: Vec<String>,
    pub target_kinds: Vec<String>,
    pub indicators: Vec<NewIndicator>,
    /// Grade thresholds as shares ("90%", "0.9"); empty takes the rule table's.
    pub good: String,
    pub fairly_good: String,
    pub fair: String,
    /// Bonus cap in points ("5"); empty takes the rule table's.
    pub bonus_cap: String,
    /// Days an appeal may be filed after publication; None takes the rule table's.
    pub appeal_days: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewIndicator {
    pub code: String,
    pub dimension: String,
    /// "party" or "business"; empty: business for kpi_attainment, else party.
    pub side: String,
    pub title: String,
    pub full_points: String,
    /// "computed", "entered" or "rated".
    pub kind: String,
    pub metric: String,
    /// (group, weight) for rated items: ("superior", "0.5"), ("masses", "50%").
    pub raters: Vec<(String, String)>,
    pub baseline: bool,
    pub bonus: bool,
    /// A baseline item's passing share ("100%"); empty takes the rule table's.
    pub pass_share: String,
    pub figure: Option<NewFigure>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewFigure {
    pub unit: String,
    pub baseline: String,
    pub target: String,
    /// "higher" or "lower" (越高越好 / 越低越好).
    pub direction: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_enums_travel_as_their_codes_and_still_read_variant_names() {
        assert_eq!(
            serde_json::to_string(&Metric::LifeCompliance).ok().as_deref(),
            Some("\"life_compliance\"")
        );
        let back: Option<Metric> = serde_json::from_str("\"dues_on_time\"").ok();
        assert_eq!(back, Some(Metric::DuesOnTime));
        let old: Option<Group> = serde_json::from_str("\"SelfRating\"").ok();
        assert_eq!(old, Some(Group::SelfRating));
        assert!(serde_json::from_str::<Tier>("\"clicks\"").is_err());
    }
}
