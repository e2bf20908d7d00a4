//! What a completed transfer ends besides the roster entry: the person's
//! posts (org_officers) in the organizations they leave, on the day the
//! transfer completes, so the old branch's officers, its committee seats
//! and its warnings no longer count them.
use crate::db::Tx;
use crate::org::post_label;
use crate::{with_tx, Result};

/// Ends the person's posts in every organization that does not contain
/// `staying_in` (the receiving organization's path; `None` when the person
/// leaves the system), clears their 党内职务 text when a post ended, and
/// answers the ended posts as "支部A1宣传委员" for the audit record.
pub(super) async fn end_posts(tx: &mut Tx, now: i64, person_id: &str, staying_in: Option<&str>) -> Result<Vec<String>> {
    let held: Vec<(String, String, String, String)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT f.id, o.name, o.path, f.post FROM org_officers f JOIN orgs o ON o.id = f.org_id \
         WHERE f.person_id = $1 ORDER BY f.created_at"
    )
    .bind(person_id)
    .fetch_all(c)
    .await?);
    let mut ended = Vec::new();
    for (id, org_name, org_path, post) in held {
        if staying_in.is_some_and(|to| to.starts_with(&org_path)) {
            continue;
        }
        crate::org::end_post(tx, now, &id, None).await?;
        ended.push(format!("{org_name}{}", post_label(&post)));
    }
    if !ended.is_empty() {
        with_tx!(tx, |c| sqlx::query(
            "UPDATE people SET party_post = '', updated_at = $1 WHERE id = $2"
        )
        .bind(now)
        .bind(person_id)
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(ended)
}

/// "；免去：支部A1宣传委员、支部A1纪检委员", or nothing.
pub(super) fn ended_text(ended: &[String]) -> String {
    if ended.is_empty() {
        String::new()
    } else {
        format!("；免去：{}", ended.join("、"))
    }
}
