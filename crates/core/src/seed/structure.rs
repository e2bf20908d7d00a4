//! Demo committees (班子) and terms: most terms running, one coming due, one overdue.
use crate::audit::Actor;
use crate::db::Db;
use crate::org::{self, Scope};
use crate::people::{self, Filter};
use crate::Result;
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
    let office = org::create_unit(db, now, actor, "机关各处室", "部门", None).await?;
    for o in org::list(db, &all).await?.iter().filter(|o| o.kind == "branch") {
        let unit_name = o.name.trim_end_matches("党支部");
        let kind = if unit_name.ends_with('组') {
            "项目组"
        } else {
            "处室"
        };
        let unit = org::create_unit(db, now, actor, unit_name, kind, Some(&office)).await?;
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
    Ok(())
}
