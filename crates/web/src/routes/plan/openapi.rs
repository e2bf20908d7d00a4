//! The plan's part of the OpenAPI document.
use crate::openapi::{body, created, id_param, no_content, obj, ok};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    (schemas(), paths())
}

fn schemas() -> Value {
    let s = |t: &str| json!({ "type": t });
    let fig = json!({ "oneOf": [{ "type": "string" }, { "type": "number" }], "description": "数值，最多 4 位小数；建议以字符串传递以免精度损失" });
    json!({
        "NewKpi": obj(json!({ "name": s("string"), "unit": s("string"), "baseline": fig, "target": fig,
            "direction": { "type": "string", "enum": ["higher", "lower"], "description": "higher：越高越好；lower：越低越好" },
            "period": { "type": "string", "enum": ["month", "quarter", "year"], "description": "报送周期，默认 month" } }),
            &["name", "baseline", "target", "direction"]),
        "NewGoal": obj(json!({ "org_id": s("string"), "year": s("integer"), "title": s("string"), "description": s("string"),
            "difficult": { "type": "boolean", "description": "业务难点" },
            "owners": { "type": "array", "items": s("string"), "description": "责任人姓名（本组织名册中）" },
            "kpis": { "type": "array", "items": { "$ref": "#/components/schemas/NewKpi" } } }), &["org_id", "year", "title"]),
        "NewTask": obj(json!({ "org_id": s("string"), "year": s("integer"), "title": s("string"), "description": s("string"),
            "goal_ids": { "type": "array", "items": s("string"), "description": "服务的业务目标（本组织或上级组织同年度的目标）" },
            "standing": { "type": "boolean", "description": "常规党建要求（不关联目标）" },
            "deadline": { "type": "string", "format": "date" },
            "assignees": { "type": "array", "items": s("string"), "description": "责任人姓名" },
            "milestones": { "type": "array", "items": obj(json!({ "title": s("string"), "due_on": { "type": "string", "format": "date" } }), &["title", "due_on"]) } }),
            &["org_id", "year", "title", "deadline"]),
        "KpiValue": obj(json!({ "period": { "type": "string", "description": "按指标报送周期：2026-03、2026-Q1 或 2026" }, "value": fig,
            "unit": { "type": "string", "description": "可选；须与指标单位一致" } }), &["period", "value"]),
        "Fusion": { "type": "object", "properties": { "org_id": s("string"), "year": s("integer"), "tasks_total": s("integer"),
            "tasks_linked": s("integer"), "tasks_standing": s("integer"), "goals_total": s("integer"),
            "goals_without_tasks": { "type": "array", "items": s("string") },
            "difficult_goals": { "type": "array", "items": s("object") },
            "difficult_goals_without_tasks": { "type": "array", "items": s("string") },
            "linked_goals": s("integer"), "linked_attainment_bp": { "type": "integer", "nullable": true, "description": "基点，10000 = 100%" },
            "unlinked_goals": s("integer"), "unlinked_attainment_bp": { "type": "integer", "nullable": true } } }
    })
}

fn paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    let year = json!([{ "name": "id", "in": "path", "required": true, "schema": s("string") },
        { "name": "year", "in": "query", "description": "计划年度，默认当年", "schema": s("integer") }]);
    let org_ids = body(obj(
        json!({ "org_ids": { "type": "array", "items": s("string") } }),
        &["org_ids"],
    ));
    let deployed = ok(
        "新部署的组织数",
        obj(json!({ "deployed": s("integer") }), &["deployed"]),
    );
    json!({
        "/api/v1/orgs/{id}/plan": { "get": { "summary": "年度计划看板：业务目标、指标完成度及服务它的党建任务", "parameters": year, "responses": ok("看板", s("object")) } },
        "/api/v1/orgs/{id}/fusion": { "get": { "summary": "融合度：含下级组织的党建任务关联率、无党建支撑的目标与难点、有无支撑的完成度对比", "parameters": year,
            "responses": ok("融合度", json!({ "$ref": "#/components/schemas/Fusion" })) } },
        "/api/v1/orgs/{id}/matrix": { "get": { "summary": "督导矩阵：本组织业务目标 × 承接的下级组织，分解指标完成度与任务进度", "parameters": year, "responses": ok("矩阵", s("object")) } },
        "/api/v1/goals": { "post": { "summary": "新增业务目标及其指标", "requestBody": body(json!({ "$ref": "#/components/schemas/NewGoal" })),
            "responses": { "201": { "description": "已创建", "content": { "application/json": { "schema": obj(json!({ "id": s("string"),
                "kpis": { "type": "array", "items": obj(json!({ "id": s("string") }), &["id"]) } }), &["id", "kpis"]) } } } } } },
        "/api/v1/goals/{id}": {
            "get": { "summary": "业务目标及其指标", "parameters": id_param(), "responses": ok("目标", s("object")) },
            "put": { "summary": "修改目标名称、说明、难点、责任人；kpis 为新增的指标", "parameters": id_param(),
                "requestBody": body(json!({ "$ref": "#/components/schemas/NewGoal" })), "responses": no_content() },
            "delete": { "summary": "删除目标及其指标、指标值和任务关联（已分解到下级的须先由下级删除）", "parameters": id_param(), "responses": no_content() } },
        "/api/v1/goals/{id}/deploy": { "post": { "summary": "分解下达到下级组织（复制目标与指标）", "parameters": id_param(), "requestBody": org_ids, "responses": deployed } },
        "/api/v1/kpis/{id}/values": {
            "get": { "summary": "指标各期数值", "parameters": id_param(), "responses": ok("数值", s("object")) },
            "post": { "summary": "报送一期指标值（已有则更正，留痕于审计日志）。可用登录会话，或以指标接口令牌（tpk_ 开头，只能报送签发组织的指标）调用",
                "parameters": id_param(), "requestBody": body(json!({ "$ref": "#/components/schemas/KpiValue" })), "responses": created() } },
        "/api/v1/tasks": { "post": { "summary": "新增党建任务：关联服务的业务目标（结合点），或标记为常规党建要求",
            "requestBody": body(json!({ "$ref": "#/components/schemas/NewTask" })), "responses": created() } },
        "/api/v1/tasks/{id}": {
            "get": { "summary": "党建任务、关联目标与里程碑", "parameters": id_param(), "responses": ok("任务", s("object")) },
            "put": { "summary": "修改党建任务；milestones 为新增的里程碑", "parameters": id_param(),
                "requestBody": body(json!({ "$ref": "#/components/schemas/NewTask" })), "responses": no_content() },
            "delete": { "summary": "删除任务及其进展与佐证材料（已部署到下级的须先由下级删除）", "parameters": id_param(), "responses": no_content() } },
        "/api/v1/tasks/{id}/deploy": { "post": { "summary": "部署到下级组织（同部署），待其接收", "parameters": id_param(), "requestBody": org_ids, "responses": deployed } },
        "/api/v1/tasks/{id}/accept": { "post": { "summary": "接收上级部署的任务", "parameters": id_param(), "responses": no_content() } },
        "/api/v1/tasks/{id}/progress": {
            "get": { "summary": "进展报告，新者在前", "parameters": id_param(), "responses": ok("进展", s("object")) },
            "post": { "summary": "报告进展（同落实）：完成百分比与说明；佐证材料经页面表单上传", "parameters": id_param(),
                "requestBody": body(obj(json!({ "percent": s("integer"), "note": s("string") }), &["percent", "note"])), "responses": created() } }
    })
}
