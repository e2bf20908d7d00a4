//! A target's lines (得分明细): for every indicator the points and what they
//! were computed from — the figures of the records, the entry with its note,
//! or each rater group's weight and mean (an anonymous group's mean only from
//! the ballot threshold on; 样本不足 below, the points missing). The lines are
//! what a frozen result keeps, and what its hash covers.
use super::computed::Shares;
use super::model::{Group, Indicator, Kind, Metric, Tier};
use super::rules::{mean, passes, points_text, rated_points, share_bp, share_points, share_text};
use crate::rules::assess::{MIN_BALLOTS, WHOLE_BP};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A figure behind a computed line: done of due.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub label: String,
    pub done: i64,
    pub due: i64,
}

/// A rater group's part of a rated line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupLine {
    pub group: Group,
    pub weight_bp: i64,
    /// Raters (ballots for the masses) counted.
    pub raters: i64,
    /// The group's mean in hundredths; None with no rating yet, or the
    /// masses below the ballot threshold (样本不足).
    pub mean: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Basis {
    Computed {
        metric: Metric,
        done: i64,
        due: i64,
        share_bp: Option<i64>,
        parts: Vec<Part>,
    },
    Entered {
        figure: Option<i64>,
        note: String,
    },
    Rated {
        groups: Vec<GroupLine>,
    },
}

/// An appeal's change to a frozen line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amended {
    pub appeal_id: String,
    pub points_before: Option<i64>,
    pub passed_before: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub code: String,
    /// Hundredths; None while missing (the score is then incomplete).
    pub points: Option<i64>,
    /// Baseline items only: whether it passed (None while unknown).
    pub passed: Option<bool>,
    pub basis: Basis,
    pub amended: Option<Amended>,
    /// The line in words (得分说明).
    pub note: String,
}

/// An entry by the assessor: points, a pass or fail, or a figure.
#[derive(Clone, Debug, Default)]
pub(crate) struct Entry {
    pub points: Option<i64>,
    pub passed: Option<bool>,
    pub figure: Option<i64>,
    pub note: String,
}

/// Everything the lines of an assessment are built from, read in aggregate.
#[derive(Default)]
pub(crate) struct Inputs {
    pub shares: HashMap<Metric, Shares>,
    /// (target, code) → the assessor's entry.
    pub entered: HashMap<(String, String), Entry>,
    /// (target, code, group) → (raters, sum of points) for the account groups.
    pub rated: HashMap<(String, String, Group), (i64, i64)>,
    /// (target, code) → (ballots, sum of points) of the masses.
    pub masses: HashMap<(String, String), (i64, i64)>,
}

fn key(t: &str, c: &str) -> (String, String) {
    (t.to_string(), c.to_string())
}

/// The line of one indicator for one target (its note left empty: `render`).
pub(crate) fn build(ind: &Indicator, target: &str, inp: &Inputs) -> Line {
    let (points, share, basis) = match ind.kind {
        Kind::Computed => {
            let metric = ind.metric.unwrap_or(Metric::LifeCompliance);
            let s = inp.shares.get(&metric).and_then(|m| m.get(target));
            let (done, due, parts) = s.map(|s| (s.done, s.due, s.parts.clone())).unwrap_or_default();
            let nothing_due = due == 0 && metric.full_when_nothing_due();
            let sb = if nothing_due {
                Some(WHOLE_BP)
            } else {
                share_bp(done, due)
            };
            let points = if nothing_due {
                Some(ind.full_points)
            } else {
                share_points(ind.full_points, done, due)
            };
            let basis = Basis::Computed {
                metric,
                done,
                due,
                share_bp: sb,
                parts,
            };
            (points, sb, basis)
        }
        Kind::Entered => {
            let e = inp.entered.get(&key(target, &ind.code)).cloned().unwrap_or_default();
            let basis = Basis::Entered {
                figure: e.figure,
                note: e.note,
            };
            if ind.tier == Tier::Baseline {
                if let Some(passed) = e.passed {
                    let points = e.points.or(Some(if passed { ind.full_points } else { 0 }));
                    return finish(ind, points, Some(passed), basis);
                }
            }
            (e.points, None, basis)
        }
        Kind::Rated => {
            let groups: Vec<GroupLine> = ind
                .weights
                .groups()
                .map(|(group, weight_bp)| {
                    let (raters, sum) = if group == Group::Masses {
                        inp.masses.get(&key(target, &ind.code)).copied().unwrap_or_default()
                    } else {
                        inp.rated
                            .get(&(target.to_string(), ind.code.clone(), group))
                            .copied()
                            .unwrap_or_default()
                    };
                    let enough = if group == Group::Masses { MIN_BALLOTS } else { 1 };
                    GroupLine {
                        group,
                        weight_bp,
                        raters,
                        mean: if raters >= enough { mean(sum, raters) } else { None },
                    }
                })
                .collect();
            let pts = rated_points(&groups.iter().map(|g| (g.weight_bp, g.mean)).collect::<Vec<_>>());
            (pts, None, Basis::Rated { groups })
        }
    };
    let passed = match ind.tier {
        Tier::Baseline => points.map(|p| passes(ind.full_points, p, share, ind.pass_bp)),
        _ => None,
    };
    finish(ind, points, passed, basis)
}

fn finish(ind: &Indicator, points: Option<i64>, passed: Option<bool>, basis: Basis) -> Line {
    Line {
        code: ind.code.clone(),
        points,
        passed,
        basis,
        amended: None,
        note: String::new(),
    }
}

fn computed_note(metric: Metric, done: i64, due: i64, share: Option<i64>, parts: &[Part]) -> String {
    if due == 0 && metric.full_when_nothing_due() {
        return "本期无应考核事项，不扣分".into();
    }
    let Some(share) = share else {
        return "本期无可计算的记录".into();
    };
    let s = share_text(share);
    let hours = |t: i64| crate::study::hours_text(t);
    let main = match metric {
        Metric::LifeCompliance if parts.iter().any(|p| p.label == "应参加的会议") => {
            let excused = parts.get(1).map(|p| p.done).unwrap_or(0);
            format!("参加 {done} 次 / 应参加 {due} 次（{s}），有正当理由缺席 {excused} 次不计")
        }
        Metric::LifeCompliance => {
            let each: Vec<String> = parts
                .iter()
                .map(|p| format!("{} {}/{}", p.label, p.done, p.due))
                .collect();
            format!("按期开展 {done} 次 / 应开展 {due} 次（{s}）：{}", each.join("，"))
        }
        Metric::KpiAttainment => {
            let (reported, n) = parts.first().map(|p| (p.done, p.due)).unwrap_or((0, 0));
            format!("{n} 项业务指标平均完成度 {s}（本期已填报 {reported} 项，未填报的按 0 计）")
        }
        Metric::TaskCompletion => format!("按期完成 {done} 项 / 到期 {due} 项（{s}）"),
        Metric::StudyCompletion => format!("已完成 {} 学时 / 应修 {} 学时（{s}）", hours(done), hours(due)),
        Metric::RectificationClosure => format!("按期销号 {done} 个 / 到期问题 {due} 个（{s}）"),
        Metric::DuesOnTime => format!("按月交纳 {done} / 应交 {due} 人·月（{s}）"),
    };
    main
}

/// Fills a line's note from its basis.
pub fn render(line: &mut Line, ind: &Indicator) {
    let mut note = match &line.basis {
        Basis::Computed {
            metric,
            done,
            due,
            share_bp,
            parts,
        } => computed_note(*metric, *done, *due, *share_bp, parts),
        Basis::Entered { figure, note } => {
            let mut s = match (line.points, line.passed, figure, &ind.figure) {
                (None, None, ..) => "尚未录入".to_string(),
                (_, _, Some(f), Some(rule)) => format!("录入数值 {}{}", crate::plan::figure_text(*f), rule.unit),
                (_, Some(p), ..) if ind.tier == Tier::Baseline => if p { "达标" } else { "未达标" }.to_string(),
                _ => "考核组织录入".to_string(),
            };
            if !note.is_empty() {
                s.push('；');
                s.push_str(note);
            }
            s
        }
        Basis::Rated { groups } => {
            let each: Vec<String> = groups
                .iter()
                .map(|g| {
                    let m = match (g.mean, g.group) {
                        (Some(m), _) => format!("{} 分", points_text(m)),
                        (None, Group::Masses) => format!("样本不足（{}/{} 票）", g.raters, MIN_BALLOTS),
                        (None, _) => "尚未评价".to_string(),
                    };
                    format!("{} {m} × {}", g.group.label(), share_text(g.weight_bp))
                })
                .collect();
            each.join("；")
        }
    };
    if line.passed == Some(false) {
        note.push_str("；底线项未达标，一票否决");
    }
    if let Some(a) = &line.amended {
        let before = a.points_before.map(points_text).unwrap_or_else(|| "无".into());
        note.push_str(&format!(
            "；经申诉改为 {} 分（原 {before} 分）",
            line.points.map(points_text).unwrap_or_else(|| "无".into())
        ));
    }
    line.note = note;
}
