//! Reshaping the tree: move a subtree, merge, dissolve; terms and officers.
//! Paths change with a move, and people's paths with them, in one
//! transaction, so a subtree's records follow it.
use super::{get, Org, OrgKind, Scope};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::{ids, with_tx, Error, Result};

/// Rewrites every org and person path under `old` to start with `new`.
async fn repath(tx: &mut Tx, old: &str, new: &str) -> Result<()> {
    let n = old.chars().count() as i64 + 1;
    let pattern = crate::sql::like_prefix(old);
    with_tx!(tx, |c| {
        sqlx::query("UPDATE orgs SET path = $1 || substr(path, CAST($2 AS INTEGER)) WHERE path LIKE $3 ESCAPE '\\'")
            .bind(new)
            .bind(n)
            .bind(&pattern)
            .execute(&mut *c)
            .await?;
        sqlx::query("UPDATE people SET org_path = $1 || substr(org_path, CAST($2 AS INTEGER)) WHERE org_path LIKE $3 ESCAPE '\\'")
            .bind(new)
            .bind(n)
            .bind(&pattern)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Moves an organization (and everything under it) under a new parent.
pub async fn move_subtree(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, to_parent: &str) -> Result<()> {
    let org = get(db, scope, id).await?;
    let parent = get(db, scope, to_parent)
        .await
        .map_err(|_| Error::invalid("新上级组织", "不存在或不在您的管理范围内"))?;
    if parent.path.starts_with(&org.path) {
        return Err(Error::invalid("新上级组织", "不能把组织移动到它自身或其下级组织之下"));
    }
    if parent.dissolved_at.is_some() {
        return Err(Error::invalid("新上级组织", "该组织已撤销"));
    }
    let kind = OrgKind::from_code(&org.kind);
    if !kind.is_some_and(|k| k.may_sit_under(OrgKind::from_code(&parent.kind))) {
        return Err(Error::invalid(
            "新上级组织",
            format!("{}不能设在{}之下", org.kind_label(), parent.kind_label()),
        ));
    }
    if org.parent_id.as_deref() == Some(parent.id.as_str()) {
        return Ok(());
    }
    let new_path = format!("{}{}/", parent.path, org.id);
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (org, parent, new_path, actor) = (org.clone(), parent.clone(), new_path.clone(), actor.clone());
        Box::pin(async move {
            repath(tx, &org.path, &new_path).await?;
            with_tx!(tx, |c| sqlx::query("UPDATE orgs SET parent_id = $1 WHERE id = $2")
                .bind(&parent.id)
                .bind(&org.id)
                .execute(c)
                .await?
                .rows_affected());
            let ev = Event::new("org.move", format!("{}（{}）", org.name, org.id), Outcome::Ok)
                .detail(format!("移至 {}", parent.name));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

async fn live_contents(tx: &mut Tx, org: &Org) -> Result<(i64, i64)> {
    let (lo, hi) = crate::sql::prefix_range(&org.path);
    Ok(with_tx!(tx, |c| {
        let children: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND dissolved_at IS NULL")
                .bind(&org.id)
                .fetch_one(&mut *c)
                .await?;
        let people: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM people WHERE org_path >= $1 AND org_path < $2 AND left_on IS NULL",
        )
        .bind(&lo)
        .bind(&hi)
        .fetch_one(&mut *c)
        .await?;
        (children, people)
    }))
}

/// Dissolves an empty organization; its records stay, readable by its former
/// superior (the path is kept).
pub async fn dissolve(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let org = get(db, scope, id).await?;
    if org.dissolved_at.is_some() {
        return Err(Error::Conflict("该组织已撤销".into()));
    }
    if org.parent_id.is_none() && !scope.is_all() {
        return Err(Error::Forbidden("只有系统管理员可以撤销顶级组织".into()));
    }
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (org, actor) = (org.clone(), actor.clone());
        Box::pin(async move {
            let (children, people) = live_contents(tx, &org).await?;
            if children > 0 || people > 0 {
                return Err(Error::invalid(
                    "撤销",
                    format!(
                        "“{}”仍有 {children} 个下级组织、{people} 名人员，请先转移或合并后再撤销",
                        org.name
                    ),
                ));
            }
            with_tx!(tx, |c| sqlx::query("UPDATE orgs SET dissolved_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&org.id)
                .execute(c)
                .await?
                .rows_affected());
            audit::append(
                tx,
                now,
                &actor,
                &Event::new("org.dissolve", format!("{}（{}）", org.name, org.id), Outcome::Ok),
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// Merges `from` into `into`: its people and child organizations move to
/// `into`, then `from` is dissolved with a pointer to `into`.
pub async fn merge(db: &Db, now: i64, actor: &Actor, scope: &Scope, from: &str, into: &str) -> Result<()> {
    let a = get(db, scope, from).await?;
    let b = get(db, scope, into)
        .await
        .map_err(|_| Error::invalid("并入组织", "不存在或不在您的管理范围内"))?;
    if a.id == b.id || b.path.starts_with(&a.path) {
        return Err(Error::invalid("并入组织", "不能并入自身或其下级组织"));
    }
    if a.dissolved_at.is_some() || b.dissolved_at.is_some() {
        return Err(Error::invalid("并入组织", "已撤销的组织不能合并"));
    }
    if a.kind != b.kind {
        return Err(Error::invalid(
            "并入组织",
            format!("{}只能并入{}", a.kind_label(), a.kind_label()),
        ));
    }
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (a, b, actor) = (a.clone(), b.clone(), actor.clone());
        Box::pin(async move {
            let children: Vec<(String, String)> = with_tx!(tx, |c| sqlx::query_as(
                "SELECT id, path FROM orgs WHERE parent_id = $1 AND dissolved_at IS NULL"
            )
            .bind(&a.id)
            .fetch_all(c)
            .await?);
            for (cid, cpath) in children {
                repath(tx, &cpath, &format!("{}{cid}/", b.path)).await?;
                with_tx!(tx, |c| sqlx::query("UPDATE orgs SET parent_id = $1 WHERE id = $2")
                    .bind(&b.id)
                    .bind(&cid)
                    .execute(c)
                    .await?
                    .rows_affected());
            }
            with_tx!(tx, |c| {
                sqlx::query("UPDATE people SET org_id = $1, org_path = $2 WHERE org_id = $3")
                    .bind(&b.id)
                    .bind(&b.path)
                    .bind(&a.id)
                    .execute(&mut *c)
                    .await?;
                sqlx::query("UPDATE orgs SET dissolved_at = $1, dissolved_into = $2 WHERE id = $3")
                    .bind(now)
                    .bind(&b.id)
                    .bind(&a.id)
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            });
            let ev = Event::new("org.merge", format!("{}（{}）", a.name, a.id), Outcome::Ok)
                .detail(format!("并入 {}", b.name));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Sets an organization's type (单位性质); the term defaults from it.
pub async fn set_org_type(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, org_type: &str) -> Result<()> {
    let org = get(db, scope, id).await?;
    let types = crate::rules::structure::ORG_TYPES;
    let Some((code, label)) = types
        .iter()
        .find(|(c, l)| *c == org_type.trim() || *l == org_type.trim())
    else {
        let all: Vec<&str> = types.iter().map(|(_, l)| *l).collect();
        return Err(Error::invalid("单位性质", format!("应为{}", all.join("、"))));
    };
    let (actor, code, label) = (actor.clone(), code.to_string(), label.to_string());
    let was = org.org_type_label().to_string();
    db.transaction(move |tx| {
        let (org, actor, code, label, was) = (org.clone(), actor.clone(), code.clone(), label.clone(), was.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query("UPDATE orgs SET org_type = $1 WHERE id = $2")
                .bind(&code)
                .bind(&org.id)
                .execute(c)
                .await?
                .rows_affected());
            let ev = Event::new("org.type", format!("{}（{}）", org.name, org.id), Outcome::Ok)
                .detail(format!("单位性质 {was} → {label}"));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Records an election (换届): its date and the term in years.
pub async fn set_term(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    elected_on: &str,
    term_years: i64,
) -> Result<()> {
    let org = get(db, scope, id).await?;
    let date =
        crate::people::parse_date("换届日期", elected_on)?.ok_or_else(|| Error::invalid("换届日期", "不能为空"))?;
    if date > crate::clock::beijing(now).date_naive() {
        return Err(Error::invalid("换届日期", "不能晚于今天"));
    }
    let (usual, village) = (
        crate::rules::structure::TERM_YEARS,
        crate::rules::structure::TERM_YEARS_VILLAGE,
    );
    if !(1..=village).contains(&term_years) {
        return Err(Error::invalid(
            "任期（年）",
            format!("应为 1 到 {village} 年（一般 {usual} 年，村、社区 {village} 年）"),
        ));
    }
    let ends = date
        .checked_add_months(chrono::Months::new(term_years as u32 * 12))
        .map(|e| e.format("%Y-%m-%d").to_string());
    let (actor, d) = (actor.clone(), date.format("%Y-%m-%d").to_string());
    db.transaction(move |tx| {
        let (org, actor, d, ends) = (org.clone(), actor.clone(), d.clone(), ends.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE orgs SET elected_on = $1, term_years = $2, term_ends_on = $3 WHERE id = $4"
            )
            .bind(&d)
            .bind(term_years)
            .bind(&ends)
            .bind(&org.id)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("org.term", format!("{}（{}）", org.name, org.id), Outcome::Ok)
                .detail(format!("{d} 换届，任期 {term_years} 年"));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Posts on a Party organization's committee.
pub const POSTS: [(&str, &str); 5] = [
    ("secretary", "书记"),
    ("deputy_secretary", "副书记"),
    ("organization", "组织委员"),
    ("publicity", "宣传委员"),
    ("discipline", "纪检委员"),
];

pub fn post_label(code: &str) -> &'static str {
    POSTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("委员")
}

/// Appoints a full or probationary member of the organization to a post.
pub async fn add_officer(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    person_id: &str,
    post: &str,
) -> Result<()> {
    let org = get(db, scope, org_id).await?;
    if !POSTS.iter().any(|(c, _)| *c == post) && post != "member" {
        return Err(Error::invalid("职务", "请选择书记、副书记或委员职务"));
    }
    let person = crate::people::get(db, scope, person_id)
        .await
        .map_err(|_| Error::invalid("人员", "不存在或不在您的管理范围内"))?;
    if !person.org_path.starts_with(&org.path) {
        return Err(Error::invalid(
            "人员",
            format!("{}不是“{}”的成员", person.name, org.name),
        ));
    }
    if person.status != "full" {
        return Err(Error::invalid(
            "人员",
            format!("{}不是正式党员，不能担任支委", person.name),
        ));
    }
    let since = crate::clock::beijing(now).format("%Y-%m-%d").to_string();
    let actor = actor.clone();
    let (post, pname) = (post.to_string(), person.name.clone());
    db.transaction(move |tx| {
        let (org, person_id, post, since, actor, pname) =
            (org.clone(), person.id.clone(), post.clone(), since.clone(), actor.clone(), pname.clone());
        Box::pin(async move {
            if post == "secretary" {
                let n: i64 = with_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM org_officers WHERE org_id = $1 AND post = 'secretary'")
                    .bind(&org.id)
                    .fetch_one(c)
                    .await?);
                if n > 0 {
                    return Err(Error::invalid("职务", "该组织已有书记，请先免去原书记"));
                }
            }
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO org_officers (id, org_id, person_id, post, since, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(ids::new_id())
            .bind(&org.id)
            .bind(&person_id)
            .bind(&post)
            .bind(&since)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
            .map_err(|e| match Error::from(e) {
                Error::Conflict(_) => Error::invalid("职务", "此人已担任该职务"),
                e => e,
            })?);
            let ev = Event::new("org.officer", format!("{}（{}）", org.name, org.id), Outcome::Ok)
                .detail(format!("{pname} 任{}", post_label(&post)));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

pub async fn remove_officer(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    officer_id: &str,
) -> Result<()> {
    let org = get(db, scope, org_id).await?;
    let actor = actor.clone();
    let officer_id = officer_id.to_string();
    db.transaction(move |tx| {
        let (org, officer_id, actor) = (org.clone(), officer_id.clone(), actor.clone());
        Box::pin(async move {
            let n = end_post(tx, now, &officer_id, Some(&org.id)).await?;
            if n == 0 {
                return Err(Error::NotFound("任职记录不存在".into()));
            }
            audit::append(
                tx,
                now,
                &actor,
                &Event::new("org.officer_remove", format!("{}（{}）", org.name, org.id), Outcome::Ok),
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// Ends a post (免职, or a transfer out): kept in `org_officer_ends` with the
/// day it ended, so a vacant secretary post has a start, then removed.
/// Answers the posts removed (0 when none matched).
pub(crate) async fn end_post(tx: &mut crate::db::Tx, now: i64, officer_id: &str, org_id: Option<&str>) -> Result<u64> {
    let today = crate::clock::beijing(now).format("%Y-%m-%d").to_string();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO org_officer_ends (id, org_id, person_id, post, since, ended_on, ended_at) \
         SELECT $1, org_id, person_id, post, since, $2, $3 FROM org_officers WHERE id = $4 \
         AND ($5 IS NULL OR org_id = $5)"
    )
    .bind(ids::new_id())
    .bind(&today)
    .bind(now)
    .bind(officer_id)
    .bind(org_id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(with_tx!(tx, |c| sqlx::query(
        "DELETE FROM org_officers WHERE id = $1 AND ($2 IS NULL OR org_id = $2)"
    )
    .bind(officer_id)
    .bind(org_id)
    .execute(c)
    .await?
    .rows_affected()))
}
