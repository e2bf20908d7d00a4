//! Each person's first base month and latest paid month (`dues_standing`),
//! kept by triggers (migration 0023) so the arrears to-dos read only the few
//! people behind instead of every member under a superior.
use crate::db::Db;
use crate::{with_tx, Result};

/// Builds the standing again from the bases and payments: `tongpin
/// recount-todos`. Returns the people it holds.
pub async fn recount(db: &Db) -> Result<u64> {
    db.transaction(|tx| {
        Box::pin(async move {
            with_tx!(tx, |x| sqlx::query("DELETE FROM dues_standing")
                .execute(x)
                .await?
                .rows_affected());
            Ok(with_tx!(tx, |x| sqlx::query(
                "INSERT INTO dues_standing (person_id, first_base, latest_paid) \
                 SELECT p.id, (SELECT MIN(b.from_month) FROM dues_bases b WHERE b.person_id = p.id), \
                 COALESCE((SELECT MAX(x.month) FROM dues_payments x WHERE x.person_id = p.id), '') \
                 FROM people p WHERE EXISTS (SELECT 1 FROM dues_bases b WHERE b.person_id = p.id) \
                 OR EXISTS (SELECT 1 FROM dues_payments x WHERE x.person_id = p.id)"
            )
            .execute(x)
            .await?
            .rows_affected()))
        })
    })
    .await
}
