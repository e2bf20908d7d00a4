//! The plan's other views: the timeline (时间轴), the superior's matrix of
//! goals × organizations (督导矩阵), and the fusion analysis (融合度分析).
use super::board::task_status;
use super::{focus, pct, tone, Focus, FocusQuery};
use crate::extract::Auth;
use crate::fmt::cn_date;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use tongpin_core::auth::Power;
use tongpin_core::plan::board::{self, TaskRow};
use tongpin_core::plan::fusion::{self, Fusion};
use tongpin_core::plan::matrix::{self, Cell, Column};
use tongpin_core::plan::{percent_text, tasks, Goal, Milestone};

#[derive(Template)]
#[template(path = "plan/timeline.html")]
struct TimelinePage {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    rows: Vec<TaskRow>,
    milestones: Vec<Milestone>,
}

impl TimelinePage {
    fn month_of(&self, d: &str) -> u32 {
        d.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0)
    }
    /// What a month cell of a task shows: the deadline, milestones, or nothing.
    fn mark(&self, t: &TaskRow, m: &u32) -> &'static str {
        let in_year = t.task.deadline.starts_with(&self.f.year.to_string());
        if in_year && self.month_of(&t.task.deadline) == *m {
            return if t.progress >= 100 { "done" } else { "deadline" };
        }
        let ms = self.milestones.iter().any(|x| {
            x.task_id == t.task.id && self.month_of(&x.due_on) == *m && x.due_on.starts_with(&self.f.year.to_string())
        });
        if ms {
            "milestone"
        } else {
            ""
        }
    }
    fn span(&self, t: &TaskRow, m: &u32) -> bool {
        let end = if t.task.deadline.starts_with(&self.f.year.to_string()) {
            self.month_of(&t.task.deadline)
        } else {
            12
        };
        *m <= end
    }
    fn cn_date(&self, d: &str) -> String {
        cn_date(d)
    }
    fn status(&self, t: &TaskRow) -> (&'static str, &'static str) {
        task_status(t)
    }
    fn titles(&self, m: &u32, t: &TaskRow) -> String {
        self.milestones
            .iter()
            .filter(|x| x.task_id == t.task.id && self.month_of(&x.due_on) == *m)
            .map(|x| format!("{}（{}）", x.title, cn_date(&x.due_on)))
            .collect::<Vec<_>>()
            .join("；")
    }
}

pub async fn timeline(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ViewPlan, &q).await?;
    let db = &a.state.db;
    let list = tasks::of_org(db, &f.scope, &f.org_id, f.year).await?;
    let ids: Vec<String> = list.iter().map(|t| t.id.clone()).collect();
    let milestones = tasks::milestones_of(db, &ids).await?;
    let mut rows = board::task_rows(db, list, a.now()).await?;
    rows.sort_by(|x, y| x.task.deadline.cmp(&y.task.deadline));
    Ok(Html(render(&TimelinePage {
        shell: Shell::new(&a, "/plan", &["同谋划", "年度计划", "时间轴"]),
        tab: "timeline",
        f,
        rows,
        milestones,
    })))
}

#[derive(Template)]
#[template(path = "plan/matrix.html")]
struct MatrixPage {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    goals: Vec<Goal>,
    columns: Vec<Column>,
    pager: Pager,
    total_orgs: usize,
}

impl MatrixPage {
    fn pct(&self, bp: &Option<i64>) -> String {
        pct(bp)
    }
    fn tone(&self, bp: &Option<i64>) -> &'static str {
        tone(bp)
    }
    fn progress(&self, c: &Cell) -> String {
        c.progress.map(|p| percent_text(p * 100)).unwrap_or_else(|| "—".into())
    }
}

pub async fn matrix(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ViewPlan, &q).await?;
    let r = a.state.db.for_reading().await;
    let m = matrix::matrix(&r.db, &f.scope, &f.org_id, f.year, a.now()).await?;
    let total = m.columns.len();
    let query = format!("org={}&year={}&", f.org_id, f.year);
    let pager = Pager::new(
        FocusQuery::num(&q.page),
        FocusQuery::num(&q.per_page),
        total as i64,
        query,
    );
    let columns = m
        .columns
        .into_iter()
        .skip(pager.offset() as usize)
        .take(pager.per_page as usize)
        .collect();
    Ok(Html(render(&MatrixPage {
        shell: Shell::new(&a, "/plan", &["同谋划", "年度计划", "督导矩阵"]).read_from(&r),
        tab: "matrix",
        f,
        goals: m.goals,
        columns,
        pager,
        total_orgs: total,
    })))
}

#[derive(Template)]
#[template(path = "plan/fusion.html")]
struct FusionPage {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    x: Fusion,
}

impl FusionPage {
    fn pct(&self, bp: &Option<i64>) -> String {
        pct(bp)
    }
    fn share(&self) -> String {
        if self.x.tasks_total == 0 {
            "—".into()
        } else {
            percent_text(self.x.tasks_linked * 10_000 / self.x.tasks_total)
        }
    }
    fn bar(&self, bp: &Option<i64>) -> i64 {
        bp.map(|b| (b / 100).clamp(0, 100)).unwrap_or(0)
    }
}

pub async fn fusion(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ViewPlan, &q).await?;
    let r = a.state.db.for_reading().await;
    let x = fusion::fusion(&r.db, &f.scope, &f.org_id, f.year, a.now()).await?;
    Ok(Html(render(&FusionPage {
        shell: Shell::new(&a, "/plan", &["同谋划", "融合度分析"]).read_from(&r),
        tab: "fusion",
        f,
        x,
    })))
}
