//! The plan's part of the OpenAPI document.
use crate::openapi::{
    array, body, created, created_with, id_param, items_of, merge, no_content, nullable, obj, ok, record, schema_ref,
};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    let mut schemas = schemas();
    merge(&mut schemas, shapes());
    (schemas, paths())
}

/// The shapes the plan's GET routes answer with.
fn shapes() -> Value {
    let s = |t: &str| json!({ "type": t });
    let date = json!({ "type": "string", "format": "date" });
    let bp = json!({ "type": "integer", "nullable": true, "description": "完成度，基点，10000 = 100%；无数据时为空" });
    let fixed = json!({ "type": "integer", "description": "数值 ×10000（定点，精确到 4 位小数）" });
    let text = json!({ "type": "string", "description": "数值，如 \"86.3\"" });
    let direction = json!({ "type": "string", "enum": ["higher", "lower"] });
    let period_kind = json!({ "type": "string", "enum": ["month", "quarter", "year"] });
    let board_task = record(
        json!({ "id": s("string"), "title": s("string"), "deadline": date, "progress": s("integer"),
        "overdue": s("boolean"), "accepted": s("boolean"), "deployed": { "type": "integer", "description": "部署到的下级组织数" },
        "assignees": array(s("string")) }),
    );
    let board_kpi = record(
        json!({ "id": s("string"), "name": s("string"), "unit": s("string"), "baseline": text, "target": text,
        "direction": direction, "period": period_kind,
        "latest": { "type": "object", "nullable": true, "additionalProperties": false, "required": ["period", "value"],
            "properties": { "period": s("string"), "value": text } },
        "attainment_bp": bp, "missing": { "type": "array", "items": s("string"), "description": "应报未报的期间" } }),
    );
    json!({
        "Goal": record(json!({ "id": s("string"), "org_id": s("string"), "org_name": s("string"), "year": s("integer"),
            "parent_id": { "type": "string", "nullable": true, "description": "分解自上级组织的目标" }, "title": s("string"),
            "description": s("string"), "difficult": s("boolean"), "seq": s("integer") })),
        "Kpi": record(json!({ "id": s("string"), "goal_id": s("string"), "seq": s("integer"), "name": s("string"), "unit": s("string"),
            "baseline": fixed, "target": fixed, "direction": direction, "period_kind": period_kind, "created_at": s("integer") })),
        "Task": record(json!({ "id": s("string"), "org_id": s("string"), "org_name": s("string"), "year": s("integer"),
            "parent_id": { "type": "string", "nullable": true, "description": "部署自上级组织的任务" }, "title": s("string"),
            "description": s("string"), "standing": s("boolean"), "deadline": date, "accepted_at": nullable("integer"),
            "progress": s("integer"), "done_on": { "type": "string", "format": "date", "nullable": true }, "seq": s("integer") })),
        "Milestone": record(json!({ "id": s("string"), "task_id": s("string"), "title": s("string"), "due_on": date,
            "done_on": { "type": "string", "format": "date", "nullable": true } })),
        "ProgressReport": record(json!({ "id": s("string"), "task_id": s("string"), "percent": s("integer"), "note": s("string"),
            "reported_by": s("string"), "reported_at": s("integer") })),
        "BoardTask": board_task,
        "GoalCard": record(json!({ "id": s("string"), "org_id": s("string"), "title": s("string"), "difficult": s("boolean"),
            "attainment_bp": bp, "flagged": { "type": "boolean", "description": "完成度落后或指标未报" }, "owners": array(s("string")),
            "kpis": array(board_kpi), "tasks": array(schema_ref("BoardTask")),
            "tasks_below": { "type": "integer", "description": "下级组织服务它的任务数" } })),
        "PlanBoard": record(json!({ "org_id": s("string"), "year": s("integer"),
            "goals": array(schema_ref("GoalCard")), "superior_goals": array(schema_ref("GoalCard")),
            "standing": array(schema_ref("BoardTask")), "pending": { "type": "array", "items": schema_ref("BoardTask"), "description": "上级部署、待接收的任务" } })),
        "Matrix": record(json!({ "goals": array(record(json!({ "id": s("string"), "title": s("string"), "difficult": s("boolean") }))),
            "orgs": array(record(json!({ "org_id": s("string"), "org_name": s("string"),
                "cells": { "type": "array", "description": "与 goals 一一对应",
                    "items": record(json!({ "attainment_bp": bp, "unreported": s("integer"), "tasks": s("integer"),
                        "progress": nullable("integer"), "overdue": s("integer") })) } }))) })),
        "KpiValues": record(json!({ "kpi": schema_ref("Kpi"), "goal_title": s("string"), "year": s("integer"),
            "values": array(record(json!({ "period": s("string"), "value": text,
                "source": { "type": "string", "enum": ["manual", "import", "api"] }, "entered_by": s("string"), "entered_at": s("integer") }))) }))
    })
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
        "Fusion": record(json!({ "org_id": s("string"), "year": s("integer"), "tasks_total": s("integer"),
            "tasks_linked": s("integer"), "tasks_standing": s("integer"), "goals_total": s("integer"),
            "goals_without_tasks": array(s("string")),
            "difficult_goals": array(record(json!({ "id": s("string"), "title": s("string"),
                "attainment_bp": { "type": "integer", "nullable": true, "description": "基点，10000 = 100%" },
                "tasks": array(record(json!({ "task_id": s("string"), "title": s("string"), "org_name": s("string"), "progress": s("integer") }))) }))),
            "difficult_goals_without_tasks": array(s("string")),
            "linked_goals": s("integer"), "linked_attainment_bp": { "type": "integer", "nullable": true, "description": "基点，10000 = 100%" },
            "unlinked_goals": s("integer"), "unlinked_attainment_bp": nullable("integer") }))
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
        "/api/v1/orgs/{id}/plan": { "get": { "summary": "年度计划看板：业务目标、指标完成度及服务它的党建任务", "parameters": year, "responses": ok("看板", schema_ref("PlanBoard")) } },
        "/api/v1/orgs/{id}/fusion": { "get": { "summary": "融合度：含下级组织的党建任务关联率、无党建支撑的目标与难点、有无支撑的完成度对比", "parameters": year,
            "responses": ok("融合度", json!({ "$ref": "#/components/schemas/Fusion" })) } },
        "/api/v1/orgs/{id}/matrix": { "get": { "summary": "督导矩阵：本组织业务目标 × 承接的下级组织，分解指标完成度与任务进度", "parameters": year, "responses": ok("矩阵", schema_ref("Matrix")) } },
        "/api/v1/goals": { "post": { "summary": "新增业务目标及其指标", "requestBody": body(json!({ "$ref": "#/components/schemas/NewGoal" })),
            "responses": { "201": { "description": "已创建", "content": { "application/json": { "schema": obj(json!({ "id": s("string"),
                "kpis": { "type": "array", "items": obj(json!({ "id": s("string") }), &["id"]) } }), &["id", "kpis"]) } } } } } },
        "/api/v1/goals/{id}": {
            "get": { "summary": "业务目标及其指标", "parameters": id_param(), "responses": ok("目标", record(json!({ "goal": schema_ref("Goal"), "kpis": array(schema_ref("Kpi")) }))) },
            "put": { "summary": "修改目标名称、说明、难点、责任人；kpis 为新增的指标", "parameters": id_param(),
                "requestBody": body(json!({ "$ref": "#/components/schemas/NewGoal" })), "responses": no_content() },
            "delete": { "summary": "删除目标及其指标、指标值和任务关联（已分解到下级的须先由下级删除）", "parameters": id_param(), "responses": no_content() } },
        "/api/v1/goals/{id}/deploy": { "post": { "summary": "分解下达到下级组织（复制目标与指标）", "parameters": id_param(), "requestBody": org_ids, "responses": deployed } },
        "/api/v1/kpis/{id}/values": {
            "get": { "summary": "指标各期数值", "parameters": id_param(), "responses": ok("数值", schema_ref("KpiValues")) },
            "post": { "summary": "报送一期指标值（已有则更正，留痕于审计日志）。可用登录会话，或以指标接口令牌（tpk_ 开头，只能报送签发组织的指标）调用",
                "parameters": id_param(), "requestBody": body(json!({ "$ref": "#/components/schemas/KpiValue" })),
                "responses": created_with(record(json!({ "kpi_id": s("string"), "period": s("string"), "value": s("string") }))) } },
        "/api/v1/tasks": { "post": { "summary": "新增党建任务：关联服务的业务目标（结合点），或标记为常规党建要求",
            "requestBody": body(json!({ "$ref": "#/components/schemas/NewTask" })), "responses": created() } },
        "/api/v1/tasks/{id}": {
            "get": { "summary": "党建任务、关联目标与里程碑", "parameters": id_param(), "responses": ok("任务", record(json!({ "task": schema_ref("Task"), "goal_ids": array(s("string")), "milestones": array(schema_ref("Milestone")) }))) },
            "put": { "summary": "修改党建任务；milestones 为新增的里程碑", "parameters": id_param(),
                "requestBody": body(json!({ "$ref": "#/components/schemas/NewTask" })), "responses": no_content() },
            "delete": { "summary": "删除任务及其进展与佐证材料（已部署到下级的须先由下级删除）", "parameters": id_param(), "responses": no_content() } },
        "/api/v1/tasks/{id}/deploy": { "post": { "summary": "部署到下级组织（同部署），待其接收", "parameters": id_param(), "requestBody": org_ids, "responses": deployed } },
        "/api/v1/tasks/{id}/accept": { "post": { "summary": "接收上级部署的任务", "parameters": id_param(), "responses": no_content() } },
        "/api/v1/tasks/{id}/progress": {
            "get": { "summary": "进展报告，新者在前", "parameters": id_param(), "responses": ok("进展", items_of(schema_ref("ProgressReport"))) },
            "post": { "summary": "报告进展（同落实）：完成百分比与说明；佐证材料经页面表单上传", "parameters": id_param(),
                "requestBody": body(obj(json!({ "percent": s("integer"), "note": s("string") }), &["percent", "note"])), "responses": created() } }
    })
}
