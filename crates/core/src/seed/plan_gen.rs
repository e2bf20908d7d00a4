//! Synthetic plan data for the matrix benchmark (`tongpin gen-plan`): one
//! committee (计划基准党委) over general branches (党总支) of 20 branches
//! each, its goals each with one monthly KPI, every goal broken down to
//! every branch with twelve monthly figures per share, and Party tasks in
//! every branch: one deployed from the committee (serving a committee goal)
//! and the rest its own (serving its shares). Written with multi-row
//! INSERTs in one transaction, not through the store functions, so
//! generation takes seconds to minutes rather than hours; nothing is audited.
use crate::db::{Db, Tx};
use crate::sql::Param;
use crate::{bind_all, ids, with_tx, Result};

/// The committee's name, by which `bench-plan` finds it.
pub const PLAN_COMMITTEE: &str = "计划基准党委";

/// Binds per statement, well below both engines' limits.
const BINDS: usize = 4000;

/// What was generated.
pub struct PlanGen {
    pub committee: String,
    pub year: i64,
    pub orgs: usize,
    pub goals: usize,
    pub values: usize,
    pub tasks: usize,
}

/// `INSERT INTO {head} VALUES row, row, …` for `rows`, where `row` is one
/// row's template with `?` for each bound value, in statements of at most
/// `BINDS` values.
async fn insert(tx: &mut Tx, head: &str, row: &str, rows: &[Vec<Param>]) -> Result<()> {
    let n = row.matches('?').count().max(1);
    for chunk in rows.chunks((BINDS / n).max(1)) {
        let mut sql = format!("INSERT INTO {head} VALUES ");
        let mut k = 0;
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            for c in row.chars() {
                if c == '?' {
                    k += 1;
                    sql.push_str(&format!("${k}"));
                } else {
                    sql.push(c);
                }
            }
        }
        with_tx!(&mut *tx, |c| bind_all!(sqlx::query(&sql), chunk.iter().flatten())
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(())
}

fn s(v: impl Into<String>) -> Param {
    Param::S(v.into())
}

/// (baseline, target, direction) of goal `g`'s KPI, in ten-thousandths: most
/// are rates to raise from 60 to 100, every fifth a count to bring from 10 down to 2.
fn kpi_of(g: usize) -> (i64, i64, &'static str) {
    if g % 5 == 4 {
        (100_000, 20_000, "lower")
    } else {
        (600_000, 1_000_000, "higher")
    }
}

pub async fn generate_plan(db: &Db, now: i64, branches: usize, goals: usize, tasks_per: usize) -> Result<PlanGen> {
    let year = i64::from(chrono::Datelike::year(&crate::clock::beijing(now)));
    let (goals, branches, tasks_per) = (goals.max(1), branches.max(1), tasks_per.max(1));
    let root = ids::new_id();
    let root_path = format!("/{root}/");
    // Organizations: (id, parent, name, kind, path).
    let mut orgs: Vec<Vec<Param>> = vec![vec![s(&root), s(""), s(PLAN_COMMITTEE), s("committee"), s(&root_path)]];
    let mut branch_ids = Vec::with_capacity(branches);
    let mut general = (String::new(), String::new());
    for b in 0..branches {
        if b % 20 == 0 {
            let id = ids::new_id();
            general = (id.clone(), format!("{root_path}{id}/"));
            let name = format!("计划第{}党总支", b / 20 + 1);
            orgs.push(vec![s(&id), s(&root), s(name), s("general_branch"), s(&general.1)]);
        }
        let id = ids::new_id();
        let path = format!("{}{id}/", general.1);
        orgs.push(vec![
            s(&id),
            s(&general.0),
            s(format!("计划第{}党支部", b + 1)),
            s("branch"),
            s(path),
        ]);
        branch_ids.push(id);
    }
    let mut tx = db.begin().await?;
    let org_row = format!("(?, NULLIF(?, ''), ?, ?, ?, '2020-01-01', {now})");
    insert(
        &mut tx,
        "orgs (id, parent_id, name, kind, path, founded_on, created_at)",
        &org_row,
        &orgs,
    )
    .await?;

    // Goals: the committee's, then every branch's share of each.
    let goal_head =
        "goals (id, org_id, year, parent_id, title, description, difficult, seq, created_by, created_at, updated_at)";
    // `difficult` is bound as 'y' or 'n' and compared, the one boolean form both engines take.
    let goal_row = format!("(?, ?, {year}, NULLIF(?, ''), ?, '', ? = 'y', ?, '基准数据', {now}, {now})");
    let kpi_head = "kpis (id, goal_id, seq, name, unit, baseline, target, direction, period_kind, created_at)";
    let kpi_row = format!("(?, ?, 1, ?, '%', ?, ?, ?, 'month', {now})");
    let top: Vec<(String, String)> = (0..goals).map(|_| (ids::new_id(), ids::new_id())).collect();
    let title = |g: usize| format!("业务目标{:02}", g + 1);
    let kpi_name = |g: usize| format!("指标{:02}", g + 1);
    let hard = |g: usize| s(if g.is_multiple_of(4) { "y" } else { "n" });
    let mut rows = Vec::new();
    let mut krows = Vec::new();
    for (g, (gid, kid)) in top.iter().enumerate() {
        let (base, target, dir) = kpi_of(g);
        rows.push(vec![
            s(gid),
            s(&root),
            s(""),
            s(title(g)),
            hard(g),
            Param::I(g as i64 + 1),
        ]);
        krows.push(vec![
            s(kid),
            s(gid),
            s(kpi_name(g)),
            Param::I(base),
            Param::I(target),
            s(dir),
        ]);
    }
    insert(&mut tx, goal_head, &goal_row, &rows).await?;
    insert(&mut tx, kpi_head, &kpi_row, &krows).await?;

    let value_head = "kpi_values (kpi_id, period, value, source, entered_by, entered_at)";
    let value_row = format!("(?, ?, ?, 'import', '基准数据', {now})");
    let mut values = 0;
    let mut tasks = 0;
    // Committee KPIs' own figures.
    let figures = |kid: &str, g: usize, f: i64, out: &mut Vec<Vec<Param>>| {
        let (base, target, _) = kpi_of(g);
        for m in 1..=12i64 {
            let v = base + (target - base) * f * m / 1200;
            out.push(vec![s(kid), s(format!("{year}-{m:02}")), Param::I(v)]);
        }
    };
    let mut vrows = Vec::new();
    for (g, (_, kid)) in top.iter().enumerate() {
        figures(kid, g, 90, &mut vrows);
    }
    values += vrows.len();
    insert(&mut tx, value_head, &value_row, &vrows).await?;

    // The committee's tasks, one per goal up to `tasks_per`, each deployed to every branch.
    let task_head =
        "tasks (id, org_id, year, parent_id, title, description, standing, deadline, accepted_at, progress, \
                     done_on, seq, created_by, created_at, updated_at)";
    let task_row =
        format!("(?, ?, {year}, NULLIF(?, ''), ?, '', FALSE, ?, {now}, ?, NULLIF(?, ''), ?, '基准数据', {now}, {now})");
    let link_head = "task_goals (task_id, goal_id)";
    let link_row = "(?, ?)";
    let deployed: Vec<String> = (0..tasks_per.min(goals)).map(|_| ids::new_id()).collect();
    let task = |id: &str, org: &str, parent: &str, t: String, k: usize, seq: usize| {
        const PROGRESS: [i64; 7] = [100, 100, 60, 30, 0, 80, 45];
        let p = PROGRESS[k % 7];
        let deadline = format!("{year}-{:02}-28", 1 + k % 12);
        let done = if p == 100 { deadline.clone() } else { String::new() };
        vec![
            s(id),
            s(org),
            s(parent),
            s(t),
            s(deadline),
            Param::I(p),
            s(done),
            Param::I(seq as i64),
        ]
    };
    let trows: Vec<Vec<Param>> = deployed
        .iter()
        .enumerate()
        .map(|(i, id)| task(id, &root, "", format!("党建任务{:02}", i + 1), i, i + 1))
        .collect();
    let lrows: Vec<Vec<Param>> = deployed
        .iter()
        .enumerate()
        .map(|(i, id)| vec![s(id), s(&top[i].0)])
        .collect();
    tasks += trows.len();
    insert(&mut tx, task_head, &task_row, &trows).await?;
    insert(&mut tx, link_head, link_row, &lrows).await?;

    // Branches, 100 at a time: shares, their KPIs and figures, tasks and links.
    for (c, chunk) in branch_ids.chunks(100).enumerate() {
        let (mut grows, mut krows, mut vrows, mut trows, mut lrows) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, bid) in chunk.iter().enumerate() {
            let b = c * 100 + i;
            let mut shares = Vec::with_capacity(goals);
            for (g, (parent, _)) in top.iter().enumerate() {
                let (gid, kid) = (ids::new_id(), ids::new_id());
                let (base, target, dir) = kpi_of(g);
                grows.push(vec![
                    s(&gid),
                    s(bid),
                    s(parent),
                    s(title(g)),
                    hard(g),
                    Param::I(g as i64 + 1),
                ]);
                krows.push(vec![
                    s(&kid),
                    s(&gid),
                    s(kpi_name(g)),
                    Param::I(base),
                    Param::I(target),
                    s(dir),
                ]);
                figures(&kid, g, 30 + ((b * 7 + g * 13) % 90) as i64, &mut vrows);
                shares.push(gid);
            }
            for k in 0..tasks_per {
                let id = ids::new_id();
                if k == 0 && !deployed.is_empty() {
                    let d = b % deployed.len();
                    trows.push(task(
                        &id,
                        bid,
                        &deployed[d],
                        format!("党建任务{:02}", d + 1),
                        b + k,
                        k + 1,
                    ));
                    lrows.push(vec![s(&id), s(&top[d].0)]);
                } else {
                    let g = (b + k * 3) % goals;
                    trows.push(task(&id, bid, "", format!("支部攻坚任务{k}"), b + k, k + 1));
                    lrows.push(vec![s(&id), s(&shares[g])]);
                }
            }
        }
        insert(&mut tx, goal_head, &goal_row, &grows).await?;
        insert(&mut tx, kpi_head, &kpi_row, &krows).await?;
        insert(&mut tx, value_head, &value_row, &vrows).await?;
        insert(&mut tx, task_head, &task_row, &trows).await?;
        insert(&mut tx, link_head, link_row, &lrows).await?;
        values += vrows.len();
        tasks += trows.len();
    }
    tx.commit().await?;
    Ok(PlanGen {
        committee: root,
        year,
        orgs: orgs.len(),
        goals: goals * (branches + 1),
        values,
        tasks,
    })
}
