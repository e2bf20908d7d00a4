use super::{cn_date, cn_month};
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use tongpin_core::auth::Power;
use tongpin_core::dues::{self, DuesCategory, NewBase, PersonDues};
use tongpin_core::people;
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "dues/person.html")]
struct PersonPage {
    shell: Shell,
    d: PersonDues,
    can_manage: bool,
    /// The base form as typed (or its defaults).
    form: NewBase,
    categories: Vec<(&'static str, &'static str)>,
    today: String,
    current: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

impl PersonPage {
    fn cn_month(&self, m: &str) -> String {
        cn_month(m)
    }
    fn cn_date(&self, d: &str) -> String {
        cn_date(d)
    }
    /// The month tracking starts, when later than the month dues start.
    fn tracked_later(&self) -> Option<&str> {
        self.d
            .tracked_from
            .as_deref()
            .filter(|t| Some(*t) != self.d.start_month.as_deref())
    }
    fn any_payable(&self) -> bool {
        self.d.months.iter().any(|m| m.payable())
    }
    /// The latest month a new base may start, for the month picker.
    fn max_from(&self) -> String {
        dues::add_months(&self.current, 12).unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
pub struct Saved {
    saved: Option<String>,
}

async fn render_page(
    a: &Auth,
    id: &str,
    form: Option<NewBase>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewPeople).await?;
    let db = &a.state.db;
    let p = people::get(db, &scope, id).await?;
    let d = dues::history(db, &scope, id, a.now()).await?;
    let current = dues::current_month(a.now());
    let form = form.unwrap_or_else(|| {
        let latest = d.bases.first();
        NewBase {
            // A first base starts when dues start; a new one, this month.
            from_month: match (latest, &d.start_month) {
                (None, Some(s)) => s.clone(),
                _ => current.clone(),
            },
            category: latest.map(|b| b.category.clone()).unwrap_or_else(|| "working".into()),
            ..NewBase::default()
        }
    });
    let shell = Shell::new(a, "/dues", &["党员管理", "党费", d.name.as_str()]);
    Ok(Html(render(&PersonPage {
        shell,
        can_manage: a
            .who
            .scope(Power::ManagePeople)
            .is_some_and(|s| s.contains_path(&p.org_path)),
        form,
        categories: DuesCategory::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        today: tongpin_core::clock::beijing(a.now()).format("%Y-%m-%d").to_string(),
        current,
        error,
        notice,
        d,
    })))
}

/// A member's dues: the last 12 months, the bases, and the forms to record
/// a payment and set a new base.
pub async fn page(a: Auth, Path(id): Path<String>, Query(s): Query<Saved>) -> Result<Html<String>, PageError> {
    let notice = match s.saved.as_deref() {
        Some("base") => Some("党费基数已保存，应缴金额已按新基数重新计算。"),
        Some("pay") => Some("缴纳已登记。"),
        _ => None,
    };
    Ok(render_page(&a, &id, None, None, notice).await?)
}

/// Answers a form: back to the page on success, the page with the error
/// (and the typed values) otherwise.
async fn answer(a: &Auth, id: &str, form: Option<NewBase>, r: Result<&'static str, Error>) -> Response {
    match r {
        Ok(saved) => Redirect::to(&format!("/dues/{id}?saved={saved}")).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            match render_page(a, id, form, Some(e.to_string()), None).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BaseForm {
    from_month: String,
    category: String,
    base_yuan: String,
    farmer_amount_yuan: String,
}

/// 设置新基数: from a month on.
pub async fn set_base(a: Auth, Path(id): Path<String>, Form(f): Form<BaseForm>) -> Response {
    let nb = NewBase {
        from_month: f.from_month,
        category: f.category,
        base_yuan: f.base_yuan,
        farmer_amount_yuan: f.farmer_amount_yuan,
        ..NewBase::default()
    };
    let r = async {
        let scope = a.require(Power::ManagePeople).await?;
        dues::set_base(&a.state.db, a.now(), &a.actor(), &scope, &id, &nb).await?;
        Ok("base")
    }
    .await;
    answer(&a, &id, Some(nb), r).await
}

/// 登记缴纳: the amount due for the checked months (`m.<YYYY-MM>` fields).
pub async fn pay(a: Auth, Path(id): Path<String>, Form(f): Form<HashMap<String, String>>) -> Response {
    let mut months: Vec<String> = f
        .keys()
        .filter_map(|k| k.strip_prefix("m."))
        .map(str::to_string)
        .collect();
    months.sort();
    let paid_on = f.get("paid_on").cloned().unwrap_or_default();
    let r = async {
        let scope = a.require(Power::ManagePeople).await?;
        dues::record_payments(&a.state.db, a.now(), &a.actor(), &scope, &id, &months, &paid_on).await?;
        Ok("pay")
    }
    .await;
    answer(&a, &id, None, r).await
}
