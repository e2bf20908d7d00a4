//! The dues part of the OpenAPI document.
use crate::openapi::{array, body, id_param, obj, ok, record, schema_ref};
use serde_json::{json, Value};
use tongpin_core::rules::dues::{ARREARS_FIRST_WARNING_MONTHS as FIRST, ARREARS_LEAVING_MONTHS as LEAVING};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    (schemas(), paths())
}

fn schemas() -> Value {
    let s = |t: &str| json!({ "type": t });
    let n = |t: &str| json!({ "type": t, "nullable": true });
    let category =
        json!({ "type": "string", "enum": ["working", "retired", "student", "unemployed", "subsistence", "farmer"] });
    let month_dues = json!({
        "month": { "type": "string", "description": "YYYY-MM" }, "category": n("string"), "category_label": s("string"),
        "base_fen": n("integer"), "rate": { "type": "string", "description": "如 1.5%，定额类别为“定额”" },
        "due_fen": { "type": "integer", "nullable": true, "description": "按当月适用的基数计算；未设基数时为空" },
        "paid_fen": n("integer"), "paid_on": { "type": "string", "format": "date", "nullable": true },
        "state": { "type": "string", "enum": ["paid", "unpaid", "arrears", "no_base"] },
        "arrears": { "type": "integer", "description": "截至该月连续未交纳的月数（本月结束前不计本月）" }
    });
    let mut row = month_dues.clone();
    if let (Some(r), Some(extra)) = (
        row.as_object_mut(),
        json!({ "person_id": s("string"), "name": s("string"), "org_id": s("string"), "branch": s("string") })
            .as_object(),
    ) {
        r.extend(extra.clone());
    }
    json!({
        "DuesMonth": record(month_dues),
        "DuesLedgerRow": record(row),
        "DuesLedger": record(json!({
            "month": s("string"), "org_id": n("string"),
            "rows": { "type": "array", "items": { "$ref": "#/components/schemas/DuesLedgerRow" } },
            "totals": record(json!({ "members": s("integer"), "paid": s("integer"), "unpaid": s("integer"),
                "warned": { "type": "integer", "description": format!("连续欠缴 {FIRST} 个月以上的人数") }, "due_fen": s("integer"), "paid_fen": s("integer"),
                "outstanding_fen": s("integer") })) })),
        "DuesBase": record(json!({ "from_month": s("string"), "category": category.clone(), "category_label": s("string"),
            "base_fen": s("integer"), "farmer_amount_fen": n("integer"), "rate": s("string"), "amount_fen": n("integer") })),
        "PersonDues": record(json!({ "person_id": s("string"), "name": s("string"), "status": s("string"), "branch": s("string"),
            "start_month": { "type": "string", "nullable": true, "description": "开始交纳党费的月份（入党、预备党员接收之月）" },
            "tracked_from": { "type": "string", "nullable": true, "description": "系统开始记录的月份（开始交纳之月与首个基数的较晚者）" },
            "bases": { "type": "array", "items": { "$ref": "#/components/schemas/DuesBase" } },
            "months": { "type": "array", "items": { "$ref": "#/components/schemas/DuesMonth" } },
            "arrears": { "type": "integer", "description": "截至上月连续未交纳的月数" }, "warning": n("string") })),
        "NewDuesBase": obj(json!({
            "from_month": { "type": "string", "description": "新工资起始月份，YYYY-MM" },
            "category": { "type": "string", "description": "working/retired/student/unemployed/subsistence/farmer 或 在职/离退休/学生/失业/低保/农民" },
            "base_yuan": { "description": "税后月工资（元），字符串或数字，最多两位小数，如 \"4,500.50\"", "oneOf": [s("string"), s("number")] },
            "base_fen": { "type": "integer", "description": "税后月工资（分）；与 base_yuan 二选一" },
            "farmer_amount_yuan": { "description": "农民党员每月交纳 0.20–1.00 元", "oneOf": [s("string"), s("number")] },
            "farmer_amount_fen": s("integer") }), &["from_month", "category"])
    })
}

fn paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    let import_result = record(
        json!({ "imported": s("integer"), "updated": s("integer"), "valid": s("integer"), "total": s("integer"),
        "errors": { "type": "array", "items": record(json!({ "row": s("integer"), "column": s("string"), "message": s("string") })) } }),
    );
    let created = |schema: Value| {
        let mut r = crate::openapi::error_responses();
        r["201"] = json!({ "description": "已登记", "content": { "application/json": { "schema": schema } } });
        r
    };
    json!({
        "/api/v1/dues/ledger": { "get": { "summary": "党费台账：某月某组织（含下级）每名党员的基数、比例、应缴、实缴与欠缴，及合计", "parameters": [
                { "name": "org", "in": "query", "description": "组织 id（含下级）；缺省为全部管理范围", "schema": s("string") },
                { "name": "month", "in": "query", "description": "YYYY-MM，缺省为本月；不能晚于本月", "schema": s("string") }],
            "responses": ok("党费台账", json!({ "$ref": "#/components/schemas/DuesLedger" })) } },
        "/api/v1/dues/todos": { "get": { "summary": format!("连续 {FIRST} 个月以上未交纳党费的党员（{LEAVING} 个月以上为逾期；党章第九条）"),
            "responses": ok("待办", record(json!({ "total": s("integer"), "items": array(schema_ref("Todo")) }))) } },
        "/api/v1/dues/payments": { "post": { "summary": "批量登记：所列党员某月按应缴金额缴纳；全部成功或全部不写入",
            "requestBody": body(obj(json!({ "month": { "type": "string", "description": "YYYY-MM" }, "person_ids": { "type": "array", "items": s("string") },
                "paid_on": { "type": "string", "format": "date", "description": "缺省为今天" } }), &["month", "person_ids"])),
            "responses": created(record(json!({ "members": s("integer"), "total_fen": s("integer") }))) } },
        "/api/v1/dues/bases/import": { "post": { "summary": "导入党费基数（xlsx 或 csv：姓名、身份证号、类别、月工资基数（元）、起始月份、农民党费（元））；整份无误才写入",
            "parameters": [{ "name": "dry_run", "in": "query", "schema": s("boolean") }],
            "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "properties": { "file": { "type": "string", "format": "binary" } }, "required": ["file"] } } } },
            "responses": ok("导入结果", import_result) } },
        "/api/v1/people/{id}/dues": { "get": { "summary": "党员的党费：基数、近 12 个月缴纳情况与欠缴月数", "parameters": id_param(),
            "responses": ok("党费", json!({ "$ref": "#/components/schemas/PersonDues" })) } },
        "/api/v1/people/{id}/dues-base": { "put": { "summary": "设置自某月起的党费基数（同一起始月份再次设置即为更正）", "parameters": id_param(),
            "requestBody": body(json!({ "$ref": "#/components/schemas/NewDuesBase" })),
            "responses": ok("已保存的基数及月交金额", json!({ "$ref": "#/components/schemas/DuesBase" })) } },
        "/api/v1/people/{id}/dues-payments": { "post": { "summary": "登记一个或多个月份按应缴金额缴纳；不能早于开始交纳之月、晚于本月或重复，全部成功或全部不写入",
            "parameters": id_param(),
            "requestBody": body(obj(json!({ "months": { "type": "array", "items": { "type": "string", "description": "YYYY-MM" } },
                "paid_on": { "type": "string", "format": "date", "description": "缺省为今天" } }), &["months"])),
            "responses": created(record(json!({ "months": { "type": "array", "items": record(json!({
                "month": s("string"), "amount_fen": s("integer") })) }, "total_fen": s("integer") }))) } }
    })
}
