//! The OpenAPI document of the JSON API (/api/openapi.json). Written by hand
//! next to the routes; a test snapshots it so a change is always deliberate,
//! and scripts/openapi-check validates it and every GET's real answers.
mod core;

use axum::Json;
use serde_json::{json, Value};

pub(crate) fn error_responses() -> Value {
    json!({
        "401": { "description": "未登录或登录已失效", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "403": { "description": "无权限，或须先修改密码", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "422": { "description": "输入有误，field 指出字段", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    })
}

pub(crate) fn body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

pub(crate) fn ok(description: &str, schema: Value) -> Value {
    let mut r = error_responses();
    r["200"] = json!({ "description": description, "content": { "application/json": { "schema": schema } } });
    r
}

pub(crate) fn created() -> Value {
    created_with(schema_ref("Id"))
}

pub(crate) fn created_with(schema: Value) -> Value {
    let mut r = error_responses();
    r["201"] = json!({ "description": "已创建", "content": { "application/json": { "schema": schema } } });
    r
}

pub(crate) fn no_content() -> Value {
    let mut r = error_responses();
    r["204"] = json!({ "description": "成功" });
    r
}

/// A closed object with the given required properties (none: no `required`,
/// which OpenAPI 3.0 forbids empty).
pub(crate) fn obj(props: Value, required: &[&str]) -> Value {
    let mut schema = json!({ "type": "object", "additionalProperties": false, "properties": props });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// A closed object as the server writes it: every property present (serde
/// writes every field; an absent value is `null`, marked `nullable`).
pub(crate) fn record(props: Value) -> Value {
    let names: Vec<String> = props
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let mut schema = json!({ "type": "object", "additionalProperties": false, "properties": props });
    if !names.is_empty() {
        schema["required"] = json!(names);
    }
    schema
}

/// `{"items": [...]}`, the shape of every list that is not paged.
pub(crate) fn items_of(item: Value) -> Value {
    record(json!({ "items": array(item) }))
}

/// `{"items": [...], "total": n}`, a page of a list.
pub(crate) fn page_of(item: &str) -> Value {
    record(json!({ "items": array(schema_ref(item)), "total": { "type": "integer" } }))
}

pub(crate) fn array(item: Value) -> Value {
    json!({ "type": "array", "items": item })
}

pub(crate) fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// A value of type `t` that may be `null`.
pub(crate) fn nullable(t: &str) -> Value {
    json!({ "type": t, "nullable": true })
}

/// The same schema, also admitting `null` (OpenAPI 3.0 cannot mark a `$ref`).
pub(crate) fn or_null(mut schema: Value) -> Value {
    schema["nullable"] = json!(true);
    schema
}

pub(crate) fn id_param() -> Value {
    json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }])
}

pub fn document() -> Value {
    let mut doc = core::document();
    for (schemas, paths) in crate::routes::openapi_fragments() {
        merge(&mut doc["components"]["schemas"], schemas);
        merge(&mut doc["paths"], paths);
    }
    doc
}

/// Adds every key of `extra` (an object) to the object at `target`.
pub(crate) fn merge(target: &mut Value, extra: Value) {
    if let (Some(t), Value::Object(e)) = (target.as_object_mut(), extra) {
        t.extend(e);
    }
}

pub async fn serve() -> Json<Value> {
    Json(document())
}
