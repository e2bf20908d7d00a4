use super::model::{NewPerson, Person, Status};
use super::rules::{validate, ValidPerson};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{self, Scope};
use crate::sql::{like_contains, Param, Where};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};

fn today(now: i64) -> chrono::NaiveDate {
    crate::clock::beijing(now).date_naive()
}

/// What the roster is filtered by.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// A name, or its pinyin ("zhangsan") or initials ("zs").
    pub q: Option<String>,
    /// Only this organization's subtree.
    pub org_id: Option<String>,
    pub status: Option<Status>,
    /// Part of a Party or administrative post.
    pub post: Option<String>,
}

/// How a list is read: a name search, or a list whose matches are more than
/// `SORT_AT_MOST`, walks the search index in pinyin order and checks the
/// subtree as it goes, stopping at the page's end; a smaller list is found by
/// its subtree and sorted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    BySubtree,
    InPinyinOrder,
}

/// Sorting this many rows costs less than walking the index for them.
const SORT_AT_MOST: i64 = COUNT_CAP;

/// How a list of `counted` matches (as the caller counted them, capped or
/// not) is read.
fn read_by(f: &Filter, counted: i64) -> Read {
    let names_a_person = f.q.as_deref().is_some_and(|q| !super::normalize(q).is_empty());
    if names_a_person || counted > SORT_AT_MOST {
        Read::InPinyinOrder
    } else {
        Read::BySubtree
    }
}

/// The roster's queries are sent unprepared (`persistent(false)`) so that
/// PostgreSQL plans each for its own values: the generic plan it caches after
/// five runs cannot tell a surname across a province from a branch's few
/// people, and read every 王 through the subtree's index (180 ms, not 0.1 ms).
async fn to_where(db: &Db, scope: &Scope, f: &Filter, read: Read) -> Result<Where> {
    let mut w = Where::default();
    // People transferred out of the system (组织关系转出) are off the roster
    // and its counts; their record stays readable through `get`.
    w.push_raw("left_on IS NULL".into());
    let q = f.q.as_deref().map(super::normalize).filter(|q| !q.is_empty());
    // In pinyin order the subtree is checked inside the search index. SQLite
    // (no histograms) must be kept off the org_path index with an expression;
    // PostgreSQL weighs the subtree's range against the name's by statistics.
    let in_order = q.is_some() || read == Read::InPinyinOrder;
    let chosen;
    let subtree = match f.org_id.as_deref().filter(|s| !s.is_empty()) {
        // The organization lies in the scope, so its subtree does too.
        Some(org_id) => {
            let o = org::get(db, scope, org_id)
                .await
                .map_err(|_| Error::invalid("组织", "不存在或不在您的管理范围内"))?;
            chosen = Scope::subtree_of(&o.path);
            &chosen
        }
        None => scope,
    };
    if in_order && db.is_sqlite() {
        subtree.restrict_unindexed(&mut w, "org_path");
    } else {
        subtree.restrict(&mut w, "org_path");
    }
    if let Some(q) = q {
        if q.chars().all(|c| c.is_ascii_alphabetic()) {
            let q = q.to_ascii_lowercase();
            let initials = w.prefix_cond("name_initials", &q);
            let full = w.prefix_cond("name_pinyin", &q);
            w.push_raw(format!("({initials} OR {full})"));
            // Either way the pinyin starts with the first letter (the initials
            // are the readings' first letters): the search index's range.
            w.prefix("name_pinyin", &q[..1]);
        } else {
            // Names match from their start (surname first). A name's pinyin is
            // read character by character, so the prefix's pinyin is a prefix
            // of every match's: redundant, it lets the index kept in pinyin
            // order answer the first page without reading every 王.
            w.prefix("name", &q);
            let (pinyin, _) = super::name_pinyin(&q);
            if !pinyin.is_empty() {
                w.prefix("name_pinyin", &pinyin);
            }
        }
    }
    if let Some(s) = f.status {
        w.push("status = {}", Param::S(s.code().into()));
    }
    if let Some(p) = f.post.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let a = w.param(Param::S(like_contains(p)));
        w.push_raw(format!(
            "(party_post LIKE {a} ESCAPE '\\' OR admin_post LIKE {a} ESCAPE '\\')"
        ));
    }
    Ok(w)
}

/// How many people match, without reading them.
pub async fn count(db: &Db, scope: &Scope, f: &Filter) -> Result<i64> {
    let w = to_where(db, scope, f, Read::BySubtree).await?;
    let (cond, _) = w.sql();
    let sql = format!("SELECT COUNT(*) FROM people {cond}");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .persistent(false)
        .fetch_one(p)
        .await?))
}

/// How many a search page counts exactly; past it the page reads "1000+".
pub const COUNT_CAP: i64 = 1_000;

/// How many people match, counting no further than `cap + 1`: a list page's
/// total, which must not read every match of a common surname in a province.
pub async fn count_capped(db: &Db, scope: &Scope, f: &Filter, cap: i64) -> Result<i64> {
    let mut w = to_where(db, scope, f, Read::BySubtree).await?;
    let (cond, _) = w.sql();
    let lim = w.param(Param::I(cap.saturating_add(1)));
    let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM people {cond} LIMIT {lim}) t");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .persistent(false)
        .fetch_one(p)
        .await?))
}

/// The roster in the scope, by pinyin, with the total: `count` and `page`.
pub async fn search(db: &Db, scope: &Scope, f: &Filter, offset: i64, limit: i64) -> Result<(Vec<Person>, i64)> {
    let total = count(db, scope, f).await?;
    Ok((page(db, scope, f, total, offset, limit).await?, total))
}

/// One page of the roster by pinyin, citizen IDs and phones masked.
/// `counted` is what the caller counted for the same filter (`count_capped`
/// with `COUNT_CAP`, or `count`): it decides how the page is read.
pub async fn page(db: &Db, scope: &Scope, f: &Filter, counted: i64, offset: i64, limit: i64) -> Result<Vec<Person>> {
    let mut w = to_where(db, scope, f, read_by(f, counted)).await?;
    let (cond, _) = w.sql();
    let lim = w.param(Param::I(limit));
    let off = w.param(Param::I(offset));
    // The page's ids first, from an index where one covers the condition,
    // then only those rows.
    let sql = format!(
        "SELECT * FROM people WHERE id IN \
         (SELECT id FROM people {cond} ORDER BY name_pinyin, id LIMIT {lim} OFFSET {off}) \
         ORDER BY name_pinyin, id"
    );
    let rows: Vec<Person> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .persistent(false)
        .fetch_all(p)
        .await?);
    Ok(rows.into_iter().map(Person::masked).collect())
}

async fn by_id(db: &Db, id: &str) -> Result<Option<Person>> {
    Ok(with_db!(db, |p| sqlx::query_as("SELECT * FROM people WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await?))
}

async fn get_raw(db: &Db, scope: &Scope, id: &str) -> Result<Person> {
    match by_id(db, id).await? {
        Some(p) if scope.contains_path(&p.org_path) => Ok(p),
        _ => Err(Error::NotFound("人员不存在或不在您的管理范围内".into())),
    }
}

/// One person, masked.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Person> {
    get_raw(db, scope, id).await.map(Person::masked)
}

/// Whether `id` is someone on the roster, anywhere: for a record that names a
/// person from beyond the caller's scope (a superior lecturing a branch).
pub(crate) async fn exists(db: &Db, id: &str) -> Result<bool> {
    let n: i64 = with_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE id = $1")
        .bind(id)
        .fetch_one(p)
        .await?);
    Ok(n > 0)
}

/// The subject of a record the caller has read in its scope (the person a
/// transfer moves, who may by now sit in the receiving organization), masked
/// as `get` masks.
pub(crate) async fn subject_of(db: &Db, id: &str) -> Result<Person> {
    by_id(db, id)
        .await?
        .map(Person::masked)
        .ok_or_else(|| Error::NotFound("人员不存在".into()))
}

/// The full citizen ID and phone of one person, for a role that may see
/// them; every reveal is audited.
pub async fn reveal(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<Person> {
    let p = get_raw(db, scope, id).await?;
    let ev =
        Event::new("person.reveal", format!("{}（{}）", p.name, p.id), Outcome::Ok).detail("查看完整身份证号、手机号");
    audit::record(db, now, actor, ev).await?;
    Ok(p)
}

/// The organization a person is placed in: in the scope and not dissolved.
async fn target_org(db: &Db, scope: &Scope, org_id: &str) -> Result<org::Org> {
    if org_id.is_empty() {
        return Err(Error::invalid("所属组织", "不能为空，请选择"));
    }
    let o = org::get(db, scope, org_id)
        .await
        .map_err(|_| Error::invalid("所属组织", "不存在或不在您的管理范围内"))?;
    if o.dissolved_at.is_some() {
        return Err(Error::invalid(
            "所属组织",
            format!("“{}”已撤销，请选择其他组织", o.name),
        ));
    }
    Ok(o)
}

pub(super) async fn insert(tx: &mut Tx, now: i64, id: &str, org_path: &str, v: &ValidPerson) -> Result<()> {
    insert_many(tx, now, &[(id.to_string(), org_path.to_string(), v)]).await
}

/// Inserts people (id, org path, person). PostgreSQL takes a few hundred per
/// statement (an import of 100,000 rows is otherwise round trips: 10.7 s →
/// 3.9 s); embedded SQLite has no round trips and measured 2.5× slower with
/// the long statement, so it keeps one prepared row at a time.
pub(super) async fn insert_many(tx: &mut Tx, now: i64, rows: &[(String, String, &ValidPerson)]) -> Result<()> {
    const COLS: usize = 20;
    // One prepared statement per person on SQLite: measured faster there (20,000
    // rows: 6.9-8.0 s against 10.3-15.2 s with 400 rows per statement, debug
    // build); PostgreSQL gains from 400 rows (8,001 parameters) per round trip.
    let per_statement = if tx.is_sqlite() { 1 } else { 400 };
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.format("%Y-%m-%d").to_string());
    for chunk in rows.chunks(per_statement) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let ph: Vec<String> = (1..=COLS).map(|k| format!("${}", i * COLS + k)).collect();
                format!("({}, NULL, $0, $0)", ph.join(", ")).replace("$0", &format!("${}", chunk.len() * COLS + 1))
            })
            .collect();
        let sql = format!(
            "INSERT INTO people (id, org_id, org_path, name, name_pinyin, name_initials, gender, ethnicity, birth_date, citizen_id, \
             phone, education, status, joined_on, full_on, party_post, admin_post, affairs_worker, backbone, double_high, \
             business_unit_id, created_at, updated_at) VALUES {}",
            values.join(", ")
        );
        with_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for (id, path, v) in chunk {
                q = q
                    .bind(id)
                    .bind(&v.org_id)
                    .bind(path)
                    .bind(&v.name)
                    .bind(&v.name_pinyin)
                    .bind(&v.name_initials)
                    .bind(v.gender.code())
                    .bind(&v.ethnicity)
                    .bind(d(v.birth_date))
                    .bind(&v.citizen_id)
                    .bind(&v.phone)
                    .bind(&v.education)
                    .bind(v.status.code())
                    .bind(d(v.joined_on))
                    .bind(d(v.full_on))
                    .bind(&v.party_post)
                    .bind(&v.admin_post)
                    .bind(v.affairs_worker.code())
                    .bind(v.backbone)
                    .bind(v.double_high);
            }
            q.bind(now).execute(c).await?.rows_affected()
        });
    }
    Ok(())
}

pub(super) async fn overwrite(tx: &mut Tx, now: i64, id: &str, org_path: &str, v: &ValidPerson) -> Result<()> {
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.format("%Y-%m-%d").to_string());
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE people SET org_id = $1, org_path = $2, name = $3, name_pinyin = $4, name_initials = $5, gender = $6, ethnicity = $7, \
         birth_date = $8, citizen_id = $9, phone = $10, education = $11, status = $12, joined_on = $13, full_on = $14, \
         party_post = $15, admin_post = $16, affairs_worker = $17, backbone = $18, double_high = $19, updated_at = $20 WHERE id = $21"
    )
    .bind(&v.org_id)
    .bind(org_path)
    .bind(&v.name)
    .bind(&v.name_pinyin)
    .bind(&v.name_initials)
    .bind(v.gender.code())
    .bind(&v.ethnicity)
    .bind(d(v.birth_date))
    .bind(&v.citizen_id)
    .bind(&v.phone)
    .bind(&v.education)
    .bind(v.status.code())
    .bind(d(v.joined_on))
    .bind(d(v.full_on))
    .bind(&v.party_post)
    .bind(&v.admin_post)
    .bind(v.affairs_worker.code())
    .bind(v.backbone)
    .bind(v.double_high)
    .bind(now)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected()
    });
    Ok(())
}

/// The id of the person holding a citizen ID, if any.
pub(super) async fn holder_of(tx: &mut Tx, citizen_id: &str) -> Result<Option<(String, String)>> {
    Ok(with_tx!(tx, |c| sqlx::query_as(
        "SELECT id, org_path FROM people WHERE citizen_id = $1"
    )
    .bind(citizen_id)
    .fetch_optional(c)
    .await?))
}

pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, p: &NewPerson) -> Result<String> {
    let v = validate(p, today(now))?;
    let o = target_org(db, scope, &v.org_id).await?;
    let id = ids::new_id();
    let (actor, out) = (actor.clone(), id.clone());
    db.transaction(move |tx| {
        let (id, path, v, actor) = (id.clone(), o.path.clone(), v.clone(), actor.clone());
        Box::pin(async move { insert_new(tx, now, &actor, &id, &path, &v).await })
    })
    .await?;
    Ok(out)
}

/// Adds a checked person, and its audit record, inside the caller's
/// transaction: the roster's `create`, and a transfer in from outside.
pub(crate) async fn insert_new(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    id: &str,
    org_path: &str,
    v: &ValidPerson,
) -> Result<()> {
    if let Some(cid) = &v.citizen_id {
        if holder_of(tx, cid).await?.is_some() {
            return Err(Error::invalid("身份证号", "该身份证号已登记在册，请勿重复录入"));
        }
    }
    insert(tx, now, id, org_path, v).await?;
    let ev = Event::new("person.create", format!("{}（{id}）", v.name), Outcome::Ok);
    audit::append(tx, now, actor, &ev).await?;
    Ok(())
}

/// An empty citizen ID or phone keeps the stored value (forms never show
/// the full values, so they cannot send them back).
pub async fn update(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, p: &NewPerson) -> Result<()> {
    let old = get_raw(db, scope, id).await?;
    let mut p = p.clone();
    if p.citizen_id.trim().is_empty() {
        p.citizen_id = old.citizen_id.clone().unwrap_or_default();
    }
    if p.phone.trim().is_empty() {
        p.phone = old.phone.clone();
    }
    let v = validate(&p, today(now))?;
    let o = target_org(db, scope, &v.org_id).await?;
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (old, path, v, actor) = (old.clone(), o.path.clone(), v.clone(), actor.clone());
        Box::pin(async move {
            if let Some(cid) = &v.citizen_id {
                if holder_of(tx, cid).await?.is_some_and(|(h, _)| h != old.id) {
                    return Err(Error::invalid("身份证号", "该身份证号已登记在册，请核对"));
                }
            }
            overwrite(tx, now, &old.id, &path, &v).await?;
            let ev = Event::new("person.update", format!("{}（{}）", v.name, old.id), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// One person as a picker offers them: nothing sensitive (no citizen ID,
/// phone or birth date), only what tells namesakes apart.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Picked {
    pub id: String,
    pub name: String,
    pub status: String,
    pub status_label: &'static str,
    pub org_id: String,
    pub org_name: String,
}

/// The type-ahead of the person pickers (主持人, 记录人, 责任人…): people on
/// the roster in the scope (and under `org_id`, when given) whose name starts
/// with `q`, or whose pinyin or initials do; by pinyin, at most `limit`.
pub async fn pick(db: &Db, scope: &Scope, q: &str, org_id: Option<&str>, limit: i64) -> Result<Vec<Picked>> {
    let f = Filter {
        q: Some(q.to_string()),
        org_id: org_id.map(String::from),
        ..Filter::default()
    };
    // Counted only when no name is typed: a name is read in pinyin order anyway.
    let counted = if super::normalize(q).is_empty() {
        count_capped(db, scope, &f, SORT_AT_MOST).await?
    } else {
        0
    };
    let mut w = to_where(db, scope, &f, read_by(&f, counted)).await?;
    let (cond, _) = w.sql();
    let lim = w.param(Param::I(limit.clamp(1, 50)));
    let sql = format!("SELECT id, name, status, org_id FROM people {cond} ORDER BY name_pinyin, id LIMIT {lim}");
    let rows: Vec<(String, String, String, String)> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .persistent(false)
        .fetch_all(p)
        .await?);
    let mut org_ids: Vec<String> = rows.iter().map(|r| r.3.clone()).collect();
    org_ids.sort();
    org_ids.dedup();
    let mut names: Vec<(String, String)> = Vec::new();
    if !org_ids.is_empty() {
        let mut w = Where::default();
        let phs = w.in_list(&org_ids);
        let sql = format!("SELECT id, name FROM orgs WHERE id IN ({phs})");
        names = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    }
    Ok(rows
        .into_iter()
        .map(|(id, name, status, org_id)| Picked {
            status_label: Status::parse(&status).map_or("", Status::label),
            org_name: names
                .iter()
                .find(|(o, _)| *o == org_id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            id,
            name,
            status,
            org_id,
        })
        .collect())
}
