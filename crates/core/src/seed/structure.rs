//! Demo committees (班子) and terms: most terms running, one coming due, one overdue.
use crate::audit::Actor;
use crate::db::Db;
use crate::org::{self, Scope};
use crate::people::{self, Filter};
use crate::{with_db, Result};
use chrono::{Duration, Months};

/// The Party posts the demo roster carries, as committee posts.
const POSTS: [(&str, &str); 4] = [
    ("支部书记", "secretary"),
    ("组织委员", "organization"),
    ("宣传委员", "publicity"),
    ("纪检委员", "discipline"),
];

pub async fn seed(db: &Db, now: i64, actor: &Actor) -> Result<()> {
    let all = Scope::all();
    // Each branch sits on the business unit it is named after (支部建在处室、项目组上).
    let new_unit = |name: &str, kind: &str, parent: Option<&str>| org::NewUnit {
        name: name.into(),
        kind: kind.into(),
        parent_id: parent.map(String::from),
        owner_org_id: None,
    };
    let office = org::create_unit(db, now, actor, &all, new_unit("机关各处室", "部门", None)).await?;
    for o in org::list(db, &all).await?.iter().filter(|o| o.kind == "branch") {
        let unit_name = o.name.trim_end_matches("党支部");
        let kind = if unit_name.ends_with('组') {
            "项目组"
        } else {
            "处室"
        };
        let unit = org::create_unit(db, now, actor, &all, new_unit(unit_name, kind, Some(&office))).await?;
        org::attach(db, now, actor, &all, &o.id, &unit, true).await?;
    }
    let today = crate::clock::beijing(now).date_naive();
    let orgs = org::list(db, &all).await?;
    for (i, o) in orgs.iter().filter(|o| o.kind != "group").enumerate() {
        // Three-year terms: elected between 6 and 30 months ago; the 3rd is due
        // within 90 days and the 6th is overdue.
        let months_ago = match i {
            2 => 34,
            5 => 37,
            _ => 6 + (i as u32 * 5) % 25,
        };
        let elected = today.checked_sub_months(Months::new(months_ago)).unwrap_or(today) - Duration::days(i as i64);
        org::set_term(db, now, actor, &all, &o.id, &elected.format("%Y-%m-%d").to_string(), 3).await?;
        if o.kind != "branch" {
            continue;
        }
        let f = Filter {
            org_id: Some(o.id.clone()),
            ..Filter::default()
        };
        let (members, _) = people::search(db, &all, &f, 0, 200).await?;
        for (label, post) in POSTS {
            if let Some(p) = members.iter().find(|p| p.party_post == label && p.status == "full") {
                org::add_officer(db, now, actor, &all, &o.id, &p.id, post).await?;
            }
        }
    }
    // The 党委's and each 党总支's own committee: branch secretaries below it.
    for o in orgs
        .iter()
        .filter(|o| o.kind == "committee" || o.kind == "general_branch")
    {
        let posts: &[&str] = if o.kind == "committee" {
            &[
                "secretary",
                "deputy_secretary",
                "organization",
                "publicity",
                "discipline",
            ]
        } else {
            &["secretary", "organization", "publicity"]
        };
        let f = Filter {
            org_id: Some(o.id.clone()),
            ..Filter::default()
        };
        let (below, _) = people::search(db, &all, &f, 0, 500).await?;
        let secretaries = below
            .iter()
            .filter(|p| p.party_post == "支部书记" && p.status == "full");
        for (p, post) in secretaries.zip(posts.iter()) {
            org::add_officer(db, now, actor, &all, &o.id, &p.id, post).await?;
        }
    }
    Ok(())
}

/// Registers about half of a branch's ordinary members (not 刘晓燕, whose
/// account the journeys use) in its 党小组: they stay the branch's members
/// for everything it owes (`org::members`).
pub async fn into_group(db: &Db, branch: &str, group: &str) -> Result<()> {
    let all = Scope::all();
    let path = org::get(db, &all, group).await?.path;
    let ids: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM people WHERE org_id = $1 AND party_post = '' AND status IN ('full', 'probationary') \
         AND left_on IS NULL AND name <> '刘晓燕' ORDER BY name_pinyin, id"
    )
    .bind(branch)
    .fetch_all(p)
    .await?);
    for id in ids.iter().step_by(2) {
        with_db!(db, |p| sqlx::query(
            "UPDATE people SET org_id = $1, org_path = $2 WHERE id = $3"
        )
        .bind(group)
        .bind(&path)
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
    }
    Ok(())
}
