//! The ballots' part of the OpenAPI document.
use crate::openapi::{array, body, created_with, id_param, nullable, obj, ok, record, schema_ref};
use serde_json::{json, Value};

fn s(t: &str) -> Value {
    json!({ "type": t })
}

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    let hundredths = |d: &str| json!({ "type": "integer", "nullable": true, "description": d });
    let schemas = json!({
        "BallotIssue": obj(json!({ "target_id": s("string"),
            "count": { "type": "integer", "minimum": 1, "maximum": 1000, "description": "发放张数" } }), &["target_id", "count"]),
        "BallotsIssued": record(json!({ "tokens": array(s("string")), "links": array(s("string")) })),
        "BallotBoard": record(json!({ "assessment_id": s("string"), "closed": s("boolean"),
            "threshold": { "type": "integer", "description": "显示平均分所需的最少票数（不足为样本不足）" },
            "full_points": { "type": "integer", "description": "群众评议各指标满分之和（百分之一分）" },
            "indicators": array(record(json!({ "code": s("string"), "title": s("string"), "full_points": s("integer") }))),
            "targets": array(record(json!({ "target_id": s("string"), "target_name": s("string"), "org_name": s("string"),
                "issued": s("integer"), "cast": s("integer"), "counted": s("integer"),
                "mean": hundredths("各指标平均分之和（百分之一分）；样本不足为 null"),
                "items": array(record(json!({ "code": s("string"), "title": s("string"), "full_points": s("integer"),
                    "mean": nullable("integer") }))) }))) })),
    });
    let paths = json!({
        "/api/v1/assessments/{id}/ballots": {
            "get": { "summary": "群众评议选票情况：各考核对象已发放、已投票张数，满最少票数后的平均分",
                "parameters": id_param(), "responses": ok("选票情况", schema_ref("BallotBoard")) },
            "post": { "summary": "为一个考核对象发放一次性匿名选票（令牌只返回这一次）", "parameters": id_param(),
                "requestBody": body(schema_ref("BallotIssue")), "responses": created_with(schema_ref("BallotsIssued")) } },
    });
    (schemas, paths)
}
