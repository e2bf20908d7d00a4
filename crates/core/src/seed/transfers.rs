//! Demo transfers, made with the module's own functions: two accepted, one
//! waiting for the first branch (its to-do), one returned, one out of the
//! system with a letter, one in from outside.
use crate::audit::Actor;
use crate::clock::DAY_MS;
use crate::db::Db;
use crate::org::Scope;
use crate::people::{self, Filter, NewPerson, Status};
use crate::transfer::{self, NewTransfer};
use crate::{Error, Result};

/// The `n`-th full member of a branch, by pinyin.
async fn member(db: &Db, branch: &str, n: i64) -> Result<String> {
    let f = Filter {
        org_id: Some(branch.to_string()),
        status: Some(Status::Full),
        ..Filter::default()
    };
    let (found, _) = people::search(db, &Scope::all(), &f, n, 1).await?;
    found
        .into_iter()
        .next()
        .map(|p| p.id)
        .ok_or_else(|| Error::Conflict("演示支部中正式党员不足".into()))
}

fn internal(person: String, to: &str, reason: &str) -> NewTransfer {
    NewTransfer {
        kind: "internal".into(),
        person_id: person,
        to_org_id: to.into(),
        reason: reason.into(),
        ..NewTransfer::default()
    }
}

/// A valid citizen ID for the arriving member (an order number the demo
/// roster does not use).
fn citizen_id() -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let first17 = "11010819880312902";
    let sum: u32 = first17
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip(W)
        .map(|(d, w)| d * w)
        .sum();
    format!("{first17}{}", C[(sum % 11) as usize])
}

/// Fills the demo branches (`branches`: their ids) with this module's records.
pub async fn seed(db: &Db, now: i64, actor: &Actor, branches: &[String]) -> Result<()> {
    if branches.len() < 9 {
        return Ok(());
    }
    let all = Scope::all();
    let day = |n: i64| now - n * DAY_MS;
    let (first, second) = (&branches[0], &branches[1]);

    // Two accepted: one into the first branch, one out of it.
    let p = member(db, &branches[3], 0).await?;
    let t = transfer::request(db, day(75), actor, &all, &internal(p, first, "工作调动至综合处")).await?;
    transfer::accept(db, day(72), actor, &all, &t).await?;
    let p = member(db, first, 1).await?;
    let t = transfer::request(db, day(48), actor, &all, &internal(p, &branches[7], "岗位交流至财务处")).await?;
    transfer::accept(db, day(44), actor, &all, &t).await?;

    // Waiting for the first branch: its to-do.
    let p = member(db, &branches[5], 0).await?;
    transfer::request(db, day(6), actor, &all, &internal(p, first, "借调期满，正式调入综合处")).await?;

    // Returned by the receiving branch, with its reason.
    let p = member(db, second, 0).await?;
    let t = transfer::request(db, day(30), actor, &all, &internal(p, &branches[8], "拟调入审计处")).await?;
    transfer::send_back(db, day(27), actor, &all, &t, "人事调动手续尚未办结，请办结后再申请转接").await?;

    // Out of the system, with an introduction letter.
    let p = member(db, first, 2).await?;
    let out = NewTransfer {
        kind: "out".into(),
        person_id: p,
        outside_org: "某某市发展和改革委员会机关党委".into(),
        reason: "调任市发展和改革委员会工作".into(),
        ..NewTransfer::default()
    };
    transfer::request(db, day(12), actor, &all, &out).await?;

    // In from outside, onto the first branch's roster.
    let arriving = NewTransfer {
        kind: "in".into(),
        outside_org: "某某大学马克思主义学院党委".into(),
        letter_no: "某大党转〔2026〕15号".into(),
        reason: "录用为机关公务员".into(),
        person: Some(NewPerson {
            name: "周文静".into(),
            citizen_id: citizen_id(),
            phone: "13911082606".into(),
            org_id: first.clone(),
            status: "正式党员".into(),
            joined_on: "2010-06-18".into(),
            full_on: "2011-06-18".into(),
            ethnicity: "汉族".into(),
            education: "研究生".into(),
            admin_post: "一级主任科员".into(),
            ..NewPerson::default()
        }),
        ..NewTransfer::default()
    };
    transfer::request(db, day(20), actor, &all, &arriving).await?;
    Ok(())
}
