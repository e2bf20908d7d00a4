//! 新建考评: the assessing organization, the title, the period, whom it
//! assesses (organizations of chosen kinds below it, or its members), the
//! indicator sheet and the grade thresholds (prefilled from the rule table).
use super::new_sheet::{default_rows, indicators_of, rows_of, Row};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::period::PeriodPicker;
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::assess::rules::share_text;
use tongpin_core::assess::{setup, Metric, NewAssessment};
use tongpin_core::auth::Power;
use tongpin_core::org::{self, Narrow};
use tongpin_core::plan::PeriodKind;
use tongpin_core::rules::assess::{BONUS_CAP, FAIRLY_GOOD_FROM_BP, FAIR_FROM_BP, GOOD_FROM_BP, POINT_SCALE};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "assess/new.html")]
struct NewPage {
    shell: Shell,
    /// Organizations that may assess (党委, 党总支) in the caller's scope: (id, name path).
    /// The chosen 考核组织 (id, name path); None when the scope has no 党委 or 党总支.
    owner: Option<(String, String)>,
    f: Fields,
    rows: Vec<Row>,
    picker: PeriodPicker,
    metrics: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

impl NewPage {
    fn val<'a>(&'a self, k: &str, default: &'a str) -> &'a str {
        match self.f.0.iter().find(|(n, _)| n == k) {
            Some((_, v)) => v,
            None => default,
        }
    }
    fn kind_on(&self, k: &str) -> bool {
        if self.f.0.is_empty() {
            return k == "branch";
        }
        self.f.all("target_kinds").iter().any(|x| x == k)
    }
    fn n(&self, i: &usize) -> usize {
        i + 1
    }
}

fn defaults() -> (String, String, String, String) {
    (
        share_text(GOOD_FROM_BP),
        share_text(FAIRLY_GOOD_FROM_BP),
        share_text(FAIR_FROM_BP),
        (BONUS_CAP / POINT_SCALE).to_string(),
    )
}

async fn form(a: &Auth, f: Fields, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManageAssessment).await?;
    let leading = Narrow {
        kinds: org::LEADING,
        ..Narrow::default()
    };
    let owner = crate::org_choice::preset(&a.state.db, &scope, f.get("org_id"), leading).await?;
    let rows = if f.0.is_empty() { default_rows() } else { rows_of(&f) };
    let year = crate::routes::standard::this_year(a);
    let this_month = crate::routes::standard::today(a)[..7].to_string();
    let period = match f.get("period") {
        "" => year.to_string(),
        p => p.to_string(),
    };
    let picker = PeriodPicker::new(
        "period",
        &[PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year],
        &period,
        &this_month,
    );
    Ok(Html(render(&NewPage {
        shell: Shell::new(a, "/assessments", &["考评", "考评任务", "新建考评"]),
        owner,
        f,
        rows,
        picker,
        metrics: Metric::ALL.iter().map(|m| (m.code(), m.label())).collect(),
        error,
    })))
}

pub async fn page(a: Auth) -> Result<Html<String>, PageError> {
    Ok(form(&a, Fields(Vec::new()), None).await?)
}

pub async fn create(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        crate::org_choice::submitted(&a.state.db, &scope, f.get("org_id"), "考核组织").await?;
        let (good, fairly_good, fair, cap) = defaults();
        let or = |k: &str, d: String| match f.get(k).trim() {
            "" => d,
            v => v.to_string(),
        };
        let new = NewAssessment {
            org_id: f.get("org_id").into(),
            title: f.get("title").into(),
            period: f.get("period").into(),
            subject: f.get("subject").into(),
            target_ids: Vec::new(),
            target_kinds: f.all("target_kinds"),
            indicators: indicators_of(&rows_of(&f)),
            good: or("good", good),
            fairly_good: or("fairly_good", fairly_good),
            fair: or("fair", fair),
            bonus_cap: or("bonus_cap", cap),
            appeal_days: None,
        };
        setup::create(&a.state.db, a.now(), &a.actor(), &scope, new).await
    }
    .await;
    match res {
        Ok(id) => Redirect::to(&format!("/assessments/{id}?done=created")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, form(&a, f, Some(msg))).await
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rule_table_prefills_the_thresholds() {
        let (good, fairly_good, fair, cap) = super::defaults();
        assert_eq!(
            (good.as_str(), fairly_good.as_str(), fair.as_str(), cap.as_str()),
            ("90%", "80%", "60%", "5")
        );
    }
}
