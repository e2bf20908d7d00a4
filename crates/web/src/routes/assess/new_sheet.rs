//! The indicator sheet as it is posted: rows of the new-assessment form
//! (`i3.code`, `i3.kind`…) or indicators of the JSON API, both made into the
//! core's `NewIndicator` (which checks them and refuses forbidden sources).
use super::api::text_of;
use crate::extract::Fields;
use serde_json::Value;
use tongpin_core::assess::NewIndicator;
use tongpin_core::Error;

/// How many indicator rows the form offers.
pub const ROWS: usize = 12;

/// One row of the form's sheet, as typed.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub code: String,
    pub dimension: String,
    pub side: String,
    pub title: String,
    pub full_points: String,
    pub kind: String,
    pub metric: String,
    pub tier: String,
    pub superior: String,
    pub peers: String,
    pub masses: String,
    pub self_rating: String,
}

impl Row {
    fn blank(&self) -> bool {
        self.code.trim().is_empty() && self.title.trim().is_empty()
    }

    pub fn of(n: usize, f: &Fields) -> Row {
        let g = |k: &str| f.get(&format!("i{n}.{k}")).to_string();
        Row {
            code: g("code"),
            dimension: g("dimension"),
            side: g("side"),
            title: g("title"),
            full_points: g("full_points"),
            kind: g("kind"),
            metric: g("metric"),
            tier: g("tier"),
            superior: g("superior"),
            peers: g("peers"),
            masses: g("masses"),
            self_rating: g("self"),
        }
    }

    fn indicator(&self) -> NewIndicator {
        let raters = [
            ("superior", &self.superior),
            ("peers", &self.peers),
            ("masses", &self.masses),
            ("self", &self.self_rating),
        ]
        .into_iter()
        .filter(|(_, w)| !w.trim().is_empty() && self.kind == "rated")
        .map(|(g, w)| (g.to_string(), w.trim().to_string()))
        .collect();
        NewIndicator {
            code: self.code.clone(),
            dimension: self.dimension.clone(),
            side: self.side.clone(),
            title: self.title.clone(),
            full_points: self.full_points.clone(),
            metric: if self.kind == "computed" {
                self.metric.clone()
            } else {
                String::new()
            },
            kind: self.kind.clone(),
            raters,
            baseline: self.tier == "baseline",
            bonus: self.tier == "bonus",
            ..NewIndicator::default()
        }
    }
}

/// The form's rows, as typed (all of them, for showing the form again).
pub fn rows_of(f: &Fields) -> Vec<Row> {
    (1..=ROWS).map(|n| Row::of(n, f)).collect()
}

/// The indicators of the filled rows.
pub fn indicators_of(rows: &[Row]) -> Vec<NewIndicator> {
    rows.iter().filter(|r| !r.blank()).map(Row::indicator).collect()
}

/// The starting sheet of a new assessment: Party and business on one sheet.
pub fn default_rows() -> Vec<Row> {
    let r = |code: &str, dim: &str, side: &str, title: &str, full: &str, kind: &str, metric: &str, tier: &str| Row {
        code: code.into(),
        dimension: dim.into(),
        side: side.into(),
        title: title.into(),
        full_points: full.into(),
        kind: kind.into(),
        metric: metric.into(),
        tier: tier.into(),
        ..Row::default()
    };
    let mut rows = vec![
        r(
            "A1",
            "组织建设",
            "party",
            "“三会一课”按期开展",
            "20",
            "computed",
            "life_compliance",
            "normal",
        ),
        r(
            "A2",
            "组织建设",
            "party",
            "党建任务按期完成",
            "15",
            "computed",
            "task_completion",
            "normal",
        ),
        r(
            "A3",
            "思想建设",
            "party",
            "必修课程学时完成",
            "10",
            "computed",
            "study_completion",
            "normal",
        ),
        r(
            "A4",
            "作风建设",
            "party",
            "问题按期整改销号",
            "10",
            "computed",
            "rectification_closure",
            "normal",
        ),
        r(
            "A5",
            "组织建设",
            "party",
            "党费按月交纳",
            "5",
            "computed",
            "dues_on_time",
            "normal",
        ),
        r(
            "B1",
            "业务工作",
            "business",
            "业务指标完成",
            "20",
            "computed",
            "kpi_attainment",
            "normal",
        ),
        r(
            "B2",
            "业务工作",
            "business",
            "重点工作完成情况",
            "10",
            "entered",
            "",
            "normal",
        ),
        r("C1", "综合评价", "party", "党建工作满意度", "10", "rated", "", "normal"),
        r(
            "D1",
            "底线要求",
            "party",
            "未发生违纪违法问题",
            "0",
            "entered",
            "",
            "baseline",
        ),
        r(
            "E1",
            "创新加分",
            "party",
            "党建工作获上级表彰",
            "3",
            "entered",
            "",
            "bonus",
        ),
    ];
    rows[7].superior = "0.4".into();
    rows[7].peers = "0.2".into();
    rows[7].masses = "0.3".into();
    rows[7].self_rating = "0.1".into();
    rows.resize(ROWS, Row::default());
    rows
}

/// One indicator of the JSON API: {"code","dimension","side","title","full_points","kind","metric",
/// "raters":{"superior":0.5,"masses":0.5},"baseline","bonus","pass_share"}.
pub fn api_indicator(n: usize, v: &Value) -> Result<NewIndicator, Error> {
    let Some(o) = v.as_object() else {
        return Err(Error::invalid(
            &format!("第{n}项指标"),
            "应为对象，含 code、title、full_points、kind 等字段",
        ));
    };
    let s = |k: &str| text_of(o.get(k));
    let flag = |k: &str| o.get(k).and_then(Value::as_bool).unwrap_or(false);
    let raters = match o.get("raters") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(m)) => m.iter().map(|(g, w)| (g.clone(), text_of(Some(w)))).collect(),
        Some(_) => {
            return Err(Error::invalid(
                &format!("第{n}项指标评价主体"),
                "应为对象，如 {\"superior\":0.5,\"masses\":0.5}",
            ))
        }
    };
    Ok(NewIndicator {
        code: s("code"),
        dimension: s("dimension"),
        side: s("side"),
        title: s("title"),
        full_points: s("full_points"),
        kind: s("kind"),
        metric: s("metric"),
        raters,
        baseline: flag("baseline"),
        bonus: flag("bonus"),
        pass_share: s("pass_share"),
        figure: None,
    })
}
