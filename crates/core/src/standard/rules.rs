//! The cycle's rules, pure: an organization's status from its figures,
//! the suggested grade, and the moves a problem and an application make.
use super::model::{Grade, Item, ProblemStatus, Rule, Stage, Status, Tier};
use crate::rules::standard as r;
use crate::{Error, Result};
use std::collections::HashMap;

/// What the records say of one organization on one standard, from
/// aggregate queries (declared answers, problems) — computed items apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Self-check answers saved (any item).
    pub entries: i64,
    /// Declared baseline items answered met.
    pub declared_baseline_met: i64,
    /// Points of declared refined items answered met.
    pub declared_refined_points: i64,
    /// Problems not closed (open or reported).
    pub open_problems: i64,
    /// Open problems past their deadline.
    pub overdue_problems: i64,
    /// Problems whose report was sent back at least once.
    pub reopened: i64,
}

/// An organization's judgement on a standard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub status: Status,
    /// Baseline items not met.
    pub baseline_unmet: i64,
    /// The refined items' share of points met, basis points.
    pub share_bp: i64,
}

/// A computed item's answer for the organization: an override when one is
/// recorded, else what the records say (unknown counts as not met).
pub fn computed_met(code: &str, rule: Rule, overrides: &[(String, bool)], computed: &HashMap<Rule, bool>) -> bool {
    overrides
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, m)| *m)
        .unwrap_or_else(|| computed.get(&rule).copied().unwrap_or(false))
}

/// Judges an organization: accepted and applied as stored; otherwise not
/// started before any answer (unless every item is computed), met when every
/// baseline item is met, no problem is open and no move back (`recheck`)
/// awaits a new self-check, else not met.
pub fn judge(
    items: &[Item],
    fig: &Figures,
    overrides: &[(String, bool)],
    computed: &HashMap<Rule, bool>,
    stage: Stage,
    recheck: bool,
) -> Judged {
    let declared_baseline = items
        .iter()
        .filter(|i| i.tier() == Tier::Baseline && i.rule().is_none())
        .count() as i64;
    let mut unmet = declared_baseline - fig.declared_baseline_met;
    let mut refined_met = fig.declared_refined_points;
    for i in items {
        let Some(rule) = i.rule() else { continue };
        let met = computed_met(&i.code, rule, overrides, computed);
        match i.tier() {
            Tier::Baseline if !met => unmet += 1,
            Tier::Refined if met => refined_met += i.points,
            _ => {}
        }
    }
    let refined_total: i64 = items
        .iter()
        .filter(|i| i.tier() == Tier::Refined)
        .map(|i| i.points)
        .sum();
    let share_bp = r::share_bp(refined_met, refined_total);
    let any_declared = items.iter().any(|i| i.rule().is_none());
    let status = match stage {
        Stage::Accepted => Status::Accepted,
        Stage::Applied => Status::Applied,
        Stage::Open if fig.entries == 0 && any_declared => Status::NotStarted,
        Stage::Open if unmet == 0 && fig.open_problems == 0 && !recheck => Status::Met,
        Stage::Open => Status::NotMet,
    };
    Judged {
        status,
        baseline_unmet: unmet,
        share_bp,
    }
}

/// The grade the share earns against the standard's thresholds.
pub fn suggested_grade(share_bp: i64, ii_bp: i64, iii_bp: i64, reopened: bool) -> Grade {
    Grade::of_level(r::grade_for(share_bp, ii_bp, iii_bp, reopened))
}

/// What a problem does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemAction {
    /// The branch reports it rectified (with evidence).
    Report,
    /// The direct superior verifies the report: 销号.
    Close,
    /// The direct superior sends the report back with the reason.
    Reject,
    /// The branch changes its cause, measure, owner or deadline.
    Edit,
}

/// The state a problem moves to, or why it cannot.
pub fn problem_transition(from: ProblemStatus, action: ProblemAction) -> Result<ProblemStatus> {
    use ProblemAction as A;
    use ProblemStatus as S;
    match (from, action) {
        (S::Open, A::Report) => Ok(S::Reported),
        (S::Open, A::Edit) => Ok(S::Open),
        (S::Reported, A::Close) => Ok(S::Closed),
        (S::Reported, A::Reject) => Ok(S::Open),
        (S::Open, A::Close | A::Reject) => Err(Error::Conflict(
            "该问题尚未报告整改完成，不能核验销号；请待支部报告整改情况后再核验".into(),
        )),
        (S::Reported, A::Report) => Err(Error::Conflict("该问题已报告整改，正在等待上级核验".into())),
        (S::Reported, A::Edit) => Err(Error::Conflict("该问题已报告整改，等待核验期间不能修改".into())),
        (S::Closed, _) => Err(Error::Conflict("该问题已销号，不能再变更".into())),
    }
}

/// The stage an application moves the organization from, or why it cannot apply.
pub fn check_can_apply(stage: Stage) -> Result<()> {
    match stage {
        Stage::Open => Ok(()),
        Stage::Applied => Err(Error::Conflict("已申报验收，正在等待上级党组织验收".into())),
        Stage::Accepted => Err(Error::Conflict("已通过验收，无需再次申报".into())),
    }
}

/// The organization kinds a standard may apply to; a 党小组 is never graded on its own.
pub const SUBJECT_KINDS: [&str; 3] = ["branch", "general_branch", "committee"];

/// Checks and orders the kinds a standard applies to.
pub fn check_kinds(kinds: &[String]) -> Result<Vec<String>> {
    const F: &str = "适用组织类型";
    let mut out: Vec<String> = Vec::new();
    for k in kinds {
        let k = k.trim();
        if k == "group" {
            return Err(Error::invalid(F, "党小组不单独对标定级，请选择党支部、党总支或党委"));
        }
        if !SUBJECT_KINDS.contains(&k) {
            return Err(Error::invalid(
                F,
                format!("“{k}”不是有效类型，应为 branch（党支部）、general_branch（党总支）或 committee（党委）"),
            ));
        }
        if !out.iter().any(|x| x == k) {
            out.push(k.to_string());
        }
    }
    if out.is_empty() {
        return Err(Error::invalid(F, "请至少选择一种适用的组织类型"));
    }
    out.sort_by_key(|k| SUBJECT_KINDS.iter().position(|x| x == k));
    Ok(out)
}

/// The thresholds a standard uses: its own, or the rule table's.
pub fn thresholds(ii: Option<i64>, iii: Option<i64>) -> Result<(i64, i64)> {
    let (a, b) = (ii.unwrap_or(r::GRADE_II_FROM_BP), iii.unwrap_or(r::GRADE_III_FROM_BP));
    if !r::thresholds_valid(a, b) {
        return Err(Error::invalid(
            "定级门槛",
            format!(
                "ⅱ级门槛 {a}、ⅲ级门槛 {b}（万分比）应满足 0 < ⅱ < ⅲ ≤ {}，如 7500 与 9000",
                r::SHARE_WHOLE_BP
            ),
        ));
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: &str, tier: &str, points: i64, rule: Option<&str>) -> Item {
        Item {
            code: code.into(),
            seq: 1,
            dimension: "组织建设".into(),
            title: code.into(),
            criteria: String::new(),
            evidence_required: false,
            points,
            tier: tier.into(),
            rule: rule.map(String::from),
        }
    }

    #[test]
    fn status_follows_the_figures() {
        let items = vec![
            item("A1", "baseline", 10, None),
            item("A2", "baseline", 10, Some("dues_no_arrears")),
            item("B1", "refined", 30, None),
            item("B2", "refined", 10, Some("study_plan_approved")),
        ];
        let none = HashMap::new();
        let mut computed = HashMap::from([(Rule::DuesNoArrears, true), (Rule::StudyPlanApproved, true)]);
        let j = |f: &Figures, o: &[(String, bool)], c: &HashMap<Rule, bool>| judge(&items, f, o, c, Stage::Open, false);
        assert_eq!(j(&Figures::default(), &[], &computed).status, Status::NotStarted);
        let mut f = Figures {
            entries: 1,
            declared_baseline_met: 1,
            declared_refined_points: 30,
            ..Figures::default()
        };
        let m = j(&f, &[], &computed);
        assert_eq!((m.status, m.baseline_unmet, m.share_bp), (Status::Met, 0, 10_000));
        // Unknown computed items count as not met.
        assert_eq!(j(&f, &[], &none).status, Status::NotMet);
        computed.insert(Rule::DuesNoArrears, false);
        assert_eq!(j(&f, &[], &computed).baseline_unmet, 1);
        // An override wins over the records.
        let o = vec![("A2".to_string(), true)];
        assert_eq!(j(&f, &o, &computed).status, Status::Met);
        assert_eq!(
            judge(&items, &f, &o, &computed, Stage::Open, true).status,
            Status::NotMet,
            "moved back: not met until checked again"
        );
        f.open_problems = 1;
        assert_eq!(
            j(&f, &o, &computed).status,
            Status::NotMet,
            "an open problem keeps it not met"
        );
        assert_eq!(
            judge(&items, &f, &o, &computed, Stage::Accepted, false).status,
            Status::Accepted
        );
        // Every item computed: judged without any answer.
        let only = vec![item("C1", "baseline", 5, Some("committee_seated"))];
        let c = HashMap::from([(Rule::CommitteeSeated, true)]);
        assert_eq!(
            judge(&only, &Figures::default(), &[], &c, Stage::Open, false).status,
            Status::Met
        );
    }

    #[test]
    fn problems_close_only_after_a_report() {
        use ProblemAction as A;
        use ProblemStatus as S;
        assert_eq!(problem_transition(S::Open, A::Report).unwrap(), S::Reported);
        assert_eq!(problem_transition(S::Reported, A::Close).unwrap(), S::Closed);
        assert_eq!(problem_transition(S::Reported, A::Reject).unwrap(), S::Open);
        assert!(problem_transition(S::Open, A::Close)
            .unwrap_err()
            .to_string()
            .contains("尚未报告"));
        assert!(problem_transition(S::Closed, A::Report).is_err());
        assert!(problem_transition(S::Reported, A::Edit).is_err());
    }

    #[test]
    fn kinds_and_thresholds() {
        let k = |v: &[&str]| check_kinds(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            k(&["general_branch", "branch", "branch"]).unwrap(),
            ["branch", "general_branch"]
        );
        assert!(k(&["group"]).unwrap_err().to_string().contains("党小组"));
        assert!(k(&[]).is_err());
        assert!(k(&["team"]).is_err());
        assert_eq!(thresholds(None, None).unwrap(), (7_500, 9_000));
        assert_eq!(thresholds(Some(6_000), Some(8_500)).unwrap(), (6_000, 8_500));
        assert!(thresholds(Some(9_000), None).is_err());
        assert_eq!(suggested_grade(9_000, 7_500, 9_000, false), Grade::Iii);
        assert_eq!(suggested_grade(9_000, 7_500, 9_000, true), Grade::Ii);
        assert_eq!(suggested_grade(100, 7_500, 9_000, false), Grade::I);
        assert!(check_can_apply(Stage::Applied).is_err());
    }
}
