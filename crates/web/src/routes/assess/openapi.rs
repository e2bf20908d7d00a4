//! The assessments' part of the OpenAPI document.
use crate::openapi::{array, body, created, id_param, items_of, nullable, obj, ok, or_null, record, schema_ref};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    (schemas(), paths())
}

fn s(t: &str) -> Value {
    json!({ "type": t })
}

fn en(values: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": values, "description": description })
}

fn num(description: &str) -> Value {
    json!({ "oneOf": [{ "type": "number" }, { "type": "string" }], "description": description })
}

fn metric() -> Value {
    json!({ "type": "string", "nullable": true,
        "enum": ["life_compliance", "kpi_attainment", "task_completion", "study_completion", "rectification_closure",
            "dues_on_time", null],
        "description": "计算来源；点击量、登录次数、在线时长、点赞转发、打卡签到、积分排名等一律拒绝（422，写明依据的规定）" })
}

fn weights() -> Value {
    json!({ "type": "object", "description": "评价主体及权重，合计须为 1，如 {\"superior\":0.5,\"masses\":0.5}",
        "properties": { "superior": num("组织评价"), "peers": num("互评"), "masses": num("群众评议（匿名评议票）"),
            "self": num("自评") } })
}

fn assessment(full: bool) -> Value {
    let mut f = json!({ "id": s("string"), "org_id": s("string"), "org_name": s("string"), "title": s("string"),
        "period": { "type": "string", "description": "2026、2026-Q1 或 2026-03" }, "period_title": s("string"),
        "subject": en(&["orgs", "members"], "考核下级党组织或党员"), "closed": s("boolean"),
        "good_bp": { "type": "integer", "description": "好的得分率门槛，万分比" }, "fairly_good_bp": s("integer"),
        "fair_bp": s("integer"), "bonus_cap": { "type": "integer", "description": "加分上限，百分之一分" },
        "appeal_days": s("integer"), "closed_at": nullable("integer"), "closed_by": nullable("string"),
        "hash": { "type": "string", "nullable": true, "description": "封存时结果的 SHA-256" },
        "created_by": s("string"), "created_at": s("integer") });
    if full {
        f["indicators"] = array(record(json!({ "code": s("string"), "dimension": s("string"),
            "side": en(&["party", "business"], "党建或业务"), "title": s("string"),
            "full_points": { "type": "integer", "description": "满分，百分之一分" },
            "kind": en(&["computed", "entered", "rated"], "按记录计算、考核组织录入、评价打分"), "metric": metric(),
            "tier": en(&["normal", "baseline", "bonus"], "常规项、底线项（一票否决）、高线项（加分）"),
            "pass_bp": s("integer"),
            "raters": record(json!({ "superior": s("integer"), "peers": s("integer"), "masses": s("integer"),
                "self": s("integer") })) })));
        f["targets"] = array(record(
            json!({ "id": s("string"), "name": s("string"), "org_id": s("string"), "org_name": s("string") }),
        ));
    }
    f
}

/// What a line was computed from: the records' figures, the entry, or each rater group's tally.
fn basis() -> Value {
    let mut b = obj(
        json!({ "type": en(&["computed", "entered", "rated"], "计分依据的类型"), "metric": metric(),
            "done": s("integer"), "due": s("integer"),
            "share_bp": { "type": "integer", "nullable": true, "description": "完成比率，万分比" },
            "parts": array(record(json!({ "label": s("string"), "done": s("integer"), "due": s("integer") }))),
            "figure": nullable("integer"), "note": s("string"),
            "groups": array(record(json!({ "group": en(&["superior", "peers", "masses", "self"], "评价主体"),
                "weight_bp": s("integer"), "raters": { "type": "integer", "description": "评价人数（群众评议为票数）" },
                "mean": { "type": "integer", "nullable": true, "description": "平均分，百分之一分；群众评议不足规定票数时为 null（样本不足）" } }))) }),
        &["type"],
    );
    b["description"] =
        json!("computed 含 metric、done、due、share_bp、parts；entered 含 figure、note；rated 含 groups");
    b
}

fn result_item() -> Value {
    record(json!({ "target_id": s("string"), "target_name": s("string"),
        "score": { "type": "number", "nullable": true, "description": "得分；有缺项时为 null（不完整，不定等次、不排名）" },
        "full": s("number"), "bonus": s("number"),
        "grade": { "type": "string", "nullable": true, "enum": ["好", "较好", "一般", "差", null] },
        "rank": nullable("integer"), "vetoed": s("boolean"), "complete": s("boolean"),
        "lines": array(record(json!({ "code": s("string"),
            "points": { "type": "number", "nullable": true, "description": "null：尚未录入，或群众评议不足规定票数（样本不足）" },
            "passed": nullable("boolean"), "note": s("string"),
            "basis": basis(),
            "amended": or_null(record(json!({ "appeal_id": s("string"),
                "points_before": { "type": "integer", "nullable": true, "description": "申诉前的分数，百分之一分" },
                "passed_before": nullable("boolean") }))) }))) }))
}

fn schemas() -> Value {
    json!({
        "NewAssessmentIndicator": obj(json!({ "code": s("string"), "dimension": s("string"),
            "side": en(&["party", "business"], "不填：业务指标完成度为业务，其余为党建"), "title": s("string"),
            "full_points": num("满分，如 10 或 \"7.5\""), "kind": en(&["computed", "entered", "rated"], "计分方式"),
            "metric": metric(), "raters": weights(), "baseline": s("boolean"), "bonus": s("boolean"),
            "pass_share": { "type": "string", "description": "底线项的达标比率，不填取规则表" } }),
            &["code", "title", "full_points", "kind"]),
        "NewAssessment": obj(json!({ "org_id": { "type": "string", "description": "考核组织（党委或党总支）" },
            "title": s("string"), "period": { "type": "string", "description": "2026、2026-Q1 或 2026-03" },
            "subject": en(&["orgs", "members"], "考核对象"),
            "target_ids": { "type": "array", "items": s("string"), "description": "考核对象；不填按 target_kinds 取全部下级组织（或全部党员）" },
            "target_kinds": array(en(&["branch", "general_branch", "committee"], "组织类型")),
            "indicators": array(schema_ref("NewAssessmentIndicator")),
            "good": num("好的得分率，如 \"90%\"；不填取规则表"), "fairly_good": num("较好的得分率"), "fair": num("一般的得分率"),
            "bonus_cap": num("加分上限（分）"), "appeal_days": s("integer") }),
            &["org_id", "title", "period", "subject", "indicators"]),
        "AssessmentScore": obj(json!({ "target_id": s("string"), "indicator_code": s("string"),
            "points": num("分值，不超过满分"), "passed": { "type": "boolean", "description": "底线项是否达标" },
            "figure": num("录入数值（按数值计分的录入项）"), "note": { "type": "string", "description": "依据；录入项必填" } }),
            &["target_id", "indicator_code"]),
        "AssessmentRating": obj(json!({ "target_id": s("string"), "group": en(&["peers", "self"], "互评或自评"),
            "points": { "type": "object", "additionalProperties": num("分值"), "description": "{\"指标编码\": 分值}" },
            "note": s("string") }), &["target_id", "group", "points"]),
        "Assessment": record(assessment(true)),
        "AssessmentSummary": record(assessment(false)),
        "AssessmentResult": result_item(),
        "AssessmentResults": record(json!({ "closed": s("boolean"), "hash": nullable("string"),
            "visible": { "type": "boolean", "description": "考核组织随时可见；考核对象在封存公布后可见" },
            "total": s("integer"),
            "distribution": record(json!({ "good": s("integer"), "fairly_good": s("integer"), "fair": s("integer"),
                "poor": s("integer"), "incomplete": s("integer") })),
            "items": array(schema_ref("AssessmentResult")) })),
        "MyRatings": record(json!({
            "to_rate": array(record(json!({ "target_id": s("string"), "target_name": s("string"), "group": en(&["peers", "self"], "互评或自评") }))),
            "mine": array(record(json!({ "target_id": s("string"), "indicator_code": s("string"), "group": s("string"),
                "points": nullable("integer"), "note": s("string") }))) })),
        "AssessmentVerification": record(json!({ "closed": s("boolean"), "stored": nullable("string"),
            "computed": nullable("string"), "ok": nullable("boolean") }))
    })
}

fn paths() -> Value {
    let target = json!({ "name": "target", "in": "path", "required": true, "schema": s("string") });
    let mut id_target = id_param();
    if let Some(a) = id_target.as_array_mut() {
        a.push(target);
    }
    let score = json!({ "summary": "考核组织录入分数（录入项）或组织评价（评价打分项）；封存后 409",
        "parameters": id_param(), "requestBody": body(schema_ref("AssessmentScore")),
        "responses": { "204": { "description": "已保存" } } });
    json!({
        "/api/v1/assessments": {
            "get": { "summary": "可查看的考评（本组织发起的，或考核本组织的）",
                "parameters": [{ "name": "org_id", "in": "query", "schema": s("string"), "description": "考核组织" },
                    { "name": "period", "in": "query", "schema": s("string"), "description": "考核期间" }],
                "responses": ok("考评", items_of(schema_ref("AssessmentSummary"))) },
            "post": { "summary": "新建考评及其指标体系；选用禁止的计算来源时 422 并写明依据的规定",
                "requestBody": body(schema_ref("NewAssessment")), "responses": created() } },
        "/api/v1/assessments/{id}": { "get": { "summary": "考评、指标体系和考核对象", "parameters": id_param(),
            "responses": ok("考评", schema_ref("Assessment")) } },
        "/api/v1/assessments/{id}/scores": { "post": score.clone(), "put": score },
        "/api/v1/assessments/{id}/ratings": {
            "get": { "summary": "本人需要互评、自评的对象和本人已打的分（看不到他人的分数）", "parameters": id_param(),
                "responses": ok("评价", schema_ref("MyRatings")) },
            "post": { "summary": "互评或自评打分（按账号）", "parameters": id_param(),
                "requestBody": body(schema_ref("AssessmentRating")), "responses": { "204": { "description": "已提交" } } } },
        "/api/v1/assessments/{id}/results": { "get": { "summary": "考评结果：得分、等次、名次和各项得分（进行中随记录更新）",
            "parameters": [id_param()[0].clone(), { "name": "offset", "in": "query", "schema": s("integer") },
                { "name": "limit", "in": "query", "schema": s("integer") }],
            "responses": ok("结果", schema_ref("AssessmentResults")) } },
        "/api/v1/assessments/{id}/results/{target}": { "get": { "summary": "一个考核对象的结果及各项得分", "parameters": id_target,
            "responses": ok("结果", schema_ref("AssessmentResult")) } },
        "/api/v1/assessments/{id}/close": { "post": { "summary": "结束考评并封存结果（SHA-256）；此后评分 409、结果不变",
            "parameters": id_param(), "responses": ok("封存", record(json!({ "hash": s("string") }))) } },
        "/api/v1/assessments/{id}/verify": { "get": { "summary": "重新计算封存结果的 SHA-256 并与保存的校验值比对",
            "parameters": id_param(), "responses": ok("验证", schema_ref("AssessmentVerification")) } }
    })
}
