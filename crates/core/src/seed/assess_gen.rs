//! Synthetic assessment data for the results benchmark (`tongpin
//! gen-assess`): the records of `gen-standard` (tree, roster, a year of
//! meetings, dues, problems), plus for that year every branch's goals with
//! monthly KPI figures, its Party tasks, the committee's required course
//! with most members' class hours, and the committee's assessment of every
//! branch on `indicators` indicators: half computed (every source of the
//! rule table in turn, the first a baseline item), the rest entered or
//! rated by the superior and the masses, with one bonus item. The entries,
//! the superior's ratings and the masses' tallies (one branch in sixteen
//! below the ballot threshold) are written with set-based `INSERT … SELECT`.
use super::standard_gen::generate_standard;
use crate::assess::{setup, NewAssessment, NewIndicator};
use crate::audit::Actor;
use crate::db::Db;
use crate::org::Scope;
use crate::sql::Param;
use crate::{bind_all, with_db, Result};

/// The benchmark assessment's title, by which `bench-assess` finds it.
pub const ASSESS_TITLE: &str = "基准测试党支部考核";

/// What was generated.
pub struct AssessGen {
    pub committee: String,
    pub assessment: String,
    pub year: i32,
    pub targets: i64,
    pub indicators: usize,
    pub scores: i64,
    pub tallies: i64,
}

impl AssessGen {
    pub fn summary(&self) -> String {
        format!(
            "已生成 {} 年度考核数据：{} 个考核对象、{} 项指标、{} 条评分、{} 条群众评议汇总；党委 {}，考核 {}",
            self.year, self.targets, self.indicators, self.scores, self.tallies, self.committee, self.assessment
        )
    }
}

const METRICS: [&str; 6] = [
    "life_compliance",
    "kpi_attainment",
    "task_completion",
    "study_completion",
    "rectification_closure",
    "dues_on_time",
];

/// The sheet: computed items first (the first a baseline), then entered and
/// rated ones alternately, the last a bonus item.
fn indicators(n: usize) -> Vec<NewIndicator> {
    let n = n.max(2);
    let computed = n / 2;
    (0..n)
        .map(|k| {
            let bonus = k == n - 1;
            let (kind, metric, raters) = if k < computed {
                ("computed", METRICS[k % METRICS.len()], vec![])
            } else if (k - computed).is_multiple_of(2) || bonus {
                ("entered", "", vec![])
            } else {
                (
                    "rated",
                    "",
                    vec![
                        ("superior".to_string(), "0.5".to_string()),
                        ("masses".to_string(), "0.5".to_string()),
                    ],
                )
            };
            NewIndicator {
                code: format!("K{:02}", k + 1),
                dimension: if k.is_multiple_of(2) {
                    "党的建设"
                } else {
                    "业务工作"
                }
                .into(),
                title: format!("考核指标{:02}", k + 1),
                full_points: if bonus { "3" } else { "2" }.into(),
                kind: kind.into(),
                metric: metric.into(),
                raters,
                baseline: k == 0,
                bonus,
                ..Default::default()
            }
        })
        .collect()
}

/// Runs one statement with its parameters.
async fn run(db: &Db, sql: &str, params: &[Param]) -> Result<u64> {
    Ok(with_db!(db, |p| bind_all!(sqlx::query(sql), params)
        .execute(p)
        .await?
        .rows_affected()))
}

/// The year's plan and study records of every branch under `root`.
fn records(root: &str, year: i32) -> Vec<String> {
    let under = format!("o.path >= '/{root}/' AND o.path < '/{root}0' AND o.kind = 'branch'");
    let people =
        format!("p.org_path >= '/{root}/' AND p.org_path < '/{root}0' AND p.status || '' IN ('full', 'probationary')");
    let mut out = Vec::new();
    for g in 1..=2 {
        out.push(format!(
            "INSERT INTO goals (id, org_id, year, parent_id, title, description, difficult, seq, created_by, created_at, updated_at) \
             SELECT o.id || '-g{g}', o.id, {year}, NULL, '业务目标{g}', '', FALSE, {g}, '基准数据', $1, $1 FROM orgs o WHERE {under}"
        ));
        out.push(format!(
            "INSERT INTO kpis (id, goal_id, seq, name, unit, baseline, target, direction, period_kind, created_at) \
             SELECT o.id || '-g{g}k', o.id || '-g{g}', 1, '关键指标{g}', '%', 600000, 1000000, 'higher', 'month', $1 \
             FROM orgs o WHERE {under}"
        ));
    }
    // Monthly figures; one KPI in eight stops reporting after June.
    for m in 1..=12 {
        out.push(format!(
            "INSERT INTO kpi_values (kpi_id, period, value, source, entered_by, entered_at) \
             SELECT k.id, '{year}-{m:02}', 600000 + 30000 * {m} + 1000 * length(k.id), 'import', '基准数据', $1 \
             FROM kpis k JOIN goals g ON g.id = k.goal_id JOIN orgs o ON o.id = g.org_id WHERE {under} AND g.year = {year} \
             AND ({m} <= 6 OR substr(k.id, 36, 1) NOT IN ('0', '8'))"
        ));
    }
    // Three tasks: two done by their deadline, the third late in one branch of four.
    for (t, deadline, done) in [
        (1, format!("{year}-03-31"), format!("'{year}-03-20'")),
        (2, format!("{year}-06-30"), format!("'{year}-06-30'")),
        (
            3,
            format!("{year}-10-31"),
            format!(
                "CASE WHEN substr(o.id, 36, 1) IN ('0', '4', '8', 'c') THEN '{year}-11-15' ELSE '{year}-10-30' END"
            ),
        ),
    ] {
        out.push(format!(
            "INSERT INTO tasks (id, org_id, year, parent_id, title, description, standing, deadline, accepted_at, progress, \
             done_on, seq, created_by, created_at, updated_at) SELECT o.id || '-t{t}', o.id, {year}, NULL, '党建任务{t}', '', \
             FALSE, '{deadline}', $1, 100, {done}, {t}, '基准数据', $1, $1 FROM orgs o WHERE {under}"
        ));
    }
    out.push(format!(
        "INSERT INTO study_courses (id, org_id, year, title, hours, created_by, created_at) \
         SELECT '{root}-course', '{root}', {year}, '党的二十大精神专题', 80, '基准数据', $1"
    ));
    out.push(format!(
        "INSERT INTO study_records (id, person_id, org_id, studied_on, topic, hours, form, course_id, notes, created_by, created_at) \
         SELECT p.id || '-sr', p.id, p.org_id, '{year}-05-20', '党的二十大精神专题', \
         CASE WHEN substr(p.id, 36, 1) IN ('0', '1') THEN 40 ELSE 80 END, '集中学习', '{root}-course', '', '基准数据', $1 \
         FROM people p WHERE {people} AND substr(p.id, 35, 1) <> 'f'"
    ));
    out
}

/// The entries, the superior's ratings and the masses' tallies: `$1` is
/// the assessment, `$2` the time.
fn scores() -> [&'static str; 3] {
    [
        "INSERT INTO assessment_scores (assessment_id, target_id, code, source, rater_key, account_id, points, passed, \
         figure, note, updated_by, updated_at) SELECT t.assessment_id, t.target_id, i.code, 'entered', '', NULL, \
         CASE WHEN substr(t.target_id, 36, 1) IN ('0', '1', '2') THEN i.full_points ELSE i.full_points * 8 / 10 END, \
         NULL, NULL, '', '基准数据', $2 FROM assessment_targets t JOIN assessment_indicators i ON i.assessment_id = t.assessment_id \
         WHERE t.assessment_id = $1 AND i.kind = 'entered'",
        "INSERT INTO assessment_scores (assessment_id, target_id, code, source, rater_key, account_id, points, passed, \
         figure, note, updated_by, updated_at) SELECT t.assessment_id, t.target_id, i.code, 'superior', '', NULL, \
         i.full_points * 9 / 10, NULL, NULL, '', '基准数据', $2 FROM assessment_targets t \
         JOIN assessment_indicators i ON i.assessment_id = t.assessment_id WHERE t.assessment_id = $1 AND i.kind = 'rated'",
        "INSERT INTO assessment_tallies (assessment_id, target_id, code, ballots, points_sum) \
         SELECT t.assessment_id, t.target_id, i.code, CASE WHEN substr(t.target_id, 36, 1) = 'e' THEN 3 ELSE 15 END, \
         CASE WHEN substr(t.target_id, 36, 1) = 'e' THEN 3 ELSE 15 END * i.full_points * 85 / 100 \
         FROM assessment_targets t JOIN assessment_indicators i ON i.assessment_id = t.assessment_id \
         WHERE t.assessment_id = $1 AND i.kind = 'rated'",
    ]
}

pub async fn generate_assess(
    db: &Db,
    now: i64,
    branches: usize,
    indicators_n: usize,
    per_branch: usize,
) -> Result<AssessGen> {
    let g = generate_standard(db, now, branches, 10, per_branch).await?;
    for sql in records(&g.committee, g.year) {
        run(db, &sql, &[Param::I(now)]).await?;
    }
    let sheet = indicators(indicators_n);
    let new = NewAssessment {
        org_id: g.committee.clone(),
        title: ASSESS_TITLE.into(),
        period: g.year.to_string(),
        subject: "orgs".into(),
        target_kinds: vec!["branch".into()],
        indicators: sheet.clone(),
        ..Default::default()
    };
    let actor = Actor::anonymous("基准数据生成程序", "local");
    let id = setup::create(db, now, &actor, &Scope::all(), new).await?;
    // The tallies take only the assessment.
    for (k, sql) in scores().into_iter().enumerate() {
        let params = [Param::S(id.clone()), Param::I(now)];
        run(db, sql, if k == 2 { &params[..1] } else { &params }).await?;
    }
    with_db!(db, |p| sqlx::query("ANALYZE").execute(p).await?.rows_affected());
    let count = |sql: &'static str| {
        let id = id.clone();
        async move { Ok::<i64, crate::Error>(with_db!(db, |p| sqlx::query_scalar(sql).bind(&id).fetch_one(p).await?)) }
    };
    Ok(AssessGen {
        committee: g.committee.clone(),
        year: g.year,
        targets: count("SELECT COUNT(*) FROM assessment_targets WHERE assessment_id = $1").await?,
        indicators: sheet.len(),
        scores: count("SELECT COUNT(*) FROM assessment_scores WHERE assessment_id = $1").await?,
        tallies: count("SELECT COUNT(*) FROM assessment_tallies WHERE assessment_id = $1").await?,
        assessment: id,
    })
}
