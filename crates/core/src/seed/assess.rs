//! The demo's assessment (考评, 一表双考): the 机关党委's annual assessment of
//! its branches for this year — one sheet with Party and business indicators
//! computed from the records (组织生活, 业务指标, 党建任务, 必修课程, 问题整改,
//! 党费), one entered by the 党委, one rated by the 党委 (组织评价), the other
//! branches (互评), the masses (群众评议, one-time anonymous ballots) and the
//! branch itself (自评), a 底线 item that vetoes one branch to 差 and a 高线
//! bonus — with points and ratings given, and one branch's masses still
//! short of ballots (样本不足); plus last year's assessment, closed and
//! frozen under its SHA-256. Everything through the assessment functions.
use crate::assess::ballots::{self, IssueInput};
use crate::assess::ratings::{self, Rater, RatingInput};
use crate::assess::scores::{self, ScoreInput};
use crate::assess::{freeze, setup, NewAssessment, NewIndicator};
use crate::audit::Actor;
use crate::clock::DAY_MS;
use crate::db::Db;
use crate::org::{self, Scope};
use crate::Result;
use chrono::Datelike;

/// The branch whose 底线 item failed (vetoed to 差), and the one whose masses are short of ballots.
const VETOED: usize = 7;
const SHORT: usize = 8;

fn ind(code: &str, dim: &str, title: &str, full: &str, kind: &str, metric: &str) -> NewIndicator {
    NewIndicator {
        code: code.into(),
        dimension: dim.into(),
        title: title.into(),
        full_points: full.into(),
        kind: kind.into(),
        metric: metric.into(),
        ..NewIndicator::default()
    }
}

fn sheet() -> Vec<NewIndicator> {
    let mut c1 = ind("C1", "综合评价", "党建工作满意度", "10", "rated", "");
    c1.raters = [
        ("superior", "0.4"),
        ("peers", "0.2"),
        ("masses", "0.3"),
        ("self", "0.1"),
    ]
    .iter()
    .map(|(g, w)| (g.to_string(), w.to_string()))
    .collect();
    let mut d1 = ind(
        "D1",
        "底线要求",
        "全年未发生违纪违法和重大安全生产问题",
        "0",
        "entered",
        "",
    );
    d1.baseline = true;
    let mut e1 = ind("E1", "创新加分", "党建品牌或工作经验获上级推广表彰", "3", "entered", "");
    e1.bonus = true;
    vec![
        ind(
            "A1",
            "组织建设",
            "“三会一课”按期开展",
            "20",
            "computed",
            "life_compliance",
        ),
        ind(
            "A2",
            "组织建设",
            "党建任务按期完成",
            "10",
            "computed",
            "task_completion",
        ),
        ind(
            "A3",
            "思想建设",
            "必修课程学时完成",
            "10",
            "computed",
            "study_completion",
        ),
        ind(
            "A4",
            "作风建设",
            "问题按期整改销号",
            "10",
            "computed",
            "rectification_closure",
        ),
        ind("A5", "组织建设", "党费按月足额交纳", "5", "computed", "dues_on_time"),
        ind("B1", "业务工作", "年度业务指标完成", "20", "computed", "kpi_attainment"),
        ind("B2", "业务工作", "重点工作任务完成情况", "15", "entered", ""),
        c1,
        d1,
        e1,
    ]
}

/// Last year's sheet leaves out the sources the demo holds no records of for
/// that year (meetings and KPI figures are this year's).
fn new(root: &str, title: String, period: String, last_year: bool) -> NewAssessment {
    let mut indicators = sheet();
    if last_year {
        indicators.retain(|i| !matches!(i.metric.as_str(), "life_compliance" | "kpi_attainment"));
    }
    NewAssessment {
        org_id: root.into(),
        title,
        period,
        subject: "orgs".into(),
        target_kinds: vec!["branch".into()],
        indicators,
        ..NewAssessment::default()
    }
}

struct Demo<'a> {
    db: &'a Db,
    actor: Actor,
    all: Scope,
}

impl Demo<'_> {
    /// One entry: (points, passed, note).
    async fn score(&self, at: i64, id: &str, target: &str, code: &str, e: (&str, Option<bool>, &str)) -> Result<()> {
        let (points, passed, note) = e;
        let input = ScoreInput {
            target_id: target.into(),
            indicator_code: code.into(),
            points: points.into(),
            passed,
            figure: String::new(),
            note: note.into(),
        };
        scores::score(self.db, at, &self.actor, &self.all, "demo", id, input).await
    }

    /// The 党委's entries and 组织评价 for every branch.
    async fn entries(&self, at: i64, id: &str, branches: &[String]) -> Result<()> {
        for (i, b) in branches.iter().enumerate() {
            let k = i as i64;
            let b2 = format!("{}", 15 - (k % 4));
            self.score(at, id, b, "B2", (&b2, None, "对照年度重点工作台账逐项核定"))
                .await?;
            let c1 = format!("{}", 10 - (k % 3));
            self.score(at, id, b, "C1", (&c1, None, "")).await?;
            let passed = i != VETOED;
            let note = if passed {
                "经纪检部门核实，全年无违纪违法问题"
            } else {
                "该支部一名党员受到党内警告处分"
            };
            self.score(at, id, b, "D1", ("", Some(passed), note)).await?;
            if i % 3 == 0 {
                self.score(at, id, b, "E1", ("3", None, "支部党建品牌经验被上级党委推广"))
                    .await?;
            }
        }
        Ok(())
    }

    /// Each branch rates itself and the next as a peer; the masses vote by ballot.
    /// `short`: one branch's masses stay below the ballot threshold.
    async fn ratings(&self, at: i64, id: &str, branches: &[String], short: bool) -> Result<()> {
        for (i, b) in branches.iter().enumerate() {
            let o = org::get(self.db, &self.all, b).await?;
            let scope = Scope::subtrees(vec![o.path.clone()]);
            let account = format!("demo-branch-{i}");
            let rater = Rater {
                account_id: &account,
                person_id: None,
                manage: Some(&scope),
            };
            let next = &branches[(i + 1) % branches.len()];
            for (target, group, points) in [(b, "self", "9.5"), (next, "peers", "8.5")] {
                if target == b && group == "peers" {
                    continue;
                }
                let input = RatingInput {
                    target_id: target.clone(),
                    group: group.into(),
                    points: vec![("C1".into(), points.into())],
                    note: String::new(),
                };
                ratings::rate(self.db, at, &self.actor, &rater, id, input).await?;
            }
            let count = if short && i == SHORT { 3 } else { 6 };
            let input = IssueInput {
                target_id: b.clone(),
                group: "masses".into(),
                count,
            };
            let tokens = ballots::issue(self.db, at, &self.actor, &self.all, id, input).await?;
            for (n, t) in tokens.iter().enumerate() {
                let p = format!("{}", 10 - ((n + i) % 3));
                ballots::cast(self.db, at, t, &[("C1".into(), p)]).await?;
            }
        }
        Ok(())
    }
}

pub async fn seed(db: &Db, now: i64, actor: &Actor, root: &str, branches: &[String]) -> Result<()> {
    let d = Demo {
        db,
        actor: actor.clone(),
        all: Scope::all(),
    };
    let year = crate::clock::beijing(now).date_naive().year();
    let at = now - 2 * DAY_MS;
    // Last year's: entered, rated, closed and frozen.
    let last = setup::create(
        db,
        at,
        actor,
        &d.all,
        new(
            root,
            format!("机关党委{}年度党支部书记抓党建和业务工作考核", year - 1),
            (year - 1).to_string(),
            true,
        ),
    )
    .await?;
    d.entries(at, &last, branches).await?;
    d.ratings(at, &last, branches, false).await?;
    freeze::close(db, at + DAY_MS, actor, &d.all, &last).await?;
    // This year's, open.
    let this = setup::create(
        db,
        at,
        actor,
        &d.all,
        new(
            root,
            format!("机关党委{year}年度党支部书记抓党建和业务工作考核"),
            year.to_string(),
            false,
        ),
    )
    .await?;
    d.entries(now, &this, branches).await?;
    d.ratings(now, &this, branches, true).await?;
    Ok(())
}
