//! The transfers' part of the OpenAPI document.
use crate::openapi::{body, created, id_param, no_content, obj, ok, page_of, record};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    (schemas(), paths())
}

fn schemas() -> Value {
    let s = |t: &str| json!({ "type": t });
    let ns = json!({ "type": "string", "nullable": true });
    json!({
        "Transfer": record(json!({ "id": s("string"), "person_id": s("string"),
            "person_name": s("string"), "kind": { "type": "string", "enum": ["internal", "out", "in"] },
            "from_org_id": ns, "from_org_name": ns, "to_org_id": ns, "to_org_name": ns,
            "outside_org": { "type": "string", "description": "系统外党组织名称（转出、转入）" },
            "status": { "type": "string", "enum": ["pending", "accepted", "returned", "done", "cancelled"] }, "reason": s("string"),
            "letter_no": { "type": "string", "description": "介绍信编号：转出为本系统开具的编号，转入为原组织的编号" },
            "valid_until": { "type": "string", "format": "date", "nullable": true }, "requested_by": s("string"), "decided_by": ns,
            "decision_note": { "type": "string", "description": "退回原因" }, "created_at": s("integer"),
            "decided_at": { "type": "integer", "nullable": true } })),
        "NewTransfer": obj(json!({ "kind": { "type": "string", "enum": ["internal", "out", "in"] },
            "person_id": { "type": "string", "description": "internal、out：名册中的人员" },
            "to_org_id": { "type": "string", "description": "internal：转入组织（本系统任一未撤销的党支部、党总支或党委）" },
            "outside_org": { "type": "string", "description": "out：转入单位党组织；in：原组织" },
            "reason": s("string"), "letter_no": { "type": "string", "description": "in：原组织开具的介绍信编号" },
            "person": { "allOf": [{ "$ref": "#/components/schemas/NewPerson" }], "description": "in：转入的人员，列入其 org_id 所指组织的名册" } }), &["kind"])
    })
}

fn paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    json!({
        "/api/v1/transfers": {
            "get": { "summary": "组织关系转接，新者在前", "parameters": [
                { "name": "direction", "in": "query", "description": "out：从本管辖范围转出；in：转入本管辖范围；all：两者", "schema": { "type": "string", "enum": ["in", "out", "all"] } },
                { "name": "status", "in": "query", "schema": { "type": "string", "enum": ["pending", "accepted", "returned", "done", "cancelled"] } },
                { "name": "q", "in": "query", "description": "姓名", "schema": s("string") },
                { "name": "page", "in": "query", "schema": s("integer") }, { "name": "per_page", "in": "query", "schema": s("integer") }],
                "responses": ok("转接", page_of("Transfer")) },
            "post": { "summary": "发起转接：系统内转接（待接收）、转出系统外（开具介绍信，人员移出名册）或从系统外转入（列入名册）",
                "requestBody": body(json!({ "$ref": "#/components/schemas/NewTransfer" })), "responses": created() } },
        "/api/v1/transfers/{id}": { "get": { "summary": "转接详情", "parameters": id_param(),
            "responses": ok("转接", json!({ "$ref": "#/components/schemas/Transfer" })) } },
        "/api/v1/transfers/{id}/accept": { "post": { "summary": "接收（转入组织）：人员及其记录转入本组织", "parameters": id_param(),
            "responses": no_content() } },
        "/api/v1/transfers/{id}/return": { "post": { "summary": "退回（转入组织），须写明原因", "parameters": id_param(),
            "requestBody": body(obj(json!({ "reason": s("string") }), &["reason"])), "responses": no_content() } },
        "/api/v1/transfers/{id}/cancel": { "post": { "summary": "撤销（转出组织，待接收时）", "parameters": id_param(),
            "responses": no_content() } }
    })
}
