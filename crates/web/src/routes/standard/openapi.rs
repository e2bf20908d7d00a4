//! Standardization's part of the OpenAPI document.
use crate::openapi::{
    array, body, created, id_param, items_of, merge, no_content, nullable, obj, ok, or_null, record, schema_ref,
};
use serde_json::{json, Value};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    let mut schemas = requests();
    merge(&mut schemas, shapes());
    let mut paths = paths();
    let (safe_schemas, safe_paths) = super::openapi_safe::openapi();
    merge(&mut schemas, safe_schemas);
    merge(&mut paths, safe_paths);
    (schemas, paths)
}

fn s(t: &str) -> Value {
    json!({ "type": t })
}

fn en(values: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": values, "description": description })
}

fn tier() -> Value {
    en(&["baseline", "refined"], "达标项（须全部达到）或提升项（按分值定级）")
}

fn rule() -> Value {
    json!({ "type": "string", "nullable": true, "enum": ["life_compliance", "study_plan_approved", "difficult_goals_supported",
        "dues_no_arrears", "committee_seated", null],
        "description": "计算规则：由业务记录自动判定；null 为自查项" })
}

fn status() -> Value {
    en(
        &["not_started", "not_met", "met", "applied", "accepted"],
        "未自查、未达标、已达标（待申报）、已申报、已验收",
    )
}

fn grade() -> Value {
    json!({ "type": "string", "nullable": true, "enum": ["i", "ii", "iii", null], "description": "ⅰ级（巩固）、ⅱ级（提升）、ⅲ级（示范）" })
}

fn counts() -> Value {
    record(
        json!({ "not_started": s("integer"), "not_met": s("integer"), "met": s("integer"), "applied": s("integer"),
        "accepted": s("integer") }),
    )
}

fn grades() -> Value {
    record(json!({ "i": s("integer"), "ii": s("integer"), "iii": s("integer") }))
}

fn standard_fields(items: bool) -> Value {
    let mut f = json!({ "id": s("string"), "org_id": s("string"), "org_name": s("string"), "year": s("integer"),
        "title": s("string"), "org_kinds": array(en(&["branch", "general_branch", "committee"], "适用组织类型")),
        "version": s("integer"), "previous_id": nullable("string"),
        "status": en(&["draft", "published", "superseded"], "草稿、已发布、已被新版本取代"),
        "grade_ii_bp": { "type": "integer", "description": "ⅱ级门槛，提升项得分率的万分比" },
        "grade_iii_bp": { "type": "integer", "description": "ⅲ级门槛，万分比" },
        "published_at": nullable("integer"), "published_by": nullable("string"), "created_by": s("string"),
        "created_at": s("integer") });
    if items {
        f["items"] = array(record(
            json!({ "code": s("string"), "dimension": s("string"), "title": s("string"),
            "criteria": s("string"), "evidence_required": s("boolean"), "points": s("integer"), "tier": tier(), "rule": rule() }),
        ));
    }
    f
}

/// A problem's fields; `files` adds its rectification evidence (one problem, not a list).
fn problem(files: bool) -> Value {
    let mut f = json!({ "id": s("string"),
        "status": en(&["open", "reported", "closed"], "整改中、已报告待核验、已销号"),
        "standard_id": s("string"), "standard_title": s("string"), "year": s("integer"), "org_id": s("string"),
        "org_name": s("string"), "item_code": s("string"), "item_title": s("string"), "round": s("integer"),
        "source": en(&["self_check", "acceptance", "visit", "warning"], "摸底自查、验收未通过、联系点走访、软弱涣散整顿"),
        "cause": s("string"), "measure": s("string"), "owner_id": s("string"), "owner_name": s("string"),
        "deadline": { "type": "string", "format": "date" }, "overdue": s("boolean"), "report_note": s("string"),
        "reported_by": nullable("string"), "reported_at": nullable("integer"), "verify_comment": s("string"),
        "verified_by": nullable("string"), "verified_at": nullable("integer"), "reopened": s("integer"),
        "created_by": s("string"), "created_at": s("integer") });
    if files {
        f["files"] = array(record(
            json!({ "id": s("string"), "name": s("string"), "size": s("integer") }),
        ));
    }
    f
}

/// The shapes the GET routes answer with.
fn shapes() -> Value {
    json!({
        "Standard": record(standard_fields(true)),
        "StandardSummary": record(standard_fields(false)),
        "SelfCheck": record(json!({ "org_id": s("string"), "org_name": s("string"),
            "standard_id": { "type": "string", "nullable": true, "description": "null：该组织没有适用的本年度标准" },
            "standard_title": nullable("string"), "status": status(), "grade": grade(), "round": s("integer"),
            "share_bp": { "type": "integer", "description": "提升项得分率，万分比" },
            "suggested_grade": en(&["i", "ii", "iii"], "按门槛建议的定级"),
            "missing": { "type": "array", "items": s("string"), "description": "申报验收前尚缺的条件，逐条列出" },
            "open_problems": s("integer"), "overdue_problems": s("integer"),
            "items": array(record(json!({ "code": s("string"), "dimension": s("string"), "title": s("string"), "tier": tier(),
                "points": s("integer"),
                "met": { "type": "boolean", "nullable": true, "description": "计入的结果：覆盖值，否则计算结果，否则自查结果；null 为未自查" },
                "computed": s("boolean"), "computed_met": nullable("boolean"), "detail": nullable("string"), "note": s("string"),
                "override_reason": s("string"), "file_ids": array(s("string")), "open_problems": s("integer") }))) })),
        "StandardLedger": record(json!({ "standard_id": nullable("string"), "standard_title": nullable("string"),
            "org_id": s("string"), "org_name": s("string"), "counts": counts(), "grades": grades(),
            "open_problems": s("integer"), "overdue_problems": s("integer"), "total": s("integer"),
            "items": array(record(json!({ "org_id": s("string"), "org_name": s("string"), "status": status(), "grade": grade(),
                "round": s("integer"), "open_problems": s("integer"), "overdue_problems": s("integer"),
                "baseline_unmet": s("integer"), "share_bp": s("integer") }))),
            "groups": array(record(json!({ "org_id": s("string"), "org_name": s("string"), "counts": counts(), "grades": grades(),
                "open_problems": s("integer"), "overdue_problems": s("integer") }))) })),
        "StandardProblem": record(problem(true)),
        "StandardProblemSummary": record(problem(false)),
        "StandardApplication": record(json!({ "id": s("string"),
            "status": en(&["pending", "passed", "failed", "withdrawn"], "待验收、验收通过、验收未通过、已撤回"),
            "standard_id": s("string"), "standard_title": s("string"), "year": s("integer"), "org_id": s("string"),
            "org_name": s("string"), "round": s("integer"), "applied_by": s("string"), "applied_at": s("integer"),
            "share_bp": s("integer"), "suggested_grade": or_null(en(&["i", "ii", "iii"], "建议定级")), "grade": grade(),
            "grade_reason": s("string"), "comment": s("string"), "decided_by": nullable("string"),
            "decided_at": nullable("integer") }))
    })
}

fn problem_fields() -> Value {
    json!({ "cause": s("string"), "measure": s("string"),
        "owner_id": { "type": "string", "description": "责任人：该组织名册中的人员" },
        "deadline": { "type": "string", "format": "date", "description": "整改时限，不早于今天；不填默认三个月后" } })
}

fn requests() -> Value {
    let mut found = problem_fields();
    found["item_code"] = s("string");
    let mut new_problem = problem_fields();
    for k in ["org_id", "standard_id", "item_code"] {
        new_problem[k] = s("string");
    }
    json!({
        "NewStandardItem": obj(json!({ "code": s("string"), "dimension": { "type": "string", "description": "维度，如 政治建设、组织建设" },
            "title": s("string"), "criteria": s("string"), "evidence_required": s("boolean"),
            "points": { "type": "integer", "minimum": 0, "maximum": 100 }, "tier": tier(), "rule": rule() }),
            &["code", "dimension", "title", "tier"]),
        "NewStandard": obj(json!({ "org_id": { "type": "string", "description": "制定标准的党委或党总支" }, "year": s("integer"),
            "title": s("string"), "org_kinds": array(en(&["branch", "general_branch", "committee"], "适用组织类型")),
            "items": array(schema_ref("NewStandardItem")),
            "grade_ii_bp": { "type": "integer", "nullable": true, "description": "默认 7500（75%）" },
            "grade_iii_bp": { "type": "integer", "nullable": true, "description": "默认 9000（90%）" } }),
            &["org_id", "year", "title", "org_kinds", "items"]),
        "SelfCheckItem": obj(json!({ "met": { "type": "boolean", "nullable": true },
            "note": s("string"),
            "file_ids": { "type": "array", "nullable": true, "items": s("string"), "description": "保留的佐证材料；null 全部保留" },
            "override_reason": { "type": "string", "description": "计算项的结果与记录不同时必填，上级可见" } }), &[]),
        "NewProblem": obj(new_problem, &["org_id", "standard_id", "item_code", "cause", "measure", "owner_id"]),
        "FoundProblem": obj(found, &["item_code", "cause", "measure", "owner_id"]),
        "Decision": obj(json!({ "passed": s("boolean"), "grade": grade(),
            "grade_reason": { "type": "string", "description": "定级与建议不同时必填" }, "comment": s("string"),
            "problems": { "type": "array", "items": schema_ref("FoundProblem"), "description": "未通过时列出的问题（至少一个）" } }),
            &["passed"])
    })
}

fn paths() -> Value {
    let standard_id = |required: bool| {
        json!({ "name": "standard_id", "in": "query", "required": required, "schema": s("string"),
        "description": "建设标准；不填取该组织本年度适用的标准" })
    };
    let org = json!({ "name": "id", "in": "path", "required": true, "schema": s("string") });
    json!({
        "/api/v1/standards": {
            "get": { "summary": "可查看的建设标准（本组织制定及上级制定适用于本组织的）",
                "parameters": [{ "name": "year", "in": "query", "schema": s("integer") }],
                "responses": ok("建设标准", items_of(schema_ref("StandardSummary"))) },
            "post": { "summary": "起草建设标准（草稿，含项目）", "requestBody": body(schema_ref("NewStandard")), "responses": created() } },
        "/api/v1/standards/{id}": { "get": { "summary": "建设标准及其项目", "parameters": id_param(),
            "responses": ok("建设标准", schema_ref("Standard")) } },
        "/api/v1/standards/{id}/publish": { "post": { "summary": "发布：项目冻结；新版本发布后取代原版本", "parameters": id_param(),
            "responses": no_content() } },
        "/api/v1/orgs/{id}/self-check": { "get": { "summary": "组织的摸底自查：各项结果（计算项自动判定）、状态、定级、尚缺条件",
            "parameters": [org, standard_id(false)], "responses": ok("摸底自查", schema_ref("SelfCheck")) } },
        "/api/v1/orgs/{id}/self-check/{standard_id}/items/{code}": { "put": {
            "summary": "填写一项自查：是否达标、说明、保留的佐证材料；覆盖计算结果须说明理由",
            "parameters": [org, { "name": "standard_id", "in": "path", "required": true, "schema": s("string") },
                { "name": "code", "in": "path", "required": true, "schema": s("string") }],
            "requestBody": body(schema_ref("SelfCheckItem")), "responses": no_content() } },
        "/api/v1/orgs/{id}/standard-ledger": { "get": { "summary": "达标定级台账：按状态、定级统计，按下级组织分组，各组织情况",
            "parameters": [org, standard_id(false), { "name": "status", "in": "query", "schema": status(),
                "description": "只列该状态的组织（统计不变）" }],
            "responses": ok("台账", schema_ref("StandardLedger")) } },
        "/api/v1/problems": {
            "get": { "summary": "管理范围内的问题清单（可按标准、组织及其下级、状态、逾期筛选）",
                "parameters": [{ "name": "standard_id", "in": "query", "schema": s("string") },
                    { "name": "org_id", "in": "query", "schema": s("string"), "description": "该组织及其下级组织" },
                    { "name": "status", "in": "query", "schema": en(&["open", "reported", "closed"], "状态") },
                    { "name": "overdue", "in": "query", "schema": s("boolean"), "description": "只列逾期未整改的问题" }],
                "responses": ok("问题清单", items_of(schema_ref("StandardProblemSummary"))) },
            "post": { "summary": "将未达标的项目列入问题清单：原因、措施、责任人（本组织名册）、时限",
            "requestBody": body(schema_ref("NewProblem")), "responses": created() } },
        "/api/v1/problems/{id}": { "get": { "summary": "问题及其整改、核验情况", "parameters": id_param(),
            "responses": ok("问题", schema_ref("StandardProblem")) } },
        "/api/v1/problems/{id}/report": { "post": { "summary": "报告整改完成（佐证材料经页面上传）", "parameters": id_param(),
            "requestBody": body(obj(json!({ "note": s("string") }), &["note"])), "responses": no_content() } },
        "/api/v1/problems/{id}/verify": { "post": { "summary": "核验：通过即销号，否则退回并说明理由（仅直接上级党组织）",
            "parameters": id_param(),
            "requestBody": body(obj(json!({ "accepted": s("boolean"), "comment": s("string") }), &["accepted"])),
            "responses": no_content() } },
        "/api/v1/applications": {
            "get": { "summary": "管理范围内的达标申报（to_decide=true 只列本组织作为直接上级验收的）",
                "parameters": [{ "name": "standard_id", "in": "query", "schema": s("string") },
                    { "name": "status", "in": "query", "schema": en(&["pending", "passed", "failed", "withdrawn"], "状态") },
                    { "name": "to_decide", "in": "query", "schema": s("boolean") }],
                "responses": ok("达标申报", items_of(schema_ref("StandardApplication"))) },
            "post": { "summary": "申报验收：达标项全部达到且问题全部销号，否则 422 列出所缺",
            "requestBody": body(obj(json!({ "org_id": s("string"), "standard_id": s("string") }), &["org_id", "standard_id"])),
            "responses": created() } },
        "/api/v1/applications/{id}": { "get": { "summary": "达标申报及验收结论", "parameters": id_param(),
            "responses": ok("申报", schema_ref("StandardApplication")) } },
        "/api/v1/applications/{id}/decide": { "post": {
            "summary": "验收（仅直接上级党组织，其他一律 403）：通过并定级，或不通过并列出问题进入新一轮",
            "parameters": id_param(), "requestBody": body(schema_ref("Decision")), "responses": no_content() } }
    })
}
