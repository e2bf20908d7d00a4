//! Standard templates (标准模板): a committee starts from a filled standard
//! of its kind — a government agency (机关), a state-owned enterprise (国企)
//! or a university (高校) — with computed items wherever the records can
//! answer, and edits the draft, rather than from an empty page.
use super::model::{NewItem, NewStandard};
use super::standards::{publisher, validate, write_draft};
use crate::audit::Actor;
use crate::db::Db;
use crate::org::Scope;
use crate::{Error, Result};

/// The templates: (code, label), as the plan's.
pub const TEMPLATES: &[(&str, &str)] = crate::plan::template::TEMPLATES;

/// An item: code, dimension, title, criteria, evidence required, points, tier, rule.
type T = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    i64,
    &'static str,
    Option<&'static str>,
);

/// Items every template carries: the computed ones and the rules' own.
const COMMON: &[T] = &[
    (
        "A1",
        "政治建设",
        "理论学习制度化",
        "落实“第一议题”制度，年度学习计划报上级党组织审核通过",
        false,
        10,
        "baseline",
        Some("study_plan_approved"),
    ),
    (
        "A2",
        "政治建设",
        "严肃党内政治生活",
        "按期召开组织生活会，认真开展批评和自我批评，整改措施落实",
        true,
        5,
        "baseline",
        None,
    ),
    (
        "B1",
        "组织建设",
        "组织设置规范、班子健全",
        "正式党员 7 人以上的设立支部委员会，书记在岗履职",
        false,
        10,
        "baseline",
        Some("committee_seated"),
    ),
    (
        "B2",
        "组织建设",
        "按期换届",
        "任期届满按期换届，选举程序规范",
        true,
        5,
        "baseline",
        None,
    ),
    (
        "B3",
        "组织建设",
        "党费按时足额交纳",
        "党员按月足额交纳党费，无欠缴",
        false,
        5,
        "baseline",
        Some("dues_no_arrears"),
    ),
    (
        "C1",
        "制度落实",
        "“三会一课”按期召开",
        "支部党员大会、支委会、党小组会、党课、主题党日按规定频次召开并达到法定人数",
        false,
        15,
        "baseline",
        Some("life_compliance"),
    ),
    (
        "C2",
        "制度落实",
        "民主评议党员",
        "每年开展民主评议党员，评议结果运用到位",
        true,
        5,
        "baseline",
        None,
    ),
    (
        "D1",
        "党建业务融合",
        "业务难点有党建任务支撑",
        "年度计划中每项业务难点均有党建任务作为结合点",
        false,
        15,
        "refined",
        Some("difficult_goals_supported"),
    ),
    (
        "F1",
        "基础保障",
        "党建阵地和活动经费",
        "有相对固定的活动场所，活动经费有保障",
        true,
        5,
        "refined",
        None,
    ),
];

const AGENCY: &[T] = &[
    (
        "D2",
        "党建业务融合",
        "党员先锋岗、示范岗",
        "窗口和业务一线设立党员先锋岗，党员亮身份、作表率",
        true,
        10,
        "refined",
        None,
    ),
    (
        "E1",
        "作用发挥",
        "服务群众成效",
        "“我为群众办实事”项目按期办结，服务对象满意",
        true,
        10,
        "refined",
        None,
    ),
    (
        "E2",
        "作风建设",
        "落实中央八项规定精神",
        "党员无违规违纪问题，作风建设专项整治有成效",
        false,
        5,
        "baseline",
        None,
    ),
];

const SOE: &[T] = &[
    (
        "D2",
        "党建业务融合",
        "党员突击队、党员责任区",
        "围绕重点工程、安全生产组建党员突击队、划分党员责任区",
        true,
        10,
        "refined",
        None,
    ),
    (
        "E1",
        "作用发挥",
        "安全生产党员无违章",
        "党员身边“无违章、无隐患、无事故”",
        false,
        10,
        "refined",
        None,
    ),
    (
        "E2",
        "作用发挥",
        "降本增效劳动竞赛",
        "党员在降本增效、科技攻关中发挥先锋作用",
        true,
        5,
        "refined",
        None,
    ),
];

const UNIVERSITY: &[T] = &[
    (
        "D2",
        "党建业务融合",
        "支部建在学科、项目组上",
        "党支部设置与学科、教研室、科研团队相对应",
        false,
        10,
        "refined",
        None,
    ),
    (
        "E1",
        "作用发挥",
        "“双带头人”支部书记",
        "教师党支部书记由党建和业务双带头人担任",
        true,
        10,
        "refined",
        None,
    ),
    (
        "E2",
        "作用发挥",
        "课程思政与立德树人",
        "党员教师带头开展课程思政，育人成效明显",
        true,
        5,
        "refined",
        None,
    ),
];

fn parts(code: &str) -> Result<(&'static str, &'static [T])> {
    let label = TEMPLATES
        .iter()
        .find(|(c, _)| *c == code.trim())
        .map(|(_, l)| *l)
        .ok_or_else(|| {
            Error::invalid(
                "标准模板",
                format!("“{}”不是可用的模板，应为机关、国企或高校", code.trim()),
            )
        })?;
    let own = match code.trim() {
        "agency" => AGENCY,
        "soe" => SOE,
        _ => UNIVERSITY,
    };
    Ok((label, own))
}

/// A template's items, as a draft would start with them.
pub fn template_items(code: &str) -> Result<Vec<NewItem>> {
    let (_, own) = parts(code)?;
    let mut all: Vec<&T> = COMMON.iter().chain(own.iter()).collect();
    all.sort_by_key(|t| t.0);
    Ok(all
        .into_iter()
        .map(
            |(code, dimension, title, criteria, evidence, points, tier, rule)| NewItem {
                code: code.to_string(),
                dimension: dimension.to_string(),
                title: title.to_string(),
                criteria: criteria.to_string(),
                evidence_required: *evidence,
                points: *points,
                tier: tier.to_string(),
                rule: rule.map(String::from),
            },
        )
        .collect())
}

/// Starts a draft standard for `org_id`'s branches from a template; answers its id.
pub async fn from_template(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    year: i64,
    code: &str,
) -> Result<String> {
    let (label, _) = parts(code)?;
    let owner = publisher(db, scope, org_id).await?;
    let new = NewStandard {
        org_id: owner.id.clone(),
        year,
        title: format!("{}{year}年度党支部建设标准（{label}）", owner.name),
        org_kinds: vec!["branch".into()],
        items: template_items(code)?,
        grade_ii_bp: None,
        grade_iii_bp: None,
    };
    let v = validate(&new, &owner)?;
    write_draft(db, now, actor, owner, year, v, (1, None), "standard.template").await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standard::model::Rule;

    #[test]
    fn every_template_is_a_valid_standard_with_every_rule() {
        for (code, _) in TEMPLATES {
            let items = template_items(code).unwrap();
            let checked = crate::standard::items::validate(&items).unwrap();
            for r in Rule::ALL {
                assert!(
                    checked.iter().any(|i| i.rule.as_deref() == Some(r.code())),
                    "{code}: {r:?}"
                );
            }
            assert!(checked.iter().any(|i| i.tier == "refined"), "{code}");
            assert!(checked.iter().any(|i| i.evidence_required), "{code}");
        }
        assert!(template_items("factory").unwrap_err().to_string().contains("模板"));
    }
}
