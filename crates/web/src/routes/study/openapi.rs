//! Study's part of the OpenAPI document.
use crate::openapi::{body, id_param, no_content, obj, ok};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    (schemas(), paths())
}

fn schemas() -> Value {
    let s = |t: &str| json!({ "type": t });
    let hours = json!({ "oneOf": [{ "type": "string" }, { "type": "number" }],
        "description": "学时（课程或学习的实际课时，非在线时长），大于 0，最多 1 位小数，如 \"1.5\"" });
    json!({
        "NewStudyItem": obj(json!({ "month": { "type": "integer", "minimum": 1, "maximum": 12 }, "topic": s("string"),
            "form": { "type": "string", "description": "学习形式，如集中学习、专题研讨、党课、自学、参观实践；默认集中学习" },
            "hours": hours, "notes": s("string") }), &["month", "topic", "hours"]),
        "NewStudyPlan": obj(json!({ "org_id": s("string"), "year": s("integer"),
            "title": { "type": "string", "description": "默认“组织名+年度学习计划”" },
            "items": { "type": "array", "items": { "$ref": "#/components/schemas/NewStudyItem" },
                "description": "全部月度安排（替换原有安排）；每月最多 10 项" } }), &["org_id", "year"]),
        "StudyRecord": obj(json!({ "person_ids": { "type": "array", "items": s("string"),
                "description": "集中学习的参加人员（须有学习管理权限）；不填则登记本人（账号关联的人员）" },
            "studied_on": { "type": "string", "format": "date", "description": "不能晚于今天" }, "topic": s("string"), "hours": hours,
            "form": s("string"), "course_id": { "type": "string", "nullable": true, "description": "计入的必修课程" },
            "notes": { "type": "string", "description": "学习心得" } }), &["studied_on", "topic", "hours"]),
        "NewCourse": obj(json!({ "org_id": s("string"), "year": s("integer"), "title": s("string"), "hours": hours }),
            &["org_id", "year", "title", "hours"])
    })
}

fn paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    let org_year = json!([{ "name": "org", "in": "query", "required": true, "schema": s("string") },
        { "name": "year", "in": "query", "description": "年度，默认当年", "schema": s("integer") }]);
    let created_id = json!({ "201": { "description": "已创建", "content": { "application/json": { "schema": obj(json!({ "id": s("string") }), &["id"]) } } } });
    let comment = |required: bool| {
        body(obj(
            json!({ "comment": s("string") }),
            if required { &["comment"] } else { &[] },
        ))
    };
    json!({
        "/api/v1/study/plans": {
            "get": { "summary": "组织的年度学习计划（含月度安排）、下级组织的学习计划及未编制计划的支部", "parameters": org_year,
                "responses": ok("学习计划", s("object")) },
            "post": { "summary": "编制或修改年度学习计划（未报备或被退回时）", "requestBody": body(json!({ "$ref": "#/components/schemas/NewStudyPlan" })),
                "responses": created_id } },
        "/api/v1/study/plans/{id}": { "get": { "summary": "学习计划及其月度安排", "parameters": id_param(), "responses": ok("学习计划", s("object")) } },
        "/api/v1/study/plans/{id}/file": { "post": { "summary": "报备：报上级党组织审核（至少一项安排）；被退回的计划修改后重新报备",
            "parameters": id_param(), "responses": no_content() } },
        "/api/v1/study/plans/{id}/approve": { "post": { "summary": "审核通过（仅上级党组织）", "parameters": id_param(),
            "requestBody": comment(false), "responses": no_content() } },
        "/api/v1/study/plans/{id}/return": { "post": { "summary": "退回并提出意见（仅上级党组织，意见必填）", "parameters": id_param(),
            "requestBody": comment(true), "responses": no_content() } },
        "/api/v1/study/records": { "post": { "summary": "登记学习记录：本人，或为参加集中学习的党员逐一登记",
            "requestBody": body(json!({ "$ref": "#/components/schemas/StudyRecord" })),
            "responses": { "201": { "description": "已登记", "content": { "application/json": { "schema": obj(json!({ "ids": { "type": "array", "items": s("string") } }), &["ids"]) } } } } } },
        "/api/v1/study/courses": {
            "get": { "summary": "适用于组织的必修课程（本组织及上级组织设置）", "parameters": org_year, "responses": ok("必修课程", s("object")) },
            "post": { "summary": "新增必修课程，适用于本组织及下级组织", "requestBody": body(json!({ "$ref": "#/components/schemas/NewCourse" })),
                "responses": created_id } },
        "/api/v1/people/{id}/study": { "get": { "summary": "人员年度学习情况：学时、学习记录、必修课程完成情况（本人或管理范围内）",
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": s("string") },
                { "name": "year", "in": "query", "description": "年度，默认当年", "schema": s("integer") }],
            "responses": ok("学习情况", s("object")) } }
    })
}
