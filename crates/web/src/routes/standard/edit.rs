//! Editing a draft standard: its title, the organization kinds it applies
//! to, the grade thresholds and every item (编号, 维度, 名称, 评价标准, 类别,
//! 分值, 佐证材料, 计算规则), grouped on screen by dimension.
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::org::OrgKind;
use tongpin_core::standard::rules::SUBJECT_KINDS;
use tongpin_core::standard::{standards, NewItem, NewStandard, Rule, Standard, StandardStatus, Tier};
use tongpin_core::Error;

/// Rows the form offers beyond the standard's items.
const BLANK_ROWS: usize = 5;

/// One item row as typed.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub code: String,
    pub dimension: String,
    pub title: String,
    pub criteria: String,
    pub tier: String,
    pub points: String,
    pub evidence: bool,
    pub rule: String,
}

impl Row {
    fn blank(&self) -> bool {
        [&self.code, &self.title, &self.criteria, &self.points]
            .iter()
            .all(|v| v.trim().is_empty())
    }
}

/// The form as typed.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub title: String,
    pub kinds: Vec<String>,
    /// Percent, as typed ("75").
    pub grade_ii: String,
    pub grade_iii: String,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "standard/edit.html")]
struct Page {
    shell: Shell,
    s: Standard,
    d: Draft,
    kinds: Vec<(&'static str, &'static str)>,
    tiers: Vec<(&'static str, &'static str)>,
    rules: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

impl Page {
    /// Whether the row opens a new dimension (a heading row before it).
    fn heads(&self, i: &usize) -> bool {
        let i = *i;
        let Some(r) = self.d.rows.get(i) else {
            return false;
        };
        let before = i.checked_sub(1).and_then(|j| self.d.rows.get(j));
        !r.dimension.trim().is_empty() && before.is_none_or(|b| b.dimension != r.dimension)
    }
    fn checked_kind(&self, k: &str) -> bool {
        self.d.kinds.iter().any(|x| x == k)
    }
}

fn pct(bp: i64) -> String {
    super::share_text(bp).trim_end_matches('%').to_string()
}

/// "75" or "82.5" (percent, at most two decimals) → basis points.
fn bp_of(field: &str, v: &str) -> Result<Option<i64>, Error> {
    let v = v.trim().trim_end_matches('%');
    if v.is_empty() {
        return Ok(None);
    }
    let bad = || {
        Error::invalid(
            field,
            format!("“{v}”无效，应为 0 到 100 之间的百分数，最多两位小数，如 75"),
        )
    };
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 2 || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let bp = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(bad)?;
    if bp > 10_000 {
        return Err(bad());
    }
    Ok(Some(bp))
}

fn draft_of(s: &Standard, items: &[tongpin_core::standard::Item]) -> Draft {
    let mut rows: Vec<Row> = items
        .iter()
        .map(|i| Row {
            code: i.code.clone(),
            dimension: i.dimension.clone(),
            title: i.title.clone(),
            criteria: i.criteria.clone(),
            tier: i.tier.clone(),
            points: i.points.to_string(),
            evidence: i.evidence_required,
            rule: i.rule.clone().unwrap_or_default(),
        })
        .collect();
    let last_dim = rows.last().map(|r| r.dimension.clone()).unwrap_or_default();
    rows.extend((0..BLANK_ROWS).map(|_| Row {
        dimension: last_dim.clone(),
        tier: "baseline".into(),
        ..Row::default()
    }));
    Draft {
        title: s.title.clone(),
        kinds: s.kinds().iter().map(|k| k.to_string()).collect(),
        grade_ii: pct(s.grade_ii_bp),
        grade_iii: pct(s.grade_iii_bp),
        rows,
    }
}

/// The form as posted: rows r1_…, r2_…; blank rows are dropped.
fn posted(f: &Fields) -> Draft {
    let mut rows = Vec::new();
    for i in 1..=tongpin_core::rules::standard::MAX_ITEMS + BLANK_ROWS {
        let k = |n: &str| format!("r{i}_{n}");
        if !f.0.iter().any(|(n, _)| n.starts_with(&format!("r{i}_"))) {
            break;
        }
        rows.push(Row {
            code: f.get(&k("code")).into(),
            dimension: f.get(&k("dimension")).into(),
            title: f.get(&k("title")).into(),
            criteria: f.get(&k("criteria")).into(),
            tier: f.get(&k("tier")).into(),
            points: f.get(&k("points")).into(),
            evidence: f.on(&k("evidence")),
            rule: f.get(&k("rule")).into(),
        });
    }
    Draft {
        title: f.get("title").into(),
        kinds: f.all("kind"),
        grade_ii: f.get("grade_ii").into(),
        grade_iii: f.get("grade_iii").into(),
        rows,
    }
}

fn standard_of(s: &Standard, d: &Draft) -> Result<NewStandard, Error> {
    let mut items = Vec::new();
    for (n, r) in d.rows.iter().filter(|r| !r.blank()).enumerate() {
        let points = r.points.trim();
        let points = if points.is_empty() {
            0
        } else {
            points
                .parse()
                .map_err(|_| Error::invalid(&format!("第{}项分值", n + 1), format!("“{points}”不是整数")))?
        };
        items.push(NewItem {
            code: r.code.clone(),
            dimension: r.dimension.clone(),
            title: r.title.clone(),
            criteria: r.criteria.clone(),
            evidence_required: r.evidence,
            points,
            tier: r.tier.clone(),
            rule: Some(r.rule.clone()).filter(|x| !x.trim().is_empty()),
        });
    }
    Ok(NewStandard {
        org_id: s.org_id.clone(),
        year: s.year,
        title: d.title.clone(),
        org_kinds: d.kinds.clone(),
        items,
        grade_ii_bp: bp_of("ⅱ级门槛", &d.grade_ii)?,
        grade_iii_bp: bp_of("ⅲ级门槛", &d.grade_iii)?,
    })
}

async fn form(a: &Auth, id: &str, typed: Option<Draft>, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManageStandard).await?;
    let db = &a.state.db;
    let s = standards::get(db, &scope, id).await?;
    if !scope.contains_path(&s.org_path) {
        return Err(Error::Forbidden(format!(
            "“{}”由{}制定，只能由该组织修改",
            s.display(),
            s.org_name
        )));
    }
    if s.status() != StandardStatus::Draft {
        return Err(Error::Conflict(format!(
            "“{}”{}，项目已冻结，不能修改；如需调整，请生成新版本",
            s.display(),
            s.status().label()
        )));
    }
    let d = match typed {
        Some(d) => d,
        None => draft_of(&s, &standards::items_of(db, &s.id).await?),
    };
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/standards", &["标准化建设", "建设标准", "编辑标准"]),
        kinds: SUBJECT_KINDS
            .iter()
            .map(|k| (*k, OrgKind::from_code(k).map_or("组织", |x| x.label())))
            .collect(),
        tiers: Tier::ALL.iter().map(|t| (t.code(), t.label())).collect(),
        rules: Rule::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        s,
        d,
        error,
    })))
}

/// The draft's form; a published standard's items are frozen, so its page
/// is shown instead, saying so.
pub async fn page(a: Auth, Path(id): Path<String>) -> Result<Response, PageError> {
    let scope = a.require(Power::ManageStandard).await?;
    let s = standards::get(&a.state.db, &scope, &id).await?;
    if s.status() != StandardStatus::Draft {
        return Ok(Redirect::to(&format!("/standards/{id}?done=frozen")).into_response());
    }
    Ok(form(&a, &id, None, None).await?.into_response())
}

pub async fn save(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let d = posted(&Fields(f));
    let res = async {
        let scope = a.require(Power::ManageStandard).await?;
        let db = &a.state.db;
        let s = standards::get(db, &scope, &id).await?;
        let new = standard_of(&s, &d)?;
        standards::update(db, a.now(), &a.actor(), &scope, &id, new).await
    }
    .await;
    match res {
        Ok(()) => Redirect::to(&format!("/standards/{id}?done=saved")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            let mut d = d;
            d.rows.push(Row {
                tier: "baseline".into(),
                ..Row::default()
            });
            refused(e, form(&a, &id, Some(d), Some(msg))).await
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thresholds_read_as_percent() {
        let bp = |v: &str| super::bp_of("门槛", v);
        assert_eq!(bp("75").unwrap(), Some(7_500));
        assert_eq!(bp("82.5").unwrap(), Some(8_250));
        assert_eq!(bp("90%").unwrap(), Some(9_000));
        assert_eq!(bp("").unwrap(), None);
        assert!(bp("100.01").is_err());
        assert!(bp("7.555").is_err());
        assert!(bp("-5").is_err());
        assert!(bp("七十五").is_err());
    }
}
