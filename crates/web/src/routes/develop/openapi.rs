//! Member development's part of the OpenAPI document.
use crate::openapi::{body, error_responses, id_param, obj, ok, or_null, record, schema_ref};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    (schemas(), paths())
}

fn schemas() -> Value {
    let s = |t: &str| json!({ "type": t });
    let n = |t: &str| json!({ "type": t, "nullable": true });
    let stage = json!({ "type": "string", "enum": ["applicant", "activist", "candidate", "probationary", "full"] });
    let bodies = "branch（党支部）、branch_committee（支委会）、general_meeting（支部大会）、superior_committee（上级党委）、higher_org_department（再上一级党委组织部门）、applicant（本人）";
    let due = record(
        json!({ "step": s("integer"), "kind": { "type": "string", "enum": ["step", "review", "report"] },
        "on": { "type": "string", "format": "date" }, "overdue": s("boolean"), "text": s("string"), "rule": s("string") }),
    );
    json!({
        "DevelopmentStep": record(json!({ "id": s("string"), "person_id": s("string"),
            "step": { "type": "integer", "minimum": 1, "maximum": 25 }, "name": s("string"), "done_on": { "type": "string", "format": "date" },
            "body": { "type": "string", "description": bodies }, "body_label": s("string"), "responsible": s("string"), "document": s("string"),
            "note": s("string"), "introducers": { "type": "array", "items": s("string") }, "training_days": n("integer"), "training_hours": n("integer"),
            "extension_months": n("integer"), "recorded_by": s("string"), "created_at": s("integer") })),
        "NewDevelopmentStep": obj(json!({ "step": { "type": "integer", "minimum": 1, "maximum": 25, "description": "须为下一步，按二十五个步骤依次办理" },
            "done_on": { "type": "string", "format": "date", "description": "实际办理日期，也接受 2026年11月28日" },
            "body": { "type": "string", "description": format!("办理组织，代码或中文：{bodies}") },
            "responsible": { "type": "string", "description": "负责人姓名" }, "document": { "type": "string", "description": "形成材料或文号；留空则为该步骤的标准材料名称" },
            "note": s("string"), "introducers": { "type": "array", "items": s("string"), "description": "第 9 步：两名正式党员（须在名册中）" },
            "training_days": { "type": "integer", "description": "第 11 步：集中培训天数" }, "training_hours": { "type": "integer", "description": "第 11 步：集中培训学时" },
            "extension_months": { "type": "integer", "description": "第 23、24 步：延长预备期月数（6 至 12）" } }),
            &["step", "done_on", "body", "responsible"]),
        "NewDevelopmentRecord": obj(json!({ "kind": { "type": "string", "enum": ["review", "report", "extension"], "description": "半年考察、思想汇报（入党积极分子），或预备期满时延长预备期" },
            "done_on": { "type": "string", "format": "date" }, "months": { "type": "integer", "description": "延长预备期的月数（6 至 12）" }, "note": s("string") }),
            &["kind", "done_on"]),
        "DevelopmentRecord": record(json!({ "id": s("string"), "person_id": s("string"),
            "kind": { "type": "string", "enum": ["review", "report", "extension"] },
            "done_on": { "type": "string", "format": "date" }, "months": n("integer"), "note": s("string"), "recorded_by": s("string"), "created_at": s("integer") })),
        "DevelopmentDue": due.clone(),
        "Pipeline": record(json!({
            "counts": { "type": "array", "items": record(json!({ "stage": stage.clone(), "label": s("string"), "count": s("integer") })) },
            "people": { "type": "array", "items": record(json!({ "person_id": s("string"), "name": s("string"), "org_id": s("string"),
                "stage": stage, "last_step": n("integer"), "last_name": n("string"), "last_on": { "type": "string", "format": "date", "nullable": true }, "next_step": n("integer"), "next_name": n("string"),
                "due": or_null(due) })) } }))
    })
}

fn paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    let mut created = error_responses();
    created["201"] = json!({ "description": "已登记", "content": { "application/json": { "schema": record(json!({
        "id": s("string"), "warnings": { "type": "array", "items": s("string"), "description": "不阻止登记的提醒，如审批超过三个月" } })) } } });
    created["422"]["description"] = json!("输入有误或不符合发展党员工作规则（步骤顺序、时间要求、办理组织、入党介绍人等）：field 指出字段，message 写明所依据的规则");
    let mut recorded = created.clone();
    recorded["201"]["content"]["application/json"]["schema"] = schema_ref("Id");
    json!({
        "/api/v1/develop/pipeline": { "get": { "summary": "发展党员队伍：各阶段人数，及发展中人员的最近步骤和到期事项（逾期在前）", "parameters": [
            { "name": "org", "in": "query", "description": "组织 id（含下级）", "schema": s("string") },
            { "name": "stage", "in": "query", "description": "只列该阶段；full 为在本系统办理转正的人员", "schema": { "type": "string", "enum": ["applicant", "activist", "candidate", "probationary", "full"] } }],
            "responses": ok("发展党员队伍", json!({ "$ref": "#/components/schemas/Pipeline" })) } },
        "/api/v1/develop/todos": { "get": { "summary": format!("发展党员待办：已逾期或 {} 天内到期的步骤、考察和思想汇报", tongpin_core::rules::development::REMINDER_DAYS), "responses": ok("待办", record(json!({
            "items": { "type": "array", "items": { "$ref": "#/components/schemas/Todo" } }, "total": s("integer") }))) } },
        "/api/v1/people/{id}/steps": {
            "get": { "summary": "某人已办理的发展党员步骤、下一步及到期事项", "parameters": id_param(), "responses": ok("发展过程", record(json!({
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/DevelopmentStep" } },
                "kept": { "type": "array", "items": { "$ref": "#/components/schemas/DevelopmentRecord" } },
                "next_step": { "type": "integer", "nullable": true }, "due": { "type": "array", "items": { "$ref": "#/components/schemas/DevelopmentDue" } } }))) },
            "post": { "summary": "登记下一步（党务管理员、支部书记）；不符合规则的拒绝并写明规则，不写入任何数据", "parameters": id_param(),
                "requestBody": body(json!({ "$ref": "#/components/schemas/NewDevelopmentStep" })), "responses": created } },
        "/api/v1/people/{id}/development-records": {
            "post": { "summary": "登记入党积极分子的半年考察、思想汇报，或预备期满时延长预备期（党务管理员、支部书记）；不符合规则的拒绝并写明规则", "parameters": id_param(),
                "requestBody": body(json!({ "$ref": "#/components/schemas/NewDevelopmentRecord" })), "responses": recorded } }
    })
}
