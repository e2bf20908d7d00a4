//! The authorization matrix: every route of the registry × every demo role ×
//! an object inside the role's scope, outside it, and one that does not
//! exist. A role without the route's need is refused (403), an object
//! outside the scope answers as a missing one and changes nothing, and no
//! request answers 5xx. Runs on PostgreSQL when TONGPIN_TEST_PG is set.
mod common;
mod matrix;

use matrix::{walk, World};
use tongpin_web::registry;

#[tokio::test]
async fn member() {
    walk(&World::demo().await, "dangyuan").await;
}

#[tokio::test]
async fn branch_secretary() {
    walk(&World::demo().await, "shuji").await;
}

#[tokio::test]
async fn general_branch_admin() {
    walk(&World::demo().await, "zongzhi").await;
}

#[tokio::test]
async fn committee_admin() {
    walk(&World::demo().await, "dangwei").await;
}

#[tokio::test]
async fn discipline_inspector() {
    walk(&World::demo().await, "jijian").await;
}

#[tokio::test]
async fn system_admin() {
    walk(&World::demo().await, "admin").await;
}

#[tokio::test]
async fn security_admin() {
    walk(&World::demo().await, "anquan").await;
}

#[tokio::test]
async fn audit_admin() {
    walk(&World::demo().await, "shenji").await;
}

#[tokio::test]
async fn anonymous_callers_are_sent_to_log_in() {
    matrix::anonymous(&World::demo().await).await;
}

/// Every /api/v1 route is in the OpenAPI document with its method, and every
/// operation the document describes is a route.
#[test]
fn the_openapi_document_and_the_registry_agree() {
    let doc = tongpin_web::openapi_document();
    let described: std::collections::BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, ops)| {
            let ops = ops.as_object().cloned().unwrap_or_default();
            ops.keys()
                .filter(|m| ["get", "post", "put", "delete", "patch"].contains(&m.as_str()))
                .map(|m| (m.to_uppercase(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let served: std::collections::BTreeSet<(String, String)> = registry()
        .into_iter()
        .map(|s| (s.method.to_string(), s.path.to_string()))
        .collect();
    let undocumented: Vec<_> = served
        .difference(&described)
        .filter(|(_, path)| path.starts_with("/api/v1/"))
        .collect();
    let unserved: Vec<_> = described.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the OpenAPI document: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "documented operations no route serves: {unserved:?}"
    );
}

#[test]
fn every_route_is_registered_once() {
    let specs = registry();
    let mut seen = std::collections::BTreeSet::new();
    for s in &specs {
        assert!(
            seen.insert((s.method.to_string(), s.path)),
            "{} {} twice",
            s.method,
            s.path
        );
    }
    assert!(specs.len() > 200, "{} routes", specs.len());
}

/// The walk reaches every kind of object: the demo (and its fixtures) has
/// rows of each, so no parameter is tried only with a missing id.
#[tokio::test]
async fn every_object_kind_has_rows() {
    let w = World::demo().await;
    let empty = matrix::empty_kinds(&w).await;
    assert!(empty.is_empty(), "no rows of: {empty:?}");
}
