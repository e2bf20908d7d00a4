//! Plan templates (计划模板): a new organization begins from a filled example
//! of its kind — a government agency (机关), a state-owned enterprise (国企)
//! or a university (高校) — and edits it, rather than from an empty page.
use super::goals::{self, insert_kpi, next_seq, validate_kpi, ValidKpi};
use super::model::NewKpi;
use super::rules::check_deadline;
use super::tasks::{self, ValidTask};
use super::{plan_org, year_of};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::{ids, with_tx, Error, Result};

/// The templates: (code, label).
pub const TEMPLATES: &[(&str, &str)] = &[("agency", "机关"), ("soe", "国企"), ("university", "高校")];

/// A KPI: name, unit, baseline, target, direction, period.
type K = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// A business goal: title, 难点, KPIs.
type G = (&'static str, bool, &'static [K]);

/// A Party task: title, the goals it serves (by index; none for a standing
/// requirement), deadline as (month, day) of the plan year.
type T = (&'static str, &'static [usize], (u32, u32));

/// Standing requirements every template carries (常规党建要求).
const STANDING: [T; 3] = [
    ("落实“三会一课”制度", &[], (12, 31)),
    ("每月开展主题党日活动", &[], (12, 25)),
    ("召开年度组织生活会，开展民主评议党员", &[], (3, 31)),
];

const AGENCY_GOALS: &[G] = &[
    (
        "优化营商环境",
        true,
        &[
            ("政务服务“一网通办”办件满意度", "%", "95", "98", "higher", "quarter"),
            ("企业开办平均时间", "天", "3", "1", "lower", "year"),
        ],
    ),
    (
        "提升政务服务效能",
        false,
        &[("行政审批事项平均办理时限", "工作日", "10", "7", "lower", "quarter")],
    ),
    (
        "推进重点项目建设",
        true,
        &[("重点项目年度投资完成率", "%", "80", "100", "higher", "month")],
    ),
    (
        "化解信访积案",
        false,
        &[
            ("信访事项按期办结率", "%", "90", "98", "higher", "month"),
            ("重复信访件数", "件", "20", "10", "lower", "quarter"),
        ],
    ),
    (
        "加强机关作风建设",
        false,
        &[("服务对象满意度", "%", "90", "95", "higher", "year")],
    ),
];

const AGENCY_TASKS: &[T] = &[
    ("设立党员先锋岗，窗口服务亮身份、作表率", &[0, 1], (6, 30)),
    ("党支部书记领办营商环境攻坚项目", &[0], (10, 31)),
    ("党员干部联系服务重点项目", &[2], (11, 30)),
    ("开展“我为群众办实事”实践活动", &[3, 4], (12, 20)),
];

const SOE_GOALS: &[G] = &[
    (
        "营业收入稳步增长",
        false,
        &[("营业收入", "亿元", "50", "55", "higher", "month")],
    ),
    (
        "利润总额提升",
        true,
        &[("利润总额", "亿元", "4.2", "5", "higher", "quarter")],
    ),
    (
        "安全生产零事故",
        false,
        &[("安全生产事故起数", "起", "2", "0", "lower", "month")],
    ),
    (
        "降本增效",
        true,
        &[
            ("百元营业收入成本", "元", "92", "89.5", "lower", "quarter"),
            ("管理费用压降率", "%", "0", "5", "higher", "year"),
        ],
    ),
    (
        "关键核心技术科技攻关",
        true,
        &[
            ("研发投入强度", "%", "2.1", "2.5", "higher", "year"),
            ("科技攻关项目完成数", "项", "3", "5", "higher", "year"),
        ],
    ),
];

const SOE_TASKS: &[T] = &[
    ("组建党员突击队攻坚重点工程", &[0, 1], (9, 30)),
    ("划分党员责任区，压实安全生产责任", &[2], (4, 30)),
    ("开展党员身边“无违章、无隐患、无事故”创建", &[2], (12, 15)),
    ("党员先锋岗降本增效劳动竞赛", &[3], (10, 31)),
    ("党员领衔“揭榜挂帅”科技攻关", &[4], (11, 30)),
];

const UNIVERSITY_GOALS: &[G] = &[
    (
        "落实立德树人根本任务",
        false,
        &[("思政课程教学评价优良率", "%", "85", "92", "higher", "year")],
    ),
    (
        "推进一流学科建设",
        true,
        &[("省级以上重点学科数", "个", "6", "8", "higher", "year")],
    ),
    (
        "提升科研项目承接能力",
        true,
        &[
            ("国家级科研项目立项数", "项", "20", "26", "higher", "year"),
            ("科研经费到账", "万元", "8000", "9500", "higher", "quarter"),
        ],
    ),
    (
        "促进毕业生高质量就业",
        false,
        &[("毕业生就业率", "%", "90", "93", "higher", "quarter")],
    ),
    (
        "加强师德师风建设",
        false,
        &[("师德失范事件", "起", "1", "0", "lower", "year")],
    ),
];

const UNIVERSITY_TASKS: &[T] = &[
    ("建设“双带头人”教师党支部书记工作室", &[1, 2], (10, 31)),
    ("党员科研骨干领衔重大项目申报", &[2], (5, 31)),
    ("党员教师结对指导学生就业", &[3], (6, 30)),
    ("开展“三全育人”党员示范课", &[0], (12, 15)),
    ("开展党建工作样板支部创建", &[0, 4], (11, 30)),
];

fn parts(code: &str) -> Result<(&'static str, &'static [G], &'static [T])> {
    match code.trim() {
        "agency" => Ok(("机关", AGENCY_GOALS, AGENCY_TASKS)),
        "soe" => Ok(("国企", SOE_GOALS, SOE_TASKS)),
        "university" => Ok(("高校", UNIVERSITY_GOALS, UNIVERSITY_TASKS)),
        other => Err(Error::invalid(
            "计划模板",
            format!("没有“{other}”模板，请选择机关、国企或高校模板"),
        )),
    }
}

/// A template's goals (with checked KPIs) and tasks (links by goal index),
/// for `year`.
#[derive(Clone)]
struct Checked {
    label: &'static str,
    goals: Vec<(&'static str, bool, Vec<ValidKpi>)>,
    tasks: Vec<(ValidTask, Vec<usize>)>,
}

fn checked(code: &str, year: i32) -> Result<Checked> {
    let (label, gs, ts) = parts(code)?;
    let mut goals = Vec::new();
    for (title, difficult, ks) in gs {
        let kpis = ks
            .iter()
            .enumerate()
            .map(|(i, (name, unit, baseline, target, direction, period))| {
                let k = NewKpi {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    baseline: baseline.to_string(),
                    target: target.to_string(),
                    direction: direction.to_string(),
                    period: period.to_string(),
                };
                validate_kpi(&k, i + 1)
            })
            .collect::<Result<Vec<_>>>()?;
        goals.push((*title, *difficult, kpis));
    }
    let mut tasks = Vec::new();
    for (title, links, (m, d)) in ts.iter().chain(STANDING.iter()) {
        if let Some(i) = links.iter().find(|i| **i >= gs.len()) {
            return Err(Error::invalid(
                "计划模板",
                format!("任务“{title}”关联的第 {i} 项目标不存在"),
            ));
        }
        let deadline = check_deadline(&format!("{year}-{m:02}-{d:02}"), year)?;
        let v = ValidTask {
            title: title.to_string(),
            description: String::new(),
            standing: links.is_empty(),
            deadline,
            goal_ids: Vec::new(),
            assignees: Vec::new(),
            milestones: Vec::new(),
        };
        tasks.push((v, links.to_vec()));
    }
    Ok(Checked { label, goals, tasks })
}

/// Checks a template as it would be written for `year`: every KPI valid,
/// every link to a goal of the template, every deadline in the year.
/// Answers (goals, KPIs, tasks).
pub fn check(code: &str, year: i64) -> Result<(usize, usize, usize)> {
    let c = checked(code, year_of(year)?)?;
    let kpis = c.goals.iter().map(|g| g.2.len()).sum();
    Ok((c.goals.len(), kpis, c.tasks.len()))
}

/// Goals and tasks an organization already has for a year.
pub(super) async fn items_in(tx: &mut Tx, org_id: &str, year: i64) -> Result<(i64, i64)> {
    let mut n = [0i64; 2];
    for (k, table) in ["goals", "tasks"].iter().enumerate() {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE org_id = $1 AND year = $2");
        n[k] = with_tx!(tx, |c| sqlx::query_scalar(&sql)
            .bind(org_id)
            .bind(year)
            .fetch_one(c)
            .await?);
    }
    Ok((n[0], n[1]))
}

/// Writes a template's goals, KPIs and tasks as an organization's plan for
/// a year that has none yet. Answers (goals, tasks) written.
pub async fn apply(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    year: i64,
    code: &str,
) -> Result<(usize, usize)> {
    let org = plan_org(db, scope, org_id).await?;
    let year = year_of(year)?;
    let c = checked(code, year)?;
    let by = actor.name.clone();
    db.transaction(move |tx| {
        let (org, c, by, actor) = (org.clone(), c.clone(), by.clone(), actor.clone());
        Box::pin(async move {
            let y = i64::from(year);
            let (g, t) = items_in(tx, &org.id, y).await?;
            if g + t > 0 {
                return Err(Error::Conflict(format!(
                    "{} {year} 年度已有 {g} 项业务目标、{t} 项党建任务，不能再套用模板；\
                     如需重新开始，请先删除已有内容，或在现有计划上修改",
                    org.name
                )));
            }
            let mut goal_ids = Vec::new();
            for (title, difficult, kpis) in &c.goals {
                let id = ids::new_id();
                let seq = next_seq(tx, "goals", &org.id, y).await?;
                goals::insert(tx, now, &id, &org.id, y, None, title, "", *difficult, seq, &by).await?;
                for (i, k) in kpis.iter().enumerate() {
                    insert_kpi(tx, now, &id, i + 1, k).await?;
                }
                goal_ids.push(id);
            }
            for (v, links) in &c.tasks {
                let mut v = v.clone();
                v.goal_ids = links.iter().filter_map(|i| goal_ids.get(*i).cloned()).collect();
                tasks::insert(tx, now, &ids::new_id(), &org.id, y, None, true, &v, &by).await?;
            }
            let ev = Event::new("plan.template", format!("{}（{year}年）", org.name), Outcome::Ok).detail(format!(
                "{}模板：业务目标 {} 项，党建任务 {} 项",
                c.label,
                c.goals.len(),
                c.tasks.len()
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok((c.goals.len(), c.tasks.len()))
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_valid_in_a_leap_and_a_common_year() {
        for (code, _) in TEMPLATES {
            for year in [2026, 2028] {
                let (g, k, t) = check(code, year).unwrap();
                assert!((4..=6).contains(&g), "{code}: {g} goals");
                assert!(k >= g, "{code}: every goal has a KPI");
                assert!((5..=8).contains(&t), "{code}: {t} tasks");
            }
            let (_, gs, ts) = parts(code).unwrap();
            assert!(gs.iter().any(|g| g.1), "{code}: some goal is a difficulty");
            assert!(
                gs.iter().all(|g| (1..=2).contains(&g.2.len())),
                "{code}: 1–2 KPIs per goal"
            );
            // Every difficulty is served by some task.
            for (i, g) in gs.iter().enumerate().filter(|(_, g)| g.1) {
                assert!(ts.iter().any(|t| t.1.contains(&i)), "{code}: {} unserved", g.0);
            }
        }
        assert!(check("factory", 2026).unwrap_err().to_string().contains("模板"));
    }
}
