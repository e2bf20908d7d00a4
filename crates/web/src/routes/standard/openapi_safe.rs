//! The safeguards' part of the OpenAPI document: 软弱涣散预警.
use crate::openapi::{array, id_param, items_of, nullable, ok, record, schema_ref};
use serde_json::{json, Value};

fn s(t: &str) -> Value {
    json!({ "type": t })
}

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    let schemas = json!({
        "WeakOrg": record(json!({ "org_id": s("string"), "org_name": s("string"),
            "kind": { "type": "string", "enum": ["branch", "general_branch"], "description": "党支部、党总支" },
            "flags": array(schema_ref("WeakFlag")) })),
        "WeakFlag": record(json!({
            "code": { "type": "string", "enum": ["secretary_vacant", "life_overdue", "few_members", "term_overdue",
                "problems_overdue"], "description": "书记空缺、组织生活连续未开、党员不足、超期未换届、整改逾期" },
            "label": s("string"), "detail": s("string"),
            "records": array(record(json!({ "kind": s("string"), "id": s("string"), "label": s("string"),
                "href": nullable("string") }))) })),
    });
    let paths = json!({
        "/api/v1/orgs/{id}/weak-orgs": { "get": {
            "summary": "软弱涣散预警：该组织及其下级中有预警的党支部、党总支，每项预警附依据记录",
            "parameters": id_param(), "responses": ok("预警组织", items_of(schema_ref("WeakOrg"))) } },
    });
    (schemas, paths)
}
