//! Reading one evidence file of the cycle — a self-check answer's, a
//! problem's rectification evidence or a 督查调度 report's material — for whoever may read the organization
//! it belongs to.
use super::{CHECK_FILES, DISPATCH_FILES, PROBLEM_FILES};
use crate::db::Db;
use crate::files::Attachment;
use crate::org::Scope;
use crate::{with_db, Error, Result};

/// An evidence file of a self-check answer or a problem of an organization in the scope.
pub async fn file(db: &Db, scope: &Scope, attachment_id: &str) -> Result<Attachment> {
    let missing = || Error::NotFound("佐证材料不存在或不在您的管理范围内".into());
    let att = crate::files::get(db, attachment_id.trim()).await?.ok_or_else(missing)?;
    let sql = match att.owner_kind.as_str() {
        CHECK_FILES => "SELECT o.path FROM standard_checks c JOIN orgs o ON o.id = c.org_id WHERE c.id = $1",
        PROBLEM_FILES => "SELECT o.path FROM standard_problems p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1",
        DISPATCH_FILES => {
            "SELECT o.path FROM standard_dispatch_reports r JOIN orgs o ON o.id = r.org_id WHERE r.id = $1"
        }
        _ => return Err(missing()),
    };
    let path: Option<String> = with_db!(db, |p| sqlx::query_scalar(sql)
        .bind(&att.owner_id)
        .fetch_optional(p)
        .await?);
    match path {
        Some(p) if scope.contains_path(&p) => Ok(att),
        _ => Err(missing()),
    }
}
