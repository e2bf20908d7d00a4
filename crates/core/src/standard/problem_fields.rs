//! A problem's fields checked (the owner on the organization's roster, the
//! deadline not before today, three months on by default) and written.
use super::history;
use super::model::{Source, Stage};
use crate::db::{Db, Tx};
use crate::org::Org;
use crate::rules::standard::PROBLEM_DEADLINE_MONTHS;
use crate::text::{check, TextKind};
use crate::{ids, with_db, with_tx, Error, Result};
use chrono::NaiveDate;
use serde::Deserialize;

/// What a problem says and who fixes it by when; `deadline` empty takes the
/// rule table's default (three months on).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Fields {
    pub cause: String,
    pub measure: String,
    pub owner_id: String,
    #[serde(default)]
    pub deadline: String,
}

/// A problem a superior lists for an organization (a failed acceptance, a visit, a rectification round).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Found {
    pub item_code: String,
    #[serde(flatten)]
    pub fields: Fields,
}

/// Checked fields.
#[derive(Clone, Debug)]
pub(super) struct Valid {
    pub cause: String,
    pub measure: String,
    pub owner_id: String,
    pub owner_name: String,
    pub deadline: String,
}

/// Checks a problem's fields for `org`: the owner on its roster, the deadline not before today.
pub(super) async fn validate(db: &Db, org: &Org, f: &Fields, today: NaiveDate, n: Option<usize>) -> Result<Valid> {
    let name = |s: &str| n.map_or(s.to_string(), |n| format!("第{n}个问题{s}"));
    let cause = check(&name("问题原因"), &f.cause, 500, TextKind::Free)?;
    let measure = check(&name("整改措施"), &f.measure, 1000, TextKind::Free)?;
    if f.owner_id.trim().is_empty() {
        return Err(Error::invalid(&name("责任人"), "不能为空，请选择本组织名册中的人员"));
    }
    let who: Option<(String, String, String, Option<String>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, name, org_path, left_on FROM people WHERE id = $1"
    )
    .bind(f.owner_id.trim())
    .fetch_optional(p)
    .await?);
    let (owner_id, owner_name) = match who {
        Some((id, n, path, None)) if path.starts_with(&org.path) => (id, n),
        Some((_, n, _, _)) => {
            return Err(Error::invalid(
                &name("责任人"),
                format!("{n}不在{}的名册中，责任人应为本组织人员", org.name),
            ))
        }
        None => return Err(Error::invalid(&name("责任人"), "不存在，请从本组织名册中选择")),
    };
    let deadline = match f.deadline.trim() {
        "" => today
            .checked_add_months(chrono::Months::new(PROBLEM_DEADLINE_MONTHS))
            .unwrap_or(today),
        d => {
            let d = NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| Error::invalid(&name("整改时限"), format!("“{d}”不是有效日期，格式应为 2026-12-31")))?;
            if d < today {
                return Err(Error::invalid(
                    &name("整改时限"),
                    format!("{d} 早于今天（{today}），请重新设定"),
                ));
            }
            d
        }
    };
    Ok(Valid {
        cause,
        measure,
        owner_id,
        owner_name,
        deadline: deadline.to_string(),
    })
}

/// Writes a problem in the caller's transaction, with its event; answers its id.
#[allow(clippy::too_many_arguments)]
pub(super) async fn insert(
    tx: &mut Tx,
    now: i64,
    standard_id: &str,
    org_id: &str,
    item_code: &str,
    round: i64,
    source: Source,
    source_id: Option<&str>,
    v: &Valid,
    by: &str,
) -> Result<String> {
    let id = ids::new_id();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO standard_problems (id, standard_id, org_id, item_code, round, source, source_id, cause, measure, \
         owner_id, deadline, status, report_note, verify_comment, reopened, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', '', '', 0, $12, $13, $13)"
    )
    .bind(&id)
    .bind(standard_id)
    .bind(org_id)
    .bind(item_code)
    .bind(round)
    .bind(source.code())
    .bind(source_id)
    .bind(&v.cause)
    .bind(&v.measure)
    .bind(&v.owner_id)
    .bind(&v.deadline)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    let detail = format!(
        "{item_code}：{}（责任人 {}，时限 {}）",
        v.cause, v.owner_name, v.deadline
    );
    history::record(tx, now, standard_id, org_id, "problem", &detail, by).await?;
    Ok(id)
}

/// Refuses a change to the problems of an organization that applied or was accepted.
pub(super) fn must_be_open(stage: Stage) -> Result<()> {
    match stage {
        Stage::Open => Ok(()),
        Stage::Applied => Err(Error::Conflict(
            "已申报验收，问题清单已锁定；如需修改请先撤回申报".into(),
        )),
        Stage::Accepted => Err(Error::Conflict(
            "已通过验收，如需新的整改轮次，由上级党组织动态调整后再列入问题".into(),
        )),
    }
}
