//! Reminders (提醒): the to-do rules of every module, sent out. Each
//! organization's notification channels get one digest a day of what is
//! overdue in its subtree, from 08:00 Beijing time; a planned meeting's
//! agenda goes to the channels of its organization and those above it.
use crate::db::Db;
use crate::notify::{self, Target};
use crate::org::Scope;
use crate::todo::Todo;
use crate::{with_db, Result};

/// Digests go out from this hour (Beijing) onwards, once a day.
pub const DIGEST_HOUR: u32 = 8;
/// Items listed in one digest; the rest are counted.
pub const DIGEST_ITEMS: usize = 20;

/// Every module's to-dos for a subtree, judged on the day (`todo::settle`).
pub async fn todos_of(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let mut all = crate::org::todos(db, scope, now).await?;
    all.extend(crate::transfer::todos(db, scope, now).await?);
    all.extend(crate::develop::todos(db, scope, now).await?);
    all.extend(crate::dues::todos(db, scope, now).await?);
    all.extend(crate::plan::todos::todos(db, scope, now).await?);
    all.extend(crate::life::todos::todos(db, scope, now).await?);
    all.extend(crate::study::todos::todos(db, scope, now).await?);
    crate::todo::settle(&mut all, crate::clock::beijing(now).date_naive());
    Ok(all)
}

/// The day's digest text for some to-dos: (title, body), or None when nothing is overdue.
pub fn digest(org: &str, day: &str, todos: &[Todo]) -> Option<(String, String)> {
    let overdue: Vec<&Todo> = todos.iter().filter(|t| t.overdue).collect();
    if overdue.is_empty() {
        return None;
    }
    let mut body = format!("{org}及下级组织有 {} 项逾期待办：\n", overdue.len());
    for t in overdue.iter().take(DIGEST_ITEMS) {
        body.push_str(&format!("- {}：{}\n", t.title, t.detail));
    }
    if overdue.len() > DIGEST_ITEMS {
        body.push_str(&format!(
            "……另有 {} 项，请登录同频查看待办\n",
            overdue.len() - DIGEST_ITEMS
        ));
    }
    Some((format!("【同频】{org}待办提醒（{day}）"), body))
}

/// Queues today's digest for every organization that has an enabled
/// channel; a digest already queued today is not queued again.
pub async fn queue_digests(db: &Db, now: i64) -> Result<usize> {
    let t = crate::clock::beijing(now);
    if chrono::Timelike::hour(&t) < DIGEST_HOUR {
        return Ok(0);
    }
    let day = t.date_naive().to_string();
    let orgs: Vec<(String, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT DISTINCT o.id, o.name, o.path FROM notify_channels c JOIN orgs o ON o.id = c.org_id WHERE c.enabled = TRUE"
    )
    .fetch_all(p)
    .await?
    });
    let mut queued = 0;
    for (id, name, path) in orgs {
        let scope = Scope::subtree_of(&path);
        let mut todos = todos_of(db, &scope, now).await?;
        todos.extend(life_gaps(db, &scope, &id, now).await?);
        if let Some((title, body)) = digest(&name, &day, &todos) {
            queued += notify::enqueue(db, now, Target::Org(&id), &format!("digest:{day}"), &title, &body).await?;
        }
    }
    Ok(queued)
}

/// Obligations of organizational life that the subtree's organizations left
/// undone in the last ended month and quarter.
async fn life_gaps(db: &Db, scope: &Scope, org_id: &str, now: i64) -> Result<Vec<Todo>> {
    use crate::plan::{Period, PeriodKind};
    let today = crate::clock::beijing(now).date_naive();
    let mut out = Vec::new();
    for kind in [PeriodKind::Month, PeriodKind::Quarter] {
        let current = Period::containing(kind, today);
        let last = Period::containing(kind, current.first_day().pred_opt().unwrap_or(today));
        for c in crate::life::compliance::supervision(db, scope, org_id, &last.code(), now).await? {
            for i in c
                .items
                .iter()
                .filter(|i| i.status == crate::life::Standing::Overdue && i.windows.len() == 1)
            {
                out.push(Todo {
                    kind: "life",
                    title: format!("{}：{}{}逾期未开", c.org.name, last.title(), i.kind.label()),
                    detail: format!("应召开 {} 次，已召开 {} 次", i.due, i.held),
                    due: Some(last.last_day().to_string()),
                    from: None,
                    overdue: true,
                    href: format!("/life/compliance?org={}&period={}", c.org.id, last.code()),
                });
            }
        }
    }
    Ok(out)
}

/// Sends a planned meeting's notice (议程) to its organization's channels and
/// those of the organizations above it.
pub async fn meeting_notice(
    db: &Db,
    now: i64,
    meeting_id: &str,
    org_path: &str,
    title: &str,
    body: &str,
) -> Result<usize> {
    let mut n = 0;
    for org_id in org_path.split('/').filter(|s| !s.is_empty()) {
        n += notify::enqueue(
            db,
            now,
            Target::Org(org_id),
            &format!("meeting:{meeting_id}"),
            title,
            body,
        )
        .await?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(title: &str, overdue: bool) -> Todo {
        Todo {
            kind: "life",
            title: title.into(),
            detail: "说明".into(),
            due: None,
            from: None,
            overdue,
            href: "/".into(),
        }
    }

    #[test]
    fn a_digest_lists_only_what_is_overdue() {
        assert!(digest("第一党支部", "2026-11-28", &[todo("待办", false)]).is_none());
        let (title, body) = digest("第一党支部", "2026-11-28", &[todo("逾期一", true), todo("待办", false)]).unwrap();
        assert_eq!(title, "【同频】第一党支部待办提醒（2026-11-28）");
        assert!(body.contains("1 项逾期待办") && body.contains("- 逾期一：说明") && !body.contains("- 待办"));
        let many: Vec<Todo> = (0..25).map(|i| todo(&format!("项{i}"), true)).collect();
        assert!(digest("x", "d", &many).unwrap().1.contains("另有 5 项"));
    }
}
