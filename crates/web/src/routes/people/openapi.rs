//! The roster's part of the OpenAPI document.
use crate::openapi::{array, body, created, id_param, items_of, no_content, obj, ok, record};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    (schemas(), paths())
}

fn schemas() -> Value {
    let s = |t: &str| json!({ "type": t });
    json!({
                "Person": record(json!({ "id": s("string"), "org_id": s("string"), "name": s("string"),
                    "name_pinyin": s("string"), "name_initials": s("string"), "gender": { "type": "string", "enum": ["male", "female"] }, "ethnicity": s("string"),
                    "birth_date": { "type": "string", "format": "date", "nullable": true },
                    "citizen_id": { "type": "string", "nullable": true, "description": "身份证号，默认脱敏" },
                    "phone": { "type": "string", "description": "手机号，默认脱敏" },
                    "education": s("string"), "status": { "type": "string", "enum": ["applicant", "activist", "candidate", "probationary", "full", "masses"] },
                    "joined_on": { "type": "string", "format": "date", "nullable": true }, "full_on": { "type": "string", "format": "date", "nullable": true },
                    "party_post": s("string"), "admin_post": s("string"),
                    "business_unit_id": { "type": "string", "nullable": true, "description": "所在业务单元" },
                    "affairs_worker": { "type": "string", "enum": ["", "full_time", "part_time"] }, "backbone": s("boolean"),
                    "double_high": s("boolean"), "created_at": s("integer"), "updated_at": s("integer"),
                    "left_on": { "type": "string", "format": "date", "nullable": true, "description": "组织关系转出本系统的日期" } })),
                "NewPerson": obj(json!({ "name": s("string"), "gender": { "type": "string", "description": "男/女，可由身份证号得出" }, "citizen_id": s("string"),
                    "phone": s("string"), "org_id": s("string"), "status": { "type": "string", "description": "类别代码或中文，如 full 或 正式党员" },
                    "joined_on": { "type": "string", "format": "date" }, "full_on": { "type": "string", "format": "date" }, "birth_date": { "type": "string", "format": "date" },
                    "ethnicity": s("string"), "education": s("string"), "party_post": s("string"), "admin_post": s("string"),
                    "affairs_worker": { "type": "string", "description": "专职/兼职/空" }, "backbone": s("boolean"), "double_high": s("boolean") }), &["name", "org_id", "status"])
    })
}

fn paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    json!({
            "/api/v1/people": {
                "get": { "summary": "党员名册（脱敏），按拼音排序", "parameters": [
                    { "name": "q", "in": "query", "description": "姓名、全拼或首字母，如 张三、zhangsan、zs", "schema": s("string") },
                    { "name": "org", "in": "query", "description": "组织 id（含下级）", "schema": s("string") },
                    { "name": "status", "in": "query", "schema": { "type": "string", "enum": ["applicant", "activist", "candidate", "probationary", "full", "masses"] } },
                    { "name": "post", "in": "query", "schema": s("string") }, { "name": "page", "in": "query", "schema": s("integer") },
                    { "name": "per_page", "in": "query", "schema": s("integer") }], "responses": ok("人员", record(json!({
                        "items": { "type": "array", "items": { "$ref": "#/components/schemas/Person" } },
                        "total": { "type": "integer", "description": "符合条件的人数，至多计到 total_capped 所示的上限" },
                        "total_capped": { "type": "boolean", "description": "true：符合条件的超过 total 人，未继续计数（请缩小查询范围）" } }))) },
                "post": { "summary": "新增人员", "requestBody": body(json!({ "$ref": "#/components/schemas/NewPerson" })), "responses": created() } },
            "/api/v1/people/{id}": {
                "get": { "summary": "人员详情（脱敏）", "parameters": id_param(), "responses": ok("人员", json!({ "$ref": "#/components/schemas/Person" })) },
                "put": { "summary": "修改人员；身份证号、手机号留空则保留原值", "parameters": id_param(),
                    "requestBody": body(json!({ "$ref": "#/components/schemas/NewPerson" })), "responses": no_content() } },
            "/api/v1/people/pick": { "get": { "summary": "选人（主持人、记录人、责任人等）：按姓名、全拼或首字母提示，最多 10 人；只含姓名、类别和所在组织",
                "parameters": [{ "name": "q", "in": "query", "description": "姓名、全拼或首字母", "schema": s("string") },
                    { "name": "org", "in": "query", "description": "组织 id（含下级）", "schema": s("string") },
                    { "name": "for", "in": "query", "description": "发起选人的模块：life（组织生活）、plan（年度计划）、study（学习）；默认党员名册的查看范围",
                        "schema": { "type": "string", "enum": ["life", "plan", "study"] } }],
                "responses": ok("人员", items_of(record(json!({ "id": s("string"), "name": s("string"),
                    "status": { "type": "string", "enum": ["applicant", "activist", "candidate", "probationary", "full", "masses"] },
                    "status_label": s("string"), "org_id": s("string"), "org_name": s("string") })))) } },
            "/api/v1/people/{id}/reveal": { "post": { "summary": "查看完整身份证号和手机号（党务管理员；记入审计日志）", "parameters": id_param(),
                "responses": ok("人员（不脱敏）", json!({ "$ref": "#/components/schemas/Person" })) } },
            "/api/v1/people/import": { "post": { "summary": "导入名册（xlsx 或 csv）：整份无误才写入，或仅导入正确的行",
                "parameters": [{ "name": "dry_run", "in": "query", "schema": s("boolean") }, { "name": "valid_only", "in": "query", "schema": s("boolean") },
                    { "name": "update_existing", "in": "query", "schema": s("boolean") }],
                "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "properties": { "file": { "type": "string", "format": "binary" } }, "required": ["file"] } } } },
                "responses": ok("导入结果", obj(json!({ "imported": s("integer"), "updated": s("integer"), "valid": s("integer"), "total": s("integer"),
                    "errors": array(record(json!({ "row": s("integer"), "column": s("string"), "message": s("string") }))),
                    "rejected_xlsx_base64": { "type": "string", "description": "仅导入正确的行时：有误的行（xlsx，base64）" } }),
                    &["imported", "updated", "valid", "total", "errors"])) } }
    })
}
