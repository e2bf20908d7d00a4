//! life_compliance: for an organization, the share of its obligations of
//! organizational life met in the period, judged as the compliance view
//! judges them (life::compliance, one set of aggregate queries for the
//! assessor's whole subtree): each obligation counts its meetings held up to
//! what was due. For a member, the share of the meetings they were expected
//! at that they attended, absences with a proper reason (请假、病假、公差) not counted.
use super::computed::{Ctx, Share, Shares};
use super::lines::Part;
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use std::collections::HashSet;

pub(crate) async fn orgs(db: &Db, ctx: &Ctx<'_>) -> Result<Shares> {
    // The results are computed for the assessment as a whole, whoever reads
    // them; what a reader sees of them is filtered by their own scope.
    let scope = Scope::subtree_of(&ctx.a.org_path);
    let targets: HashSet<String> = super::read::targets(db, &ctx.a.id)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let all = crate::life::compliance::supervision(db, &scope, &ctx.a.org_id, &ctx.a.period, ctx.now).await?;
    let mut out = Shares::new();
    for oc in all.into_iter().filter(|o| targets.contains(&o.org.id)) {
        let parts: Vec<Part> = oc
            .items
            .iter()
            .filter(|i| i.due > 0)
            .map(|i| Part {
                label: i.label.to_string(),
                done: i.held.min(i.due),
                due: i.due,
            })
            .collect();
        if parts.is_empty() {
            continue;
        }
        let share = Share {
            done: parts.iter().map(|p| p.done).sum(),
            due: parts.iter().map(|p| p.due).sum(),
            parts,
        };
        out.insert(oc.org.id, share);
    }
    Ok(out)
}

/// The first and last month of the period, "YYYY-MM".
fn month_range(ctx: &Ctx<'_>) -> (String, String) {
    let months = super::computed::months(&ctx.period);
    (
        months.first().cloned().unwrap_or_default(),
        months.last().cloned().unwrap_or_default(),
    )
}

/// What the compliance view reads for the organizations, as one aggregate
/// query: the period's held meetings per organization, kind and month in
/// the assessor's subtree. The benchmark's raw counterpart of `orgs`.
pub(crate) fn orgs_query(ctx: &Ctx<'_>) -> (String, Vec<Param>) {
    let (from, to) = month_range(ctx);
    let mut w = Where::default();
    w.prefix("o.path", &ctx.a.org_path);
    w.push("m.month >= {}", Param::S(from));
    w.push("m.month <= {}", Param::S(to));
    w.push_raw("m.status = 'held'".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT m.org_id, m.kind, m.month, COUNT(*) FROM meetings m JOIN orgs o ON o.id = m.org_id {cond} \
         GROUP BY m.org_id, m.kind, m.month"
    );
    (sql, w.params().to_vec())
}

/// The members' attendance query: (person, expected, present, excused) rows.
pub(crate) fn members_query(ctx: &Ctx<'_>) -> (String, Vec<Param>) {
    let (from, to) = month_range(ctx);
    let sql = "SELECT ma.person_id, COUNT(*), \
         SUM(CASE WHEN ma.present THEN 1 ELSE 0 END), \
         SUM(CASE WHEN NOT ma.present AND ma.reason_kind IN ('leave', 'sick', 'official') THEN 1 ELSE 0 END) \
         FROM assessment_targets t JOIN meeting_attendance ma ON ma.person_id = t.target_id \
         JOIN meetings m ON m.id = ma.meeting_id \
         WHERE t.assessment_id = $1 AND m.status = 'held' AND m.month >= $2 AND m.month <= $3 \
         GROUP BY ma.person_id";
    (
        sql.into(),
        vec![Param::S(ctx.a.id.clone()), Param::S(from), Param::S(to)],
    )
}

pub(crate) async fn members(db: &Db, ctx: &Ctx<'_>) -> Result<Shares> {
    let (sql, params) = members_query(ctx);
    let rows: Vec<(String, i64, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), &params).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .filter(|(_, expected, _, excused)| expected - excused > 0)
        .map(|(person, expected, present, excused)| {
            let share = Share {
                done: present,
                due: expected - excused,
                parts: vec![
                    Part {
                        label: "应参加的会议".into(),
                        done: present,
                        due: expected,
                    },
                    Part {
                        label: "有正当理由缺席".into(),
                        done: excused,
                        due: expected,
                    },
                ],
            };
            (person, share)
        })
        .collect())
}
