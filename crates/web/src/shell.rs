//! The page shell (layout): left menu by role, top bar with breadcrumb, the
//! to-do bell and the user menu; plus the pager every list shares.
use crate::extract::Auth;
use askama::Template;
use tongpin_core::auth::{Power, Principal, Role};

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
    /// Where the page's figures come from, when not the primary (数据来源).
    pub source_note: Option<String>,
    /// The caller's roles, for `can`.
    held: Vec<Role>,
}

/// The whole product's menu (ui.md); an entry shows when its module exists
/// and the caller holds one of its powers (none listed: everyone). Entries
/// that only serve those who run an organization (换届, 督查, 频次) ask for
/// a managing power, so a member's menu holds only what a member does.
fn menu(who: &Principal, active: &str, crumbs: &[&str]) -> Vec<MenuGroup> {
    use Power::*;
    type Entry = (&'static str, &'static str, &'static [Power]);
    let groups: [(&'static str, &[Entry]); 8] = [
        ("工作台", &[("我的工作台", "/", &[]), ("待办事项", "/todos", &[])]),
        (
            "组织管理",
            &[
                ("组织架构", "/orgs", &[ViewOrgs]),
                ("业务单元", "/units", &[ViewOrgs]),
                ("换届提醒", "/orgs/elections", &[ManageOrgs, ManagePeople]),
            ],
        ),
        (
            "党员管理",
            &[
                ("党员名册", "/people", &[ViewPeople]),
                ("发展党员", "/develop", &[ViewPeople]),
                ("组织关系转接", "/transfers", &[ViewPeople]),
                ("党费", "/dues", &[ViewPeople]),
            ],
        ),
        (
            "同谋划",
            &[
                ("年度计划", "/plan", &[ViewPlan]),
                ("融合度分析", "/plan/fusion", &[ViewPlan]),
                ("指标填报", "/plan/values", &[EnterKpi]),
            ],
        ),
        (
            "组织生活",
            &[
                ("三会一课", "/life", &[ViewLife]),
                ("落实情况", "/life/compliance", &[ViewLife]),
                ("督查", "/life/supervision", &[ManageLife, ViewPeople]),
                ("频次设置", "/life/frequencies", &[ManageLife]),
                ("学习计划", "/study/plans", &[ViewStudy]),
                ("学习记录", "/study/records", &[ViewStudy]),
            ],
        ),
        (
            "标准化建设",
            &[
                ("建设标准", "/standards", &[ViewStandard]),
                ("摸底自查", "/standards/check", &[ViewStandard]),
                ("问题清单", "/standards/problems", &[ViewStandard]),
                ("达标验收", "/standards/applications", &[ManageStandard]),
                ("提升定级", "/standards/ledger", &[ManageStandard]),
                ("软弱涣散预警", "/standards/warnings", &[ManageStandard]),
                ("联系点", "/standards/contacts", &[ManageStandard]),
                ("督查调度", "/standards/dispatches", &[ManageStandard]),
                ("书记培训", "/standards/training", &[ManageStandard]),
                ("基础保障", "/standards/resources", &[ManageStandard]),
            ],
        ),
        (
            "考评",
            &[
                ("考评任务", "/assessments", &[ViewAssessment]),
                ("一岗双责", "/duties", &[ViewAssessment]),
                ("述职报告", "/reports", &[ViewAssessment]),
            ],
        ),
        (
            "系统管理",
            &[
                ("账号管理", "/admin/accounts", &[ManageAccounts]),
                ("角色授权", "/admin/grants", &[GrantRoles]),
                ("安全策略", "/admin/policy", &[SetPolicy]),
                ("通知渠道", "/admin/notify", &[SetPolicy]),
                ("审计日志", "/admin/audit", &[ReadAudit]),
            ],
        ),
    ];
    // The entry the page names in its breadcrumb (the deepest one) is the
    // one marked; otherwise the entry at `active`.
    let named = crumbs.iter().rev().find_map(|c| {
        groups
            .iter()
            .flat_map(|(_, entries)| entries.iter())
            .find(|(label, _, _)| label == c)
            .map(|(_, href, _)| *href)
    });
    let active = named.unwrap_or(active);
    groups
        .into_iter()
        .map(|(title, entries)| MenuGroup {
            title,
            items: entries
                .iter()
                .filter(|(_, _, any)| any.is_empty() || any.iter().any(|p| who.can(*p)))
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
            menu: menu(who, active, crumbs),
            crumbs: crumbs.iter().map(|c| c.to_string()).collect(),
            title: crumbs.last().map(|c| c.to_string()).unwrap_or_else(|| "工作台".into()),
            todo_count: 0,
            source_note: None,
            held: who.grants.iter().map(|g| g.role).collect(),
        }
    }

    /// The page reads from `r`: says so when that is a replica.
    pub fn read_from(mut self, r: &tongpin_core::db::Reading) -> Shell {
        self.source_note = r.note();
        self
    }

    /// Whether the caller holds `power` anywhere: templates show a button or
    /// link only when the route behind it would let the caller through
    /// (`{% if shell.can(Power::ManagePeople) %}`), with the same powers the
    /// routes require.
    pub fn can(&self, power: Power) -> bool {
        self.held.iter().any(|r| r.powers().contains(&power))
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
    /// The total is a lower bound: more matched than were counted ("1000+").
    pub more: bool,
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
            more: false,
        }
    }
    /// A pager over a count that stopped at `cap`: `counted` above it reads
    /// "cap+" and the pages end at the cap.
    pub fn capped(page: Option<i64>, per_page: Option<i64>, counted: i64, cap: i64, query: String) -> Pager {
        let mut p = Pager::new(page, per_page, counted.min(cap), query);
        p.more = counted > cap;
        p
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

#[cfg(test)]
mod tests {
    use super::Pager;

    #[test]
    fn a_count_past_its_cap_reads_as_more_and_its_pages_end_at_the_cap() {
        let p = Pager::capped(Some(99), Some(20), 1001, 1000, String::new());
        assert!(p.more);
        assert_eq!((p.total, p.pages, p.page), (1000, 50, 50));
        let q = Pager::capped(None, None, 37, 1000, String::new());
        assert!(!q.more);
        assert_eq!((q.total, q.pages), (37, 2));
    }
}
