//! `tongpin copy`: moves every row from one engine to another, the path a
//! deployment takes when it outgrows one machine.
use super::{Db, Tx};
use crate::audit::{verify_chain, Record};
use crate::{with_db, with_tx, Error, Result};
use sqlx::Row;

#[derive(Clone, Copy)]
enum Col {
    Text,
    Int,
    Bool,
    Blob,
}

/// Every table but `schema_migrations`, parents before children. The order
/// column keeps parents first within a self-referencing table. A test checks
/// that this list names every table of the schema.
#[rustfmt::skip]
const TABLES: &[(&str, &str, &[(&str, Col)])] = {
    use Col::*;
    &[
        ("orgs", "path", &[("id", Text), ("parent_id", Text), ("name", Text), ("kind", Text), ("path", Text), ("founded_on", Text),
            ("dissolved_at", Int), ("created_at", Int), ("dissolved_into", Text), ("term_years", Int), ("elected_on", Text), ("term_ends_on", Text), ("org_type", Text)]),
        ("business_units", "path", &[("id", Text), ("parent_id", Text), ("name", Text), ("kind", Text), ("path", Text), ("created_at", Int),
            ("owner_org_id", Text)]),
        ("org_units", "org_id, unit_id", &[("org_id", Text), ("unit_id", Text)]),
        ("people", "id", &[("id", Text), ("org_id", Text), ("org_path", Text), ("name", Text), ("name_pinyin", Text),
            ("name_initials", Text), ("gender", Text), ("ethnicity", Text), ("birth_date", Text), ("citizen_id", Text), ("phone", Text),
            ("education", Text), ("status", Text), ("joined_on", Text), ("full_on", Text), ("party_post", Text), ("admin_post", Text),
            ("business_unit_id", Text), ("affairs_worker", Text), ("backbone", Bool), ("double_high", Bool), ("created_at", Int),
            ("updated_at", Int), ("left_on", Text)]),
        ("accounts", "id", &[("id", Text), ("username", Text), ("display_name", Text), ("password_hash", Text),
            ("must_change_password", Bool), ("password_changed_at", Int), ("disabled", Bool), ("created_at", Int), ("person_id", Text)]),
        ("password_history", "id", &[("id", Text), ("account_id", Text), ("password_hash", Text), ("created_at", Int)]),
        ("login_attempts", "username", &[("username", Text), ("failures", Int), ("locked_until", Int), ("updated_at", Int)]),
        ("login_throttle", "addr, minute", &[("addr", Text), ("minute", Int), ("failures", Int)]),
        ("role_grants", "id", &[("id", Text), ("account_id", Text), ("role", Text), ("org_id", Text), ("created_at", Int)]),
        ("sessions", "id", &[("id", Text), ("account_id", Text), ("csrf", Text), ("client", Text), ("created_at", Int),
            ("last_seen_at", Int)]),
        ("settings", "key", &[("key", Text), ("value", Text)]),
        ("audit_log", "seq", &[("seq", Int), ("at", Int), ("actor_id", Text), ("actor_name", Text), ("scope", Text), ("action", Text),
            ("object", Text), ("result", Text), ("client_addr", Text), ("detail", Text), ("algo", Text), ("prev_hash", Text), ("hash", Text)]),
        ("org_officers", "id", &[("id", Text), ("org_id", Text), ("person_id", Text), ("post", Text), ("since", Text), ("created_at", Int)]),
        ("transfers", "created_at, id", &[("id", Text), ("person_id", Text), ("kind", Text), ("from_org_id", Text), ("to_org_id", Text),
            ("outside_org", Text), ("status", Text), ("reason", Text), ("letter_no", Text), ("valid_until", Text), ("requested_by", Text),
            ("decided_by", Text), ("decision_note", Text), ("created_at", Int), ("decided_at", Int)]),
        ("transfer_letter_seq", "year", &[("year", Int), ("last_seq", Int)]),
        ("development_steps", "id", &[("id", Text), ("person_id", Text), ("step", Int), ("done_on", Text), ("body", Text),
            ("responsible", Text), ("document", Text), ("note", Text), ("introducers", Text), ("training_days", Int),
            ("training_hours", Int), ("extension_months", Int), ("recorded_by", Text), ("created_at", Int)]),
        ("development_records", "id", &[("id", Text), ("person_id", Text), ("kind", Text), ("done_on", Text), ("months", Int),
            ("note", Text), ("recorded_by", Text), ("created_at", Int)]),
        ("org_rule_settings", "org_id", &[("org_id", Text), ("excellent_num", Int), ("excellent_den", Int),
            ("branch_max_members", Int), ("committee_min_seats", Int), ("committee_max_seats", Int), ("updated_by", Text),
            ("updated_at", Int)]),
        ("dues_bases", "id", &[("id", Text), ("person_id", Text), ("from_month", Text), ("category", Text), ("base_fen", Int),
            ("farmer_amount_fen", Int), ("created_at", Int), ("updated_at", Int)]),
        ("dues_payments", "id", &[("id", Text), ("person_id", Text), ("month", Text), ("amount_fen", Int), ("paid_on", Text),
            ("recorded_by", Text), ("created_at", Int)]),
        ("goals", "created_at, id", &[("id", Text), ("org_id", Text), ("year", Int), ("parent_id", Text), ("title", Text),
            ("description", Text), ("difficult", Bool), ("seq", Int), ("created_by", Text), ("created_at", Int), ("updated_at", Int)]),
        ("kpis", "id", &[("id", Text), ("goal_id", Text), ("seq", Int), ("name", Text), ("unit", Text), ("baseline", Int),
            ("target", Int), ("direction", Text), ("period_kind", Text), ("created_at", Int)]),
        ("kpi_values", "kpi_id, period", &[("kpi_id", Text), ("period", Text), ("value", Int), ("source", Text),
            ("entered_by", Text), ("entered_at", Int)]),
        ("tasks", "created_at, id", &[("id", Text), ("org_id", Text), ("year", Int), ("parent_id", Text), ("title", Text),
            ("description", Text), ("standing", Bool), ("deadline", Text), ("accepted_at", Int), ("progress", Int),
            ("done_on", Text), ("seq", Int), ("created_by", Text), ("created_at", Int), ("updated_at", Int)]),
        ("task_goals", "task_id, goal_id", &[("task_id", Text), ("goal_id", Text)]),
        ("plan_people", "item_id, person_id", &[("item_id", Text), ("person_id", Text)]),
        ("task_milestones", "id", &[("id", Text), ("task_id", Text), ("title", Text), ("due_on", Text), ("done_on", Text)]),
        ("task_progress", "id", &[("id", Text), ("task_id", Text), ("percent", Int), ("note", Text), ("reported_by", Text),
            ("reported_at", Int)]),
        ("kpi_tokens", "id", &[("id", Text), ("org_id", Text), ("name", Text), ("token_hash", Text), ("created_by", Text),
            ("created_at", Int), ("last_used_at", Int), ("revoked_at", Int)]),
        ("meetings", "created_at, id", &[("id", Text), ("org_id", Text), ("kind", Text), ("status", Text), ("topic", Text),
            ("starts_at", Int), ("month", Text), ("place", Text), ("host", Text), ("recorder", Text), ("agenda", Text),
            ("minutes", Text), ("voting_members", Int), ("dual_life", Bool), ("created_by", Text), ("created_at", Int),
            ("updated_at", Int), ("lecturer_id", Text), ("pair_a", Text), ("pair_b", Text), ("quorum_expected", Int),
            ("quorum_present", Int), ("counts", Bool), ("host_person_id", Text),
            ("recorder_person_id", Text)]),
        ("meeting_attendance", "meeting_id, person_id", &[("meeting_id", Text), ("person_id", Text), ("present", Bool),
            ("reason", Text), ("reason_kind", Text)]),
        ("meeting_resolutions", "id", &[("id", Text), ("meeting_id", Text), ("seq", Int), ("title", Text), ("votes_for", Int),
            ("votes_against", Int), ("abstentions", Int), ("passed", Bool)]),
        ("meeting_links", "meeting_id, item_id", &[("meeting_id", Text), ("item_kind", Text), ("item_id", Text)]),
        ("appraisal_grades", "meeting_id, person_id", &[("meeting_id", Text), ("person_id", Text), ("grade", Text)]),
        ("life_frequencies", "org_kind, meeting_kind", &[("org_kind", Text), ("meeting_kind", Text), ("period", Text),
            ("times", Int), ("updated_by", Text), ("updated_at", Int)]),
        ("files", "hash", &[("hash", Text), ("size", Int), ("mime", Text), ("created_at", Int)]),
        ("file_chunks", "hash, seq", &[("hash", Text), ("seq", Int), ("data", Blob)]),
        ("attachments", "id", &[("id", Text), ("owner_kind", Text), ("owner_id", Text), ("hash", Text), ("name", Text),
            ("created_by", Text), ("created_at", Int)]),
        ("file_uploads", "id", &[("id", Text), ("account_id", Text), ("hash", Text), ("size", Int), ("created_at", Int)]),
        ("upload_locks", "account_id", &[("account_id", Text), ("touched_at", Int)]),
        ("study_plans", "id", &[("id", Text), ("org_id", Text), ("year", Int), ("title", Text), ("status", Text),
            ("review_comment", Text), ("filed_at", Int), ("reviewed_by", Text), ("reviewed_at", Int), ("created_by", Text),
            ("created_at", Int), ("updated_at", Int)]),
        ("study_plan_items", "id", &[("id", Text), ("plan_id", Text), ("month", Int), ("seq", Int), ("topic", Text),
            ("form", Text), ("hours_planned", Int), ("notes", Text)]),
        ("study_courses", "id", &[("id", Text), ("org_id", Text), ("year", Int), ("title", Text), ("hours", Int),
            ("created_by", Text), ("created_at", Int)]),
        ("study_records", "id", &[("id", Text), ("person_id", Text), ("org_id", Text), ("studied_on", Text), ("topic", Text),
            ("hours", Int), ("form", Text), ("course_id", Text), ("notes", Text), ("created_by", Text), ("created_at", Int)]),
        ("standards", "created_at, id", &[("id", Text), ("org_id", Text), ("year", Int), ("title", Text), ("org_kinds", Text),
            ("version", Int), ("previous_id", Text), ("status", Text), ("grade_ii_bp", Int), ("grade_iii_bp", Int),
            ("published_at", Int), ("published_by", Text), ("created_by", Text), ("created_at", Int), ("updated_at", Int)]),
        ("standard_items", "standard_id, code", &[("standard_id", Text), ("code", Text), ("seq", Int), ("dimension", Text),
            ("title", Text), ("criteria", Text), ("evidence_required", Bool), ("points", Int), ("tier", Text), ("rule", Text)]),
        ("standard_orgs", "standard_id, org_id", &[("standard_id", Text), ("org_id", Text), ("stage", Text), ("grade", Text),
            ("round", Int), ("list_returned_reason", Text), ("list_returned_by", Text), ("list_returned_at", Int),
            ("accepted_at", Int), ("recheck_reason", Text), ("updated_at", Int)]),
        ("standard_checks", "id", &[("id", Text), ("standard_id", Text), ("org_id", Text), ("code", Text), ("met", Bool),
            ("note", Text), ("override_reason", Text), ("updated_by", Text), ("updated_at", Int)]),
        ("standard_problems", "id", &[("id", Text), ("standard_id", Text), ("org_id", Text), ("item_code", Text), ("round", Int),
            ("source", Text), ("source_id", Text), ("cause", Text), ("measure", Text), ("owner_id", Text), ("deadline", Text),
            ("status", Text), ("report_note", Text), ("reported_by", Text), ("reported_at", Int), ("verify_comment", Text),
            ("verified_by", Text), ("verified_at", Int), ("reopened", Int), ("created_by", Text), ("created_at", Int),
            ("updated_at", Int)]),
        ("standard_applications", "id", &[("id", Text), ("standard_id", Text), ("org_id", Text), ("round", Int), ("status", Text),
            ("applied_by", Text), ("applied_at", Int), ("share_bp", Int), ("suggested_grade", Text), ("grade", Text),
            ("grade_reason", Text), ("comment", Text), ("decided_by", Text), ("decided_at", Int)]),
        ("standard_events", "id", &[("id", Text), ("standard_id", Text), ("org_id", Text), ("kind", Text), ("detail", Text),
            ("actor", Text), ("at", Int)]),
        ("org_officer_ends", "id", &[("id", Text), ("org_id", Text), ("person_id", Text), ("post", Text), ("since", Text),
            ("ended_on", Text), ("ended_at", Int)]),
        ("standard_contacts", "id", &[("id", Text), ("org_id", Text), ("leader_id", Text), ("superior_org_id", Text),
            ("since", Text), ("ended_on", Text), ("note", Text), ("created_by", Text), ("created_at", Int)]),
        ("standard_visits", "id", &[("id", Text), ("contact_id", Text), ("visited_on", Text), ("summary", Text),
            ("findings", Text), ("created_by", Text), ("created_at", Int)]),
        ("standard_dispatches", "id", &[("id", Text), ("org_id", Text), ("title", Text), ("request", Text), ("period", Text),
            ("due_on", Text), ("org_kinds", Text), ("created_by", Text), ("created_at", Int)]),
        ("standard_dispatch_reports", "id", &[("id", Text), ("dispatch_id", Text), ("org_id", Text), ("content", Text),
            ("reported_by", Text), ("reported_at", Int), ("follow_up", Text), ("followed_by", Text), ("followed_at", Int)]),
        ("standard_trainings", "id", &[("id", Text), ("person_id", Text), ("org_id", Text), ("title", Text),
            ("organizer", Text), ("started_on", Text), ("ended_on", Text), ("hours", Int), ("created_by", Text),
            ("created_at", Int)]),
        ("standard_resources", "org_id, year", &[("org_id", Text), ("year", Int), ("full_time_staff", Int),
            ("part_time_staff", Int), ("budget_fen", Int), ("venue", Text), ("venue_area", Int), ("note", Text),
            ("updated_by", Text), ("updated_at", Int)]),
        ("assessments", "created_at, id", &[("id", Text), ("org_id", Text), ("title", Text), ("period", Text), ("subject", Text),
            ("status", Text), ("good_bp", Int), ("fairly_good_bp", Int), ("fair_bp", Int), ("bonus_cap", Int), ("appeal_days", Int),
            ("closed_at", Int), ("closed_by", Text), ("hash", Text), ("created_by", Text), ("created_at", Int), ("updated_at", Int)]),
        ("assessment_targets", "assessment_id, target_id", &[("assessment_id", Text), ("target_id", Text), ("org_id", Text)]),
        ("assessment_indicators", "assessment_id, code", &[("assessment_id", Text), ("code", Text), ("seq", Int),
            ("dimension", Text), ("side", Text), ("title", Text), ("full_points", Int), ("kind", Text), ("metric", Text),
            ("tier", Text), ("pass_bp", Int), ("figure_unit", Text), ("figure_baseline", Int), ("figure_target", Int),
            ("figure_direction", Text), ("w_superior", Int), ("w_peers", Int), ("w_masses", Int), ("w_self", Int)]),
        ("assessment_scores", "assessment_id, target_id, code, source, rater_key", &[("assessment_id", Text),
            ("target_id", Text), ("code", Text), ("source", Text), ("rater_key", Text), ("account_id", Text), ("points", Int),
            ("passed", Bool), ("figure", Int), ("note", Text), ("updated_by", Text), ("updated_at", Int)]),
        ("assessment_ballot_tokens", "token_hash", &[("token_hash", Text), ("assessment_id", Text), ("target_id", Text),
            ("grp", Text), ("issued_on", Text), ("used", Bool)]),
        ("assessment_tallies", "assessment_id, target_id, code", &[("assessment_id", Text), ("target_id", Text),
            ("code", Text), ("ballots", Int), ("points_sum", Int)]),
        ("assessment_results", "assessment_id, target_id", &[("assessment_id", Text), ("target_id", Text), ("score", Int),
            ("grade", Text), ("rank", Int), ("vetoed", Bool), ("complete", Bool), ("lines", Text)]),
        ("assessment_appeals", "filed_at, id", &[("id", Text), ("assessment_id", Text), ("target_id", Text), ("reason", Text),
            ("status", Text), ("filed_by", Text), ("filed_at", Int), ("code", Text), ("comment", Text), ("points_before", Int),
            ("points_after", Int), ("score_before", Int), ("score_after", Int), ("grade_before", Text), ("grade_after", Text),
            ("rank_before", Int), ("rank_after", Int), ("hash_before", Text), ("hash_after", Text), ("decided_by", Text),
            ("decided_at", Int)]),
        ("assessment_reports", "id", &[("id", Text), ("org_id", Text), ("year", Int), ("person_id", Text), ("business", Text),
            ("party_building", Text), ("integrity", Text), ("figures", Text), ("status", Text), ("updated_by", Text),
            ("updated_at", Int), ("submitted_by", Text), ("submitted_at", Int)]),
        ("assessment_duties", "id", &[("id", Text), ("org_id", Text), ("year", Int), ("person_id", Text), ("side", Text),
            ("seq", Int), ("duty", Text), ("done_on", Text), ("note", Text), ("created_by", Text), ("created_at", Int),
            ("updated_at", Int)]),
        ("notify_channels", "created_at, id", &[("id", Text), ("org_id", Text), ("kind", Text), ("name", Text), ("base_url", Text),
            ("secret", Text), ("settings", Text), ("enabled", Bool), ("created_by", Text), ("created_at", Int), ("updated_at", Int)]),
        ("notify_outbox", "created_at, id", &[("id", Text), ("channel_id", Text), ("dedupe_key", Text), ("title", Text), ("body", Text),
            ("status", Text), ("attempts", Int), ("next_attempt_at", Int), ("last_error", Text), ("created_at", Int), ("sent_at", Int)]),
        ("notify_attempts", "at, id", &[("id", Text), ("outbox_id", Text), ("at", Int), ("ok", Bool), ("status_code", Int),
            ("response", Text), ("error", Text)]),
    ]
};

#[derive(Clone, Debug)]
enum Val {
    T(Option<String>),
    I(Option<i64>),
    B(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

const PAGE: i64 = 2000;
/// Rows a page holds for a table with a blob column (file pieces of 256 KiB
/// each), so memory stays bounded.
const BLOB_PAGE: i64 = 16;

/// The table names `copy` moves, for the test that checks the list is whole.
pub fn copied_tables() -> Vec<&'static str> {
    TABLES.iter().map(|t| t.0).chain(["audit_head"]).collect()
}

/// Tables `copy` leaves behind because the target computes them again from
/// the records: the compliance counts kept on write (built on first read),
/// and the to-dos' candidates, which the target's triggers fill as the
/// records arrive (the development dates marked, worked out by `serve`).
pub const DERIVED_TABLES: &[&str] = &[
    "life_tallies",
    "life_tally_years",
    "life_tally_dirty",
    "dues_standing",
    "development_due",
];

async fn count(tx: &mut Tx, table: &str) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    Ok(with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(c)
        .await?))
}

/// Copies everything from `from` to `to` (both migrated), refusing a target
/// that holds any data, then checks row counts and the audit chain there.
/// All of it is one transaction on the target: a failure anywhere (a row the
/// target refuses, a failed check, a lost connection) leaves the target as
/// empty as it was, so the copy can simply be run again.
/// Returns (table, rows) pairs.
pub async fn copy_all(from: &Db, to: &Db) -> Result<Vec<(String, i64)>> {
    let mut tx = to.begin().await?;
    match copy_into(from, &mut tx).await {
        Ok(report) => {
            tx.commit().await?;
            Ok(report)
        }
        Err(e) => {
            tx.rollback().await.ok();
            Err(e)
        }
    }
}

async fn copy_into(from: &Db, to: &mut Tx) -> Result<Vec<(String, i64)>> {
    for (t, _, _) in TABLES {
        if count(to, t).await? > 0 {
            return Err(Error::Conflict(format!("目标数据库的表 {t} 已有数据，只能复制到空库")));
        }
    }
    let mut report = Vec::new();
    for (table, order, cols) in TABLES {
        let rows = copy_table(from, to, table, order, cols).await?;
        report.push((table.to_string(), rows));
    }
    let head: (i64, String, i64, String) = with_db!(from, |p| sqlx::query_as(
        "SELECT seq, hash, base_seq, base_hash FROM audit_head WHERE id = 1"
    )
    .fetch_one(p)
    .await?);
    with_tx!(to, |c| sqlx::query(
        "UPDATE audit_head SET seq = $1, hash = $2, base_seq = $3, base_hash = $4 WHERE id = 1"
    )
    .bind(head.0)
    .bind(&head.1)
    .bind(head.2)
    .bind(&head.3)
    .execute(c)
    .await?
    .rows_affected());
    for (t, n) in &report {
        let m = count(to, t).await?;
        if m != *n {
            return Err(Error::unexpected(format!(
                "复制后核对失败：表 {t} 源 {n} 行，目标 {m} 行"
            )));
        }
    }
    // The records keep the source's keyed hashes: the source's key verifies them.
    let key = from.seal().map(crate::audit::Seal::key);
    let records: Vec<Record> = with_tx!(to, |c| sqlx::query_as("SELECT * FROM audit_log ORDER BY seq")
        .fetch_all(c)
        .await?);
    if let Err(b) = verify_chain(&records, key, (head.2, &head.3), (head.0, &head.1)) {
        return Err(Error::unexpected(format!(
            "复制后审计链校验失败：第 {} 条，{}",
            b.seq, b.reason
        )));
    }
    Ok(report)
}

/// Copies one table page by page; returns the rows copied.
async fn copy_table(from: &Db, to: &mut Tx, table: &str, order: &str, cols: &[(&str, Col)]) -> Result<i64> {
    let page = if cols.iter().any(|c| matches!(c.1, Col::Blob)) {
        BLOB_PAGE
    } else {
        PAGE
    };
    let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
    let select = format!(
        "SELECT {} FROM {table} ORDER BY {order} LIMIT $1 OFFSET $2",
        names.join(", ")
    );
    let to_postgres = matches!(to.conn, super::TxConn::Postgres(_));
    let mut offset = 0;
    loop {
        let rows: Vec<Vec<Val>> = with_db!(from, |p| {
            let raw = sqlx::query(&select).bind(page).bind(offset).fetch_all(p).await?;
            let mut out = Vec::with_capacity(raw.len());
            for r in &raw {
                let mut vals = Vec::with_capacity(cols.len());
                for (i, (_, ty)) in cols.iter().enumerate() {
                    vals.push(match ty {
                        Col::Text => Val::T(r.try_get(i)?),
                        Col::Int => Val::I(r.try_get(i)?),
                        Col::Bool => Val::B(r.try_get(i)?),
                        Col::Blob => Val::Bytes(r.try_get(i)?),
                    });
                }
                out.push(vals);
            }
            out
        });
        if rows.is_empty() {
            break;
        }
        if to_postgres {
            refuse_nul(table, &names, &rows)?;
        }
        insert_page(to, table, &names, &rows).await?;
        offset += rows.len() as i64;
        if (rows.len() as i64) < page {
            break;
        }
    }
    Ok(offset)
}

/// PostgreSQL text cannot hold U+0000, which a SQLite database written before
/// the edge refused it may hold: named here rather than as a driver error.
fn refuse_nul(table: &str, names: &[&str], rows: &[Vec<Val>]) -> Result<()> {
    let nul = |v: &Val| matches!(v, Val::T(Some(s)) if s.contains('\u{0}'));
    match rows.iter().flat_map(|r| names.iter().zip(r)).find(|(_, v)| nul(v)) {
        Some((name, _)) => Err(Error::invalid(
            &format!("{table}.{name}"),
            "有数据含有 U+0000，PostgreSQL 无法保存；请先在源库中修正后再复制",
        )),
        None => Ok(()),
    }
}

async fn insert_page(to: &mut Tx, table: &str, names: &[&str], rows: &[Vec<Val>]) -> Result<()> {
    let per_stmt = (30_000 / names.len()).min(500);
    for chunk in rows.chunks(per_stmt) {
        let mut n = 0;
        let values: Vec<String> = chunk
            .iter()
            .map(|_| {
                let ph: Vec<String> = names
                    .iter()
                    .map(|_| {
                        n += 1;
                        format!("${n}")
                    })
                    .collect();
                format!("({})", ph.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            names.join(", "),
            values.join(", ")
        );
        with_tx!(to, |c| {
            let mut q = sqlx::query(&sql);
            for v in chunk.iter().flatten() {
                q = match v {
                    Val::T(x) => q.bind(x.clone()),
                    Val::I(x) => q.bind(*x),
                    Val::B(x) => q.bind(*x),
                    Val::Bytes(x) => q.bind(x.clone()),
                };
            }
            q.execute(c).await?.rows_affected()
        });
    }
    Ok(())
}
