//! 待办: the to-do list page and the bell's count.
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::{ApiError, PageError};
use askama::Template;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tongpin_core::todo::Todo;

pub fn routes() -> Router<crate::AppState> {
    Router::new()
        .route("/todos", get(page))
        .route("/api/v1/todos", get(list))
}

#[derive(Template)]
#[template(path = "todos.html")]
struct TodoPage {
    shell: Shell,
    todos: Vec<Todo>,
}

async fn page(a: Auth) -> Result<Html<String>, PageError> {
    let todos = crate::todos::for_caller(&a).await?;
    let mut shell = Shell::new(&a, "/todos", &["待办事项"]);
    shell.todo_count = todos.len();
    Ok(Html(render(&TodoPage { shell, todos })))
}

/// GET /api/v1/todos → {"items", "total", "overdue"}; the bell reads it.
async fn list(a: Auth) -> Result<Json<Value>, ApiError> {
    let todos = crate::todos::for_caller(&a).await?;
    let overdue = todos.iter().filter(|t| t.overdue).count();
    Ok(Json(
        json!({ "total": todos.len(), "overdue": overdue, "items": todos }),
    ))
}

/// (schemas, paths) for the OpenAPI document.
pub fn openapi() -> (Value, Value) {
    let s = |t: &str| json!({ "type": t });
    let todo = json!({ "type": "object", "properties": { "kind": s("string"), "title": s("string"), "detail": s("string"),
        "due": { "type": "string", "nullable": true }, "overdue": s("boolean"), "href": s("string") } });
    let paths = json!({ "/api/v1/todos": { "get": { "summary": "我的待办：各模块规则在我的权限范围内得出的事项，逾期在前",
        "responses": crate::openapi::ok("待办", json!({ "type": "object", "properties": { "total": s("integer"), "overdue": s("integer"),
            "items": { "type": "array", "items": { "$ref": "#/components/schemas/Todo" } } } })) } } });
    (json!({ "Todo": todo }), paths)
}
