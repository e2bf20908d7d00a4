//! Demo dues: a base for every probationary and full member (working
//! members on after-tax pay of 4,000–16,000 yuan across the brackets, a few
//! retired, a pay rise for some five months ago) and twelve months of
//! payments up to last month, with a few members behind: some by one or two
//! months, and in the first branch one by three and one by five, so that the
//! to-do list shows both warnings.
use crate::audit::Actor;
use crate::db::Db;
use crate::dues::{self, add_months, current_month, start_month, NewBase};
use crate::org::Scope;
use crate::people::{self, Filter, Person, Status};
use crate::Result;

/// Months of payments the demo holds, up to last month.
const MONTHS: i64 = 12;

/// The branch's members, in the order they were entered.
async fn members(db: &Db, scope: &Scope, branch: &str) -> Result<Vec<Person>> {
    let mut out = Vec::new();
    for status in [Status::Full, Status::Probationary] {
        let f = Filter {
            org_id: Some(branch.to_string()),
            status: Some(status),
            ..Filter::default()
        };
        out.extend(people::search(db, scope, &f, 0, 1000).await?.0);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// (category, base in fen) for the k-th member: retired from age 60, else
/// in work; a few exactly on a bracket's edge.
fn pay(p: &Person, k: usize) -> (&'static str, i64) {
    let born: i32 = p
        .birth_date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or(1980);
    let k = k as i64;
    if born <= 1966 {
        return ("离退休", 350_000 + (k * 61_337) % 400_000);
    }
    match k % 23 {
        5 => ("在职", 500_000),
        11 => ("在职", 1_000_000),
        _ => ("在职", 400_000 + (k * 791_993) % 1_100_000),
    }
}

/// Months a member is behind at the end of last month.
fn behind(branch: usize, i: usize) -> i64 {
    match (branch, i) {
        (0, 4) => 3,
        (0, 9) => 5,
        (b, 6) if b % 2 == 0 => 1,
        (b, 7) if b % 3 == 1 => 2,
        _ => 0,
    }
}

pub async fn seed(db: &Db, now: i64, actor: &Actor, branches: &[String]) -> Result<()> {
    let all = Scope::all();
    let current = current_month(now);
    let last = add_months(&current, -1).unwrap_or_default();
    let first = add_months(&current, -MONTHS).unwrap_or_default();
    let rise = add_months(&current, -5).unwrap_or_default();
    for (b, branch) in branches.iter().enumerate() {
        // (person id, first month owed here, last month paid).
        let mut plan: Vec<(String, String, String)> = Vec::new();
        for (i, p) in members(db, &all, branch).await?.iter().enumerate() {
            let Ok(start) = start_month(p) else { continue };
            let from = if start > first { start } else { first.clone() };
            let k = b * 31 + i;
            let (category, base_fen) = pay(p, k);
            let base = |from: &str, fen: i64| NewBase {
                from_month: from.to_string(),
                category: category.into(),
                base_fen: Some(fen),
                ..NewBase::default()
            };
            dues::set_base(db, now, actor, &all, &p.id, &base(&from, base_fen)).await?;
            if k % 3 == 0 && rise > from {
                // A 6 % rise, to the fen.
                let raised = base_fen * 106 / 100;
                dues::set_base(db, now, actor, &all, &p.id, &base(&rise, raised)).await?;
            }
            let paid_to = add_months(&last, -behind(b, i)).unwrap_or_default();
            plan.push((p.id.clone(), from, paid_to));
        }
        for k in (1..=MONTHS).rev() {
            let Some(month) = add_months(&current, -k) else {
                continue;
            };
            let ids: Vec<String> = plan
                .iter()
                .filter(|(_, from, to)| *from <= month && month <= *to)
                .map(|(id, _, _)| id.clone())
                .collect();
            if ids.is_empty() {
                continue;
            }
            // Collected on a working day of the month itself.
            let day = 8 + (b * 5 + k as usize * 3) % 18;
            let paid_on = format!("{month}-{day:02}");
            dues::record_batch(db, now, actor, &all, &month, &ids, &paid_on).await?;
        }
    }
    Ok(())
}
