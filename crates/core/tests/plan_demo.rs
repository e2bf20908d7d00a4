//! The demo's annual plan, on whichever engine the tests run: goals with
//! KPI figures, a difficult goal no Party task serves, a deployed task not
//! yet accepted, overdue tasks, one of them on the linked member's to-dos,
//! a coloured matrix, and an intact audit chain.
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::Scope;
use tongpin_core::plan::{fusion, goals, matrix, todos, values};
use tongpin_core::{audit, org, seed, with_db};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;

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
async fn the_demo_has_a_believable_plan() {
    let db = fresh_db().await.unwrap();
    seed::seed_demo(&db, NOW).await.unwrap();
    let sys = common::scope_of(&db, NOW, "check-sys", Role::SystemAdmin, None, Power::ManageOrgs).await;
    let root = org::list(&db, &sys).await.unwrap().remove(0);
    assert_eq!(root.name, "机关党委");
    let all = common::scope_of(&db, NOW, "check", Role::OrgAdmin, Some(&root.id), Power::ManagePlan).await;

    let gs = goals::of_org(&db, &all, &root.id, 2026).await.unwrap();
    assert_eq!(gs.len(), 5, "{gs:?}");
    let ids: Vec<String> = gs.iter().map(|g| g.id.clone()).collect();
    let kpis = goals::kpis_of(&db, &ids).await.unwrap();
    let kpi_ids: Vec<String> = kpis.iter().map(|k| k.id.clone()).collect();
    let vals = values::of_kpis(&db, &kpi_ids).await.unwrap();
    // Ten ended months for most KPIs, three quarters for one, two months missing for one.
    assert!(vals.len() >= 60, "{}", vals.len());
    assert!(vals
        .iter()
        .all(|v| !["2026-11", "2026-12", "2026-Q4"].contains(&v.period.as_str())));

    let f = fusion::fusion(&db, &all, &root.id, 2026, NOW).await.unwrap();
    let unserved: Vec<&str> = gs
        .iter()
        .filter(|g| f.difficult_goals_without_tasks.contains(&g.id))
        .map(|g| g.title.as_str())
        .collect();
    assert_eq!(unserved, ["优化营商环境"]);
    assert_eq!(f.tasks_standing, 2);

    let list = todos::todos(&db, &all, NOW).await.unwrap();
    let pending = list.iter().filter(|t| t.title.starts_with("接收任务")).count();
    let overdue = list.iter().filter(|t| t.title.starts_with("任务逾期")).count();
    assert_eq!((pending, overdue), (2, 3), "{list:#?}");

    let person: Option<String> = with_db!(&db, |p| sqlx::query_scalar(
        "SELECT person_id FROM accounts WHERE username = 'dangyuan'"
    )
    .fetch_one(p)
    .await
    .unwrap());
    let mine = todos::of_person(&db, &person.unwrap(), NOW).await.unwrap();
    assert_eq!(mine.len(), 1, "{mine:#?}");
    assert!(mine[0].title.contains("综合处党支部"), "{}", mine[0].title);

    let m = matrix::matrix(&db, &all, &root.id, 2026, NOW).await.unwrap();
    assert_eq!(
        m.columns.len(),
        7 + 2,
        "{:?}",
        m.columns.iter().map(|c| &c.org_name).collect::<Vec<_>>()
    );
    let mut attained: Vec<i64> = m
        .columns
        .iter()
        .flat_map(|c| c.cells.iter().filter_map(|x| x.attainment_bp))
        .collect();
    attained.sort();
    attained.dedup();
    assert!(attained.len() >= 5, "{attained:?}");
    // One definition of a goal supported in an organization: the matrix's cells and each branch's fusion view agree.
    assert!(matrix_and_fusion_agree(&db, &all, &root.id).await > 0);
    assert!(audit::verify(&db).await.unwrap().is_ok());
}
