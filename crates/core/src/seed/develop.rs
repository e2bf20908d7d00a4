//! Demo development histories: everyone the roster lists as applicant,
//! activist, candidate or probationary member gets the steps that brought
//! them there, recorded through `develop::record_step` so every rule is
//! checked. Dates are relative to `now`; a few steps come due within the
//! month, and two are overdue (a talk, an approval).
use crate::audit::Actor;
use crate::db::Db;
use crate::develop::{record_kept, record_step, step_def, NewKept, NewStep, RecordKind};
use crate::org::Scope;
use crate::people::{self, Filter, Person, Status};
use crate::Result;
use chrono::{Datelike, Duration, Months, NaiveDate};

/// Steps 1 to 25 from an application on `a`, spaced within the rules.
fn schedule(a: NaiveDate) -> Vec<NaiveDate> {
    let days = |d: NaiveDate, n: i64| d + Duration::days(n);
    let t3 = days(a, 45);
    let t7 = days(t3.checked_add_months(Months::new(12)).unwrap_or(t3), 10);
    let t15 = days(t7, 90);
    let t23 = t15.checked_add_months(Months::new(12)).unwrap_or(t15);
    let mut s = vec![a, days(a, 20), t3, days(t3, 7), days(t3, 10), days(t3, 180)];
    s.extend([0, 7, 14, 30, 45, 60, 70, 80, 90].map(|n| days(t7, n)));
    s.extend([20, 50, 60, 65, 70, 200, 335].map(|n| days(t15, n)));
    s.extend([t23, days(t23, 20), days(t23, 30)]);
    s
}

/// The application date that puts step `anchor` (1, 3, 7 or 15) on `on`.
fn applied_for(anchor: u8, on: NaiveDate) -> NaiveDate {
    let back = |d: NaiveDate, n: i64| d - Duration::days(n);
    let from_t7 = |t7: NaiveDate| {
        let t3 = back(t7, 10).checked_sub_months(Months::new(12)).unwrap_or(t7);
        back(t3, 45)
    };
    match anchor {
        3 => back(on, 45),
        7 => from_t7(on),
        15 => from_t7(back(on, 90)),
        _ => on,
    }
}

/// (last step, anchor step, days ago) for the `j`-th person of a status in
/// branch `b`.
fn plan(status: Status, b: usize, j: usize) -> Option<(u8, u8, i64)> {
    let b64 = b as i64;
    Some(match (status, j) {
        // A talk due within the month; one overdue; the rest talked.
        (Status::Applicant, _) if b.is_multiple_of(4) => (1, 1, 10),
        (Status::Applicant, _) if b == 1 => (1, 1, 45),
        (Status::Applicant, _) => (2, 1, 50 + 30 * b64),
        // New activists, and activists near (or past) their first year.
        (Status::Activist, 0) => (5, 3, 60 + 10 * b64),
        (Status::Activist, _) => (6, 3, 330 + 15 * b64),
        // Candidates at every step from 8 to 16; one approval coming due,
        // one overdue.
        (Status::Candidate, _) => match 8 + (b % 9) as u8 {
            15 => (15, 15, 70),
            16 => (16, 15, 100),
            k => (k, 7, 95 + 3 * b64),
        },
        // Probationary members early in probation, and near its end.
        (Status::Probationary, 0) => (17 + (b % 4) as u8, 15, 120 + 10 * b64),
        (Status::Probationary, _) => (if b >= 7 { 22 } else { 21 }, 15, 300 + 5 * b64),
        _ => return None,
    })
}

/// Who is responsible for each step in a branch: the secretary, the
/// organization member, two full members as contacts and introducers.
struct Cast {
    secretary: String,
    organizer: String,
    introducers: [String; 2],
}

fn cast(full: &[Person]) -> Option<Cast> {
    let post = |p: &str| full.iter().find(|x| x.party_post == p).map(|x| x.name.clone());
    let secretary = post("支部书记").or_else(|| full.first().map(|x| x.name.clone()))?;
    let organizer = post("组织委员").unwrap_or_else(|| secretary.clone());
    let mut others = full.iter().map(|x| x.name.clone()).filter(|n| *n != secretary);
    let first = others.next()?;
    let second = others.find(|n| *n != first)?;
    Some(Cast {
        secretary,
        organizer,
        introducers: [first, second],
    })
}

fn step_input(no: u8, on: NaiveDate, who: &Person, c: &Cast) -> NewStep {
    let s = &c.secretary;
    let pair = c.introducers.join("、");
    let responsible = match no {
        1 | 14 | 22 => who.name.clone(),
        3 | 7 | 12 => format!("支部委员会（{s}主持）"),
        5 | 6 | 21 => pair,
        10 | 25 => c.organizer.clone(),
        11 => "机关党委党校".into(),
        13 => "机关党委组织部".into(),
        15 => format!("{s}（主持）"),
        16 => "机关党委委员 王建国".into(),
        17 | 24 => "机关党委".into(),
        18 => "上级党委组织部".into(),
        20 => format!("{s}（领誓）"),
        _ => s.clone(),
    };
    let document = match no {
        17 => format!("审批意见（机关党委〔{}〕{}号）", on.year(), on.ordinal() / 7 + 1),
        _ => String::new(),
    };
    NewStep {
        step: i64::from(no),
        done_on: on.format("%Y-%m-%d").to_string(),
        body: step_def(no).map_or("", |d| d.body.code()).into(),
        responsible,
        document,
        introducers: if no == 9 { c.introducers.to_vec() } else { Vec::new() },
        training_days: (no == 11).then_some(5),
        training_hours: (no == 11).then_some(40),
        ..NewStep::default()
    }
}

/// An activist's reviews and reports, each on the day it came due since
/// `since`, so none is overdue in the demo.
async fn kept_on_time(
    db: &Db,
    now: i64,
    actor: &Actor,
    all: &Scope,
    person_id: &str,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    use crate::rules::development::{ACTIVIST_REPORT_EVERY_MONTHS, ACTIVIST_REVIEW_EVERY_MONTHS};
    for (kind, every) in [
        (RecordKind::Review, ACTIVIST_REVIEW_EVERY_MONTHS),
        (RecordKind::Report, ACTIVIST_REPORT_EVERY_MONTHS),
    ] {
        let mut on = since;
        while let Some(next) = on.checked_add_months(Months::new(every)).filter(|d| *d <= today) {
            let k = NewKept {
                kind: kind.code().into(),
                done_on: next.format("%Y-%m-%d").to_string(),
                ..NewKept::default()
            };
            record_kept(db, now, actor, all, person_id, &k).await?;
            on = next;
        }
    }
    Ok(())
}

/// Fills the demo branches (`branches`: their ids) with this module's records.
pub async fn seed(db: &Db, now: i64, actor: &Actor, branches: &[String]) -> Result<()> {
    let all = Scope::all();
    let today = crate::clock::beijing(now).date_naive();
    for (b, branch) in branches.iter().enumerate() {
        let of = |status| Filter {
            org_id: Some(branch.clone()),
            status: Some(status),
            ..Filter::default()
        };
        let (full, _) = people::search(db, &all, &of(Status::Full), 0, 1000).await?;
        let Some(c) = cast(&full) else { continue };
        for status in [
            Status::Applicant,
            Status::Activist,
            Status::Candidate,
            Status::Probationary,
        ] {
            let (found, _) = people::search(db, &all, &of(status), 0, 1000).await?;
            for (j, who) in found.iter().enumerate() {
                let Some((last, anchor, ago)) = plan(status, b, j) else {
                    continue;
                };
                let dates = schedule(applied_for(anchor, today - Duration::days(ago)));
                for (i, on) in dates.iter().take(usize::from(last)).enumerate() {
                    let no = i as u8 + 1;
                    let on = (*on).min(today);
                    record_step(db, now, actor, &all, &who.id, &step_input(no, on, who, &c)).await?;
                }
                if status == Status::Activist {
                    kept_on_time(db, now, actor, &all, &who.id, dates[2], today).await?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::develop::{check_step, current_stage, due_steps, step_warnings, Introducer, Stage, StepFacts};

    /// Every plan passes every rule, whatever the day the demo is made on
    /// (month ends and a leap day included), and ends in its status.
    #[test]
    fn plans_pass_the_rules_on_any_day() {
        let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let statuses = [
            (Status::Applicant, Stage::Applicant),
            (Status::Activist, Stage::Activist),
            (Status::Candidate, Stage::Candidate),
            (Status::Probationary, Stage::Probationary),
        ];
        for offset in 0..(4 * 366) {
            let today = start + Duration::days(offset);
            let mut overdue = 0;
            for b in 0..10 {
                for (status, stage) in statuses {
                    for j in 0..2 {
                        let (last, anchor, ago) = plan(status, b, j).unwrap();
                        let dates = schedule(applied_for(anchor, today - Duration::days(ago)));
                        let mut done = Vec::new();
                        for (i, on) in dates.iter().take(usize::from(last)).enumerate() {
                            let no = i as u8 + 1;
                            let facts = StepFacts {
                                birth_date: NaiveDate::from_ymd_opt(1990, 1, 1),
                                introducers: ["甲", "乙"]
                                    .map(|n| Introducer {
                                        name: n.into(),
                                        full_since: NaiveDate::from_ymd_opt(2000, 1, 1),
                                    })
                                    .to_vec(),
                                training_days: 5,
                                training_class_hours: 40,
                                ..StepFacts::new(today, step_def(no).unwrap().body)
                            };
                            assert_eq!(
                                check_step(&done, no, *on, &facts),
                                Ok(()),
                                "{today} {status:?} b{b} j{j}"
                            );
                            assert!(step_warnings(&done, no, *on).is_empty());
                            done.push((no, *on));
                        }
                        assert_eq!(current_stage(&done), Some(stage));
                        // The demo has two activists and two probationary
                        // members a branch, one of each other status.
                        if j == 0 || matches!(status, Status::Activist | Status::Probationary) {
                            overdue += due_steps(&done, today).iter().filter(|d| d.2).count();
                        }
                    }
                }
            }
            assert_eq!(overdue, 2, "{today}");
        }
    }
}
