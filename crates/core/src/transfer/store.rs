//! Reading transfers: lists seen from either side, one transfer, its letter,
//! and the to-dos of the receiving side.
use super::model::{Direction, Filter, Kind, Status, Transfer};
use super::rules::decide_by;
use crate::db::{Db, Tx};
use crate::org::{self, Scope};
use crate::people::{self, Person};
use crate::sql::{like_contains, Param, Where};
use crate::todo::Todo;
use crate::{bind_all, with_db, with_tx, Error, Result};

/// Every column of `Transfer`, with the person's and organizations' names.
const SELECT: &str =
    "SELECT t.id, t.person_id, p.name AS person_name, t.kind, t.from_org_id, fo.name AS from_org_name, \
     fo.path AS from_org_path, t.to_org_id, tg.name AS to_org_name, tg.path AS to_org_path, t.outside_org, t.status, \
     t.reason, t.letter_no, t.valid_until, t.requested_by, t.decided_by, t.decision_note, t.created_at, t.decided_at \
     FROM transfers t JOIN people p ON p.id = t.person_id LEFT JOIN orgs fo ON fo.id = t.from_org_id \
     LEFT JOIN orgs tg ON tg.id = t.to_org_id";

pub(super) fn today(now: i64) -> chrono::NaiveDate {
    crate::clock::beijing(now).date_naive()
}

fn to_where(scope: &Scope, f: &Filter) -> Where {
    let mut w = Where::default();
    match f.direction {
        Direction::Out => {
            w.push_raw("t.from_org_id IS NOT NULL".into());
            scope.restrict(&mut w, "fo.path");
        }
        Direction::In => {
            w.push_raw("t.to_org_id IS NOT NULL".into());
            scope.restrict(&mut w, "tg.path");
        }
        Direction::All => scope.restrict_any(&mut w, &["fo.path", "tg.path"]),
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.push("p.name LIKE {} ESCAPE '\\'", Param::S(like_contains(q)));
    }
    if let Some(s) = f.status {
        w.push("t.status = {}", Param::S(s.code().into()));
    }
    w
}

/// Transfers seen from the scope, newest first, and how many there are.
pub async fn list(db: &Db, scope: &Scope, f: &Filter, offset: i64, limit: i64) -> Result<(Vec<Transfer>, i64)> {
    Ok((page(db, scope, f, offset, limit).await?, count(db, scope, f).await?))
}

/// How many transfers match, without reading them.
pub async fn count(db: &Db, scope: &Scope, f: &Filter) -> Result<i64> {
    let w = to_where(scope, f);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT COUNT(*) FROM transfers t JOIN people p ON p.id = t.person_id LEFT JOIN orgs fo ON fo.id = t.from_org_id \
         LEFT JOIN orgs tg ON tg.id = t.to_org_id {cond}"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .fetch_one(p)
        .await?))
}

/// One page of the matching transfers, newest first.
pub async fn page(db: &Db, scope: &Scope, f: &Filter, offset: i64, limit: i64) -> Result<Vec<Transfer>> {
    let mut w = to_where(scope, f);
    let (cond, _) = w.sql();
    let lim = w.param(Param::I(limit));
    let off = w.param(Param::I(offset));
    let sql = format!("{SELECT} {cond} ORDER BY t.created_at DESC, t.id DESC LIMIT {lim} OFFSET {off}");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

pub(super) async fn get_any(db: &Db, id: &str) -> Result<Option<Transfer>> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await?))
}

/// Whether the scope holds the sending or the receiving organization.
pub(super) fn sees(scope: &Scope, t: &Transfer) -> bool {
    [&t.from_org_path, &t.to_org_path]
        .into_iter()
        .flatten()
        .any(|p| scope.contains_path(p))
}

/// One transfer, if the scope holds either side of it.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Transfer> {
    match get_any(db, id).await? {
        Some(t) if sees(scope, &t) => Ok(t),
        _ => Err(Error::NotFound("转接记录不存在或不在您的管理范围内".into())),
    }
}

/// The transfers of one person the scope may see, newest first: the
/// history that travels with them.
pub async fn of_person(db: &Db, scope: &Scope, person_id: &str) -> Result<Vec<Transfer>> {
    let sql = format!("{SELECT} WHERE t.person_id = $1 ORDER BY t.created_at DESC, t.id DESC");
    let rows: Vec<Transfer> = with_db!(db, |p| sqlx::query_as(&sql).bind(person_id).fetch_all(p).await?);
    Ok(rows.into_iter().filter(|t| sees(scope, t)).collect())
}

/// An organization's full name path ("机关党委/办公室党总支/综合处党支部").
pub(super) async fn name_path(db: &Db, org_id: &str) -> Result<Option<String>> {
    org::name_path_of(db, org_id).await
}

/// What an introduction letter (介绍信) prints.
#[derive(Clone, Debug)]
pub struct Letter {
    pub transfer: Transfer,
    /// Masked; the page reveals the full citizen ID only for a role that may.
    pub person: Person,
    /// The issuing committee: the top of the sending organization's tree.
    pub issuer: String,
    /// The sending organization's full name path.
    pub from_path: String,
    /// YYYY-MM-DD, Beijing time.
    pub issued_on: String,
    /// 党费交至, from the dues ledger ("2026-10"); None when the ledger has
    /// no unbroken run of paid months to state.
    pub dues_paid_to: Option<String>,
}

/// The letter of a transfer out of the system.
pub async fn letter(db: &Db, scope: &Scope, id: &str) -> Result<Letter> {
    let t = get(db, scope, id).await?;
    if t.kind != Kind::Out.code() {
        return Err(Error::NotFound("只有转出系统外的转接才开具介绍信".into()));
    }
    let from_path = name_path(db, t.from_org_id.as_deref().unwrap_or_default())
        .await?
        .unwrap_or_else(|| t.from_text());
    let person = people::subject_of(db, &t.person_id).await?;
    let dues_paid_to = crate::dues::paid_up_to(db, &person).await?;
    Ok(Letter {
        dues_paid_to,
        issuer: from_path.split('/').next().unwrap_or_default().to_string(),
        from_path,
        issued_on: crate::clock::beijing(t.created_at).format("%Y-%m-%d").to_string(),
        person,
        transfer: t,
    })
}

/// Pending transfers into the scope: the receiving side accepts or returns
/// each within 30 days (`rules::transfer::DECIDE_WITHIN_DAYS`).
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let f = Filter {
        direction: Direction::In,
        q: None,
        status: Some(Status::Pending),
    };
    let (rows, _) = list(db, scope, &f, 0, 500).await?;
    let today = today(now);
    let mut out: Vec<Todo> = rows
        .into_iter()
        .map(|t| {
            let (due, overdue) = decide_by(self::today(t.created_at), today);
            Todo {
                kind: "transfer",
                title: format!("{}：组织关系转入待接收", t.person_name),
                detail: format!(
                    "由{}转入{}；接收方应在申请后 {} 日内接收或退回",
                    t.from_text(),
                    t.to_text(),
                    crate::rules::transfer::DECIDE_WITHIN_DAYS
                ),
                due: Some(due.format("%Y-%m-%d").to_string()),
                from: None,
                overdue,
                href: "/transfers?tab=in".into(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due));
    Ok(out)
}

/// The person's org and whether they left, and whether they have an open
/// transfer, read inside a transaction.
pub(super) async fn person_state(tx: &mut Tx, person_id: &str) -> Result<(Option<String>, i64)> {
    let left: Option<Option<String>> = with_tx!(tx, |c| sqlx::query_scalar("SELECT left_on FROM people WHERE id = $1")
        .bind(person_id)
        .fetch_optional(c)
        .await?);
    let left = left.ok_or_else(|| Error::invalid(super::rules::field::PERSON, "不存在"))?;
    let open: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM transfers WHERE person_id = $1 AND status = 'pending'"
    )
    .bind(person_id)
    .fetch_one(c)
    .await?);
    Ok((left, open))
}

/// The organizations a membership may be transferred to whose name contains
/// `q`, at most `limit`, each with its full name path: committees, general
/// branches and branches anywhere in the system that are not dissolved (the
/// transfer form's type-ahead).
pub async fn pick_targets(db: &Db, q: &str, limit: i64) -> Result<Vec<(org::Org, String)>> {
    let n = org::Narrow {
        kinds: org::UNITS,
        ..org::Narrow::default()
    };
    org::pick(db, &org::Scope::all(), q, n, limit).await
}
