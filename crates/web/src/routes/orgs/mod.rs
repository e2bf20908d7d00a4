//! 组织架构: the Party organization tree, one organization's page, 换届提醒.
mod api;
mod detail;
mod pages;
mod pick;
mod settings;
mod units;

use super::registry::{Need, Routes};
use tongpin_core::auth::Power;

pub fn routes() -> Routes {
    let (view, manage) = (Need::Power(Power::ViewOrgs), Need::Power(Power::ManageOrgs));
    Routes::new()
        .get("/orgs", view, pages::list)
        .post("/orgs", manage, pages::create)
        .get("/orgs/elections", view, pages::elections)
        .get("/orgs/settings", view, settings::page)
        .post("/orgs/settings", manage, settings::save)
        .get("/units", view, units::page)
        .post("/units", manage, units::create)
        .post("/orgs/{id}/units", manage, units::attach)
        .post("/orgs/{id}/units/{unit}/remove", manage, units::detach)
        .get("/api/v1/units", view, units::api_list)
        .post("/api/v1/units", manage, units::api_create)
        .get("/orgs/{id}", view, detail::show)
        .post("/orgs/{id}/rename", manage, pages::rename)
        .post("/orgs/{id}/move", manage, detail::move_to)
        .post("/orgs/{id}/merge", manage, detail::merge)
        .post("/orgs/{id}/dissolve", manage, detail::dissolve)
        .post("/orgs/{id}/term", manage, detail::term)
        .post("/orgs/{id}/type", manage, detail::set_type)
        .post("/orgs/{id}/officers", manage, detail::add_officer)
        .post("/orgs/{id}/officers/{officer}/remove", manage, detail::remove_officer)
        .get("/api/v1/orgs", view, api::list)
        .get("/api/v1/orgs/pick", Need::AnyOf(pick::POWERS), pick::pick)
        .post("/api/v1/orgs", manage, api::create)
        .post("/api/v1/orgs/{id}/move", manage, api::move_to)
        .post("/api/v1/orgs/{id}/merge", manage, api::merge)
        .post("/api/v1/orgs/{id}/dissolve", manage, api::dissolve)
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
        "/api/v1/orgs/{id}/dissolve": { "post": { "summary": "撤销空组织；记录保留，上级仍可查阅", "parameters": id_param(), "responses": no_content() } },
        "/api/v1/orgs/pick": { "get": { "summary": "选组织：按名称的一部分提示管理范围内未撤销的组织，最多 20 个，树序，附完整名称路径",
            "parameters": [{ "name": "q", "in": "query", "description": "组织名称的一部分；为空时按树序列出前 20 个", "schema": s("string") },
                { "name": "for", "in": "query", "description": "发起的页面：people（党员名册）、life（组织生活）、plan（年度计划）、study（学习）、standard（标准化建设）、assess（考评）、transfer（组织关系转接的转入组织：全系统未撤销的党委、党总支、党支部）、orgs 或默认（组织架构）",
                    "schema": { "type": "string", "enum": ["people", "life", "plan", "study", "standard", "assess", "transfer", "orgs"] } },
                { "name": "manage", "in": "query", "description": "1：该模块可管理的范围（表单中的选择），而非可查看的范围", "schema": { "type": "string", "enum": ["1"] } },
                { "name": "kinds", "in": "query", "description": "units：不含党小组；leading：仅党委、党总支；或一种组织类型", "schema": { "type": "string", "enum": ["units", "leading", "committee", "general_branch", "branch", "group"] } },
                { "name": "under", "in": "query", "description": "只列该组织的下级组织（不含其本身）", "schema": s("string") },
                { "name": "held", "in": "query", "description": "1：只列直接授权给本人的组织（本人是其工作人员），不含其下级", "schema": { "type": "string", "enum": ["1"] } }],
            "responses": crate::openapi::ok("组织", crate::openapi::items_of(record(json!({ "id": s("string"), "name": s("string"),
                "kind": s("string"), "status_label": s("string"), "org_name": s("string") })))) } }
    });
    let unit = record(
        json!({ "id": s("string"), "parent_id": nullable("string"), "name": s("string"),
        "kind": { "type": "string", "enum": tongpin_core::org::UNIT_KINDS }, "created_at": s("integer"),
        "owner_org_id": { "type": "string", "nullable": true, "description": "所属组织；为空为全系统共用" } }),
    );
    (json!({ "Unit": unit }), paths)
}
