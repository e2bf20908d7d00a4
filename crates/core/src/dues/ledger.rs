//! What the dues records say: the monthly ledger of a branch or subtree, a
//! member's year, the arrears to-dos, and the ledger as a sheet.
use super::model::{Base, Ledger, LedgerRow, MonthDues, MonthState, Payment, PersonDues, Totals};
use super::money::yuan;
use super::rules::{add_months, arrears_warning, consecutive_unpaid_months};
use super::store::{self, base_in_force, base_line, current_month, member_where, start_month};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Org, OrgKind, Scope};
use crate::people::{self, Person};
use crate::rules::dues::{ARREARS_FIRST_WARNING_MONTHS, ARREARS_LEAVING_MONTHS};
use crate::sheet::Table;
use crate::sql::Param;
use crate::todo::Todo;
use crate::{Error, Result};
use std::collections::HashMap;

/// Months the person page shows.
pub const HISTORY_MONTHS: i64 = 12;

/// The first month the product tracks for a member: the later of the month
/// they start owing dues and their first base. Months before it were never
/// recorded here, so they count neither as paid nor as arrears.
fn tracked_from(start: &str, first_base: Option<&str>) -> Option<String> {
    first_base.map(|b| if b > start { b } else { start }.to_string())
}

/// The last month whose unpaid dues count as arrears when looking at
/// `month`: that month once it is over, else last month.
fn arrears_through(month: &str, current: &str) -> String {
    if month < current {
        month.to_string()
    } else {
        add_months(current, -1).unwrap_or_default()
    }
}

/// One member's dues for `month`: the base in force, the amount due, the
/// payment, and the run of unpaid months. `paid_months` must hold the
/// latest paid month up to the arrears month (more months do no harm).
fn month_dues(
    bases: &[Base],
    paid_months: &[String],
    payment: Option<&Payment>,
    month: &str,
    start: &str,
    current: &str,
) -> MonthDues {
    let first_base = bases.first().map(|b| b.from_month.as_str());
    let arrears = tracked_from(start, first_base)
        .map(|t| consecutive_unpaid_months(paid_months, &arrears_through(month, current), &t))
        .unwrap_or(0);
    let base = base_in_force(bases, month);
    let state = match (payment, base) {
        (Some(_), _) => MonthState::Paid,
        (None, None) => MonthState::NoBase,
        (None, Some(_)) if arrears == 0 => MonthState::Unpaid,
        (None, Some(_)) => MonthState::Arrears,
    };
    MonthDues {
        month: month.to_string(),
        category: base.map(|b| b.category.clone()),
        category_label: base.map(|b| b.category_label().to_string()).unwrap_or_default(),
        base_fen: base.map(|b| b.base_fen),
        rate: base.map(Base::rate).unwrap_or_default(),
        due_fen: base.and_then(|b| b.amount_fen().ok()),
        paid_fen: payment.map(|p| p.amount_fen),
        paid_on: payment.map(|p| p.paid_on.clone()),
        state,
        arrears,
    }
}

/// Organizations by id, to name a member's branch.
async fn org_index(db: &Db, scope: &Scope) -> Result<HashMap<String, Org>> {
    Ok(org::list(db, scope)
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect())
}

/// The branch a person belongs to: the nearest branch on their path (a
/// group's member belongs to the group's branch), else their organization.
fn branch_of(orgs: &HashMap<String, Org>, p: &Person) -> String {
    p.org_path
        .split('/')
        .filter(|s| !s.is_empty())
        .rev()
        .filter_map(|id| orgs.get(id))
        .find(|o| o.kind == OrgKind::Branch.code())
        .or_else(|| orgs.get(&p.org_id))
        .map(|o| o.name.clone())
        .unwrap_or_default()
}

/// The month asked for, or this month; never a month still to come.
fn ledger_month(month: Option<&str>, current: &str) -> Result<String> {
    let m = match month.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => super::model::parse_month_field("月份", m)?,
        None => return Ok(current.to_string()),
    };
    if m.as_str() > current {
        return Err(Error::invalid("月份", format!("不能晚于本月（{current}）")));
    }
    Ok(m)
}

async fn under(db: &Db, scope: &Scope, org_id: Option<&str>) -> Result<Option<Org>> {
    match org_id.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(id) => org::get(db, scope, id)
            .await
            .map(Some)
            .map_err(|_| Error::invalid("组织", "不存在或不在您的管理范围内")),
    }
}

/// The monthly ledger (党费台账) of the organization `org_id` and its
/// subtree (the whole scope when None) for `month` (this month when None):
/// each member who owed dues that month, with the figures and the totals.
pub async fn ledger(db: &Db, scope: &Scope, org_id: Option<&str>, month: Option<&str>, now: i64) -> Result<Ledger> {
    let current = current_month(now);
    let month = ledger_month(month, &current)?;
    let o = under(db, scope, org_id).await?;
    let path = o.as_ref().map(|o| o.path.as_str());
    let w = || member_where(scope, path, &month);
    let members = store::members(db, &w()).await?;
    let bases = store::bases_where(db, &w()).await?;
    let latest = store::latest_paid(db, w(), &arrears_through(&month, &current)).await?;
    let payments = store::payments_in(db, w(), &month).await?;
    let orgs = org_index(db, scope).await?;
    let none: Vec<Base> = Vec::new();
    let mut rows = Vec::with_capacity(members.len());
    for p in members {
        let Ok(start) = start_month(&p) else { continue };
        let paid: Vec<String> = latest.get(&p.id).cloned().into_iter().collect();
        let bases = bases.get(&p.id).unwrap_or(&none);
        let d = month_dues(bases, &paid, payments.get(&p.id), &month, &start, &current);
        rows.push(LedgerRow {
            person_id: p.id.clone(),
            name: p.name.clone(),
            org_id: p.org_id.clone(),
            branch: branch_of(&orgs, &p),
            dues: d,
        });
    }
    Ok(Ledger {
        month,
        org_id: o.map(|o| o.id),
        totals: Totals::of(&rows),
        rows,
    })
}

/// A member's dues: bases (newest first), the last 12 months (newest
/// first, none before they owed dues) and the arrears up to last month.
pub async fn history(db: &Db, scope: &Scope, person_id: &str, now: i64) -> Result<PersonDues> {
    let p = people::get(db, scope, person_id).await?;
    let orgs = org_index(db, scope).await?;
    let bases = store::bases_of(db, &p.id).await?;
    let paid = store::payments_of(db, &p.id).await?;
    let paid_months: Vec<String> = paid.iter().map(|x| x.month.clone()).collect();
    let current = current_month(now);
    let start = start_month(&p).ok();
    let mut months = Vec::new();
    if let Some(start) = &start {
        for k in 0..HISTORY_MONTHS {
            let Some(m) = add_months(&current, -k) else { break };
            if m < *start {
                break;
            }
            let payment = paid.iter().find(|x| x.month == m);
            let mut d = month_dues(&bases, &paid_months, payment, &m, start, &current);
            // Month by month, this month is simply not paid yet; the run of
            // earlier months shows on the rows before it.
            if m == current && d.state == MonthState::Arrears {
                d.state = MonthState::Unpaid;
            }
            months.push(d);
        }
    }
    let tracked = start
        .as_deref()
        .and_then(|s| tracked_from(s, bases.first().map(|b| b.from_month.as_str())));
    let last = add_months(&current, -1).unwrap_or_default();
    let arrears = tracked
        .as_deref()
        .map(|t| consecutive_unpaid_months(&paid_months, &last, t))
        .unwrap_or(0);
    Ok(PersonDues {
        person_id: p.id.clone(),
        name: p.name.clone(),
        status: p.status_label().to_string(),
        branch: branch_of(&orgs, &p),
        start_month: start,
        tracked_from: tracked,
        bases: bases.iter().rev().map(base_line).collect(),
        months,
        arrears,
        warning: arrears_warning(arrears),
    })
}

/// 党费交至 of a person the caller already holds (read through a scope):
/// the month the ledger shows them paid up to without a gap, for a letter
/// to print instead of asking for it (最多报一次). None when nothing is paid
/// from the first tracked month, or the person owes no dues.
pub async fn paid_up_to(db: &Db, p: &Person) -> Result<Option<String>> {
    let Ok(start) = start_month(p) else { return Ok(None) };
    let bases = store::bases_of(db, &p.id).await?;
    let Some(from) = tracked_from(&start, bases.first().map(|b| b.from_month.as_str())) else {
        return Ok(None);
    };
    let paid: Vec<String> = store::payments_of(db, &p.id)
        .await?
        .into_iter()
        .map(|x| x.month)
        .collect();
    Ok(super::rules::paid_through(&paid, &from))
}

/// The last day of a month, "2026-02" → "2026-02-28".
fn last_day(month: &str) -> Option<String> {
    let next = add_months(month, 1)?;
    let first = chrono::NaiveDate::parse_from_str(&format!("{next}-01"), "%Y-%m-%d").ok()?;
    Some((first - chrono::Duration::days(1)).format("%Y-%m-%d").to_string())
}

/// 待办: members in the scope with 3 or more consecutive months unpaid up to
/// last month (Party Constitution art. 9 warns at 3 and at 5). The due date
/// is the end of the sixth unpaid month (at 5 months, the end of this month);
/// from 6 there is none and the to-do is overdue.
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let current = current_month(now);
    let last = add_months(&current, -1).unwrap_or_default();
    // Only members who can be a warning's months behind are read: tracked (a
    // base) from `cut` at the latest and nothing paid from it through `last`.
    // The rule below still judges each; a superior's bell would otherwise
    // read every member of the subtree on every page.
    let cut = add_months(&last, 1 - i64::from(ARREARS_FIRST_WARNING_MONTHS)).unwrap_or_default();
    let w = || {
        let mut w = member_where(scope, None, &last);
        let c = w.param(Param::S(cut.clone()));
        let l = w.param(Param::S(last.clone()));
        // The kept standing (migration 0023) names the few candidates first:
        // nothing paid since before `cut`, or paid ahead past `last`.
        w.push_raw(format!(
            "p.id IN (SELECT s.person_id FROM dues_standing s WHERE s.latest_paid < {c} AND s.first_base <= {c} \
             UNION ALL SELECT s.person_id FROM dues_standing s WHERE s.latest_paid > {l} AND s.first_base <= {c}) \
             AND EXISTS (SELECT 1 FROM dues_bases b0 WHERE b0.person_id = p.id AND b0.from_month <= {c}) \
             AND NOT EXISTS (SELECT 1 FROM dues_payments x0 WHERE x0.person_id = p.id \
             AND x0.month >= {c} AND x0.month <= {l})"
        ));
        w
    };
    let members = store::members(db, &w()).await?;
    let bases = store::bases_where(db, &w()).await?;
    let latest = store::latest_paid(db, w(), &last).await?;
    let on_paths: Vec<String> = members
        .iter()
        .flat_map(|p| p.org_path.split('/').filter(|s| !s.is_empty()).map(String::from))
        .collect();
    let orgs = org::by_ids(db, &on_paths).await?;
    let mut out: Vec<(u32, Todo)> = Vec::new();
    for p in members {
        let Ok(start) = start_month(&p) else { continue };
        let first = bases.get(&p.id).and_then(|b| b.first()).map(|b| b.from_month.as_str());
        let Some(tracked) = tracked_from(&start, first) else {
            continue;
        };
        let paid: Vec<String> = latest.get(&p.id).cloned().into_iter().collect();
        let n = consecutive_unpaid_months(&paid, &last, &tracked);
        let Some(detail) = arrears_warning(n) else { continue };
        if n < ARREARS_FIRST_WARNING_MONTHS {
            continue;
        }
        let due = (n < ARREARS_LEAVING_MONTHS)
            .then(|| add_months(&last, i64::from(ARREARS_LEAVING_MONTHS - n)))
            .flatten()
            .and_then(|m| last_day(&m));
        out.push((
            n,
            Todo {
                kind: "dues",
                title: format!("{}（{}）：党费已连续 {n} 个月未交纳", p.name, branch_of(&orgs, &p)),
                detail,
                // Late only once there is no month left to pay in (from 6).
                overdue: due.is_none(),
                due,
                from: None,
                href: format!("/dues/{}", p.id),
            },
        ));
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.title.cmp(&b.1.title)));
    Ok(out.into_iter().map(|(_, t)| t).collect())
}

/// The ledger's columns, as on the page.
pub const LEDGER_COLUMNS: [&str; 9] = [
    "姓名",
    "所属支部",
    "类别",
    "基数（元）",
    "比例",
    "应缴（元）",
    "实缴（元）",
    "缴纳日期",
    "状态",
];

/// The ledger as a sheet with a totals row; the export is audited. Returns
/// the sheet and the organization's name ("全部" for the whole scope).
pub async fn export(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: Option<&str>,
    month: Option<&str>,
) -> Result<(Table, String)> {
    let l = ledger(db, scope, org_id, month, now).await?;
    let org_name = match &l.org_id {
        Some(id) => org::get(db, scope, id).await?.name,
        None => "全部".to_string(),
    };
    let mut rows: Vec<Vec<String>> = l
        .rows
        .iter()
        .map(|r| {
            let d = &r.dues;
            vec![
                r.name.clone(),
                r.branch.clone(),
                d.category_label.clone(),
                d.base_yuan(),
                d.rate.clone(),
                d.due_yuan(),
                d.paid_yuan(),
                d.paid_on.clone().unwrap_or_default(),
                d.state_label(),
            ]
        })
        .collect();
    let t = &l.totals;
    rows.push(vec![
        "合计".into(),
        format!("{} 人", t.members),
        String::new(),
        String::new(),
        String::new(),
        yuan(t.due_fen),
        yuan(t.paid_fen),
        String::new(),
        format!("已缴 {} 人，未缴 {} 人", t.paid, t.unpaid),
    ]);
    let ev = Event::new("dues.export", format!("{org_name} {}", l.month), Outcome::Ok)
        .detail(format!("党费台账 {} 人", t.members));
    audit::record(db, now, actor, ev).await?;
    Ok((
        Table {
            sheet: format!("党费台账{}", l.month),
            headers: LEDGER_COLUMNS.iter().map(|c| c.to_string()).collect(),
            rows,
            lists: vec![],
        },
        org_name,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(from: &str, fen: i64) -> Base {
        Base {
            id: from.into(),
            person_id: "p".into(),
            from_month: from.into(),
            category: "working".into(),
            base_fen: fen,
            farmer_amount_fen: None,
            created_at: 0,
            updated_at: 0,
        }
    }
    fn paid(month: &str) -> Payment {
        Payment {
            id: month.into(),
            person_id: "p".into(),
            month: month.into(),
            amount_fen: 4_500,
            paid_on: format!("{month}-15"),
            recorded_by: String::new(),
            created_at: 0,
        }
    }

    #[test]
    fn this_month_is_not_yet_in_arrears() {
        let bases = [base("2025-01", 450_000)];
        let months = vec!["2026-10".to_string()];
        let d = month_dues(&bases, &months, None, "2026-11", "2020-01", "2026-11");
        assert_eq!((d.state, d.arrears, d.due_fen), (MonthState::Unpaid, 0, Some(4_500)));
        assert_eq!(d.state_label(), "未缴");
        // Last month unpaid too: one month in arrears, shown on this month.
        let months = vec!["2026-09".to_string()];
        let d = month_dues(&bases, &months, None, "2026-11", "2020-01", "2026-11");
        assert_eq!((d.state, d.arrears), (MonthState::Arrears, 1));
        // A past month counts itself.
        let d = month_dues(&bases, &months, None, "2026-10", "2020-01", "2026-11");
        assert_eq!(d.state_label(), "欠缴 1 个月");
        let d = month_dues(&bases, &months, Some(&paid("2026-09")), "2026-09", "2020-01", "2026-11");
        assert_eq!(
            (d.state, d.paid_fen, d.state_tag()),
            (MonthState::Paid, Some(4_500), "green")
        );
    }

    #[test]
    fn tracking_starts_at_the_later_of_joining_and_the_first_base() {
        let bases = [base("2026-06", 450_000)];
        // Joined long before the first base: arrears count from the base.
        let d = month_dues(&bases, &[], None, "2026-11", "2010-07", "2026-11");
        assert_eq!(d.arrears, 5);
        assert_eq!(d.state_tag(), "red");
        // Before the first base nothing is known.
        let d = month_dues(&bases, &[], None, "2026-05", "2010-07", "2026-11");
        assert_eq!((d.state, d.arrears), (MonthState::NoBase, 0));
        // Without any base, nothing is counted.
        let d = month_dues(&[], &[], None, "2026-10", "2010-07", "2026-11");
        assert_eq!((d.state, d.arrears), (MonthState::NoBase, 0));
        assert_eq!(last_day("2028-02").as_deref(), Some("2028-02-29"));
        assert_eq!(last_day("2026-12").as_deref(), Some("2026-12-31"));
    }
}
