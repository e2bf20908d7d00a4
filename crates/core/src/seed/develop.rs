//! Demo data for this module.
use crate::audit::Actor;
use crate::db::Db;
use crate::Result;

/// Fills the demo branches (`branches`: their ids) with this module's records.
pub async fn seed(_db: &Db, _now: i64, _actor: &Actor, _branches: &[String]) -> Result<()> {
    Ok(())
}
