//! The page shell (layout): left menu by role, top bar with breadcrumb, the
//! to-do bell and the user menu; plus the pager every list shares.
use crate::extract::Auth;
use askama::Template;
use tongpin_core::auth::{Power, Principal};

pub struct MenuItem {
    pub label: &'static str,
    pub href: &'static str,
    pub active: bool,
}

pub struct MenuGroup {
    pub title: &'static str,
    pub items: Vec<MenuItem>,
}

pub struct Shell {
    pub user: String,
    pub roles: String,
    pub csrf: String,
    pub menu: Vec<MenuGroup>,
    pub crumbs: Vec<String>,
    pub title: String,
    pub todo_count: usize,
}

/// The whole product's menu (ui.md); an entry shows when its module exists
/// and the caller's roles may use it.
fn menu(who: &Principal, active: &str) -> Vec<MenuGroup> {
    type Entry = (&'static str, &'static str, Option<Power>);
    let groups: [(&'static str, &[Entry]); 6] = [
        ("工作台", &[("我的工作台", "/", None)]),
        (
            "组织管理",
            &[
                ("组织架构", "/orgs", Some(Power::ViewOrgs)),
                ("换届提醒", "/orgs/elections", Some(Power::ViewOrgs)),
            ],
        ),
        (
            "党员管理",
            &[
                ("党员名册", "/people", Some(Power::ViewPeople)),
                ("发展党员", "/develop", Some(Power::ViewPeople)),
                ("组织关系转接", "/transfers", Some(Power::ViewPeople)),
                ("党费", "/dues", Some(Power::ViewPeople)),
            ],
        ),
        (
            "同谋划",
            &[
                ("年度计划", "/plan", Some(Power::ViewPlan)),
                ("融合看板", "/plan/fusion", Some(Power::ViewPlan)),
                ("指标填报", "/plan/values", Some(Power::EnterKpi)),
            ],
        ),
        (
            "组织生活",
            &[
                ("三会一课", "/life", Some(Power::ViewLife)),
                ("落实情况", "/life/compliance", Some(Power::ViewLife)),
                ("督查", "/life/supervision", Some(Power::ViewLife)),
                ("频次设置", "/life/frequencies", Some(Power::ViewLife)),
                ("学习计划", "/study/plans", Some(Power::ViewStudy)),
                ("学习记录", "/study/records", Some(Power::ViewStudy)),
            ],
        ),
        (
            "系统管理",
            &[
                ("账号管理", "/admin/accounts", Some(Power::ManageAccounts)),
                ("角色授权", "/admin/grants", Some(Power::GrantRoles)),
                ("安全策略", "/admin/policy", Some(Power::SetPolicy)),
                ("通知渠道", "/admin/notify", Some(Power::SetPolicy)),
                ("审计日志", "/admin/audit", Some(Power::ReadAudit)),
            ],
        ),
    ];
    groups
        .into_iter()
        .map(|(title, entries)| MenuGroup {
            title,
            items: entries
                .iter()
                .filter(|(_, _, p)| p.is_none_or(|p| who.can(p)))
                .map(|(label, href, _)| MenuItem {
                    label,
                    href,
                    active: *href == active,
                })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect()
}

impl Shell {
    /// `active` is the menu entry's href; `crumbs` the breadcrumb after 首页.
    pub fn new(auth: &Auth, active: &str, crumbs: &[&str]) -> Shell {
        let who = &auth.who;
        Shell {
            user: who.display_name.clone(),
            roles: who.roles_text(),
            csrf: who.csrf.clone(),
            menu: menu(who, active),
            crumbs: crumbs.iter().map(|c| c.to_string()).collect(),
            title: crumbs.last().map(|c| c.to_string()).unwrap_or_else(|| "工作台".into()),
            todo_count: 0,
        }
    }
}

/// Renders a template; a template error becomes a plain message, never a panic.
pub fn render<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        tracing::error!("template error: {e}");
        "页面渲染失败，请联系系统管理员".into()
    })
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub message: String,
    pub change_password: bool,
}

/// Page numbers for a list: 共 N 条, 10/20/50 per page.
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    pub pages: i64,
    /// The list's query string without page/per_page, for links.
    pub query: String,
}

impl Pager {
    pub const SIZES: [i64; 3] = [10, 20, 50];

    pub fn new(page: Option<i64>, per_page: Option<i64>, total: i64, query: String) -> Pager {
        let per_page = per_page.filter(|p| Pager::SIZES.contains(p)).unwrap_or(20);
        let pages = ((total + per_page - 1) / per_page).max(1);
        let page = page.unwrap_or(1).clamp(1, pages);
        Pager {
            page,
            per_page,
            total,
            pages,
            query,
        }
    }
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
    pub fn href(&self, page: i64) -> String {
        format!("?{}page={page}&per_page={}", self.query, self.per_page)
    }
    /// The list's filters, repeated as hidden fields of the jump form.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.query.as_bytes())
            .filter(|(k, _)| k != "page" && k != "per_page")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
    /// A window of page numbers around the current one.
    pub fn window(&self) -> Vec<i64> {
        let lo = (self.page - 3).max(1);
        let hi = (self.page + 3).min(self.pages);
        (lo..=hi).collect()
    }
}
