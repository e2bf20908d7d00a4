//! The annual plan on whichever engine the tests run: goals with KPIs,
//! tasks linked to them, deployment down the tree, progress and overdue
//! to-dos, the views, and refused input that writes nothing.
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::Scope;
use tongpin_core::plan::{
    self, board, deploy, fusion, goals, matrix, progress, tasks, todos, values, NewGoal, NewKpi, NewTask, Source,
};
use tongpin_core::{with_db, Error};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;
/// 2025-12-20 09:00 Beijing time: a plan set up before its year owes every period of it.
const PLANNED: i64 = 1_766_192_400_000;

mod common;
use common::cli;

struct World {
    db: Db,
    root: String,
    a: String,
    b: String,
    /// ManagePlan scopes: the committee, branch A, branch B.
    all: Scope,
    sa: Scope,
    sb: Scope,
}

async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await;
    let root = orgs.add("机关党委", "committee", None).await;
    let a = orgs.add("第一党支部", "branch", Some(&root)).await;
    let b = orgs.add("第二党支部", "branch", Some(&root)).await;
    let s = |u: &'static str, r, o: String| {
        let db = db.clone();
        async move { common::scope_of(&db, NOW, u, r, Some(&o), Power::ManagePlan).await }
    };
    World {
        all: s("dw", Role::OrgAdmin, root.clone()).await,
        sa: s("sa", Role::BranchSecretary, a.clone()).await,
        sb: s("sb", Role::BranchSecretary, b.clone()).await,
        db,
        root,
        a,
        b,
    }
}

fn kpi(name: &str, unit: &str, baseline: &str, target: &str, dir: &str, period: &str) -> NewKpi {
    NewKpi {
        name: name.into(),
        unit: unit.into(),
        baseline: baseline.into(),
        target: target.into(),
        direction: dir.into(),
        period: period.into(),
    }
}

fn goal(org: &str, title: &str, difficult: bool, kpis: Vec<NewKpi>) -> NewGoal {
    NewGoal {
        org_id: org.into(),
        year: 2026,
        title: title.into(),
        difficult,
        kpis,
        ..Default::default()
    }
}

fn task(org: &str, title: &str, goal_ids: &[&String], deadline: &str) -> NewTask {
    NewTask {
        org_id: org.into(),
        year: 2026,
        title: title.into(),
        goal_ids: goal_ids.iter().map(|g| g.to_string()).collect(),
        deadline: deadline.into(),
        ..Default::default()
    }
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await.unwrap())
}

#[tokio::test]
async fn linking_flags_difficulties_and_feeds_the_fusion_view() {
    let w = world().await;
    let (hard, _) = goals::create(&w.db, NOW, &cli(), &w.all, goal(&w.root, "降低投诉率", true, vec![]))
        .await
        .unwrap();
    let (easy, _) = goals::create(&w.db, NOW, &cli(), &w.all, goal(&w.root, "营业收入", false, vec![]))
        .await
        .unwrap();
    let b = board::board(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    assert!(b.goals[0].flagged, "a difficulty with no Party task is flagged");
    let f = fusion::fusion(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    assert_eq!(f.difficult_goals_without_tasks, vec![hard.clone()]);

    tasks::create(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        task(&w.root, "党员先锋岗攻坚投诉", &[&hard], "2026-12-31"),
    )
    .await
    .unwrap();
    // A branch's own task may serve its superior's goal.
    tasks::create(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        task(&w.a, "支部结对服务窗口", &[&hard, &easy], "2026-12-31"),
    )
    .await
    .unwrap();
    let mut standing = task(&w.root, "三会一课", &[], "2026-12-31");
    standing.standing = true;
    tasks::create(&w.db, NOW, &cli(), &w.all, standing).await.unwrap();

    let b = board::board(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    assert!(!b.goals[0].flagged);
    assert_eq!((b.goals[0].tasks.len(), b.goals[0].below), (1, 1));
    assert_eq!(b.standing.len(), 1);
    let f = fusion::fusion(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    assert_eq!((f.tasks_total, f.tasks_linked, f.tasks_standing), (3, 2, 1));
    assert!(f.difficult_goals_without_tasks.is_empty());
    assert_eq!(f.difficult[0].tasks.len(), 2);
    // The branch's board shows the superior's goals its tasks serve.
    let ba = board::board(&w.db, &w.sa, &w.a, 2026, NOW).await.unwrap();
    assert_eq!(ba.superior_goals.len(), 2);
}

#[tokio::test]
async fn bad_input_and_foreign_links_are_refused_with_nothing_written() {
    let w = world().await;
    let (gb, _) = goals::create(&w.db, NOW, &cli(), &w.sb, goal(&w.b, "B 的目标", false, vec![]))
        .await
        .unwrap();
    let before = (
        count(&w.db, "tasks").await,
        count(&w.db, "goals").await,
        count(&w.db, "audit_log").await,
    );
    // Branch A may not link branch B's goal, nor write in B, nor set a deadline before the year.
    let e = tasks::create(&w.db, NOW, &cli(), &w.sa, task(&w.a, "越界", &[&gb], "2026-12-31"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, .. } if field == "服务的业务目标"),
        "{e}"
    );
    let e = tasks::create(&w.db, NOW, &cli(), &w.sa, task(&w.b, "越界", &[&gb], "2026-12-31"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)));
    let e = tasks::create(&w.db, NOW, &cli(), &w.sb, task(&w.b, "早", &[&gb], "2025-12-31"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("早于计划年度"), "{e}");
    let e = tasks::create(&w.db, NOW, &cli(), &w.sb, task(&w.b, "无结合点", &[], "2026-12-31"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("结合点"), "{e}");
    let e = goals::create(
        &w.db,
        NOW,
        &cli(),
        &w.sb,
        goal(
            &w.b,
            "目标",
            false,
            vec![kpi("产值", "万元", "100", "100", "higher", "month")],
        ),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("不能等于基准值"), "{e}");
    let e = goals::create(
        &w.db,
        NOW,
        &cli(),
        &w.sb,
        goal(
            &w.b,
            "目标",
            false,
            vec![kpi("投诉", "件", "10", "20", "lower", "month")],
        ),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("越低越好"), "{e}");
    // Branch A cannot touch B's items.
    assert!(matches!(
        goals::delete(&w.db, NOW, &cli(), &w.sa, &gb).await,
        Err(Error::NotFound(_))
    ));
    let after = (
        count(&w.db, "tasks").await,
        count(&w.db, "goals").await,
        count(&w.db, "audit_log").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn deployment_cascades_and_progress_rolls_up() {
    let w = world().await;
    let (g, _) = goals::create(&w.db, NOW, &cli(), &w.all, goal(&w.root, "安全生产", true, vec![]))
        .await
        .unwrap();
    let t = tasks::create(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        task(&w.root, "党员身边无事故", &[&g], "2026-12-31"),
    )
    .await
    .unwrap();
    let both = vec![w.a.clone(), w.b.clone()];
    assert_eq!(deploy::task(&w.db, NOW, &cli(), &w.all, &t, &both).await.unwrap(), 2);
    assert_eq!(
        deploy::task(&w.db, NOW, &cli(), &w.all, &t, &both).await.unwrap(),
        0,
        "deployed once"
    );
    // A branch cannot deploy upwards or sideways.
    assert!(
        deploy::task(&w.db, NOW, &cli(), &w.all, &t, std::slice::from_ref(&w.root))
            .await
            .is_err()
    );

    let ba = board::board(&w.db, &w.sa, &w.a, 2026, NOW).await.unwrap();
    assert_eq!(ba.pending.len(), 1);
    let mine = ba.pending[0].task.id.clone();
    let reporter = |s| progress::Reporter {
        scope: Some(s),
        person_id: None,
    };
    let p = |n| progress::NewProgress {
        percent: n,
        note: "已完成排查".into(),
    };
    let e = progress::report(&w.db, NOW, &cli(), reporter(&w.sa), &mine, p(50), vec![])
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "accept first");
    // B cannot accept A's copy.
    assert!(deploy::accept(&w.db, NOW, &cli(), &w.sb, &mine).await.is_err());
    deploy::accept(&w.db, NOW, &cli(), &w.sa, &mine).await.unwrap();
    progress::report(&w.db, NOW, &cli(), reporter(&w.sa), &mine, p(100), vec![])
        .await
        .unwrap();
    assert!(
        progress::report(&w.db, NOW, &cli(), reporter(&w.sb), &mine, p(10), vec![])
            .await
            .is_err()
    );
    let e = progress::report(&w.db, NOW, &cli(), reporter(&w.sa), &mine, p(101), vec![])
        .await
        .unwrap_err();
    assert!(e.to_string().contains("0 到 100"));

    let b = board::board(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    let row = &b.goals[0].tasks[0];
    assert_eq!((row.deployed, row.accepted, row.progress), (2, 1, 50));
    // The copy serves the committee's goal: it shows in the superior's matrix.
    let m = matrix::matrix(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    assert_eq!(m.columns.len(), 2);
    assert_eq!(m.columns[0].cells[0].progress, Some(100));
    // A deployed task stays while a branch holds its copy.
    assert!(matches!(
        tasks::delete(&w.db, NOW, &cli(), &w.all, &t).await,
        Err(Error::Conflict(_))
    ));
}

#[tokio::test]
async fn overdue_tasks_reach_the_branch_and_the_person_responsible() {
    let w = world().await;
    let person = tongpin_core::people::create(
        &w.db,
        NOW,
        &cli(),
        &common::scope_of(&w.db, NOW, "rs", Role::OrgAdmin, Some(&w.root), Power::ManagePeople).await,
        &tongpin_core::people::NewPerson {
            name: "王强".into(),
            gender: "男".into(),
            org_id: w.a.clone(),
            status: "masses".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (g, _) = goals::create(&w.db, NOW, &cli(), &w.sa, goal(&w.a, "窗口服务", false, vec![]))
        .await
        .unwrap();
    let mut late = task(&w.a, "服务承诺公开", &[&g], "2026-11-27");
    late.assignees = vec!["王强".into()];
    let late = tasks::create(&w.db, NOW, &cli(), &w.sa, late).await.unwrap();
    // Due today is not overdue yet.
    tasks::create(&w.db, NOW, &cli(), &w.sa, task(&w.a, "今日到期", &[&g], "2026-11-28"))
        .await
        .unwrap();
    let titles = |v: Vec<tongpin_core::todo::Todo>| v.into_iter().map(|t| t.title).collect::<Vec<_>>();
    assert_eq!(
        titles(todos::todos(&w.db, &w.sa, NOW).await.unwrap()),
        vec!["任务逾期：服务承诺公开（第一党支部）"]
    );
    assert_eq!(todos::of_person(&w.db, &person, NOW).await.unwrap().len(), 1);
    assert!(todos::todos(&w.db, &w.sb, NOW).await.unwrap().is_empty(), "not B's");
    // The person responsible may report, and done is done.
    let who = progress::Reporter {
        scope: None,
        person_id: Some(&person),
    };
    let p = progress::NewProgress {
        percent: 100,
        note: "已公开".into(),
    };
    progress::report(&w.db, NOW, &cli(), who, &late, p, vec![])
        .await
        .unwrap();
    assert!(todos::todos(&w.db, &w.sa, NOW).await.unwrap().is_empty());
    assert!(todos::of_person(&w.db, &person, NOW).await.unwrap().is_empty());
}

#[tokio::test]
async fn kpi_values_are_checked_entered_once_and_read_everywhere() {
    let w = world().await;
    let ks = vec![
        kpi("营业收入", "万元", "1000", "1200", "higher", "month"),
        kpi("客户投诉", "件", "0", "-10", "lower", "quarter"),
    ];
    let (g, k) = goals::create(&w.db, PLANNED, &cli(), &w.sa, goal(&w.a, "经营目标", true, ks))
        .await
        .unwrap();
    async fn rec(
        db: &Db,
        who: values::Enterer<'_>,
        kpi: &str,
        period: &str,
        v: &str,
        unit: Option<&str>,
    ) -> Result<String, Error> {
        values::record(db, NOW, &cli(), who, kpi, period, v, unit, Source::Manual).await
    }
    let by = values::Enterer::Scope(&w.sa);
    rec(&w.db, by, &k[0], "2026-01", "1050", None).await.unwrap();
    rec(&w.db, values::Enterer::Scope(&w.sa), &k[0], "2026-03", "1100万元", None)
        .await
        .unwrap();
    let e = rec(&w.db, values::Enterer::Scope(&w.sa), &k[0], "2026-Q1", "1", None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("报送周期"), "{e}");
    let e = rec(
        &w.db,
        values::Enterer::Scope(&w.sa),
        &k[0],
        "2026-04",
        "1",
        Some("亿元"),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("单位"), "{e}");
    let e = rec(&w.db, values::Enterer::Scope(&w.sa), &k[0], "2026-04", "3亿元", None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("单位"), "{e}");
    let e = rec(&w.db, values::Enterer::Scope(&w.sa), &k[0], "2025-12", "1", None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("计划年度"), "{e}");
    // Another organization's token, or scope, cannot enter it.
    let other = values::Enterer::Token { org_id: &w.b };
    assert!(matches!(
        rec(&w.db, other, &k[0], "2026-04", "1", None).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        rec(&w.db, values::Enterer::Scope(&w.sb), &k[0], "2026-04", "1", None).await,
        Err(Error::NotFound(_))
    ));
    let tok = values::Enterer::Token { org_id: &w.a };
    rec(&w.db, tok, &k[1], "2026-q2", "-5", Some("件")).await.unwrap();
    // A correction replaces the figure; one row per period.
    rec(&w.db, values::Enterer::Scope(&w.sa), &k[0], "2026-03", "1110", None)
        .await
        .unwrap();
    assert_eq!(count(&w.db, "kpi_values").await, 3);

    let b = board::board(&w.db, &w.sa, &w.a, 2026, NOW).await.unwrap();
    let card = &b.goals[0];
    assert_eq!(card.goal.id, g);
    let (rev, compl) = (&card.kpis[0].status, &card.kpis[1].status);
    assert_eq!(rev.attainment_bp, Some(5_500), "(1110 − 1000) ÷ 200");
    assert_eq!(
        rev.missing,
        vec!["2026-02", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    );
    assert_eq!(compl.attainment_bp, Some(5_000), "lower is better, zero baseline");
    assert_eq!(compl.missing, vec!["2026-Q1", "2026-Q3"]);
    assert_eq!(card.attainment_bp, Some(5_250));
    // The to-do asks for October (the last ended month) and Q3.
    let t = todos::kpi_todos(&w.db, &w.sa, NOW).await.unwrap();
    assert_eq!(t.len(), 2, "{t:?}");
    assert!(t[0].title.contains("10月") || t[1].title.contains("10月"));
}

#[tokio::test]
async fn goals_break_down_to_branches_and_the_matrix_reads_their_figures() {
    let w = world().await;
    let (g, _) = goals::create(
        &w.db,
        PLANNED,
        &cli(),
        &w.all,
        goal(
            &w.root,
            "节能降耗",
            false,
            vec![kpi("能耗", "吨标煤", "100", "80", "lower", "month")],
        ),
    )
    .await
    .unwrap();
    let both = vec![w.a.clone(), w.b.clone()];
    assert_eq!(
        deploy::goal(&w.db, PLANNED, &cli(), &w.all, &g, &both).await.unwrap(),
        2
    );
    let share_a = board::board(&w.db, &w.sa, &w.a, 2026, NOW).await.unwrap().goals[0].kpis[0]
        .kpi
        .id
        .clone();
    values::record(
        &w.db,
        NOW,
        &cli(),
        values::Enterer::Scope(&w.sa),
        &share_a,
        "2026-10",
        "90",
        None,
        Source::Manual,
    )
    .await
    .unwrap();
    let m = matrix::matrix(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    assert_eq!(m.goals.len(), 1);
    let cells: Vec<_> = m
        .columns
        .iter()
        .map(|c| (c.org_name.as_str(), c.cells[0].attainment_bp, c.cells[0].unreported))
        .collect();
    assert!(cells.contains(&("第一党支部", Some(5_000), 0)));
    assert!(cells.contains(&("第二党支部", None, 1)));
    // A branch sees only itself in the matrix of its own goals.
    assert!(matrix::matrix(&w.db, &w.sa, &w.root, 2026, NOW).await.is_err());
    // The parent stays while broken down.
    assert!(matches!(
        goals::delete(&w.db, NOW, &cli(), &w.all, &g).await,
        Err(Error::Conflict(_))
    ));
    let _ = plan::figure_text(0);
}

#[tokio::test]
async fn measures_that_score_clicks_check_ins_or_online_time_are_refused_with_the_rule_named() {
    let w = world().await;
    let refused = |r: tongpin_core::Result<(String, Vec<String>)>| match r {
        Err(Error::Invalid { field, message }) => (field, message),
        other => panic!("expected a refusal, got {other:?}"),
    };
    // A required course's class hours may count; minutes online may not.
    goals::create(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        goal(
            &w.a,
            "提升学习实效",
            false,
            vec![kpi("必修课程学时", "学时", "20", "40", "higher", "quarter")],
        ),
    )
    .await
    .unwrap();
    let before = (count(&w.db, "goals").await, count(&w.db, "kpis").await);
    for (name, label) in [
        ("在线学习时长", "在线时长"),
        ("党员学习强国积分排名", "积分排名"),
        ("宣传稿件点赞数", "点赞"),
    ] {
        let ok = kpi("必修课程学时", "学时", "20", "40", "higher", "");
        let (field, message) = refused(
            goals::create(
                &w.db,
                NOW,
                &cli(),
                &w.sa,
                goal(&w.a, "学习", false, vec![ok, kpi(name, "", "0", "9", "higher", "")]),
            )
            .await,
        );
        assert_eq!(field, "指标2名称");
        assert!(message.contains(&format!("“{name}”以{label}计分")), "{message}");
        assert!(
            message.contains(
                "不得以打卡签到、积分排名、在线时长、点赞转发等作为考核指标（2024年整治形式主义为基层减负若干规定）"
            ),
            "{message}"
        );
    }
    assert_eq!((count(&w.db, "goals").await, count(&w.db, "kpis").await), before);
    let mut t = task(&w.a, "党员每日签到", &[], "2026-12-31");
    t.standing = true;
    match tasks::create(&w.db, NOW, &cli(), &w.sa, t).await {
        Err(Error::Invalid { field, message }) => {
            assert_eq!(field, "任务名称");
            assert!(message.contains("打卡签到"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(count(&w.db, "tasks").await, 0);
}

/// For every cell of the matrix of `top`: whether it shows Party tasks, and
/// whether the fusion view of the column's organization counts the goal's
/// share there (or the goal itself, when the column has no share) as served.
async fn matrix_and_fusion_agree(db: &Db, scope: &Scope, top: &str) -> usize {
    let m = matrix::matrix(db, scope, top, 2026, NOW).await.unwrap();
    let mut checked = 0;
    for c in &m.columns {
        let f = fusion::fusion(db, scope, &c.org_id, 2026, NOW).await.unwrap();
        let own = goals::of_org(db, scope, &c.org_id, 2026).await.unwrap();
        for (g, cell) in m.goals.iter().zip(&c.cells) {
            let Some(share) = own.iter().find(|x| x.parent_id.as_deref() == Some(g.id.as_str())) else {
                continue;
            };
            let unserved = f.goals_without_tasks.iter().any(|x| x.id == share.id);
            assert_eq!(
                cell.tasks > 0,
                !unserved,
                "{} in {}: matrix shows {} tasks, fusion says unserved={unserved}",
                g.title,
                c.org_name,
                cell.tasks
            );
            checked += 1;
        }
    }
    checked
}

#[tokio::test]
async fn a_goal_served_by_a_task_deployed_to_a_branch_is_supported_there_in_both_views() {
    let w = world().await;
    let energy = vec![kpi("能耗", "吨标煤", "100", "80", "lower", "month")];
    let (g, _) = goals::create(&w.db, NOW, &cli(), &w.all, goal(&w.root, "节能降耗", true, energy))
        .await
        .unwrap();
    let both = vec![w.a.clone(), w.b.clone()];
    deploy::goal(&w.db, NOW, &cli(), &w.all, &g, &both).await.unwrap();
    // The committee's task serving its goal, deployed to branch A only.
    let t = tasks::create(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        task(&w.root, "党员节能攻坚", &[&g], "2026-12-31"),
    )
    .await
    .unwrap();
    deploy::task(&w.db, NOW, &cli(), &w.all, &t, std::slice::from_ref(&w.a))
        .await
        .unwrap();

    let share = |org: &String| {
        let (db, all, org) = (w.db.clone(), w.all.clone(), org.clone());
        async move { goals::of_org(&db, &all, &org, 2026).await.unwrap().remove(0).id }
    };
    let fa = fusion::fusion(&w.db, &w.sa, &w.a, 2026, NOW).await.unwrap();
    assert!(
        fa.goals_without_tasks.is_empty(),
        "A's share is served by the task deployed to A"
    );
    assert_eq!(fa.difficult[0].tasks.len(), 1);
    assert_eq!(fa.difficult[0].goal.id, share(&w.a).await);
    let fb = fusion::fusion(&w.db, &w.sb, &w.b, 2026, NOW).await.unwrap();
    assert_eq!(fb.goals_without_tasks.len(), 1, "B has no task for its share");
    assert_eq!(fb.goals_without_tasks[0].id, share(&w.b).await);
    let m = matrix::matrix(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    let tasks_in = |name: &str| m.columns.iter().find(|c| c.org_name == name).map(|c| c.cells[0].tasks);
    assert_eq!((tasks_in("第一党支部"), tasks_in("第二党支部")), (Some(1), Some(0)));
    assert_eq!(matrix_and_fusion_agree(&w.db, &w.all, &w.root).await, 2);
    // The committee's fusion over its subtree: its goal and A's share are served, B's share is not.
    let f = fusion::fusion(&w.db, &w.all, &w.root, 2026, NOW).await.unwrap();
    assert_eq!(f.difficult_goals_without_tasks, vec![share(&w.b).await]);
}

#[tokio::test]
async fn a_kpi_created_mid_year_owes_no_figure_for_the_months_before_it_existed() {
    let w = world().await;
    // 2026-05-02 10:00 and 2026-06-01 10:00 Beijing time.
    let (may2, june1) = (1_777_687_200_000, 1_780_279_200_000);
    let monthly = vec![kpi("办件量", "件", "100", "120", "higher", "month")];
    let (g, _) = goals::create(&w.db, may2, &cli(), &w.sa, goal(&w.a, "五月新增目标", false, monthly))
        .await
        .unwrap();
    // A quarterly KPI created in the last month of Q2 owes Q3 first.
    let quarterly = vec![kpi("满意度", "%", "90", "95", "higher", "quarter")];
    goals::create(
        &w.db,
        june1,
        &cli(),
        &w.sa,
        goal(&w.a, "六月新增目标", false, quarterly),
    )
    .await
    .unwrap();
    let b = board::board(&w.db, &w.sa, &w.a, 2026, NOW).await.unwrap();
    let missing = |title: &str| {
        b.goals.iter().find(|c| c.goal.title == title).unwrap().kpis[0]
            .status
            .missing
            .clone()
    };
    // Created on 2 May: June to October, not May.
    assert_eq!(
        missing("五月新增目标"),
        ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    );
    assert_eq!(missing("六月新增目标"), ["2026-Q3"]);
    // The to-dos ask for the last ended periods, which both owe.
    let list = todos::kpi_todos(&w.db, &w.sa, NOW).await.unwrap();
    assert_eq!(list.len(), 2, "{list:#?}");
    // Before the first owed period ends there is nothing to report: no to-do, no 缺报.
    let july15 = 1_784_080_800_000; // 2026-07-15 10:00 Beijing time
    let list = todos::kpi_todos(&w.db, &w.sa, july15).await.unwrap();
    assert_eq!(list.len(), 1, "only the monthly KPI owes June: {list:#?}");
    let b = board::board(&w.db, &w.sa, &w.a, 2026, july15).await.unwrap();
    let q = b.goals.iter().find(|c| c.goal.title == "六月新增目标").unwrap();
    assert!(q.kpis[0].status.missing.is_empty());
    let _ = g;
    // The matrix counts a branch's share with no figure as 缺报 only once it owes a period:
    // broken down on 2 June, it owes July first.
    let june2 = june1 + 86_400_000;
    let energy = vec![kpi("能耗", "吨", "100", "80", "lower", "month")];
    let (c, _) = goals::create(&w.db, june2, &cli(), &w.all, goal(&w.root, "节能降耗", false, energy))
        .await
        .unwrap();
    deploy::goal(&w.db, june2, &cli(), &w.all, &c, std::slice::from_ref(&w.b))
        .await
        .unwrap();
    let unreported = |at: i64| {
        let (db, all, root) = (w.db.clone(), w.all.clone(), w.root.clone());
        async move {
            let m = matrix::matrix(&db, &all, &root, 2026, at).await.unwrap();
            m.columns.iter().map(|c| c.cells[0].unreported).sum::<usize>()
        }
    };
    assert_eq!(unreported(july15).await, 0);
    assert_eq!(unreported(NOW).await, 1);
}

/// An organization's goals and tasks, and a progress report's evidence, are
/// read through the reader's scope: from another branch they answer as
/// missing.
#[tokio::test]
async fn reads_by_id_outside_the_scope_answer_as_missing() {
    let w = world().await;
    let (g, _) = goals::create(&w.db, NOW, &cli(), &w.sa, goal(&w.a, "服务群众", false, vec![]))
        .await
        .unwrap();
    let t = tasks::create(&w.db, NOW, &cli(), &w.sa, task(&w.a, "走访群众", &[&g], "2026-12-31"))
        .await
        .unwrap();
    let mut spool = tongpin_core::files::Spool::new("走访记录.pdf", 1 << 20).unwrap();
    spool.push(b"%PDF-1.7\nvisits").await.unwrap();
    let stored = tongpin_core::files::save(&w.db, NOW, "account-1", spool).await.unwrap();
    let who = progress::Reporter {
        scope: Some(&w.sa),
        person_id: None,
    };
    let p = progress::NewProgress {
        percent: 40,
        note: "已走访两户".into(),
    };
    progress::report(&w.db, NOW, &cli(), who, &t, p, vec![stored])
        .await
        .unwrap();
    let report = progress::of_task(&w.db, &w.sa, &t).await.unwrap().remove(0);
    let file = tongpin_core::files::list(&w.db, progress::OWNER, std::slice::from_ref(&report.id))
        .await
        .unwrap()
        .remove(0);
    let missing = |e: Error| matches!(e, Error::NotFound(_));
    assert!(missing(tasks::of_org(&w.db, &w.sb, &w.a, 2026).await.unwrap_err()));
    assert!(missing(goals::of_org(&w.db, &w.sb, &w.a, 2026).await.unwrap_err()));
    assert!(missing(progress::evidence(&w.db, &w.sb, &file.id).await.unwrap_err()));
    assert_eq!(tasks::of_org(&w.db, &w.sa, &w.a, 2026).await.unwrap().len(), 1);
    assert_eq!(goals::of_org(&w.db, &w.sa, &w.a, 2026).await.unwrap().len(), 1);
    assert_eq!(
        progress::evidence(&w.db, &w.sa, &file.id).await.unwrap().name,
        "走访记录.pdf"
    );
    assert!(missing(
        progress::evidence(&w.db, &w.sa, "no-such-file").await.unwrap_err()
    ));
}
