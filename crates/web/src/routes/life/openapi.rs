//! Organizational life's part of the OpenAPI document.
use crate::openapi::{array, body, id_param, items_of, merge, no_content, nullable, obj, ok, record, schema_ref};
use serde_json::{json, Value};
use tongpin_core::rules::life;
use tongpin_core::rules::words::{fraction, numeral, share};

/// (schemas, paths).
pub fn openapi() -> (Value, Value) {
    let mut schemas = schemas();
    merge(&mut schemas, shapes());
    (schemas, paths())
}

/// The shapes the GET routes answer with.
fn shapes() -> Value {
    let s = |t: &str| json!({ "type": t });
    let status =
        json!({ "type": "string", "enum": ["applicant", "activist", "candidate", "probationary", "full", "masses"] });
    json!({
        "Meeting": record(json!({ "id": s("string"), "org_id": s("string"), "org_name": s("string"),
            "kind": { "type": "string", "enum": KINDS }, "status": { "type": "string", "enum": ["held", "planned", "cancelled"] },
            "topic": s("string"), "starts_at": { "type": "integer", "description": "Unix 毫秒" },
            "month": { "type": "string", "description": "北京时间月份 YYYY-MM" }, "place": s("string"),
            "host": s("string"), "recorder": s("string"), "host_person_id": nullable("string"), "recorder_person_id": nullable("string"),
            "agenda": s("string"), "minutes": s("string"), "voting_members": nullable("integer"), "dual_life": s("boolean"),
            "created_by": s("string"), "created_at": s("integer"), "lecturer_id": nullable("string"), "lecturer_name": nullable("string"),
            "quorum_expected": { "type": "integer", "nullable": true, "description": "登记时应到会人数（有表决权党员或委员）" },
            "quorum_present": { "type": "integer", "nullable": true, "description": "其中实到人数" },
            "counts": { "type": "boolean", "description": "是否计入召开次数（未达到法定人数的不计入）" } })),
        "MeetingDetail": record(json!({ "meeting": schema_ref("Meeting"),
            "attendance": array(record(json!({ "meeting_id": s("string"), "person_id": s("string"), "name": s("string"), "status": status,
                "present": s("boolean"), "reason": { "type": "string", "description": "缺席说明" },
                "reason_kind": { "type": "string", "enum": ["", "leave", "sick", "official", "other"] } }))),
            "resolutions": array(record(json!({ "id": s("string"), "meeting_id": s("string"), "seq": s("integer"), "title": s("string"),
                "votes_for": s("integer"), "votes_against": s("integer"), "abstentions": s("integer"), "passed": s("boolean") }))),
            "grades": array(record(json!({ "name": s("string"),
                "grade": { "type": "string", "enum": ["excellent", "qualified", "basically_qualified", "unqualified"] } }))),
            "links": { "type": "array", "description": "服务的业务目标与党建任务",
                "items": record(json!({ "kind": { "type": "string", "enum": ["goal", "task"] }, "id": s("string"), "title": s("string") })) } })),
        "Absence": record(json!({ "person_id": s("string"), "name": s("string"), "org_id": s("string"), "org_name": s("string"),
            "last_present": { "type": "string", "nullable": true, "description": "最近参加组织生活的月份" },
            "months": { "type": "integer", "description": "连续未参加的月数" },
            "level": { "type": "integer", "enum": [1, 2, 3] } }))
    })
}

const KINDS: [&str; 11] = [
    "general_meeting",
    "committee_meeting",
    "group_meeting",
    "party_lecture",
    "theme_day",
    "life_meeting",
    "appraisal",
    "talk",
    "party_committee_meeting",
    "theory_study",
    "democratic_life",
];

fn schemas() -> Value {
    let s = |t: &str| json!({ "type": t });
    let ids = json!({ "type": "array", "items": { "type": "string" } });
    let lines: Vec<&str> = KINDS.iter().copied().chain(["secretary_lecture"]).collect();
    json!({
        "NewMeeting": obj(json!({
            "org_id": s("string"),
            "kind": { "type": "string", "enum": KINDS, "description": "支部党员大会、支委会、党小组会、党课、主题党日、组织生活会、民主评议党员、谈心谈话（一对一，出席为谈话双方 2 人）；党委、党总支：党委会（党总支委员会）、理论学习中心组学习、民主生活会" },
            "held_at": { "type": "string", "format": "date-time", "description": "RFC 3339；已召开的会议不能晚于当前时间" },
            "topic": s("string"),
            "status": { "type": "string", "enum": ["held", "planned"], "description": "默认 held；planned 为计划召开" },
            "place": s("string"), "agenda": s("string"), "minutes": s("string"),
            "host": { "type": "string", "description": "主持人姓名（未给 host_person_id 时照录）" },
            "recorder": { "type": "string", "description": "记录人姓名（未给 recorder_person_id 时照录）" },
            "host_person_id": { "type": "string", "description": "主持人（名册中的人员 id，本组织、下级或上级组织的）" },
            "recorder_person_id": { "type": "string", "description": "记录人（名册中的人员 id）" },
            "attendee_ids": { "type": "array", "items": s("string"), "description": "出席人员（本组织名册中的党员）" },
            "absentees": { "type": "array", "items": obj(json!({ "person_id": s("string"), "reason": { "type": "string", "description": "缺席说明" },
                "reason_kind": { "type": "string", "enum": ["leave", "sick", "official", "other"],
                    "description": "请假（已批准）、病假、公差为正当理由，不计入连续未参加组织生活的月数；other 为其他（无正当理由）；不填时按说明文字判断" } }), &["person_id"]) },
            "goal_ids": { "type": "array", "items": s("string"), "description": "服务的业务目标（本组织或上级组织的）" },
            "task_ids": ids,
            "resolutions": { "type": "array", "description": format!("决议：支部党员大会须过{}有表决权党员到会；赞成票超过应到会有表决权党员{}为通过", share(life::QUORUM), share(life::PASSING)),
                "items": obj(json!({ "title": s("string"), "votes_for": s("integer"), "votes_against": s("integer"), "abstentions": s("integer") }), &["title", "votes_for"]) },
            "grades": { "type": "array", "description": format!("民主评议：正式党员的等次（优秀一般不超过规定比例，默认{}，可在规则设置中调整；预备党员不评定等次）", fraction(life::EXCELLENT_MAX_SHARE)),
                "items": obj(json!({ "person_id": s("string"), "grade": { "type": "string", "enum": ["excellent", "qualified", "basically_qualified", "unqualified"] } }), &["person_id", "grade"]) },
            "dual_life": { "type": "boolean", "description": "有领导干部参加双重组织生活" },
            "lecturer_id": { "type": "string", "description": format!("党课的讲课人（人员 id）；支部书记每年至少讲{}次党课", numeral(life::SECRETARY_LECTURES_PER_YEAR)) } }), &["org_id", "kind", "held_at", "topic"]),
        "ComplianceItem": record(json!({ "kind": { "type": "string", "enum": lines, "description": "项目：会议类型，或 secretary_lecture（书记讲党课）" },
            "meeting_kind": { "type": "string", "enum": KINDS }, "label": s("string"),
            "due": { "type": "integer", "description": "应召开次数；谈心谈话（已登记支委的）为应谈对数" },
            "held": { "type": "integer", "description": "已召开并计入的次数（未达到法定人数的不计入）；谈心谈话为已谈对数" },
            "uncounted": { "type": "integer", "description": "已召开但未达到法定人数、不计入的次数" },
            "note": { "type": "string", "nullable": true, "description": "说明，如“已谈 12/15 对”“另有 1 次未达到法定人数，不计入召开次数”" },
            "status": { "type": "string", "enum": ["met", "due", "overdue", "not_applicable"] },
            "periods": array(record(json!({ "period": s("string"), "due": s("integer"), "held": s("integer") }))) }))
    })
}

fn paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    let period = json!([{ "name": "id", "in": "path", "required": true, "schema": s("string") },
        { "name": "period", "in": "query", "description": "2026-03、2026-Q1 或 2026；默认本月", "schema": s("string") }]);
    let recorded =
        record(json!({ "id": s("string"), "duplicate": { "type": "boolean", "description": "重复提交时为 true" } }));
    json!({
        "/api/v1/meetings": { "post": { "summary": "登记组织生活（已召开或计划召开）；同一组织、类型、时间、主题的重复提交返回已有记录",
            "requestBody": body(json!({ "$ref": "#/components/schemas/NewMeeting" })),
            "responses": { "201": { "description": "已登记", "content": { "application/json": { "schema": recorded.clone() } } },
                "200": { "description": "重复提交，返回已有记录的 id", "content": { "application/json": { "schema": recorded } } } } } },
        "/api/v1/meetings/{id}": {
            "get": { "summary": "会议记录：出席、缺席、决议、评议等次、服务的目标", "parameters": id_param(), "responses": ok("会议", schema_ref("MeetingDetail")) },
            "put": { "summary": "登记计划会议的召开情况，或更正记录", "parameters": id_param(),
                "requestBody": body(json!({ "$ref": "#/components/schemas/NewMeeting" })), "responses": no_content() } },
        "/api/v1/meetings/{id}/cancel": { "post": { "summary": "取消计划召开的会议", "parameters": id_param(), "responses": no_content() } },
        "/api/v1/orgs/{id}/meetings": { "get": { "summary": "组织（含下级）的会议，按时间", "parameters": [
            { "name": "id", "in": "path", "required": true, "schema": s("string") },
            { "name": "from", "in": "query", "description": "起始月份 2026-01", "schema": s("string") },
            { "name": "to", "in": "query", "description": "截止月份 2026-12", "schema": s("string") }], "responses": ok("会议", items_of(schema_ref("Meeting"))) } },
        "/api/v1/orgs/{id}/compliance": { "get": { "summary": "组织生活落实情况：各项应召开、已召开与状态（按规定频次计算，不自报）", "parameters": period.clone(),
            "responses": ok("落实情况", record(json!({ "org_id": s("string"), "period": s("string"),
                "items": array(schema_ref("ComplianceItem")) }))) } },
        "/api/v1/orgs/{id}/supervision": { "get": { "summary": "督查：下级各组织的落实情况", "parameters": period, "responses": ok("督查", record(json!({ "period": s("string"),
            "orgs": array(record(json!({ "org_id": s("string"), "name": s("string"), "overdue": { "type": "integer", "description": "逾期项目数" },
                "items": array(schema_ref("ComplianceItem")) }))),
            "replica_lag_seconds": { "type": "number", "nullable": true, "description": "读自只读副本时其落后主库的秒数；null 为读自主库" } }))) } },
        "/api/v1/orgs/{id}/absences": { "get": { "summary": format!("党章第九条预警：连续未参加组织生活（只计本人已在本组织且召开了应参加会议的月份，正当理由缺席不计）达到预警月数的党员，level 1 为第一次预警、2 为第二次预警、3 为已满{}个月", numeral(life::ABSENCE_LEAVING_MONTHS)), "parameters": id_param(), "responses": ok("预警", items_of(schema_ref("Absence"))) } }
    })
}
