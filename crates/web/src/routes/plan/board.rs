//! 融合看板: each goal of the plan with its KPIs and the Party tasks serving it.
use super::{figure, focus, pct, tone, Focus, FocusQuery};
use crate::extract::Auth;
use crate::fmt::cn_date;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use tongpin_core::auth::Power;
use tongpin_core::plan::board::{self, Board, GoalCard, KpiRow, TaskRow};
use tongpin_core::plan::Period;

#[derive(Template)]
#[template(path = "plan/board.html")]
struct Page {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    b: Board,
    can_manage: bool,
    can_enter: bool,
    notice: Option<&'static str>,
}

impl Page {
    fn pct(&self, bp: &Option<i64>) -> String {
        pct(bp)
    }
    fn tone(&self, bp: &Option<i64>) -> &'static str {
        tone(bp)
    }
    fn figure(&self, v: &i64) -> String {
        figure(v)
    }
    fn cn_date(&self, d: &str) -> String {
        cn_date(d)
    }
    fn latest(&self, k: &KpiRow) -> String {
        match &k.status.latest {
            Some((p, v)) => format!("{}（{}）", figure(v), period_label(p)),
            None => "未填报".into(),
        }
    }
    fn missing(&self, k: &KpiRow) -> String {
        k.status
            .missing
            .iter()
            .map(|p| period_label(p))
            .collect::<Vec<_>>()
            .join("、")
    }
    fn status(&self, t: &TaskRow) -> (&'static str, &'static str) {
        task_status(t)
    }
    fn empty(&self) -> bool {
        self.b.goals.is_empty() && self.b.standing.is_empty() && self.b.pending.is_empty()
    }
    fn difficult_open(&self) -> usize {
        self.b.goals.iter().filter(|g: &&GoalCard| g.flagged).count()
    }
}

/// "2026-03" → "3月"; "2026-Q1" → "一季度"; "2026" → "全年".
pub fn period_label(code: &str) -> String {
    for kind in [
        tongpin_core::plan::PeriodKind::Month,
        tongpin_core::plan::PeriodKind::Quarter,
        tongpin_core::plan::PeriodKind::Year,
    ] {
        let year = code.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        if let Ok(p) = Period::parse(code, kind, year) {
            return p.label();
        }
    }
    code.to_string()
}

/// A task's state as a label and a tag colour.
pub fn task_status(t: &TaskRow) -> (&'static str, &'static str) {
    if t.task.accepted_at.is_none() {
        ("待接收", "gold")
    } else if t.progress >= 100 {
        ("已完成", "green")
    } else if t.overdue {
        ("已逾期", "red")
    } else {
        ("推进中", "grey")
    }
}

pub async fn page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ViewPlan, &q).await?;
    let b = board::board(&a.state.db, &f.scope, &f.org_id, f.year, a.now()).await?;
    let notice = match q.done.as_deref() {
        Some("goal") => Some("业务目标已保存"),
        Some("task") => Some("党建任务已保存"),
        Some("deleted") => Some("已删除"),
        Some("template") => Some("已按模板生成年度计划，请根据本单位实际修改"),
        Some("copied") => Some("已复制到下一年度"),
        _ => None,
    };
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/plan", &["同谋划", "年度计划"]),
        can_manage: a
            .who
            .scope(Power::ManagePlan)
            .is_some_and(|s| s.contains_path(&b.org.path)),
        can_enter: a
            .who
            .scope(Power::EnterKpi)
            .is_some_and(|s| s.contains_path(&b.org.path)),
        tab: "board",
        f,
        b,
        notice,
    })))
}
