//! The appeals' part of the OpenAPI document.
use crate::openapi::{body, created, id_param, items_of, no_content, nullable, obj, ok, record, schema_ref};
use serde_json::{json, Value};

fn s(t: &str) -> Value {
    json!({ "type": t })
}

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    let n = |d: &str| json!({ "type": "integer", "nullable": true, "description": d });
    let schemas = json!({
        "NewAppeal": obj(json!({ "target_id": s("string"), "reason": { "type": "string", "maxLength": 1000, "description": "申诉理由" } }),
            &["target_id", "reason"]),
        "AppealDecision": obj(json!({ "upheld": { "type": "boolean", "description": "true 维持原结果；false 改正" },
            "indicator_code": { "type": "string", "description": "改正的指标编码" },
            "points": { "type": "string", "description": "改正后的分值，如 \"8.5\"" },
            "passed": { "type": "boolean", "nullable": true, "description": "底线项改正为达标或未达标" },
            "comment": { "type": "string", "maxLength": 1000, "description": "处理意见" } }), &["upheld"]),
        "Appeal": record(json!({ "id": s("string"), "assessment_id": s("string"), "target_id": s("string"),
            "target_name": s("string"), "reason": s("string"),
            "status": { "type": "string", "enum": ["pending", "upheld", "amended"], "description": "待处理、维持、改正" },
            "filed_by": s("string"), "filed_at": s("integer"), "code": nullable("string"), "comment": s("string"),
            "points_before": n("百分之一分"), "points_after": n("百分之一分"), "score_before": n("百分之一分"),
            "score_after": n("百分之一分"), "grade_before": nullable("string"), "grade_after": nullable("string"),
            "rank_before": nullable("integer"), "rank_after": nullable("integer"), "hash_before": nullable("string"),
            "hash_after": nullable("string"), "decided_by": nullable("string"), "decided_at": nullable("integer") })),
    });
    let paths = json!({
        "/api/v1/assessments/{id}/appeals": {
            "get": { "summary": "考核的申诉：考核组织及其上级看全部，被考核组织看本组织的", "parameters": id_param(),
                "responses": ok("申诉", items_of(schema_ref("Appeal"))) },
            "post": { "summary": "被考核组织在结果公布后的申诉期限内提出申诉", "parameters": id_param(),
                "requestBody": body(schema_ref("NewAppeal")), "responses": created() } },
        "/api/v1/appeals/{id}/decide": { "post": {
            "summary": "处理申诉：维持原结果，或改正一项指标的分值（仅考核组织的上级党组织，最高一级为其本身）",
            "parameters": id_param(), "requestBody": body(schema_ref("AppealDecision")), "responses": no_content() } },
    });
    (schemas, paths)
}
