//! Checks an indicator as it is set up: its code, texts, full points, kind,
//! source, rater weights, tier and figure rule. A computed indicator reads
//! only the sources of the rule table; anything else — and any name that
//! scores clicks, log-ins, online time, likes, reposts, check-ins, rankings
//! or minutes in the app — is refused naming the rule.
use super::model::{FigureRule, Group, Indicator, Kind, Metric, NewIndicator, Side, Tier, Weights};
use super::rules::{check_weights, parse_points, parse_share};
use crate::rules::assess::{forbidden_metric, BASELINE_PASS_BP, MAX_FULL_POINTS, METRICS};
use crate::rules::formalism::{self, RULE};
use crate::text::{check, TextKind};
use crate::{Error, Result};

/// "第3项指标（A1）满分": how a field of the n-th indicator is named.
fn field(n: usize, code: &str, what: &str) -> String {
    if code.is_empty() {
        format!("第{n}项指标{what}")
    } else {
        format!("第{n}项指标（{code}）{what}")
    }
}

fn check_code(f: &str, raw: &str) -> Result<String> {
    let c = raw.trim();
    let ok = !c.is_empty()
        && c.chars().count() <= 20
        && c.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.'));
    if !ok {
        return Err(Error::invalid(
            f,
            "应为 1 至 20 位字母、数字、下划线、连字符或点，如 A1、party_2",
        ));
    }
    Ok(c.to_string())
}

/// The source of a computed indicator, or the refusal naming the rule.
pub fn check_metric(f: &str, raw: &str) -> Result<Metric> {
    let m = raw.trim();
    if m.is_empty() {
        return Err(Error::invalid(f, "按记录计算的指标须选择计算来源"));
    }
    if let Some(metric) = Metric::ALL.iter().copied().find(|x| x.code() == m || x.label() == m) {
        return Ok(metric);
    }
    let allowed: Vec<&str> = METRICS.iter().map(|(c, _)| *c).collect();
    Err(match forbidden_metric(m) {
        Some(what) => Error::invalid(f, format!("“{m}”以{what}计分，不得作为考核来源：{RULE}")),
        None => Error::invalid(
            f,
            format!("“{m}”不在可计算的来源之内（可选：{}）；{RULE}", allowed.join("、")),
        ),
    })
}

fn check_weights_of(f: &str, raters: &[(String, String)]) -> Result<Weights> {
    if raters.is_empty() {
        return Err(Error::invalid(
            f,
            "评价打分项须设置评价主体及权重，如组织评价 0.5、群众评议 0.5",
        ));
    }
    let mut w = Weights::default();
    let mut seen: Vec<Group> = Vec::new();
    for (g, weight) in raters {
        let group = Group::parse(g).ok_or_else(|| {
            Error::invalid(
                f,
                format!(
                    "“{}”不是评价主体，应为 superior（组织评价）、peers（互评）、masses（群众评议）或 self（自评）",
                    g.trim()
                ),
            )
        })?;
        if seen.contains(&group) {
            return Err(Error::invalid(f, format!("评价主体“{}”重复", group.label())));
        }
        seen.push(group);
        let bp = parse_share(f, weight)?;
        match group {
            Group::Superior => w.superior = bp,
            Group::Peers => w.peers = bp,
            Group::Masses => w.masses = bp,
            Group::SelfRating => w.self_rating = bp,
        }
    }
    check_weights(f, &w)?;
    Ok(w)
}

fn check_figure(n: usize, code: &str, raw: &super::model::NewFigure) -> Result<FigureRule> {
    use crate::plan::{attainment_bp, parse_figure, Direction};
    let unit = check(&field(n, code, "计量单位"), &raw.unit, 10, TextKind::Name)?;
    let baseline = parse_figure(&field(n, code, "基准值"), &raw.baseline)?;
    let target = parse_figure(&field(n, code, "目标值"), &raw.target)?;
    let direction = Direction::parse(&raw.direction)
        .ok_or_else(|| Error::invalid(&field(n, code, "方向"), "应为 higher（越高越好）或 lower（越低越好）"))?;
    attainment_bp(direction, baseline, target, baseline).map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid(&field(n, code, "目标值"), message),
        other => other,
    })?;
    Ok(FigureRule {
        unit,
        baseline,
        target,
        direction: if direction == Direction::Higher {
            "higher"
        } else {
            "lower"
        }
        .into(),
    })
}

/// Checks the n-th indicator (1-based, for the messages).
pub fn check_indicator(n: usize, raw: &NewIndicator) -> Result<Indicator> {
    let code = check_code(&field(n, "", "编码"), &raw.code)?;
    let f = |what: &str| field(n, &code, what);
    let title = check(&f("名称"), &raw.title, 80, TextKind::Free)?;
    formalism::check(&f("名称"), "指标", &title)?;
    let dimension = check(&f("维度"), &raw.dimension, 30, TextKind::Name)?;
    formalism::check(&f("维度"), "维度", &dimension)?;
    let full_points = parse_points(&f("满分"), &raw.full_points)?;
    if full_points > MAX_FULL_POINTS {
        return Err(Error::invalid(
            &f("满分"),
            format!("每项指标满分不超过 {} 分", MAX_FULL_POINTS / 100),
        ));
    }
    let kind = Kind::parse(&raw.kind).ok_or_else(|| {
        Error::invalid(
            &f("类型"),
            "应为 computed（按记录计算）、entered（考核组织录入）或 rated（评价打分）",
        )
    })?;
    let metric = match kind {
        Kind::Computed => Some(check_metric(&f("计算来源"), &raw.metric)?),
        _ if raw.metric.trim().is_empty() => None,
        _ => {
            // A source named on another kind is still checked, so a forbidden one is refused by its rule.
            check_metric(&f("计算来源"), &raw.metric)?;
            return Err(Error::invalid(&f("计算来源"), "只有按记录计算的指标才设置计算来源"));
        }
    };
    let weights = match kind {
        Kind::Rated => check_weights_of(&f("评价主体权重"), &raw.raters)?,
        _ if raw.raters.is_empty() => Weights::default(),
        _ => return Err(Error::invalid(&f("评价主体权重"), "只有评价打分项才设置评价主体")),
    };
    let tier = match (raw.baseline, raw.bonus) {
        (true, true) => return Err(Error::invalid(&f("类别"), "不能同时是底线项和高线项")),
        (true, false) => Tier::Baseline,
        (false, true) => Tier::Bonus,
        (false, false) => Tier::Normal,
    };
    if full_points == 0 && !(tier == Tier::Baseline && kind != Kind::Rated) {
        return Err(Error::invalid(
            &f("满分"),
            "应大于 0（只有按记录计算或录入的底线项可以不计分）",
        ));
    }
    let pass_bp = match (tier, raw.pass_share.trim()) {
        (_, "") => BASELINE_PASS_BP,
        (Tier::Baseline, s) => parse_share(&f("达标比例"), s)?,
        _ => return Err(Error::invalid(&f("达标比例"), "只有底线项才设置达标比例")),
    };
    let figure = match (&raw.figure, kind) {
        (None, _) => None,
        (Some(fig), Kind::Entered) if full_points > 0 => Some(check_figure(n, &code, fig)?),
        (Some(_), _) => return Err(Error::invalid(&f("数值规则"), "只有计分的录入项才能按数值折算得分")),
    };
    let side = match raw.side.trim() {
        "" => metric.map(Metric::side).unwrap_or(Side::Party),
        s => Side::parse(s).ok_or_else(|| Error::invalid(&f("类别"), "应为 party（党建）或 business（业务）"))?,
    };
    Ok(Indicator {
        code,
        seq: n as i64,
        dimension,
        side,
        title,
        full_points,
        kind,
        metric,
        tier,
        pass_bp,
        figure,
        weights,
    })
}
