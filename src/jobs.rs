//! The background jobs of `serve`. Each is safe with several servers on one
//! database: sends are claimed row by row, digests are deduplicated by key,
//! file collection re-checks under its transaction and recounts take the
//! servers' lock.
use std::sync::Arc;
use tongpin_core::auth;
use tongpin_core::clock::Clock;
use tongpin_core::db::Db;

pub fn spawn_all(db: &Db, clock: &Arc<dyn Clock>, trust: tongpin_core::notify::Trust) {
    tokio::spawn(collect_orphan_files(db.clone(), clock.clone()));
    tokio::spawn(expire_login_records(db.clone(), clock.clone()));
    tokio::spawn(send_notifications(db.clone(), clock.clone(), trust));
    tokio::spawn(anchor_audit_head(db.clone(), clock.clone()));
    tokio::spawn(keep_life_counts(db.clone(), clock.clone()));
    tokio::spawn(keep_statistics(db.clone()));
    tokio::spawn(settle_development_dates(db.clone()));
}

/// At start and hourly: the development deadlines a bulk load or a copy left
/// to be worked out (`develop::settle_due`); until then the to-dos read those
/// people in full.
async fn settle_development_dates(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match tongpin_core::develop::settle_due(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("worked out the next development deadline of {n} people"),
            Err(e) => tracing::warn!("working out development deadlines failed: {e}"),
        }
    }
}

/// At start and hourly: SQLite's planner statistics refreshed where a table
/// has none or has changed a lot since (PostgreSQL's autovacuum does this).
/// Without them SQLite picked a low-selectivity index and read the whole
/// roster for one branch's compliance page.
async fn keep_statistics(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        db.optimize().await;
    }
}

/// At start and every few minutes (rule table): the compliance counts of
/// this year and the last are built if they are not, and pending marks
/// applied, so neither the superior's view nor a bell waits for them (the
/// bell judges last year's yearly obligations until the year is over).
async fn keep_life_counts(db: Db, clock: Arc<dyn Clock>) {
    let secs = tongpin_core::rules::life::KEEP_COUNTS_SECONDS;
    let mut every = tokio::time::interval(std::time::Duration::from_secs(secs));
    loop {
        every.tick().await;
        let this = chrono::Datelike::year(&tongpin_core::clock::beijing(clock.now_ms()));
        for year in [this - 1, this] {
            if let Err(e) = tongpin_core::life::tallies::ready(&db, year).await {
                tracing::warn!("keeping the compliance counts of {year} failed: {e}");
            }
        }
    }
}

/// Hourly: evidence files saved over an hour ago that no record refers to
/// (the request that uploaded them failed) are removed.
async fn collect_orphan_files(db: Db, clock: Arc<dyn Clock>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        let before = clock.now_ms() - tongpin_core::rules::evidence::ORPHAN_AFTER_MS;
        match tongpin_core::files::gc(&db, before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("removed {n} unattached evidence files"),
            Err(e) => tracing::warn!("evidence file collection failed: {e}"),
        }
    }
}

/// Hourly: failed-login counts nobody has touched for a day (mostly names
/// that do not exist) and per-address counts older than any window.
async fn expire_login_records(db: Db, clock: Arc<dyn Clock>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(e) = auth::expire_login_records(&db, clock.now_ms()).await {
            tracing::warn!("expiring login records failed: {e}");
        }
    }
}

/// Every minute (rule table): the audit chain's head, when it moved, to the
/// anchor file and the operators' log.
async fn anchor_audit_head(db: Db, clock: Arc<dyn Clock>) {
    let secs = tongpin_core::rules::audit::ANCHOR_SECONDS;
    let mut every = tokio::time::interval(std::time::Duration::from_secs(secs));
    loop {
        every.tick().await;
        if let Err(e) = tongpin_core::audit::anchor_head(&db, clock.now_ms()).await {
            tracing::error!("anchoring the audit chain failed: {e}");
        }
    }
}

/// Every 30 seconds: queued notifications that are due are sent (retries
/// back off per the rule table).
async fn send_notifications(db: Db, clock: Arc<dyn Clock>, trust: tongpin_core::notify::Trust) {
    let client = match tongpin_core::notify::Client::new(&trust) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("notifications disabled: {e}");
            return;
        }
    };
    let secs = tongpin_core::rules::notify::POLL_SECONDS;
    let mut every = tokio::time::interval(std::time::Duration::from_secs(secs));
    loop {
        every.tick().await;
        // The day's digest of overdue to-dos, once a day per organization channel.
        if let Err(e) = tongpin_core::reminders::queue_digests(&db, clock.now_ms()).await {
            tracing::warn!("queueing the to-do digests failed: {e}");
        }
        match tongpin_core::notify::run_once(&db, clock.now_ms(), &client).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("made {n} notification attempts"),
            Err(e) => tracing::warn!("notification job failed: {e}"),
        }
    }
}
