//! The demo's annual plan (年度计划) for the current year: the 机关党委's
//! business goals with KPIs and monthly figures, the Party tasks serving
//! them and two standing requirements; two goals broken down and three
//! tasks deployed to branches, most accepted, two left pending; the
//! branches' figures at different attainments; progress on several tasks
//! and three tasks overdue, one of them the responsibility of 刘晓燕, the
//! member the demo account `dangyuan` is linked to. One difficult goal
//! (优化营商环境) has no Party task, so the fusion view flags it.
//! Everything goes through the store functions, so the rules and the audit
//! log hold.
use super::plan_values::{figures, Shape};
use crate::audit::Actor;
use crate::db::Db;
use crate::dues::{self, NewBase};
use crate::org::Scope;
use crate::people::{self, NewPerson, Status};
use crate::plan::progress::{self, NewProgress, Reporter};
use crate::plan::values::{self, Enterer};
use crate::plan::{deploy, goals, tasks, NewGoal, NewKpi, NewTask, Source};
use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate};

/// A KPI of the demo: (name, unit, baseline, target, direction, period, shape).
type K = (&'static str, &'static str, f64, f64, &'static str, &'static str, Shape);

/// The committee's goals: (title, difficult, KPIs).
const GOALS: [(&str, bool, &[K]); 5] = [
    (
        "优化营商环境",
        true,
        &[
            ("企业开办平均时长", "天", 3.0, 1.0, "lower", "month", Shape::Rate),
            ("涉企诉求按期办结率", "%", 90.0, 100.0, "higher", "month", Shape::Rate),
        ],
    ),
    (
        "政务服务“一网通办”满意度",
        true,
        &[
            ("群众满意度", "%", 92.0, 98.0, "higher", "month", Shape::Rate),
            ("“一网通办”事项占比", "%", 70.0, 90.0, "higher", "quarter", Shape::Rate),
        ],
    ),
    (
        "重大项目按期推进",
        true,
        &[
            (
                "重大项目年度投资完成率",
                "%",
                0.0,
                100.0,
                "higher",
                "month",
                Shape::Cumulative,
            ),
            ("按期开工项目数", "个", 0.0, 12.0, "higher", "month", Shape::Cumulative),
        ],
    ),
    (
        "预算执行率",
        false,
        &[("预算执行进度", "%", 0.0, 95.0, "higher", "month", Shape::Cumulative)],
    ),
    (
        "安全生产与保密零事故",
        false,
        &[("安全生产与保密事故", "起", 2.0, 0.0, "lower", "month", Shape::Incidents)],
    ),
];

/// Where the demo's branches sit in `branches` (the order of seed/demo.rs).
const ZONGHE: usize = 0;
const MISHU: usize = 1;
const HOUQIN: usize = 2;
const FAGUI: usize = 3;
const GUIHUA: usize = 4;
const XIANGMU: usize = 5;
const GONGJIAN: usize = 6;
const CAIWU: usize = 7;
const SHENJI: usize = 8;

/// The branches carrying a share of 一网通办 and of 重大项目, with their attainment factors.
const SERVICE: [(usize, f64); 4] = [(ZONGHE, 1.1), (MISHU, 0.9), (HOUQIN, 0.6), (FAGUI, 0.35)];
const PROJECT: [(usize, f64); 3] = [(GUIHUA, 0.45), (XIANGMU, 1.05), (GONGJIAN, 0.8)];

fn kpi(k: &K) -> NewKpi {
    let fig = |v: f64| format!("{v}");
    NewKpi {
        name: k.0.into(),
        unit: k.1.into(),
        baseline: fig(k.2),
        target: fig(k.3),
        direction: k.4.into(),
        period: k.5.into(),
    }
}

/// The last day of the month `back` months before today's, never before the plan year.
fn month_end_before(today: NaiveDate, back: u32) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    let start = first.checked_sub_months(chrono::Months::new(back - 1)).unwrap_or(first);
    let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    (start - Duration::days(1)).max(jan1)
}

/// 刘晓燕, a full member of 综合处党支部 with her dues in order, linked to
/// the account `dangyuan` (whose display name she is).
async fn member(db: &Db, now: i64, actor: &Actor, branch: &str, account: &str) -> Result<()> {
    let all = Scope::all();
    let p = NewPerson {
        name: "刘晓燕".into(),
        citizen_id: super::people::citizen_id("110105", "19880316", 7, false),
        phone: "13911082316".into(),
        org_id: branch.into(),
        status: Status::Full.code().into(),
        joined_on: "2012-06-18".into(),
        full_on: "2013-06-18".into(),
        ethnicity: "汉族".into(),
        education: "研究生".into(),
        admin_post: "一级主任科员".into(),
        backbone: true,
        ..NewPerson::default()
    };
    let id = people::create(db, now, actor, &all, &p).await?;
    let current = dues::current_month(now);
    let first = dues::add_months(&current, -12).unwrap_or_default();
    let base = NewBase {
        from_month: first.clone(),
        category: "在职".into(),
        base_fen: Some(920_000),
        ..NewBase::default()
    };
    dues::set_base(db, now, actor, &all, &id, &base).await?;
    for k in (1..=12).rev() {
        if let Some(month) = dues::add_months(&current, -k) {
            dues::record_batch(
                db,
                now,
                actor,
                &all,
                &month,
                std::slice::from_ref(&id),
                &format!("{month}-10"),
            )
            .await?;
        }
    }
    crate::auth::link_person(db, now, actor, account, &id).await
}

/// 20 December of the year before, 09:00 Beijing time (ms).
fn planned_before(year: i32) -> i64 {
    use chrono::TimeZone;
    crate::clock::beijing_offset()
        .with_ymd_and_hms(year - 1, 12, 20, 9, 0, 0)
        .single()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0)
}

pub async fn seed(db: &Db, now: i64, actor: &Actor, root: &str, branches: &[String], account: &str) -> Result<()> {
    let all = Scope::all();
    let today = crate::plan::today(now);
    let year = i64::from(today.year());
    let branch = |i: usize| {
        branches
            .get(i)
            .cloned()
            .ok_or_else(|| Error::unexpected("演示组织不全"))
    };
    member(db, now, actor, &branch(ZONGHE)?, account).await?;
    // The plan was drawn up and broken down in the December before its year,
    // so every period of the year is owed (a KPI owes none before it existed).
    let made = planned_before(today.year());

    // Goals and the committee's own figures (imported from the business systems).
    let mut goal_ids = Vec::new();
    for (n, (title, difficult, ks)) in GOALS.iter().enumerate() {
        let new = NewGoal {
            org_id: root.into(),
            year,
            title: (*title).into(),
            difficult: *difficult,
            kpis: ks.iter().map(kpi).collect(),
            ..NewGoal::default()
        };
        let (id, kpi_ids) = goals::create(db, made, actor, &all, new).await?;
        for (m, (k, kid)) in ks.iter().zip(&kpi_ids).enumerate() {
            // 按期开工项目数 misses two months (缺报).
            let skip = if (n, m) == (2, 1) { &[5, 0][..] } else { &[][..] };
            let entries = figures(k, today, 1.0, n + m, skip);
            if !entries.is_empty() {
                values::record_many(
                    db,
                    now,
                    actor,
                    Enterer::Scope(&all),
                    kid,
                    &entries,
                    None,
                    Source::Import,
                )
                .await?;
            }
        }
        goal_ids.push(id);
    }
    let g = |i: usize| vec![goal_ids[i].clone()];

    // The committee's Party tasks: (title, goal, deadline, progress reported).
    let end = |m: u32, d: u32| NaiveDate::from_ymd_opt(today.year(), m, d).unwrap_or(today);
    let overdue_long = month_end_before(today, 2);
    let overdue_recent = month_end_before(today, 1);
    let committee: [(&str, Option<usize>, NaiveDate, Option<i64>); 8] = [
        ("设立“党员先锋岗”，窗口服务争创满意", Some(1), end(6, 30), Some(100)),
        ("组建党员突击队攻坚重大项目", Some(2), end(12, 15), Some(65)),
        ("“我为群众办实事”实践活动", Some(1), end(12, 20), Some(55)),
        ("支部联学联建，共商项目难题", Some(2), overdue_long, Some(70)),
        ("保密和安全生产警示教育月", Some(4), end(5, 31), Some(100)),
        ("预算执行“党员把关”专项行动", Some(3), end(12, 25), Some(40)),
        ("落实“三会一课”制度", None, end(12, 31), None),
        ("开展“主题党日”活动", None, end(12, 31), None),
    ];
    let mut task_ids = Vec::new();
    for (title, goal, deadline, _) in &committee {
        let new = NewTask {
            org_id: root.into(),
            year,
            title: (*title).into(),
            goal_ids: goal.map(g).unwrap_or_default(),
            standing: goal.is_none(),
            deadline: deadline.to_string(),
            ..NewTask::default()
        };
        task_ids.push(tasks::create(db, now, actor, &all, new).await?);
    }
    let report = |id: String, percent: i64, note: &'static str| {
        let all = all.clone();
        async move {
            let who = Reporter {
                scope: Some(&all),
                person_id: None,
            };
            let new = NewProgress {
                percent,
                note: note.into(),
            };
            progress::report(db, now, actor, who, &id, new, Vec::new()).await
        }
    };
    for (id, (_, _, _, percent)) in task_ids.iter().zip(&committee) {
        if let Some(p) = percent {
            let note = if *p == 100 {
                "已按计划完成，总结材料已归档"
            } else {
                "按计划推进中，已完成阶段性工作"
            };
            report(id.clone(), *p, note).await?;
        }
    }

    // Breakdown: 一网通办 to the service branches, 重大项目 to the project branches.
    let ids = |list: &[(usize, f64)]| list.iter().map(|(i, _)| branch(*i)).collect::<Result<Vec<_>>>();
    let service = ids(&SERVICE)?;
    let project = ids(&PROJECT)?;
    deploy::goal(db, made, actor, &all, &goal_ids[1], &service).await?;
    deploy::goal(db, made, actor, &all, &goal_ids[2], &project).await?;
    let mut shares = Vec::new(); // (branch index, its goal id)
    for (goal, list) in [(1, &SERVICE[..]), (2, &PROJECT[..])] {
        for (k, (b, factor)) in list.iter().enumerate() {
            let own = goals::of_org_any(db, &branch(*b)?, year).await?;
            let Some(share) = own
                .into_iter()
                .find(|x| x.parent_id.as_deref() == Some(&goal_ids[goal]))
            else {
                continue;
            };
            let kpis = goals::kpis_of(db, std::slice::from_ref(&share.id)).await?;
            for (m, (kp, spec)) in kpis.iter().zip(GOALS[goal].2).enumerate() {
                let entries = figures(spec, today, *factor, k + m + 3, &[]);
                if !entries.is_empty() {
                    values::record_many(
                        db,
                        now,
                        actor,
                        Enterer::Scope(&all),
                        &kp.id,
                        &entries,
                        None,
                        Source::Manual,
                    )
                    .await?;
                }
            }
            shares.push((*b, share.id));
        }
    }

    // Deployment: 突击队 and 办实事 to the branches carrying the goals, 预算把关 to finance and audit.
    let finance = vec![branch(CAIWU)?, branch(SHENJI)?];
    let pending = [branch(GUIHUA)?, branch(HOUQIN)?];
    for (t, to) in [(1, &project), (2, &service), (5, &finance)] {
        deploy::task(db, now, actor, &all, &task_ids[t], to).await?;
    }
    let copies = tasks::children_of(db, &[task_ids[1].clone(), task_ids[2].clone(), task_ids[5].clone()]).await?;
    for (n, c) in copies.iter().enumerate() {
        if pending.contains(&c.org_id) {
            continue;
        }
        deploy::accept(db, now, actor, &all, &c.id).await?;
        let percent = [100, 80, 50, 30, 60][n % 5];
        report(c.id.clone(), percent, "支部已召开专题会部署，党员认领任务并按节点推进").await?;
    }

    // The branches' own tasks on their shares, both overdue; 刘晓燕 answers for the first.
    let share_of = |b: usize| {
        shares
            .iter()
            .find(|(i, _)| *i == b)
            .map(|(_, id)| vec![id.clone()])
            .ok_or_else(|| Error::unexpected("演示分解目标缺失"))
    };
    let own: [(usize, &str, NaiveDate, &[&str], i64); 2] = [
        (
            ZONGHE,
            "政务服务事项材料精简，党员逐项认领",
            overdue_recent,
            &["刘晓燕"],
            60,
        ),
        (GONGJIAN, "项目审批堵点党员攻关", today - Duration::days(9), &[], 35),
    ];
    for (b, title, deadline, assignees, percent) in own {
        let new = NewTask {
            org_id: branch(b)?,
            year,
            title: title.into(),
            goal_ids: share_of(b)?,
            deadline: deadline.max(end(1, 1)).to_string(),
            assignees: assignees.iter().map(|s| s.to_string()).collect(),
            ..NewTask::default()
        };
        let id = tasks::create(db, now, actor, &all, new).await?;
        report(id, percent, "已梳理清单并推进过半，剩余事项正在协调").await?;
    }
    Ok(())
}
