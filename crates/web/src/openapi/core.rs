//! The document's frame and the routes of accounts, roles, the security
//! policy, the audit log and the organization list.
use super::{array, body, created, id_param, no_content, nullable, obj, ok, page_of, record, schema_ref};
use serde_json::{json, Value};

const ROLES: [&str; 10] = [
    "system-admin",
    "security-admin",
    "audit-admin",
    "org-admin",
    "branch-secretary",
    "committee-member",
    "member",
    "masses",
    "admin-head",
    "discipline-inspector",
];

/// The security policy's fields (`Policy`); a PUT may omit any of them.
fn policy_fields() -> Value {
    let s = |t: &str| json!({ "type": t });
    json!({ "password_min_length": s("integer"), "password_min_classes": s("integer"), "password_max_age_days": s("integer"),
        "password_history": s("integer"), "session_idle_minutes": s("integer"), "session_absolute_hours": s("integer"),
        "lockout_threshold": s("integer"), "lockout_minutes": s("integer"), "audit_hash": { "type": "string", "enum": ["sha256", "sm3"] },
        "upload_quota_mib": { "type": "integer", "description": "每个账号的上传配额（MiB）" },
        "throttle_failures": { "type": "integer", "description": "同一网络地址在 throttle_minutes 分钟内登录失败（任何用户名）达此数即答 429（防撞库）" },
        "throttle_minutes": { "type": "integer", "description": "同一地址失败计数时段（分钟）" } })
}

pub(super) fn document() -> Value {
    let s = |t: &str| json!({ "type": t });
    json!({
        "openapi": "3.0.3",
        "info": { "title": "同频 党建与业务融合平台 API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "所有接口使用 JSON。登录后以 Authorization: Bearer <token> 调用；错误以 {code, field, message} 返回中文说明。" },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": obj(json!({ "code": s("string"), "field": { "type": "string", "description": "输入有误时：有误的字段" },
                    "message": { "type": "string", "description": "中文说明" } }), &["code", "message"]),
                "Id": record(json!({ "id": s("string") })),
                "Account": record(json!({ "id": s("string"), "username": s("string"), "display_name": s("string"),
                    "must_change_password": s("boolean"), "password_changed_at": s("integer"), "disabled": s("boolean"), "created_at": s("integer") })),
                "Grant": record(json!({ "id": s("string"), "account_id": s("string"), "username": s("string"), "display_name": s("string"),
                    "role": { "type": "string", "enum": ROLES }, "org_id": nullable("string"), "org_name": nullable("string"), "created_at": s("integer") })),
                "Org": record(json!({ "id": s("string"), "parent_id": nullable("string"), "name": s("string"),
                    "kind": { "type": "string", "enum": ["committee", "general_branch", "branch", "group"] }, "founded_on": { "type": "string", "format": "date" },
                    "dissolved_at": nullable("integer"), "created_at": s("integer"),
                    "dissolved_into": { "type": "string", "nullable": true, "description": "并入的组织" },
                    "term_years": { "type": "integer", "nullable": true, "description": "任期（年）；为空按规定默认" },
                    "elected_on": { "type": "string", "format": "date", "nullable": true, "description": "最近一次换届日期" },
                    "term_ends_on": { "type": "string", "format": "date", "nullable": true, "description": "任期届满日期" },
                    "org_type": { "type": "string", "enum": ["agency", "soe", "university", "village", "community", "other"], "description": "单位性质：机关、国有企业、高校、村、社区、其他（村、社区任期 5 年）" } })),
                "Policy": record(policy_fields()),
                "PolicyUpdate": { "description": "安全策略；未给出的字段取默认值", "type": "object", "additionalProperties": false, "properties": policy_fields() },
                "AuditRecord": record(json!({ "seq": s("integer"), "at": s("integer"), "actor_id": nullable("string"),
                    "actor_name": s("string"), "scope": s("string"), "action": s("string"), "object": s("string"), "result": { "type": "string", "enum": ["ok", "failed", "denied"] },
                    "client_addr": s("string"), "detail": s("string"), "algo": { "type": "string", "enum": ["sha256", "sm3", "hmac-sha256", "hmac-sm3"] }, "prev_hash": s("string"), "hash": s("string") }))
            }
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/healthz": { "get": { "summary": "健康检查：数据库可用时 200，否则 503", "security": [],
                "responses": { "200": { "description": "正常" }, "503": { "description": "数据库无响应" } } } },
            "/api/v1/session": {
                "post": { "summary": "登录，取得令牌", "security": [],
                    "requestBody": body(obj(json!({ "username": s("string"), "password": s("string") }), &["username", "password"])),
                    "responses": { "200": { "description": "登录成功", "content": { "application/json": { "schema":
                        record(json!({ "token": s("string"), "must_change_password": s("boolean") })) } } },
                        "401": { "description": "用户名或密码错误" }, "423": { "description": "账号已锁定" }, "422": { "description": "输入有误" },
                        "429": { "description": "同一网络地址登录失败过多（安全策略的防撞库设置），稍后再试" } } },
                "delete": { "summary": "退出登录，令牌失效", "responses": no_content() } },
            "/api/v1/me": { "get": { "summary": "当前账号与角色", "responses": ok("当前账号", record(json!({
                "id": s("string"), "username": s("string"), "display_name": s("string"), "must_change_password": s("boolean"),
                "roles": array(record(json!({ "role": { "type": "string", "enum": ROLES }, "label": s("string"),
                    "org_id": nullable("string"), "org_name": nullable("string") }))) }))) } },
            "/api/v1/me/password": { "post": { "summary": "修改本人密码",
                "requestBody": body(obj(json!({ "old_password": s("string"), "new_password": s("string") }), &["old_password", "new_password"])),
                "responses": no_content() } },
            "/api/v1/accounts": {
                "get": { "summary": "账号列表（系统管理员）", "parameters": [
                    { "name": "q", "in": "query", "schema": s("string") }, { "name": "page", "in": "query", "schema": s("integer") },
                    { "name": "per_page", "in": "query", "schema": s("integer") }], "responses": ok("账号", page_of("Account")) },
                "post": { "summary": "新增账号（初始密码首次登录须修改）",
                    "requestBody": body(obj(json!({ "username": s("string"), "display_name": s("string"), "password": s("string") }), &["username", "display_name", "password"])),
                    "responses": created() } },
            "/api/v1/accounts/{id}/disable": { "post": { "summary": "停用账号并结束其全部会话", "parameters": id_param(), "responses": no_content() } },
            "/api/v1/accounts/{id}/enable": { "post": { "summary": "启用账号", "parameters": id_param(), "responses": no_content() } },
            "/api/v1/accounts/{id}/password": { "post": { "summary": "重置密码（下次登录须修改）", "parameters": id_param(),
                "requestBody": body(obj(json!({ "password": s("string") }), &["password"])), "responses": no_content() } },
            "/api/v1/grants": {
                "get": { "summary": "角色授权列表（安全管理员）", "responses": ok("授权", page_of("Grant")) },
                "post": { "summary": "授予角色（在组织及其下级生效；三权分立）",
                    "requestBody": body(obj(json!({ "account_id": s("string"), "role": { "type": "string", "enum": ROLES },
                        "org_id": { "type": "string", "nullable": true } }), &["account_id", "role"])),
                    "responses": created() } },
            "/api/v1/grants/{id}": { "delete": { "summary": "撤销角色", "parameters": id_param(), "responses": no_content() } },
            "/api/v1/policy": {
                "get": { "summary": "安全策略（安全管理员）", "responses": ok("安全策略", json!({ "$ref": "#/components/schemas/Policy" })) },
                "put": { "summary": "修改安全策略", "requestBody": body(schema_ref("PolicyUpdate")),
                    "responses": ok("已保存", json!({ "$ref": "#/components/schemas/Policy" })) } },
            "/api/v1/locks": { "get": { "summary": "因连续登录失败而锁定的账号（安全管理员）", "responses": ok("锁定列表", record(json!({
                "items": array(record(json!({ "username": s("string"), "locked_until": s("integer") }))), "total": s("integer") }))) } },
            "/api/v1/locks/{username}": { "delete": { "summary": "解除锁定", "parameters": [{ "name": "username", "in": "path", "required": true, "schema": s("string") }],
                "responses": no_content() } },
            "/api/v1/audit": { "get": { "summary": "审计日志（审计管理员）", "parameters": [
                    { "name": "actor", "in": "query", "schema": s("string") }, { "name": "action", "in": "query", "schema": s("string") },
                    { "name": "result", "in": "query", "schema": { "type": "string", "enum": ["ok", "failed", "denied"] } },
                    { "name": "from", "in": "query", "schema": { "type": "string", "format": "date" } }, { "name": "to", "in": "query", "schema": { "type": "string", "format": "date" } },
                    { "name": "page", "in": "query", "schema": s("integer") }, { "name": "per_page", "in": "query", "schema": s("integer") }],
                "responses": ok("审计记录，新者在前", page_of("AuditRecord")) } },
            "/api/v1/audit/verify": { "get": { "summary": "校验审计哈希链", "responses": ok("校验结果", json!({ "oneOf": [
                record(json!({ "intact": { "type": "boolean", "enum": [true] }, "records": { "type": "integer", "description": "已校验的记录数" },
                    "anchors": { "type": "integer", "description": "已核对的锚点数（链头定期写入库外的只追加文件）" } })),
                record(json!({ "intact": { "type": "boolean", "enum": [false] }, "broken_at": { "type": "integer", "description": "断裂处的序号" },
                    "reason": s("string") })) ] })) } },
            "/api/v1/orgs": {
                "get": { "summary": "调用者可见的组织", "responses": ok("组织", page_of("Org")) },
                "post": { "summary": "新增组织（顶级组织仅系统管理员）",
                    "requestBody": body(obj(json!({ "name": s("string"), "kind": { "type": "string", "enum": ["committee", "general_branch", "branch", "group"] },
                        "parent_id": { "type": "string", "nullable": true }, "founded_on": { "type": "string", "format": "date" } }), &["name", "kind", "parent_id"])),
                    "responses": created() } }
        }
    })
}
