//! 待办: the to-do list page (filtered and grouped by module and status)
//! and the bell's count.
use super::registry::{Need, Routes};
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::todos::{items_for_caller, Filter, Item};
use crate::{ApiError, PageError};
use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use axum::Json;
use serde_json::{json, Value};
use tongpin_core::todo::{Status, MODULES};

pub fn routes() -> Routes {
    Routes::new()
        .get("/todos", Need::Login, page)
        .get("/api/v1/todos", Need::Login, list)
}

/// A filter link with its count: 已逾期（3）.
struct Choice {
    label: &'static str,
    href: String,
    count: usize,
    on: bool,
}

/// One module's to-dos.
struct Group {
    label: &'static str,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "todos.html")]
struct TodoPage {
    shell: Shell,
    statuses: Vec<Choice>,
    modules: Vec<Choice>,
    groups: Vec<Group>,
    filtered: bool,
}

fn link(module: Option<&str>, status: Option<&str>) -> String {
    let mut q = Vec::new();
    if let Some(m) = module {
        q.push(format!("module={m}"));
    }
    if let Some(s) = status {
        q.push(format!("status={s}"));
    }
    if q.is_empty() {
        "/todos".into()
    } else {
        format!("/todos?{}", q.join("&"))
    }
}

async fn page(a: Auth, Query(f): Query<Filter>) -> Result<Html<String>, PageError> {
    let f = f.checked()?;
    let all = items_for_caller(&a).await?;
    let (module, status) = (f.module.as_deref(), f.status.as_deref());
    // Status counts within the chosen module; module counts within the chosen status.
    let mut statuses = vec![Choice {
        label: "全部",
        href: link(module, None),
        count: all.iter().filter(|i| module.is_none_or(|m| m == i.todo.kind)).count(),
        on: status.is_none(),
    }];
    for s in Status::ALL {
        statuses.push(Choice {
            label: s.label(),
            href: link(module, Some(s.code())),
            count: all
                .iter()
                .filter(|i| i.status == s.code() && module.is_none_or(|m| m == i.todo.kind))
                .count(),
            on: status == Some(s.code()),
        });
    }
    let mut modules = vec![Choice {
        label: "全部模块",
        href: link(None, status),
        count: all.iter().filter(|i| status.is_none_or(|s| s == i.status)).count(),
        on: module.is_none(),
    }];
    for (code, label) in MODULES {
        let count = all
            .iter()
            .filter(|i| i.todo.kind == code && status.is_none_or(|s| s == i.status))
            .count();
        if count > 0 || module == Some(code) {
            modules.push(Choice {
                label,
                href: link(Some(code), status),
                count,
                on: module == Some(code),
            });
        }
    }
    let mut shell = Shell::new(&a, "/todos", &["待办事项"]);
    shell.todo_count = all.len();
    let mut groups: Vec<Group> = MODULES
        .iter()
        .map(|(_, label)| Group {
            label,
            items: Vec::new(),
        })
        .collect();
    for i in all.into_iter().filter(|i| f.keeps(i)) {
        match groups.iter_mut().find(|g| g.label == i.module) {
            Some(g) => g.items.push(i),
            None => groups.push(Group {
                label: i.module,
                items: vec![i],
            }),
        }
    }
    groups.retain(|g| !g.items.is_empty());
    let filtered = module.is_some() || status.is_some();
    Ok(Html(render(&TodoPage {
        shell,
        statuses,
        modules,
        groups,
        filtered,
    })))
}

/// GET /api/v1/todos?module=&status= → {"items", "total", "overdue"}; the
/// bell reads it (total and overdue count the whole list, unfiltered).
async fn list(a: Auth, Query(f): Query<Filter>) -> Result<Json<Value>, ApiError> {
    let f = f.checked()?;
    let all = items_for_caller(&a).await?;
    let overdue = all.iter().filter(|i| i.todo.overdue).count();
    let total = all.len();
    let items: Vec<Item> = all.into_iter().filter(|i| f.keeps(i)).collect();
    Ok(Json(json!({ "total": total, "overdue": overdue, "items": items })))
}

/// (schemas, paths) for the OpenAPI document: `Todo` is a module's to-do,
/// `TodoItem` one as this list shows it.
pub fn openapi() -> (Value, Value) {
    use crate::openapi::{array, record, schema_ref};
    let s = |t: &str| json!({ "type": t });
    let modules: Vec<&str> = MODULES.iter().map(|(k, _)| *k).collect();
    let mut fields = json!({ "kind": { "type": "string", "enum": modules, "description": "所属模块" },
        "title": s("string"), "detail": { "type": "string", "description": "依据的规则" },
        "due": { "type": "string", "format": "date", "nullable": true, "description": "截止日期" },
        "from": { "type": "string", "format": "date", "nullable": true, "description": "起可办理日期（不是截止日期）" },
        "overdue": s("boolean"), "href": { "type": "string", "description": "办理的页面" } });
    let todo = record(fields.clone());
    if let (Some(f), Value::Object(extra)) = (
        fields.as_object_mut(),
        json!({
        "status": { "type": "string", "enum": ["overdue", "soon", "open"] }, "status_label": s("string"),
        "module": { "type": "string", "description": "模块名称，如 发展党员" },
        "when": { "type": "string", "description": "如 截止 2026年9月30日、2026年10月1日起可办理" } }),
    ) {
        f.extend(extra);
    }
    let item = record(fields);
    let paths = json!({ "/api/v1/todos": { "get": { "summary": "我的待办：各模块规则在我的权限范围内得出的事项，逾期在前",
        "parameters": [
            { "name": "module", "in": "query", "required": false, "schema": { "type": "string", "enum": modules } },
            { "name": "status", "in": "query", "required": false, "schema": { "type": "string", "enum": ["overdue", "soon", "open"] } } ],
        "responses": crate::openapi::ok("待办", record(json!({ "total": { "type": "integer", "description": "筛选前的总数" },
            "overdue": { "type": "integer", "description": "其中已逾期的" },
            "items": array(schema_ref("TodoItem")) }))) } } });
    (json!({ "Todo": todo, "TodoItem": item }), paths)
}
