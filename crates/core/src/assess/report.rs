//! The secretary's annual report (述职报告, 一述双报): on business work, on
//! Party-building duty and on integrity, its first draft assembled from the
//! records — the year's organizational-life compliance, the organization's
//! published assessment results with their lines, the leaders' 一岗双责
//! completion — editable until submitted, then fixed.
use super::model::Side;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Org, Scope};
use crate::text::{check_optional, TextKind};
use crate::{ids, with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

/// A published assessment result of the organization.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ResultFigure {
    pub title: String,
    pub period: String,
    pub score: Option<i64>,
    pub grade: Option<String>,
    pub rank: Option<i64>,
    /// (side, indicator title, the line's note).
    pub lines: Vec<(String, String, String)>,
}

/// What the report was assembled from.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Figures {
    /// (obligation, held, due) for the year.
    pub life: Vec<(String, i64, i64)>,
    pub results: Vec<ResultFigure>,
    /// (leader, business (done, total), Party-building (done, total)).
    pub duties: Vec<(String, (i64, i64), (i64, i64))>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// None for a draft not saved yet.
    pub id: Option<String>,
    pub org_id: String,
    pub org_name: String,
    pub year: i64,
    pub person_id: String,
    pub person_name: String,
    pub business: String,
    pub party_building: String,
    pub integrity: String,
    pub figures: Figures,
    pub submitted: bool,
    pub submitted_at: Option<i64>,
}

async fn figures(db: &Db, o: &Org, year: i64, now: i64) -> Result<Figures> {
    let mut f = Figures::default();
    let scope = Scope::subtree_of(&o.path);
    let (_, items) = crate::life::compliance::compliance(db, &scope, &o.id, &year.to_string(), now).await?;
    f.life = items
        .iter()
        .filter(|i| i.due > 0)
        .map(|i| (i.label.to_string(), i.held, i.due))
        .collect();
    let rows: Vec<(String, String, String, Option<i64>, Option<String>, Option<i64>, String)> =
        with_db!(db, |p| sqlx::query_as(
            "SELECT a.id, a.title, a.period, r.score, r.grade, r.rank, r.lines FROM assessments a \
         JOIN assessment_results r ON r.assessment_id = a.id WHERE r.target_id = $1 AND substr(a.period, 1, 4) = $2 \
         ORDER BY a.period, a.created_at"
        )
        .bind(&o.id)
        .bind(year.to_string())
        .fetch_all(p)
        .await?);
    for (aid, title, period, score, grade, rank, lines) in rows {
        let inds = super::read::indicators(db, &aid).await?;
        let lines: Vec<super::Line> = serde_json::from_str(&lines).unwrap_or_default();
        f.results.push(ResultFigure {
            title,
            period: crate::plan::Period::title_of(&period),
            score,
            grade: grade
                .as_deref()
                .and_then(super::Grade::parse)
                .map(|g| g.label().to_string()),
            rank,
            lines: inds
                .iter()
                .zip(lines)
                .map(|(i, l)| (i.side.code().to_string(), i.title.clone(), l.note))
                .collect(),
        });
    }
    for l in super::duties::lists(db, &scope, &o.id, year).await? {
        f.duties.push((l.person_name, l.business_done, l.party_done));
    }
    Ok(f)
}

/// The first texts from the figures.
fn texts(f: &Figures) -> (String, String) {
    let side_lines = |side: Side| -> Vec<String> {
        f.results
            .iter()
            .flat_map(|r| {
                r.lines
                    .iter()
                    .filter(|l| l.0 == side.code())
                    .map(|l| format!("{}：{}", l.1, l.2))
            })
            .collect()
    };
    let mut business = side_lines(Side::Business);
    let mut party = side_lines(Side::Party);
    for (name, b, p) in &f.duties {
        business.push(format!("{name}业务职责完成 {}/{} 项", b.0, b.1));
        party.push(format!("{name}党建职责完成 {}/{} 项", p.0, p.1));
    }
    if !f.life.is_empty() {
        let each: Vec<String> = f.life.iter().map(|(l, h, d)| format!("{l} {h}/{d}")).collect();
        party.insert(0, format!("组织生活开展情况：{}", each.join("，")));
    }
    for r in &f.results {
        let score = r
            .score
            .map(super::rules::points_text)
            .unwrap_or_else(|| "未完成".into());
        party.push(format!(
            "{}（{}）：得分 {score}，等次 {}",
            r.title,
            r.period,
            r.grade.clone().unwrap_or_default()
        ));
    }
    (business.join("\n"), party.join("\n"))
}

async fn secretary(db: &Db, o: &Org, person_id: &str) -> Result<String> {
    let row: Option<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT name, org_path FROM people WHERE id = $1 AND left_on IS NULL"
    )
    .bind(person_id.trim())
    .fetch_optional(p)
    .await?);
    match row {
        Some((name, path)) if path.starts_with(&o.path) => Ok(name),
        _ => Err(Error::invalid("述职人", format!("不是{}在册人员", o.name))),
    }
}

type Stored = (String, String, String, String, String, bool, Option<i64>);

async fn stored(db: &Db, org_id: &str, year: i64, person_id: &str) -> Result<Option<Stored>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, business, party_building, integrity, figures, status = 'submitted', submitted_at FROM assessment_reports \
         WHERE org_id = $1 AND year = $2 AND person_id = $3"
    )
    .bind(org_id)
    .bind(year)
    .bind(person_id.trim())
    .fetch_optional(p)
    .await?
    }))
}

/// The report as saved, or a fresh draft assembled from the records.
pub async fn draft(db: &Db, scope: &Scope, org_id: &str, person_id: &str, year: i64, now: i64) -> Result<Report> {
    let o = org::get(db, scope, org_id.trim()).await?;
    let year = i64::from(crate::plan::year_of(year)?);
    let person_name = secretary(db, &o, person_id).await?;
    let mut r = Report {
        id: None,
        org_id: o.id.clone(),
        org_name: o.name.clone(),
        year,
        person_id: person_id.trim().to_string(),
        person_name,
        business: String::new(),
        party_building: String::new(),
        integrity: String::new(),
        figures: Figures::default(),
        submitted: false,
        submitted_at: None,
    };
    match stored(db, &o.id, year, person_id).await? {
        Some((id, b, p, i, figures, submitted, at)) => {
            (r.id, r.business, r.party_building, r.integrity) = (Some(id), b, p, i);
            r.figures = serde_json::from_str(&figures).unwrap_or_default();
            (r.submitted, r.submitted_at) = (submitted, at);
        }
        None => {
            r.figures = figures(db, &o, year, now).await?;
            (r.business, r.party_building) = texts(&r.figures);
        }
    }
    Ok(r)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportInput {
    pub org_id: String,
    pub person_id: String,
    pub year: i64,
    pub business: String,
    pub party_building: String,
    pub integrity: String,
}

/// Saves the report's texts (with the figures as they stand), or submits it; refused once submitted.
pub async fn save(db: &Db, now: i64, actor: &Actor, scope: &Scope, input: ReportInput, submit: bool) -> Result<String> {
    let o = org::get(db, scope, input.org_id.trim()).await?;
    let year = i64::from(crate::plan::year_of(input.year)?);
    let name = secretary(db, &o, &input.person_id).await?;
    let text = |f: &str, v: &str| check_optional(f, Some(v), 20_000, TextKind::Free).map(Option::unwrap_or_default);
    let (b, p, i) = (
        text("业务工作", &input.business)?,
        text("党建工作", &input.party_building)?,
        text("廉洁自律", &input.integrity)?,
    );
    if submit && (b.is_empty() || p.is_empty() || i.is_empty()) {
        return Err(Error::invalid(
            "述职报告",
            "业务工作、党建工作、廉洁自律三部分都填写后才能提交",
        ));
    }
    let existing = stored(db, &o.id, year, &input.person_id).await?;
    if existing.as_ref().is_some_and(|s| s.5) {
        return Err(Error::Conflict("述职报告已提交，不能再修改".into()));
    }
    let figures = serde_json::to_string(&figures(db, &o, year, now).await?)
        .map_err(|e| Error::internal("述职报告的数据无法保存", e))?;
    let person = input.person_id.trim().to_string();
    db.transaction(move |tx| {
        let (o, b, p, i, figures, actor, person, name, existing) =
            (o.clone(), b.clone(), p.clone(), i.clone(), figures.clone(), actor.clone(), person.clone(), name.clone(), existing.clone());
        Box::pin(async move {
            let id = existing.map(|e| e.0).unwrap_or_else(ids::new_id);
            let status = if submit { "submitted" } else { "draft" };
            let n = with_tx!(tx, |c| sqlx::query(
                "INSERT INTO assessment_reports (id, org_id, year, person_id, business, party_building, integrity, figures, \
                 status, updated_by, updated_at, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 CASE WHEN $9 = 'submitted' THEN $10 END, CASE WHEN $9 = 'submitted' THEN $11 END) \
                 ON CONFLICT (org_id, year, person_id) DO UPDATE SET business = excluded.business, \
                 party_building = excluded.party_building, integrity = excluded.integrity, figures = excluded.figures, \
                 status = excluded.status, updated_by = excluded.updated_by, updated_at = excluded.updated_at, \
                 submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at \
                 WHERE assessment_reports.status = 'draft'"
            )
            .bind(&id)
            .bind(&o.id)
            .bind(year)
            .bind(&person)
            .bind(&b)
            .bind(&p)
            .bind(&i)
            .bind(&figures)
            .bind(status)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("述职报告已提交，不能再修改".into()));
            }
            let action = if submit { "assess.report.submit" } else { "assess.report.save" };
            let ev = Event::new(action, format!("{name}{year}年度述职报告（{}）", o.name), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}
