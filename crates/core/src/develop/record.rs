//! A recorded step as stored, and a step as typed (form or API) with its
//! field checks. The rules between steps are `check_step`'s.
use super::model::{Body, StepDef, Violation};
use super::rules::{rule, step_def, STEPS};
use crate::people::parse_date;
use crate::text::{check, check_optional, TextKind};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};

/// Separates introducers' names in the stored text.
pub const NAME_SEP: &str = "、";

/// One step done, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct StepRecord {
    pub id: String,
    pub person_id: String,
    pub step: i64,
    /// YYYY-MM-DD.
    pub done_on: String,
    /// The acting body's code (`Body::code`).
    pub body: String,
    /// The people responsible, by name.
    pub responsible: String,
    /// The document the step produced (its name or number).
    pub document: String,
    pub note: String,
    /// Step 9: the two introducers' names.
    #[serde(serialize_with = "names")]
    pub introducers: String,
    /// Step 11: concentrated training.
    pub training_days: Option<i64>,
    pub training_hours: Option<i64>,
    /// Steps 23 and 24: an extension of probation, in months.
    pub extension_months: Option<i64>,
    pub recorded_by: String,
    pub created_at: i64,
}

fn names<S: Serializer>(s: &str, ser: S) -> std::result::Result<S::Ok, S::Error> {
    ser.collect_seq(s.split(NAME_SEP).filter(|n| !n.is_empty()))
}

impl StepRecord {
    pub fn def(&self) -> Option<&'static StepDef> {
        u8::try_from(self.step).ok().and_then(step_def)
    }
    pub fn name(&self) -> &'static str {
        self.def().map(|d| d.name).unwrap_or("未知步骤")
    }
    pub fn body_label(&self) -> &'static str {
        Body::from_code(&self.body).map(Body::label).unwrap_or("")
    }
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.done_on, "%Y-%m-%d").ok()
    }
}

/// A step as typed. Numbers are wide so a wrong one is refused in Chinese
/// here, not by the JSON parser.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewStep {
    pub step: i64,
    pub done_on: String,
    /// A `Body` code or its Chinese label.
    pub body: String,
    pub responsible: String,
    pub document: String,
    pub note: String,
    pub introducers: Vec<String>,
    pub training_days: Option<i64>,
    pub training_hours: Option<i64>,
    pub extension_months: Option<i64>,
}

/// A step whose every field was checked on its own.
#[derive(Clone, Debug)]
pub struct ValidStep {
    pub def: &'static StepDef,
    pub done_on: NaiveDate,
    pub body: Body,
    pub responsible: String,
    pub document: String,
    pub note: String,
    pub introducers: Vec<String>,
    pub training_days: Option<u32>,
    pub training_hours: Option<u32>,
    pub extension_months: Option<u32>,
}

/// The field a broken rule is about, for the 422 answer and the form.
pub fn field_of(v: &Violation, birth_known: bool) -> &'static str {
    match v.rule {
        rule::STEPS | rule::NO_REPEAT => "步骤",
        rule::BODY => "办理组织",
        rule::INTRODUCERS => "入党介绍人",
        rule::TRAINING => "培训天数",
        rule::EXTENSION => "延长预备期",
        rule::AGE if !birth_known => "出生日期",
        _ => "办理日期",
    }
}

/// A broken rule as the domain error: the field, and the rule by name.
pub fn refused(v: &Violation, birth_known: bool) -> Error {
    Error::invalid(field_of(v, birth_known), v.to_string())
}

fn count(field: &str, n: Option<i64>, max: i64) -> Result<Option<u32>> {
    match n {
        None => Ok(None),
        Some(n) if (0..=max).contains(&n) => Ok(u32::try_from(n).ok()),
        Some(n) => Err(Error::invalid(field, format!("应为 0 至 {max} 的整数，不能为 {n}"))),
    }
}

/// Refuses a value given for a step it does not belong to.
fn only_for(field: &str, given: bool, steps: &[u8], def: &StepDef) -> Result<()> {
    if given && !steps.contains(&def.no) {
        let which: Vec<String> = steps
            .iter()
            .filter_map(|n| step_def(*n))
            .map(|d| format!("第 {} 步「{}」", d.no, d.name))
            .collect();
        return Err(Error::invalid(field, format!("只在{}填写", which.join("、"))));
    }
    Ok(())
}

fn parse_body(raw: &str) -> Result<Body> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Error::invalid("办理组织", "不能为空，请选择办理该步骤的组织"));
    }
    Body::ALL
        .into_iter()
        .find(|b| b.code() == raw || b.label() == raw)
        .ok_or_else(|| {
            let all: Vec<String> = Body::ALL
                .iter()
                .map(|b| format!("{}（{}）", b.code(), b.label()))
                .collect();
            Error::invalid("办理组织", format!("应为 {}", all.join("、")))
        })
}

/// Checks each field on its own; the rules between steps come after.
pub fn validate(s: &NewStep) -> Result<ValidStep> {
    let def = u8::try_from(s.step).ok().and_then(step_def).ok_or_else(|| {
        Error::invalid(
            "步骤",
            format!(
                "不符合「{}」：步骤编号应为 1 至 {}，不能为 {}",
                rule::STEPS,
                STEPS.len(),
                s.step
            ),
        )
    })?;
    let done_on = parse_date("办理日期", &s.done_on)?
        .ok_or_else(|| Error::invalid("办理日期", "不能为空，请填写实际办理日期"))?;
    let body = parse_body(&s.body)?;
    let responsible = check("负责人", &s.responsible, 100, TextKind::Name)?;
    let document =
        check_optional("形成材料", Some(&s.document), 100, TextKind::Free)?.unwrap_or_else(|| def.document.into());
    let note = check_optional("备注", Some(&s.note), 500, TextKind::Free)?.unwrap_or_default();
    let mut introducers: Vec<String> = Vec::new();
    for raw in &s.introducers {
        if let Some(n) = check_optional("入党介绍人", Some(raw), 30, TextKind::Name)? {
            if n.contains(NAME_SEP) {
                return Err(Error::invalid("入党介绍人", "每格填写一人的姓名"));
            }
            if introducers.contains(&n) {
                return Err(Error::invalid(
                    "入党介绍人",
                    format!("{n} 填写了两次，应为两名不同的正式党员"),
                ));
            }
            introducers.push(n);
        }
    }
    only_for("入党介绍人", !introducers.is_empty(), &[9], def)?;
    let training_days = count("培训天数", s.training_days, 366)?;
    let training_hours = count("培训学时", s.training_hours, 10_000)?;
    only_for("培训天数", training_days.is_some(), &[11], def)?;
    only_for("培训学时", training_hours.is_some(), &[11], def)?;
    let extension_months = count("延长预备期", s.extension_months, 120)?;
    only_for("延长预备期", extension_months.is_some(), &[23, 24], def)?;
    Ok(ValidStep {
        def,
        done_on,
        body,
        responsible,
        document,
        note,
        introducers,
        training_days,
        training_hours,
        extension_months,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(no: i64) -> NewStep {
        NewStep {
            step: no,
            done_on: "2026年3月1日".into(),
            body: "支委会".into(),
            responsible: "张志强".into(),
            ..NewStep::default()
        }
    }

    #[test]
    fn fields_are_checked_and_defaulted() {
        let v = validate(&step(7)).unwrap();
        assert_eq!(v.def.no, 7);
        assert_eq!(v.done_on, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(v.body, Body::BranchCommittee);
        assert_eq!(v.document, "发展对象确定记录");
        let field = |s: NewStep| match validate(&s) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(step(26)), "步骤");
        assert_eq!(field(step(-1)), "步骤");
        assert_eq!(
            field(NewStep {
                done_on: "".into(),
                ..step(7)
            }),
            "办理日期"
        );
        assert_eq!(
            field(NewStep {
                done_on: "2026-02-30".into(),
                ..step(7)
            }),
            "办理日期"
        );
        assert_eq!(
            field(NewStep {
                body: "居委会".into(),
                ..step(7)
            }),
            "办理组织"
        );
        assert_eq!(
            field(NewStep {
                responsible: " ".into(),
                ..step(7)
            }),
            "负责人"
        );
        assert_eq!(
            field(NewStep {
                responsible: "<b>".into(),
                ..step(7)
            }),
            "负责人"
        );
        let two = vec!["王芳".to_string(), "王芳".to_string()];
        assert_eq!(
            field(NewStep {
                introducers: two,
                ..step(9)
            }),
            "入党介绍人"
        );
        let one = vec!["王芳".to_string()];
        assert_eq!(
            field(NewStep {
                introducers: one,
                ..step(7)
            }),
            "入党介绍人"
        );
        assert_eq!(
            field(NewStep {
                training_days: Some(3),
                ..step(10)
            }),
            "培训天数"
        );
        assert_eq!(
            field(NewStep {
                training_hours: Some(-1),
                ..step(11)
            }),
            "培训学时"
        );
        assert_eq!(
            field(NewStep {
                extension_months: Some(6),
                ..step(22)
            }),
            "延长预备期"
        );
        assert!(validate(&NewStep {
            extension_months: Some(6),
            ..step(23)
        })
        .is_ok());
        let blanks = vec![" ".to_string(), String::new()];
        assert!(validate(&NewStep {
            introducers: blanks,
            ..step(7)
        })
        .is_ok());
    }

    #[test]
    fn introducers_serialize_as_a_list() {
        let r = StepRecord {
            id: "x".into(),
            person_id: "p".into(),
            step: 9,
            done_on: "2026-03-10".into(),
            body: "branch".into(),
            responsible: "张志强".into(),
            document: "入党介绍人确定记录".into(),
            note: String::new(),
            introducers: format!("王芳{NAME_SEP}李明"),
            training_days: None,
            training_hours: None,
            extension_months: None,
            recorded_by: "测试".into(),
            created_at: 0,
        };
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["introducers"], serde_json::json!(["王芳", "李明"]));
        assert_eq!(r.name(), "确定入党介绍人");
        assert_eq!(r.body_label(), "党支部");
    }
}
