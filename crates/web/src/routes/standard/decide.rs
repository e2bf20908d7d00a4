//! The direct superior's decision on one application from the page: pass
//! with the suggested grade or another one with its reason, or fail with
//! the problems that open the next round.
use super::applications::after;
use crate::extract::{Auth, Fields, Form};
use axum::extract::Path;
use axum::response::Response;
use tongpin_core::auth::Power;
use tongpin_core::standard::applications::{self, Decision};
use tongpin_core::standard::problems::{Fields as ProblemFields, Found};
use tongpin_core::Error;

/// Rows p1_…, p2_… of the failure's problem list; blank rows are dropped.
pub(super) fn found(f: &Fields) -> Vec<Found> {
    let mut out = Vec::new();
    for i in 1..=20 {
        let k = |n: &str| format!("p{i}_{n}");
        if !f.0.iter().any(|(n, _)| n.starts_with(&format!("p{i}_"))) {
            break;
        }
        let row = Found {
            item_code: f.get(&k("item_code")).into(),
            fields: ProblemFields {
                cause: f.get(&k("cause")).into(),
                measure: f.get(&k("measure")).into(),
                owner_id: f.get(&k("owner_id")).into(),
                deadline: f.get(&k("deadline")).into(),
            },
        };
        let blank = row.item_code.trim().is_empty()
            && row.fields.cause.trim().is_empty()
            && row.fields.measure.trim().is_empty()
            && row.fields.owner_id.trim().is_empty();
        if !blank {
            out.push(row);
        }
    }
    out
}

pub async fn decide(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let passed = match f.get("decision") {
        "pass" => Some(true),
        "fail" => Some(false),
        _ => None,
    };
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let passed = passed.ok_or_else(|| Error::invalid("验收结论", "请选择验收通过或验收未通过"))?;
        let d = Decision {
            passed,
            grade: Some(f.get("grade").to_string()).filter(|g| passed && !g.trim().is_empty()),
            grade_reason: f.get("grade_reason").into(),
            comment: f.get("comment").into(),
            problems: if passed { Vec::new() } else { found(&f) },
        };
        applications::decide(&a.state.db, a.now(), &a.actor(), &scope, &id, d).await
    }
    .await;
    let done = if passed == Some(false) { "failed" } else { "passed" };
    after(&a, &id, res, done).await
}
