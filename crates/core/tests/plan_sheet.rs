//! Starting, carrying over and exchanging a plan on whichever engine the
//! tests run: templates, copying a year, the plan sheet and the KPI value
//! sheet, each refusing bad input with nothing written.
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::Scope;
use tongpin_core::plan::{copy, goals, sheet, tasks, template, values, NewGoal, NewKpi, NewMilestone, NewTask, Source};
use tongpin_core::sheet::{to_xlsx, CellIssue, Table};
use tongpin_core::{with_db, Error};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;
use common::cli;

struct World {
    db: Db,
    root: String,
    a: String,
    b: String,
    /// ManagePlan scopes: the committee, branch A.
    all: Scope,
    sa: Scope,
}

async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await;
    let root = orgs.add("机关党委", "committee", None).await;
    let a = orgs.add("第一党支部", "branch", Some(&root)).await;
    let b = orgs.add("第二党支部", "branch", Some(&root)).await;
    let all = common::scope_of(&db, NOW, "dw", Role::OrgAdmin, Some(&root), Power::ManagePlan).await;
    let sa = common::scope_of(&db, NOW, "sa", Role::BranchSecretary, Some(&a), Power::ManagePlan).await;
    World {
        db,
        root,
        a,
        b,
        all,
        sa,
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

fn goal(org: &str, year: i64, title: &str, kpis: Vec<NewKpi>) -> NewGoal {
    NewGoal {
        org_id: org.into(),
        year,
        title: title.into(),
        kpis,
        ..Default::default()
    }
}

fn task(org: &str, year: i64, title: &str, goal_ids: &[&String], deadline: &str) -> NewTask {
    NewTask {
        org_id: org.into(),
        year,
        title: title.into(),
        goal_ids: goal_ids.iter().map(|g| g.to_string()).collect(),
        standing: goal_ids.is_empty(),
        deadline: deadline.into(),
        ..Default::default()
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await.unwrap())
}

async fn audits(db: &Db, action: &str) -> i64 {
    count(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await
}

/// Each plan item's count: goals, KPIs, tasks, links.
async fn sizes(db: &Db) -> [i64; 4] {
    let mut out = [0; 4];
    for (i, t) in ["goals", "kpis", "tasks", "task_goals"].iter().enumerate() {
        out[i] = count(db, &format!("SELECT COUNT(*) FROM {t}")).await;
    }
    out
}

/// Task title → titles of the goals it serves, sorted.
async fn links_by_title(db: &Db, scope: &Scope, org: &str, year: i64) -> Vec<(String, Vec<String>)> {
    let ts = tasks::of_org(db, scope, org, year).await.unwrap();
    let ids: Vec<String> = ts.iter().map(|t| t.id.clone()).collect();
    let links = tasks::links_of(db, &ids).await.unwrap();
    let mut out = Vec::new();
    for t in ts {
        let mut titles = Vec::new();
        for (_, g) in links.iter().filter(|l| l.0 == t.id) {
            titles.push(goals::get(db, scope, g).await.unwrap().title);
        }
        titles.sort();
        out.push((t.title, titles));
    }
    out.sort();
    out
}

fn has(errs: &[CellIssue], row: usize, column: &str, text: &str) -> bool {
    errs.iter()
        .any(|e| e.row == row && e.column == column && e.message.contains(text))
}

#[test]
fn every_template_checks_out() {
    assert_eq!(template::TEMPLATES.len(), 3);
    for (code, label) in template::TEMPLATES {
        let (g, k, t) = template::check(code, 2026).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert!(
            (4..=6).contains(&g) && k >= g && (5..=8).contains(&t),
            "{label}: {g} {k} {t}"
        );
    }
}

#[tokio::test]
async fn a_template_fills_an_empty_year_once() {
    let w = world().await;
    let (g, t) = template::apply(&w.db, NOW, &cli(), &w.sa, &w.a, 2026, "soe")
        .await
        .unwrap();
    assert_eq!((g, t), (5, 8));
    let gs = goals::of_org(&w.db, &w.all, &w.a, 2026).await.unwrap();
    assert_eq!(gs.len(), 5);
    assert!(gs.iter().any(|g| g.difficult));
    let ts = tasks::of_org(&w.db, &w.all, &w.a, 2026).await.unwrap();
    assert_eq!(ts.iter().filter(|t| t.standing).count(), 3);
    assert!(ts.iter().any(|t| t.title.contains("党员突击队")));
    let before = sizes(&w.db).await;
    for code in ["soe", "university"] {
        let e = template::apply(&w.db, NOW, &cli(), &w.sa, &w.a, 2026, code)
            .await
            .unwrap_err();
        assert!(matches!(&e, Error::Conflict(m) if m.contains("已有")), "{e}");
    }
    assert!(template::apply(&w.db, NOW, &cli(), &w.sa, &w.a, 2026, "bank")
        .await
        .is_err());
    assert_eq!(sizes(&w.db).await, before);
    assert_eq!(audits(&w.db, "plan.template").await, 1);
    // Another year is still free; another branch is out of reach.
    assert_eq!(
        template::apply(&w.db, NOW, &cli(), &w.sa, &w.a, 2027, "agency")
            .await
            .unwrap(),
        (5, 7)
    );
    assert!(template::apply(&w.db, NOW, &cli(), &w.sa, &w.b, 2026, "agency")
        .await
        .is_err());
}

#[tokio::test]
async fn copying_a_year_moves_dates_and_remaps_links() {
    let w = world().await;
    let k = vec![kpi("营业收入", "万元", "1000", "1200", "higher", "month")];
    let (top, _) = goals::create(&w.db, NOW, &cli(), &w.all, goal(&w.root, 2028, "上级目标", vec![]))
        .await
        .unwrap();
    let (mine, kids) = goals::create(&w.db, NOW, &cli(), &w.sa, goal(&w.a, 2028, "经营目标", k))
        .await
        .unwrap();
    let mut t1 = task(&w.a, 2028, "党员先锋岗", &[&mine, &top], "2028-02-29");
    t1.milestones = vec![NewMilestone {
        title: "制定方案".into(),
        due_on: "2028-02-29".into(),
    }];
    tasks::create(&w.db, NOW, &cli(), &w.sa, t1).await.unwrap();
    tasks::create(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        task(&w.a, 2028, "只服务上级", &[&top], "2028-06-30"),
    )
    .await
    .unwrap();
    tasks::create(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        task(&w.a, 2028, "三会一课", &[], "2028-12-31"),
    )
    .await
    .unwrap();
    values::record(
        &w.db,
        NOW,
        &cli(),
        values::Enterer::Scope(&w.sa),
        &kids[0],
        "2028-01",
        "1050",
        None,
        Source::Manual,
    )
    .await
    .unwrap();

    let copied = copy::copy_year(&w.db, NOW, &cli(), &w.sa, &w.a, 2028, 2029)
        .await
        .unwrap();
    assert_eq!(copied, (1, 2), "the task serving only a superior's goal is left out");
    let g29 = goals::of_org(&w.db, &w.all, &w.a, 2029).await.unwrap();
    assert_eq!((g29.len(), g29[0].parent_id.clone()), (1, None));
    let k29 = goals::kpis_of(&w.db, &[g29[0].id.clone()]).await.unwrap();
    assert_eq!((k29[0].name.as_str(), k29[0].target), ("营业收入", 12_000_000));
    assert_eq!(
        count(&w.db, "SELECT COUNT(*) FROM kpi_values").await,
        1,
        "no figures copied"
    );
    let t29 = tasks::of_org(&w.db, &w.all, &w.a, 2029).await.unwrap();
    let pioneer = t29.iter().find(|t| t.title == "党员先锋岗").unwrap();
    assert_eq!((pioneer.deadline.as_str(), pioneer.progress), ("2029-02-28", 0));
    let links = tasks::links_of(&w.db, std::slice::from_ref(&pioneer.id)).await.unwrap();
    assert_eq!(
        links,
        vec![(pioneer.id.clone(), g29[0].id.clone())],
        "remapped, superior's dropped"
    );
    let ms = tasks::milestones_of(&w.db, std::slice::from_ref(&pioneer.id))
        .await
        .unwrap();
    assert_eq!(ms[0].due_on, "2029-02-28");
    assert!(t29.iter().any(|t| t.title == "三会一课" && t.standing));

    let before = sizes(&w.db).await;
    let e = copy::copy_year(&w.db, NOW, &cli(), &w.sa, &w.a, 2028, 2029)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    let e = copy::copy_year(&w.db, NOW, &cli(), &w.sa, &w.a, 2031, 2032)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("无可复制"), "{e}");
    assert_eq!(sizes(&w.db).await, before);
    assert_eq!(audits(&w.db, "plan.copy").await, 1);
}

#[tokio::test]
async fn a_plan_sheet_round_trips_into_another_branch() {
    let w = world().await;
    let (top, _) = goals::create(&w.db, NOW, &cli(), &w.all, goal(&w.root, 2026, "全局目标", vec![]))
        .await
        .unwrap();
    template::apply(&w.db, NOW, &cli(), &w.sa, &w.a, 2026, "university")
        .await
        .unwrap();
    let g0 = goals::of_org(&w.db, &w.all, &w.a, 2026).await.unwrap()[0].id.clone();
    tasks::create(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        task(&w.a, 2026, "服务全局", &[&top, &g0], "2026-09-30"),
    )
    .await
    .unwrap();

    let table = sheet::export_plan(&w.db, &w.sa, &w.a, 2026, NOW).await.unwrap();
    assert_eq!(table.headers[0], "类型");
    assert_eq!(table.lists.len(), 5);
    let bytes = to_xlsx(&table).unwrap();
    let before = sizes(&w.db).await;
    let dry = sheet::import_plan(&w.db, NOW, &cli(), &w.all, &w.b, 2026, bytes.clone(), "p.xlsx", true)
        .await
        .unwrap();
    assert!(dry.errors.is_empty(), "{:?}", dry.errors);
    assert_eq!(
        (dry.rows, dry.valid, dry.written),
        (table.rows.len(), table.rows.len(), 0)
    );
    assert_eq!(sizes(&w.db).await, before, "a dry run writes nothing");

    let r = sheet::import_plan(&w.db, NOW, &cli(), &w.all, &w.b, 2026, bytes.clone(), "p.xlsx", false)
        .await
        .unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.written, table.rows.len());
    let kpis_of = |org: String| {
        let (db, all) = (w.db.clone(), w.all.clone());
        async move {
            let gs = goals::of_org(&db, &all, &org, 2026).await.unwrap();
            let ids: Vec<String> = gs.iter().map(|g| g.id.clone()).collect();
            let ks = goals::kpis_of(&db, &ids).await.unwrap();
            (
                gs.len(),
                ks.iter()
                    .map(|k| {
                        (
                            k.name.clone(),
                            k.baseline,
                            k.target,
                            k.direction.clone(),
                            k.period_kind.clone(),
                        )
                    })
                    .collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(kpis_of(w.a.clone()).await, kpis_of(w.b.clone()).await);
    let (la, lb) = (
        links_by_title(&w.db, &w.all, &w.a, 2026).await,
        links_by_title(&w.db, &w.all, &w.b, 2026).await,
    );
    assert_eq!(la, lb);
    assert!(lb
        .iter()
        .any(|(t, gs)| t == "服务全局" && gs.contains(&"全局目标".to_string())));
    assert_eq!(audits(&w.db, "plan.import").await, 1);

    // The same file again: every goal and task already exists.
    let again = sheet::import_plan(&w.db, NOW, &cli(), &w.all, &w.b, 2026, bytes, "p.xlsx", false)
        .await
        .unwrap();
    assert!(has(&again.errors, 2, "标题", "已存在同名目标"), "{:?}", again.errors);
    assert_eq!(again.written, 0);
}

#[tokio::test]
async fn one_bad_row_writes_nothing_and_is_named() {
    let w = world().await;
    let csv = "类型,标题,所属目标,难点,单位,基准值,目标值,方向,报送周期,常规要求,截止日期\n\
               业务目标,提升服务质量,,是,,,,,,,\n\
               指标,满意度,提升服务质量,,%,90,90,越高越好,季度,,\n\
               党建任务,党员先锋岗,不存在的目标,,,,,,,否,2026-06-30\n\
               党建任务,主题党日,,,,,,,,是,2025-12-31\n\
               指标,投诉件数,提升服务质量,,件,20,10,越低越好,月度,,\n";
    let before = sizes(&w.db).await;
    let r = sheet::import_plan(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        &w.a,
        2026,
        csv.as_bytes().to_vec(),
        "p.csv",
        false,
    )
    .await
    .unwrap();
    assert_eq!(r.rows, 5);
    assert!(has(&r.errors, 3, "目标值", "不能等于基准值"), "{:?}", r.errors);
    assert!(has(&r.errors, 4, "所属目标", "不存在的目标"), "{:?}", r.errors);
    assert!(has(&r.errors, 5, "截止日期", "早于计划年度"), "{:?}", r.errors);
    assert_eq!(r.errors.len(), 3, "{:?}", r.errors);
    assert_eq!(r.written, 0);
    assert_eq!(sizes(&w.db).await, before);
    assert_eq!(audits(&w.db, "plan.import").await, 0);
}

/// The value sheet's cell for a KPI row and a column.
fn set(t: &mut Table, row: usize, column: &str, v: &str) {
    let c = t.headers.iter().position(|h| h == column).unwrap();
    t.rows[row][c] = v.into();
}

#[tokio::test]
async fn value_sheets_write_only_what_changed() {
    let w = world().await;
    let ks = vec![
        kpi("营业收入", "万元", "1000", "1200", "higher", "month"),
        kpi("客户投诉", "件", "10", "4", "lower", "quarter"),
    ];
    let (_, k) = goals::create(&w.db, NOW, &cli(), &w.sa, goal(&w.a, 2026, "经营目标", ks))
        .await
        .unwrap();
    let by = || values::Enterer::Scope(&w.sa);
    values::record(&w.db, NOW, &cli(), by(), &k[0], "2026-01", "1050", None, Source::Manual)
        .await
        .unwrap();
    values::record(&w.db, NOW, &cli(), by(), &k[1], "2026-Q1", "8", None, Source::Manual)
        .await
        .unwrap();

    let mut t = sheet::export_values(&w.db, &w.sa, &w.a, 2026, NOW).await.unwrap();
    assert_eq!(t.headers[..3], ["指标编号", "目标", "指标"]);
    assert_eq!((t.rows.len(), t.rows[0][0].as_str()), (2, k[0].as_str()));
    let col = |t: &Table, h: &str| t.headers.iter().position(|x| x == h).unwrap();
    assert_eq!(t.rows[0][col(&t, "1月")], "1050");
    assert_eq!(t.rows[1][col(&t, "一季度")], "8");
    set(&mut t, 0, "2月", "1080万元");
    set(&mut t, 1, "二季度", "6");
    // Matched by goal and KPI name when the id is cleared.
    set(&mut t, 1, "指标编号", "");
    let vals_before = count(&w.db, "SELECT COUNT(*) FROM kpi_values").await;
    let r = sheet::import_values(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        &w.a,
        2026,
        to_xlsx(&t).unwrap(),
        "v.xlsx",
        false,
    )
    .await
    .unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!((r.rows, r.written, r.unchanged), (2, 2, 2));
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM kpi_values").await, vals_before + 2);
    let (_, v) = values::kpi(&w.db, &w.sa, &k[0]).await.unwrap();
    let feb = v.iter().find(|v| v.period == "2026-02").unwrap();
    assert_eq!((feb.value, feb.source.as_str()), (10_800_000, "import"));
    assert_eq!(audits(&w.db, "kpi.value").await, 3, "two by hand, one per import");

    // A wrong unit and figures in columns of another period kind: nothing written.
    set(&mut t, 0, "3月", "3亿元");
    set(&mut t, 0, "一季度", "1100");
    set(&mut t, 1, "4月", "5");
    set(&mut t, 1, "三季度", "5");
    let r = sheet::import_values(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        &w.a,
        2026,
        to_xlsx(&t).unwrap(),
        "v.xlsx",
        false,
    )
    .await
    .unwrap();
    assert!(has(&r.errors, 2, "3月", "单位"), "{:?}", r.errors);
    assert!(has(&r.errors, 2, "一季度", "按月度报送"), "{:?}", r.errors);
    assert!(
        has(&r.errors, 3, "4月", "该指标按季度报送，请填在季度列"),
        "{:?}",
        r.errors
    );
    assert_eq!((r.errors.len(), r.written), (3, 0), "{:?}", r.errors);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM kpi_values").await, vals_before + 2);
    assert_eq!(audits(&w.db, "kpi.value").await, 3);
    // Another branch's KPI id is refused by row and column.
    set(&mut t, 0, "3月", "");
    set(&mut t, 0, "一季度", "");
    set(&mut t, 1, "4月", "");
    let (_, other) = goals::create(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        goal(
            &w.b,
            2026,
            "乙目标",
            vec![kpi("产量", "吨", "1", "2", "higher", "quarter")],
        ),
    )
    .await
    .unwrap();
    set(&mut t, 1, "指标编号", &other[0]);
    let r = sheet::import_values(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        &w.a,
        2026,
        to_xlsx(&t).unwrap(),
        "v.xlsx",
        true,
    )
    .await
    .unwrap();
    assert!(has(&r.errors, 3, "指标编号", "不是本组织"), "{:?}", r.errors);
}

#[tokio::test]
async fn a_plan_sheet_that_scores_check_ins_or_online_time_is_refused_row_by_row() {
    let w = world().await;
    let csv = "类型,标题,所属目标,难点,单位,基准值,目标值,方向,报送周期,常规要求,截止日期\n\
               业务目标,提升学习实效,,否,,,,,,,\n\
               指标,必修课程学时完成率,提升学习实效,,%,60,100,越高越好,季度,,\n\
               指标,在线学习时长,提升学习实效,,分钟,100,300,越高越好,月度,,\n\
               党建任务,党员每日打卡学习,提升学习实效,,,,,,,否,2026-06-30\n";
    let before = sizes(&w.db).await;
    let r = sheet::import_plan(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        &w.a,
        2026,
        csv.as_bytes().to_vec(),
        "p.csv",
        false,
    )
    .await
    .unwrap();
    assert!(has(&r.errors, 4, "标题", "不符合基层减负规定"), "{:?}", r.errors);
    assert!(
        has(&r.errors, 5, "标题", "2024年整治形式主义为基层减负若干规定"),
        "{:?}",
        r.errors
    );
    assert_eq!(
        r.errors.len(),
        2,
        "class hours of a required course may count: {:?}",
        r.errors
    );
    assert_eq!((r.written, sizes(&w.db).await), (0, before));
}
