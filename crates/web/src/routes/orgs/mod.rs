//! 组织架构: the Party organization tree, one organization's page, 换届提醒.
mod api;
mod detail;
mod pages;
mod settings;
mod units;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(pages::list).post(pages::create))
        .route("/orgs/elections", get(pages::elections))
        .route("/orgs/settings", get(settings::page).post(settings::save))
        .route("/units", get(units::page).post(units::create))
        .route("/orgs/{id}/units", post(units::attach))
        .route("/orgs/{id}/units/{unit}/remove", post(units::detach))
        .route("/api/v1/units", get(units::api_list).post(units::api_create))
        .route("/orgs/{id}", get(detail::show))
        .route("/orgs/{id}/rename", post(pages::rename))
        .route("/orgs/{id}/move", post(detail::move_to))
        .route("/orgs/{id}/merge", post(detail::merge))
        .route("/orgs/{id}/dissolve", post(detail::dissolve))
        .route("/orgs/{id}/term", post(detail::term))
        .route("/orgs/{id}/type", post(detail::set_type))
        .route("/orgs/{id}/officers", post(detail::add_officer))
        .route("/orgs/{id}/officers/{officer}/remove", post(detail::remove_officer))
        .route("/api/v1/orgs", get(api::list).post(api::create))
        .route("/api/v1/orgs/{id}/move", post(api::move_to))
        .route("/api/v1/orgs/{id}/merge", post(api::merge))
        .route("/api/v1/orgs/{id}/dissolve", post(api::dissolve))
}

/// (schemas, paths) of the tree changes, for the OpenAPI document.
pub fn openapi() -> (serde_json::Value, serde_json::Value) {
    use crate::openapi::{body, id_param, no_content, nullable, obj, page_of, record};
    use serde_json::json;
    let s = |t: &str| json!({ "type": t });
    let paths = json!({
        "/api/v1/orgs/{id}/move": { "post": { "summary": "调整隶属关系：下级组织和人员随之移动", "parameters": id_param(),
            "requestBody": body(obj(json!({ "parent_id": s("string") }), &["parent_id"])), "responses": no_content() } },
        "/api/v1/orgs/{id}/merge": { "post": { "summary": "并入同类组织：人员和下级组织转入，原组织撤销", "parameters": id_param(),
            "requestBody": body(obj(json!({ "into_id": s("string") }), &["into_id"])), "responses": no_content() } },
        "/api/v1/units": {
            "get": { "summary": "业务单元（树序）：全系统共用的及管理范围内组织的", "responses": crate::openapi::ok("业务单元", page_of("Unit")) },
            "post": { "summary": "新增业务单元", "requestBody": body(obj(json!({ "name": s("string"),
                "kind": { "type": "string", "enum": tongpin_core::org::UNIT_KINDS },
                "parent_id": { "type": "string", "nullable": true },
                "owner_org_id": { "type": "string", "nullable": true, "description": "所属组织；为空表示全系统共用，仅全系统的组织管理员可新增" } }),
                &["name", "kind"])), "responses": crate::openapi::created() } },
        "/api/v1/orgs/{id}/dissolve": { "post": { "summary": "撤销空组织；记录保留，上级仍可查阅", "parameters": id_param(), "responses": no_content() } }
    });
    let unit = record(
        json!({ "id": s("string"), "parent_id": nullable("string"), "name": s("string"),
        "kind": { "type": "string", "enum": tongpin_core::org::UNIT_KINDS }, "created_at": s("integer"),
        "owner_org_id": { "type": "string", "nullable": true, "description": "所属组织；为空为全系统共用" } }),
    );
    (json!({ "Unit": unit }), paths)
}
