//! 建设标准: the standards of a year the caller can read, a new draft from a
//! template (机关/国企/高校) or copied from another standard (last year's),
//! a standard's items by dimension, and publish / new version / delete.
use super::{manages, standard_tag, this_year};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::org::{self, Narrow};
use tongpin_core::standard::{standards, template, Item, Rule, Standard, StandardStatus, Tier};
use tongpin_core::Error;

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    year: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "standard/list.html")]
struct ListPage {
    shell: Shell,
    /// The year shown; None: every year.
    year: Option<i64>,
    years: Vec<i64>,
    rows: Vec<Standard>,
    can_create: bool,
    notice: Option<&'static str>,
}

impl ListPage {
    fn is_year(&self, y: &i64) -> bool {
        self.year == Some(*y)
    }
    fn tag(&self, s: &Standard) -> (&'static str, &'static str) {
        standard_tag(s)
    }
    fn kinds(&self, s: &Standard) -> String {
        kinds_text(s)
    }
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(super::when).unwrap_or_else(|| "—".into())
    }
}

/// "党支部、党总支".
pub fn kinds_text(s: &Standard) -> String {
    s.kinds()
        .iter()
        .map(|k| tongpin_core::org::OrgKind::from_code(k).map_or("组织", |x| x.label()))
        .collect::<Vec<_>>()
        .join("、")
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewStandard).await?;
    let now_year = this_year(&a);
    let year = match q.year.as_deref().map(str::trim) {
        Some("all") => None,
        Some(y) => Some(y.parse().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or(now_year)),
        None => Some(now_year),
    };
    let rows = standards::list(&a.state.db, &scope, year).await?;
    let notice = match q.done.as_deref() {
        Some("deleted") => Some("草稿已删除。"),
        _ => None,
    };
    Ok(Html(render(&ListPage {
        shell: Shell::new(&a, "/standards", &["标准化建设", "建设标准"]),
        can_create: a.who.can(Power::ManageStandard),
        years: (now_year - 3..=now_year + 1).rev().collect(),
        year,
        rows,
        notice,
    })))
}

#[derive(Template)]
#[template(path = "standard/new.html")]
struct NewPage {
    shell: Shell,
    /// Organizations that may publish (党委, 党总支) in the caller's scope: (id, name path).
    /// The chosen 制定组织 (id, name path); None when the scope has no 党委 or 党总支.
    owner: Option<(String, String)>,
    templates: &'static [(&'static str, &'static str)],
    /// Standards to copy from: (id, "2025年度 · 标题（组织）").
    sources: Vec<(String, String)>,
    f: Fields,
    year: i64,
    error: Option<String>,
}

async fn new_form(a: &Auth, f: Fields, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManageStandard).await?;
    let db = &a.state.db;
    let leading = Narrow {
        kinds: org::LEADING,
        ..Narrow::default()
    };
    let owner = crate::org_choice::preset(db, &scope, f.get("org_id"), leading).await?;
    let view = a.require(Power::ViewStandard).await?;
    let sources = standards::list(db, &view, None)
        .await?
        .into_iter()
        .map(|s| {
            let label = format!("{}年度 · {}（{}）", s.year, s.display(), s.org_name);
            (s.id, label)
        })
        .collect();
    let year = f.get("year").trim().parse().ok().unwrap_or_else(|| this_year(a));
    Ok(Html(render(&NewPage {
        shell: Shell::new(a, "/standards", &["标准化建设", "建设标准", "新建标准"]),
        owner,
        templates: template::TEMPLATES,
        sources,
        f,
        year,
        error,
    })))
}

pub async fn new_page(a: Auth) -> Result<Html<String>, PageError> {
    Ok(new_form(&a, Fields(Vec::new()), None).await?)
}

fn year_of(f: &Fields) -> Result<i64, Error> {
    f.get("year")
        .trim()
        .parse()
        .map_err(|_| Error::invalid("年度", "请填写四位年份，如 2026"))
}

pub async fn create(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let (db, now, actor) = (&a.state.db, a.now(), a.actor());
        let year = year_of(&f)?;
        let owner = f.get("org_id");
        crate::org_choice::submitted(db, &scope, owner, "制定组织").await?;
        match f.get("mode") {
            "template" => template::from_template(db, now, &actor, &scope, owner, year, f.get("template")).await,
            "copy" => {
                if f.get("from_id").trim().is_empty() {
                    return Err(Error::invalid("复制来源", "请选择要复制的标准"));
                }
                standards::copy(db, now, &actor, &scope, f.get("from_id"), owner, year).await
            }
            _ => Err(Error::invalid("创建方式", "请选择“从模板创建”或“复制已有标准”")),
        }
    }
    .await;
    match res {
        Ok(id) => Redirect::to(&format!("/standards/{id}?done=created")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, new_form(&a, f, Some(msg))).await
        }
    }
}

/// A dimension and its items, in the standard's order.
pub type Dimension = crate::group::Group<Item>;

/// "组织生活按期召开（计算）" or "自查".
pub fn rule_text(i: &Item) -> String {
    match i.rule.as_deref().and_then(Rule::parse) {
        Some(r) => format!("计算：{}", r.label()),
        None => "自查".into(),
    }
}

#[derive(Template)]
#[template(path = "standard/detail.html")]
struct DetailPage {
    shell: Shell,
    s: Standard,
    dims: Vec<Dimension>,
    baseline: usize,
    refined: usize,
    computed: usize,
    points: i64,
    refined_points: i64,
    can_manage: bool,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl DetailPage {
    fn tag(&self) -> (&'static str, &'static str) {
        standard_tag(&self.s)
    }
    fn kinds(&self) -> String {
        kinds_text(&self.s)
    }
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(super::when).unwrap_or_else(|| "—".into())
    }
    fn pct(&self, bp: &i64) -> String {
        super::share_text(*bp)
    }
    fn rule(&self, i: &Item) -> String {
        rule_text(i)
    }
    fn draft(&self) -> bool {
        self.s.status() == StandardStatus::Draft
    }
    fn published(&self) -> bool {
        self.s.status() == StandardStatus::Published
    }
}

async fn detail_page(
    a: &Auth,
    id: &str,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let s = standards::get(db, &scope, id).await?;
    let items = standards::items_of(db, &s.id).await?;
    let baseline = items.iter().filter(|i| i.tier() == Tier::Baseline).count();
    let computed = items.iter().filter(|i| i.rule.is_some()).count();
    let points = items.iter().map(|i| i.points).sum();
    let refined_points = items
        .iter()
        .filter(|i| i.tier() == Tier::Refined)
        .map(|i| i.points)
        .sum();
    Ok(Html(render(&DetailPage {
        shell: Shell::new(a, "/standards", &["标准化建设", "建设标准", "标准详情"]),
        can_manage: manages(a, &s),
        refined: items.len() - baseline,
        baseline,
        computed,
        points,
        refined_points,
        dims: crate::group::by(items, |i| &i.dimension),
        s,
        notice,
        error,
    })))
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn detail(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let notice = match q.done.as_deref() {
        Some("created") => Some("草稿已创建。请核对、编辑标准项目后发布。"),
        Some("saved") => Some("草稿已保存。"),
        Some("published") => Some("标准已发布，项目已冻结；适用的组织可以开始摸底自查。"),
        Some("version") => Some("已生成新版本草稿。修改后发布，新版本将取代原版本。"),
        Some("frozen") => Some("该标准已发布，项目已冻结，不能修改；如需调整，请生成新版本。"),
        _ => None,
    };
    Ok(detail_page(&a, &id, notice, None).await?)
}

/// A change on the standard: back to it with `done`, or its page again with the message.
async fn act<F, Fut>(a: Auth, id: String, done: &str, f: F) -> Response
where
    F: FnOnce(Auth, String) -> Fut,
    Fut: std::future::Future<Output = (Auth, Result<String, Error>)>,
{
    let (a, res) = f(a, id.clone()).await;
    match res {
        Ok(target) => Redirect::to(&format!("/standards/{target}?done={done}")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, detail_page(&a, &id, None, Some(msg))).await
        }
    }
}

pub async fn publish(a: Auth, Path(id): Path<String>) -> Response {
    act(a, id, "published", |a, id| async move {
        let res = async {
            let scope = a.require(Power::ManageStandard).await?;
            standards::publish(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
            Ok(id.clone())
        }
        .await;
        (a, res)
    })
    .await
}

pub async fn version(a: Auth, Path(id): Path<String>) -> Response {
    act(a, id, "version", |a, id| async move {
        let res = async {
            let scope = a.require(Power::ManageStandard).await?;
            standards::new_version(&a.state.db, a.now(), &a.actor(), &scope, &id).await
        }
        .await;
        (a, res)
    })
    .await
}

pub async fn delete(a: Auth, Path(id): Path<String>) -> Response {
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let db = &a.state.db;
        let s = standards::get(db, &scope, &id).await?;
        standards::delete(db, a.now(), &a.actor(), &scope, &id).await?;
        Ok::<_, Error>(s.year)
    }
    .await;
    match res {
        Ok(year) => Redirect::to(&format!("/standards?year={year}&done=deleted")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, detail_page(&a, &id, None, Some(msg))).await
        }
    }
}
