//! The demo's standardization (标准化建设): the 机关党委's standard for the
//! current year — computed items (“三会一课”按期召开, 班子健全, 业务难点有
//! 党建任务支撑 as baseline; 学习计划审核通过, 党费无欠缴 as refined) and
//! declared ones with evidence — and last year's, every branch through it.
//! This year the branches stand in every state: 综合处 not yet started (the
//! browser journey walks its cycle), 人事处 met and ready to apply, 后勤
//! applied, 规划发展处 accepted ⅰ, 项目管理处 accepted ⅲ (above the ⅱ its
//! share suggests, with the reason), 重大项目攻坚组 accepted and moved back,
//! 秘书处 with an overdue problem, 政策法规处 with its problem list returned,
//! 财务处 with a rectification awaiting verification, 审计处 part-checked.
//! Everything goes through the standard store functions, so the rules, the
//! history and the audit hold.
use crate::audit::Actor;
use crate::clock::DAY_MS;
use crate::db::Db;
use crate::files::{self, Spool, Stored};
use crate::org::Scope;
use crate::standard::applications::{self, Decision};
use crate::standard::checks::{self, SetItem};
use crate::standard::problems::{self, Fields, NewProblem};
use crate::standard::{standards, NewItem, NewStandard};
use crate::{with_db, Result};
use chrono::{Datelike, TimeZone};

/// Where the demo's branches sit in the list (the order of seed/demo.rs).
const MISHU: usize = 1;
const HOUQIN: usize = 2;
const FAGUI: usize = 3;
const GUIHUA: usize = 4;
const XIANGMU: usize = 5;
const GONGJIAN: usize = 6;
const CAIWU: usize = 7;
const SHENJI: usize = 8;
const RENSHI: usize = 9;

/// code, dimension, title, criteria, evidence, points, tier, rule.
type I = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    i64,
    &'static str,
    Option<&'static str>,
);

const ITEMS: &[I] = &[
    (
        "A1",
        "政治建设",
        "理论学习制度化",
        "落实“第一议题”制度，年度学习计划报上级党组织审核通过",
        false,
        10,
        "refined",
        Some("study_plan_approved"),
    ),
    (
        "A2",
        "政治建设",
        "严肃党内政治生活",
        "按期召开组织生活会，认真开展批评和自我批评，整改措施落实到位",
        true,
        10,
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
        false,
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
        "refined",
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
        "年度计划中的业务难点均有党建任务支撑，做到同谋划、同部署",
        false,
        10,
        "baseline",
        Some("difficult_goals_supported"),
    ),
    (
        "D2",
        "党建业务融合",
        "党建引领业务成效明显",
        "围绕中心工作设立党员先锋岗、攻坚队，业务指标完成良好",
        false,
        20,
        "refined",
        None,
    ),
    (
        "D3",
        "党建业务融合",
        "“一支部一品牌”",
        "形成有特色、可推广的支部工作品牌",
        true,
        10,
        "refined",
        None,
    ),
    (
        "D4",
        "党建业务融合",
        "数字化党建应用",
        "运用平台开展学习、记录组织生活，数据一次录入、多处复用",
        false,
        5,
        "refined",
        None,
    ),
];

/// Last year's standard: declared items only.
const LAST_YEAR: &[I] = &[
    (
        "A1",
        "政治建设",
        "理论学习",
        "按年度学习计划开展集中学习",
        false,
        10,
        "baseline",
        None,
    ),
    (
        "A2",
        "组织建设",
        "“三会一课”",
        "按规定频次召开",
        false,
        10,
        "baseline",
        None,
    ),
    (
        "B1",
        "党建业务融合",
        "党员先锋岗",
        "围绕中心工作设立党员先锋岗",
        false,
        30,
        "refined",
        None,
    ),
    (
        "B2",
        "党建业务融合",
        "支部品牌",
        "形成支部工作品牌",
        false,
        20,
        "refined",
        None,
    ),
];

fn new_items(items: &[I]) -> Vec<NewItem> {
    items
        .iter()
        .map(|(code, dim, title, criteria, evidence, points, tier, rule)| NewItem {
            code: code.to_string(),
            dimension: dim.to_string(),
            title: title.to_string(),
            criteria: criteria.to_string(),
            evidence_required: *evidence,
            points: *points,
            tier: tier.to_string(),
            rule: rule.map(String::from),
        })
        .collect()
}

/// Everything the demo does here, as one actor in the whole tree.
struct Demo<'a> {
    db: &'a Db,
    actor: Actor,
    all: Scope,
}

impl Demo<'_> {
    /// A small PDF stored as an upload, ready to attach.
    async fn file(&self, at: i64, name: &str) -> Result<Stored> {
        let mut spool = Spool::new(name, 1 << 20)?;
        spool.push(format!("%PDF-1.7\n% {name}\n").as_bytes()).await?;
        files::save(self.db, at, "demo", spool).await
    }

    async fn answer(&self, at: i64, sid: &str, org: &str, code: &str, met: bool, note: &str) -> Result<()> {
        let needs_file = met && ITEMS.iter().any(|i| i.0 == code && i.4);
        let files = if needs_file {
            vec![self.file(at, &format!("{code}佐证材料.pdf")).await?]
        } else {
            Vec::new()
        };
        let set = SetItem {
            met: Some(met),
            note: note.into(),
            file_ids: None,
            override_reason: String::new(),
        };
        checks::set_item(self.db, at, &self.actor, &self.all, org, sid, code, set, files).await
    }

    /// Every declared baseline item met, and the declared refined items listed.
    async fn meet(&self, at: i64, sid: &str, org: &str, refined: &[&str]) -> Result<()> {
        for (code, note) in [
            ("A2", "召开专题组织生活会，查摆问题 5 条，已全部整改"),
            ("B2", "按期完成支部委员会换届选举"),
            ("C2", "开展民主评议党员，评定优秀党员 3 名"),
        ] {
            self.answer(at, sid, org, code, true, note).await?;
        }
        for code in ["D2", "D3", "D4"] {
            let met = refined.contains(&code);
            let note = if met { "" } else { "尚需加强" };
            self.answer(at, sid, org, code, met, note).await?;
        }
        Ok(())
    }

    async fn owner(&self, org: &str, k: usize) -> Result<String> {
        let ids: Vec<String> = with_db!(self.db, |p| {
            sqlx::query_scalar(
            "SELECT id FROM people WHERE org_id = $1 AND left_on IS NULL AND status = 'full' ORDER BY name_pinyin, id"
        )
        .bind(org)
        .fetch_all(p)
        .await?
        });
        Ok(ids.get(k % ids.len().max(1)).cloned().unwrap_or_default())
    }

    #[allow(clippy::too_many_arguments)]
    async fn problem(
        &self,
        at: i64,
        sid: &str,
        org: &str,
        code: &str,
        cause: &str,
        measure: &str,
        deadline: &str,
    ) -> Result<String> {
        let new = NewProblem {
            org_id: org.into(),
            standard_id: sid.into(),
            item_code: code.into(),
            fields: Fields {
                cause: cause.into(),
                measure: measure.into(),
                owner_id: self.owner(org, code.len() + cause.len()).await?,
                deadline: deadline.into(),
            },
        };
        problems::create(self.db, at, &self.actor, &self.all, new).await
    }

    /// Whether an item of the organization's self-check is not (yet) met.
    async fn unmet(&self, at: i64, sid: &str, org: &str, code: &str) -> Result<bool> {
        let sc = checks::self_check(self.db, &self.all, org, sid, at).await?;
        Ok(sc.items.iter().any(|i| i.item.code == code && i.met != Some(true)))
    }

    /// Lists a problem on an item the records judge, if they judge it unmet
    /// on the day the demo is made.
    #[allow(clippy::too_many_arguments)]
    async fn problem_if_unmet(
        &self,
        at: i64,
        sid: &str,
        org: &str,
        code: &str,
        cause: &str,
        measure: &str,
        deadline: &str,
    ) -> Result<()> {
        if self.unmet(at, sid, org, code).await? {
            self.problem(at, sid, org, code, cause, measure, deadline).await?;
        }
        Ok(())
    }

    /// An organization the demo accepts has its computed baseline items met;
    /// on a day the records fall short (the demo's meetings are generated
    /// around the day it is made), the verified facts are recorded as an
    /// override with its reason, which the ledger shows for review.
    async fn settle(&self, at: i64, sid: &str, org: &str) -> Result<()> {
        let sc = checks::self_check(self.db, &self.all, org, sid, at).await?;
        for i in sc
            .items
            .iter()
            .filter(|i| i.computed && i.item.tier == "baseline" && i.met != Some(true))
        {
            let set = SetItem {
                met: Some(true),
                note: String::new(),
                file_ids: None,
                override_reason: format!("经党总支实地核查，{}已整改到位，业务记录待补录", i.item.title),
            };
            checks::set_item(
                self.db,
                at,
                &self.actor,
                &self.all,
                org,
                sid,
                &i.item.code,
                set,
                Vec::new(),
            )
            .await?;
        }
        Ok(())
    }

    async fn pass(&self, at: i64, sid: &str, org: &str, grade: Option<&str>, reason: &str) -> Result<()> {
        self.settle(at, sid, org).await?;
        let id = applications::apply(self.db, at, &self.actor, &self.all, org, sid).await?;
        let d = Decision {
            passed: true,
            grade: grade.map(String::from),
            grade_reason: reason.into(),
            comment: "经实地查看、查阅台账，达到标准要求".into(),
            problems: Vec::new(),
        };
        applications::decide(self.db, at, &self.actor, &self.all, &id, d).await
    }
}

/// Noon (Beijing) on a day, as Unix ms; `fallback` when the day does not exist.
fn noon(y: i32, m: u32, d: u32, fallback: i64) -> i64 {
    chrono::FixedOffset::east_opt(8 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(y, m, d, 12, 0, 0).single())
        .map_or(fallback, |t| t.timestamp_millis())
}

pub async fn seed(db: &Db, now: i64, actor: &Actor, root: &str, branches: &[String]) -> Result<()> {
    let d = Demo {
        db,
        actor: actor.clone(),
        all: Scope::all(),
    };
    let today = crate::clock::beijing(now).date_naive();
    let year = today.year();
    let in_days = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let branch = |i: usize| branches.get(i).cloned().unwrap_or_default();

    // Last year: every branch but the last three accepted at the year-end batch.
    let last = noon(year - 1, 12, 20, now - 300 * DAY_MS);
    let new = NewStandard {
        org_id: root.into(),
        year: i64::from(year - 1),
        title: format!("机关党委{}年度党支部建设标准", year - 1),
        org_kinds: vec!["branch".into()],
        items: new_items(LAST_YEAR),
        grade_ii_bp: None,
        grade_iii_bp: None,
    };
    let old = standards::create(db, last, actor, &d.all, new).await?;
    standards::publish(db, last, actor, &d.all, &old).await?;
    for (i, b) in branches.iter().enumerate().take(7) {
        for code in ["A1", "A2"] {
            let set = SetItem {
                met: Some(true),
                ..SetItem::default()
            };
            checks::set_item(db, last, actor, &d.all, b, &old, code, set, Vec::new()).await?;
        }
        for (k, code) in ["B1", "B2"].iter().enumerate() {
            let set = SetItem {
                met: Some((i + k) % 3 != 0),
                ..SetItem::default()
            };
            checks::set_item(db, last, actor, &d.all, b, &old, code, set, Vec::new()).await?;
        }
        d.pass(last, &old, b, None, "").await?;
    }

    // This year's standard.
    let new = NewStandard {
        org_id: root.into(),
        year: i64::from(year),
        title: format!("机关党委{year}年度党支部建设标准"),
        org_kinds: vec!["branch".into()],
        items: new_items(ITEMS),
        grade_ii_bp: None,
        grade_iii_bp: None,
    };
    let published = noon(year, 1, 10, now).min(now);
    let sid = standards::create(db, published, actor, &d.all, new).await?;
    standards::publish(db, published, actor, &d.all, &sid).await?;

    // 人事处: met, ready to apply.
    d.meet(now, &sid, &branch(RENSHI), &["D2", "D4"]).await?;
    // 后勤: applied, waiting for 办公室党总支.
    d.meet(now, &sid, &branch(HOUQIN), &["D2", "D3"]).await?;
    d.settle(now, &sid, &branch(HOUQIN)).await?;
    applications::apply(db, now, actor, &d.all, &branch(HOUQIN), &sid).await?;
    // 规划发展处: accepted ⅰ (40 % of the refined points).
    d.meet(now, &sid, &branch(GUIHUA), &["D2"]).await?;
    d.pass(now, &sid, &branch(GUIHUA), None, "").await?;
    // 项目管理处: accepted ⅲ above the suggested ⅱ, with the reason.
    d.meet(now, &sid, &branch(XIANGMU), &["D2", "D3", "D4"]).await?;
    let why = "重大项目攻坚中党员先锋岗作用突出，“项目党旗红”品牌在全市推广，经党委会研究定为示范级";
    d.pass(now, &sid, &branch(XIANGMU), Some("iii"), why).await?;
    // 重大项目攻坚组: accepted, then moved back by 业务一党总支.
    d.meet(now, &sid, &branch(GONGJIAN), &["D2", "D3"]).await?;
    d.pass(now, &sid, &branch(GONGJIAN), None, "").await?;
    let reason = "督查发现攻坚项目现场党员先锋岗挂牌后未开展活动，党建与业务“两张皮”问题反弹";
    applications::move_back(db, now, actor, &d.all, &branch(GONGJIAN), &sid, reason).await?;

    // 秘书处: a problem listed months ago and now overdue; its meetings fall short.
    let past = now - 100 * DAY_MS;
    let past_day = crate::clock::beijing(past).date_naive();
    let overdue = (past_day + chrono::Duration::days(45)).to_string();
    let mishu = branch(MISHU);
    d.answer(past, &sid, &mishu, "A2", false, "组织生活会查摆问题整改不到位")
        .await?;
    d.problem(
        past,
        &sid,
        &mishu,
        "A2",
        "组织生活会查摆的 3 个问题中 2 个未按期整改",
        "逐条明确整改责任人，每月报告整改进度",
        &overdue,
    )
    .await?;
    d.answer(now, &sid, &mishu, "B2", true, "").await?;
    d.problem_if_unmet(
        now,
        &sid,
        &mishu,
        "C1",
        "主题党日、支委会未按规定频次召开",
        "建立组织生活月历，书记每月初审核当月安排",
        &in_days(60),
    )
    .await?;

    // 政策法规处: its problem list returned by 业务一党总支.
    let fagui = branch(FAGUI);
    d.answer(now, &sid, &fagui, "A2", true, "按期召开组织生活会").await?;
    d.answer(now, &sid, &fagui, "B2", true, "").await?;
    d.answer(now, &sid, &fagui, "C2", false, "民主评议安排在年底").await?;
    d.problem_if_unmet(
        now,
        &sid,
        &fagui,
        "C1",
        "支部党员大会未按季度召开",
        "加强学习",
        &in_days(45),
    )
    .await?;
    d.problem(now, &sid, &fagui, "C2", "民主评议尚未开展", "年底前开展", &in_days(70))
        .await?;
    let ret = "整改措施过于笼统，请明确补开会议的时间、议题和完成标志";
    problems::return_list(db, now, actor, &d.all, &fagui, &sid, ret).await?;

    // 财务处: a rectification reported, waiting for 业务二党总支 to verify.
    let caiwu = branch(CAIWU);
    d.meet(now - 30 * DAY_MS, &sid, &caiwu, &["D2"]).await?;
    d.answer(now - 30 * DAY_MS, &sid, &caiwu, "B2", false, "任期已满尚未换届")
        .await?;
    let p = d
        .problem(
            now - 30 * DAY_MS,
            &sid,
            &caiwu,
            "B2",
            "支部委员会任期届满未按期换届",
            "报请上级党组织批准后召开党员大会选举",
            &in_days(20),
        )
        .await?;
    let report = vec![d.file(now, "换届选举结果批复.pdf").await?];
    let note = "已召开党员大会完成换届选举，上级党组织已批复";
    problems::report(db, now, actor, &d.all, &p, note, report).await?;

    // 审计处: part-checked; 党课 short this year.
    let shenji = branch(SHENJI);
    d.answer(now, &sid, &shenji, "A2", true, "").await?;
    d.problem(
        now,
        &sid,
        &shenji,
        "C2",
        "民主评议党员尚未开展",
        "年底前结合组织生活会开展",
        &in_days(90),
    )
    .await?;
    let lecture = "书记、委员轮流讲党课，本季度补讲";
    d.problem_if_unmet(now, &sid, &shenji, "C1", "党课未按季度讲授", lecture, &in_days(90))
        .await?;
    let (renshi, houqin) = (branch(RENSHI), branch(HOUQIN));
    super::safeguards::seed(db, now, actor, root, &sid, &mishu, &renshi, &houqin).await
}
