//! Study's part of the OpenAPI document.
use crate::openapi::{
    array, body, id_param, items_of, merge, no_content, nullable, obj, ok, or_null, record, schema_ref,
};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    let mut schemas = schemas();
    merge(&mut schemas, shapes());
    (schemas, paths())
}

/// A plan's fields; `items` adds its monthly items.
fn plan_fields(items: bool) -> Value {
    let s = |t: &str| json!({ "type": t });
    let mut fields = json!({ "id": s("string"), "org_id": s("string"), "org_name": s("string"), "year": s("integer"), "title": s("string"),
        "status": { "type": "string", "enum": ["draft", "filed", "approved", "returned"], "description": "未报备、已报备、通过、退回" },
        "review_comment": s("string"), "filed_at": nullable("integer"), "reviewed_by": nullable("string"), "reviewed_at": nullable("integer") });
    if items {
        fields["items"] = array(record(
            json!({ "month": s("integer"), "topic": s("string"), "form": s("string"),
            "hours": { "type": "string", "description": "学时，如 \"1.5\"" }, "notes": s("string") }),
        ));
    }
    fields
}

/// The shapes the GET routes answer with.
fn shapes() -> Value {
    let s = |t: &str| json!({ "type": t });
    let hours = json!({ "type": "string", "description": "学时，如 \"1.5\"" });
    json!({
        "StudyPlan": record(plan_fields(true)),
        "StudyPlanSummary": record(plan_fields(false)),
        "Course": record(json!({ "id": s("string"), "org_id": s("string"), "org_name": s("string"), "year": s("integer"),
            "title": s("string"), "hours": hours })),
        "StudyPlans": record(json!({ "org_id": s("string"), "year": s("integer"),
            "plan": or_null(record(plan_fields(true))),
            "below": { "type": "array", "items": schema_ref("StudyPlanSummary"), "description": "下级组织的学习计划" },
            "missing": { "type": "array", "description": "未编制计划的支部",
                "items": record(json!({ "org_id": s("string"), "org_name": s("string") })) } })),
        "PersonStudy": record(json!({ "person_id": s("string"), "name": s("string"), "org_name": s("string"), "year": s("integer"),
            "hours": hours, "records_count": s("integer"), "courses_required": s("integer"), "courses_completed": s("integer"),
            "courses": array(record(json!({ "course": schema_ref("Course"), "recorded": hours, "completed": s("boolean") }))),
            "records": array(record(json!({ "id": s("string"), "studied_on": { "type": "string", "format": "date" }, "topic": s("string"),
                "hours": hours, "form": s("string"), "course_id": nullable("string"), "notes": s("string") }))) }))
    })
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
    let comment = |required: &[&str]| body(obj(json!({ "comment": s("string") }), required));
    let mut optional_comment = comment(&[]);
    optional_comment["required"] = json!(false);
    json!({
        "/api/v1/study/plans": {
            "get": { "summary": "组织的年度学习计划（含月度安排）、下级组织的学习计划及未编制计划的支部", "parameters": org_year,
                "responses": ok("学习计划", schema_ref("StudyPlans")) },
            "post": { "summary": "编制或修改年度学习计划（未报备或被退回时）", "requestBody": body(json!({ "$ref": "#/components/schemas/NewStudyPlan" })),
                "responses": created_id } },
        "/api/v1/study/plans/{id}": { "get": { "summary": "学习计划及其月度安排", "parameters": id_param(), "responses": ok("学习计划", schema_ref("StudyPlan")) } },
        "/api/v1/study/plans/{id}/file": { "post": { "summary": "报备：报上级党组织审核（至少一项安排）；被退回的计划修改后重新报备",
            "parameters": id_param(), "responses": no_content() } },
        "/api/v1/study/plans/{id}/approve": { "post": { "summary": "审核通过（仅上级党组织）", "parameters": id_param(),
            "requestBody": optional_comment, "responses": no_content() } },
        "/api/v1/study/plans/{id}/return": { "post": { "summary": "退回并提出意见（仅上级党组织，意见必填）", "parameters": id_param(),
            "requestBody": comment(&["comment"]), "responses": no_content() } },
        "/api/v1/study/records": { "post": { "summary": "登记学习记录：本人，或为参加集中学习的党员逐一登记",
            "requestBody": body(json!({ "$ref": "#/components/schemas/StudyRecord" })),
            "responses": { "201": { "description": "已登记", "content": { "application/json": { "schema": obj(json!({ "ids": { "type": "array", "items": s("string") } }), &["ids"]) } } } } } },
        "/api/v1/study/courses": {
            "get": { "summary": "适用于组织的必修课程（本组织及上级组织设置）", "parameters": org_year, "responses": ok("必修课程", items_of(schema_ref("Course"))) },
            "post": { "summary": "新增必修课程，适用于本组织及下级组织", "requestBody": body(json!({ "$ref": "#/components/schemas/NewCourse" })),
                "responses": created_id } },
        "/api/v1/people/{id}/study": { "get": { "summary": "人员年度学习情况：学时、学习记录、必修课程完成情况（本人或管理范围内）",
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": s("string") },
                { "name": "year", "in": "query", "description": "年度，默认当年", "schema": s("integer") }],
            "responses": ok("学习情况", schema_ref("PersonStudy")) } }
    })
}
