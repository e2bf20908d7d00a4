use crate::extract::{urlencode, Auth};
use crate::org_choice;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::develop::{self, InDevelopment, PipelineFilter, Stage};
use tongpin_core::org;
use tongpin_core::todo::Todo;
use tongpin_core::Error;

/// The pipeline's query, shared by the page and the API.
#[derive(Deserialize, Default, Clone)]
pub struct PipelineQuery {
    pub org: Option<String>,
    pub stage: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl PipelineQuery {
    pub fn filter(&self) -> PipelineFilter {
        PipelineFilter {
            org_id: self
                .org
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.chars().take(60).collect()),
            stage: self.stage.as_deref().and_then(Stage::from_code),
        }
    }
}

pub struct Card {
    pub code: &'static str,
    pub label: &'static str,
    pub count: i64,
    pub note: &'static str,
    pub href: String,
    pub on: bool,
}

pub struct Row {
    pub x: InDevelopment,
    pub org: String,
}

impl Row {
    pub fn stage_label(&self) -> &'static str {
        self.x.stage.label()
    }
    pub fn tag(&self) -> &'static str {
        match self.x.stage {
            Stage::Full => "red",
            Stage::Probationary => "gold",
            _ => "grey",
        }
    }
}

#[derive(Template)]
#[template(path = "develop/pipeline.html")]
struct PipelinePage {
    shell: Shell,
    org: String,
    stage_label: &'static str,
    /// The filter's organization path (empty: all).
    org_path: String,
    cards: Vec<Card>,
    rows: Vec<Row>,
    pager: Pager,
    todos: Vec<Todo>,
    todo_total: usize,
    /// Not when a stage was picked: the list is what was asked for.
    show_todos: bool,
    overdue: i64,
    can_manage: bool,
    error: Option<String>,
}

impl PipelinePage {
    /// Days ahead a step shows on the to-do list, from the rule table.
    fn reminder_days(&self) -> i64 {
        tongpin_core::rules::development::REMINDER_DAYS
    }
}

/// How many to-dos the page lists; the rest are in the table.
const TODOS_SHOWN: usize = 5;

fn note(s: Stage) -> &'static str {
    match s {
        Stage::Applicant => "第 1—2 步",
        Stage::Activist => "第 3—6 步",
        Stage::Candidate => "第 7—16 步",
        Stage::Probationary => "第 17—23 步",
        Stage::Full => "在本系统办理转正",
    }
}

/// 发展党员: counts per stage (click through to the list), the to-dos and
/// the people in development with what comes due next.
pub async fn pipeline(a: Auth, Query(q): Query<PipelineQuery>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewPeople).await?;
    let db = &a.state.db;
    let mut f = q.filter();
    let mut error = None;
    let org_path = match org_choice::filter(db, &scope, f.org_id.as_deref()).await {
        Err(Error::Invalid { .. }) => {
            error = Some("所选组织不在您的管理范围内，已显示全部".to_string());
            f.org_id = None;
            String::new()
        }
        r => r?.map(|(_, path)| path).unwrap_or_default(),
    };
    let sum = develop::pipeline_summary(db, &scope, &f, a.now()).await?;
    let org_q = f.org_id.clone().unwrap_or_default();
    let link = |stage: Option<Stage>| {
        let mut s = String::from("/develop?");
        if !org_q.is_empty() {
            s.push_str(&format!("org={}&", urlencode(&org_q)));
        }
        if let Some(st) = stage {
            s.push_str(&format!("stage={}", st.code()));
        }
        s.trim_end_matches(['&', '?']).to_string()
    };
    let cards = sum
        .counts
        .iter()
        .map(|c| Card {
            code: c.stage.code(),
            label: c.label,
            count: c.count,
            note: note(c.stage),
            href: link(Some(c.stage)),
            on: f.stage == Some(c.stage),
        })
        .collect();
    let query: String = [
        ("org", &org_q),
        ("stage", &f.stage.map(|s| s.code().to_string()).unwrap_or_default()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}&", urlencode(v)))
    .collect();
    let pager = Pager::new(q.page, q.per_page, sum.total, query);
    let overdue = sum.overdue;
    let shown: Vec<InDevelopment> =
        develop::pipeline_people(db, &scope, &f, a.now(), pager.offset(), pager.per_page).await?;
    let ids: Vec<String> = shown.iter().map(|x| x.org_id.clone()).collect();
    let names = org::names_of(db, &ids).await?;
    let rows = shown
        .into_iter()
        .map(|x| Row {
            org: names.get(&x.org_id).cloned().unwrap_or_default(),
            x,
        })
        .collect();
    let mut todos = develop::todos(db, &scope, a.now()).await?;
    let todo_total = todos.len();
    todos.truncate(TODOS_SHOWN);
    let page = PipelinePage {
        shell: Shell::new(&a, "/develop", &["党员管理", "发展党员"]),
        org: org_q,
        stage_label: f.stage.map_or("发展中（入党申请人至预备党员）", Stage::label),
        org_path,
        cards,
        rows,
        pager,
        todos,
        todo_total,
        show_todos: f.stage.is_none(),
        overdue,
        can_manage: a.who.can(Power::ManagePeople),
        error,
    };
    Ok(Html(render(&page)))
}
