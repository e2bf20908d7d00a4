//! The plan generator behind `tongpin bench-plan`, small, on whichever
//! engine the tests run: every goal broken down to every branch with twelve
//! figures, tasks serving them, and a matrix that reads it all.
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::testing::fresh_db;
use tongpin_core::plan::matrix;
use tongpin_core::{seed, with_db};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;

#[tokio::test]
async fn generates_a_plan_the_matrix_reads() {
    let db = fresh_db().await.unwrap();
    let g = seed::generate_plan(&db, NOW, 45, 6, 3).await.unwrap();
    assert_eq!(
        (g.year, g.orgs, g.goals, g.values, g.tasks),
        (2026, 1 + 3 + 45, 6 * 46, 6 * 46 * 12, 3 + 45 * 3)
    );
    let difficult: i64 = with_db!(&db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM goals WHERE difficult"
    )
    .fetch_one(p)
    .await
    .unwrap());
    assert_eq!(difficult, 2 * 46);
    let scope = common::scope_of(&db, NOW, "dw", Role::OrgAdmin, Some(&g.committee), Power::ManagePlan).await;
    let m = matrix::matrix(&db, &scope, &g.committee, 2026, NOW).await.unwrap();
    assert_eq!((m.goals.len(), m.columns.len()), (6, 45));
    let cells: Vec<_> = m.columns.iter().flat_map(|c| &c.cells).collect();
    assert!(cells.iter().all(|c| c.attainment_bp.is_some() && c.unreported == 0));
    assert_eq!(cells.iter().map(|c| c.tasks).sum::<usize>(), 3 * 45);
    assert!(cells.iter().any(|c| c.overdue > 0));
}
