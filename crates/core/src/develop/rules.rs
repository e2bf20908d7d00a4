use super::model::{Body, Stage, StepDef, StepFacts, Violation};
use crate::rules::development::{
    ACTIVIST_MIN_MONTHS, APPROVAL_MAX_MONTHS, APPROVAL_WITHIN_MONTHS, EXTENSION_MAX_MONTHS, EXTENSION_MIN_MONTHS,
    INTRODUCERS, MIN_AGE_YEARS, PROBATION_MONTHS, TALK_WITHIN_MONTHS, TRAINING_MIN_CLASS_HOURS, TRAINING_MIN_DAYS,
};
use chrono::{Months, NaiveDate};

/// The rules' Chinese names, as a violation cites them.
pub mod rule {
    pub const STEPS: &str = "发展党员按二十五个步骤依次办理";
    pub const NO_REPEAT: &str = "每个步骤只办理一次";
    pub const DATE_ORDER: &str = "办理日期不得早于前一步骤";
    pub const NOT_FUTURE: &str = "办理日期不得晚于当天";
    pub const BODY: &str = "各步骤由规定的组织办理";
    pub const AGE: &str = "年满十八周岁方可申请入党";
    pub const TALK: &str = "收到入党申请书后一个月内派人谈话";
    pub const ACTIVIST_YEAR: &str = "入党积极分子培养教育满一年方可确定为发展对象";
    pub const INTRODUCERS: &str = "发展对象应有两名正式党员作入党介绍人";
    pub const TRAINING: &str = "集中培训不少于三天或二十四个学时";
    pub const APPROVAL: &str = "上级党委审批一般不超过三个月，最长不超过六个月";
    pub const PROBATION: &str = "预备期为一年，期满方可讨论转正";
    pub const EXTENSION: &str = "延长预备期不少于半年，最长不超过一年";
    pub const EXTENSION_AT_END: &str = "预备期满时由支部大会讨论决定延长预备期，只延长一次";
    pub const ACTIVIST_ONLY: &str = "支部每半年考察一次入党积极分子，入党积极分子每季度书面汇报思想";
}

const fn step(no: u8, name: &'static str, stage: Stage, body: Body, document: &'static str) -> StepDef {
    StepDef {
        no,
        name,
        stage,
        body,
        document,
    }
}

/// The 25 steps of 《中国共产党发展党员工作细则》, in order; `STEPS[n - 1]` is step n.
pub const STEPS: [StepDef; 25] = {
    use Body::*;
    use Stage::*;
    [
        step(1, "递交入党申请", Stage::Applicant, Body::Applicant, "入党申请书"),
        step(2, "谈话", Stage::Applicant, Branch, "谈话记录"),
        step(3, "推荐和确定入党积极分子", Activist, BranchCommittee, "积极分子推荐表"),
        step(4, "报上级党委备案", Activist, Branch, "积极分子备案表"),
        step(5, "指定培养联系人", Activist, Branch, "培养联系人指定表"),
        step(6, "培养教育考察", Activist, Branch, "思想汇报"),
        step(7, "确定发展对象", Candidate, BranchCommittee, "发展对象确定记录"),
        step(8, "报上级党委备案", Candidate, Branch, "发展对象备案表"),
        step(9, "确定入党介绍人", Candidate, Branch, "入党介绍人确定记录"),
        step(10, "政治审查", Candidate, Branch, "政审材料"),
        step(11, "集中培训", Candidate, SuperiorCommittee, "培训结业证明"),
        step(12, "支委会审查", Candidate, BranchCommittee, "支委会审查意见"),
        step(13, "上级党委预审", Candidate, SuperiorCommittee, "预审意见"),
        step(14, "填写入党志愿书", Candidate, Body::Applicant, "入党志愿书"),
        step(15, "支部大会讨论", Candidate, GeneralMeeting, "支部大会决议"),
        step(16, "上级党委派人谈话", Candidate, SuperiorCommittee, "党委谈话记录"),
        step(17, "上级党委审批", Probationary, SuperiorCommittee, "审批意见"),
        step(
            18,
            "再上一级党委组织部门备案",
            Probationary,
            HigherOrgDepartment,
            "发展党员备案表",
        ),
        step(19, "编入支部和党小组", Probationary, Branch, "编入支部和党小组记录"),
        step(20, "入党宣誓", Probationary, Branch, "入党宣誓记录"),
        step(21, "继续教育考察", Probationary, Branch, "预备党员考察记录"),
        step(22, "提出转正申请", Probationary, Body::Applicant, "转正申请书"),
        step(23, "支部大会讨论", Probationary, GeneralMeeting, "转正决议"),
        step(24, "上级党委审批", Full, SuperiorCommittee, "转正审批意见"),
        step(25, "材料归档", Full, Branch, "档案目录"),
    ]
};

pub(super) const GENERAL_MEETING_ACCEPTS: u8 = 15;
pub(super) const APPROVAL: u8 = 17;

pub fn step_def(no: u8) -> Option<&'static StepDef> {
    STEPS.get(usize::from(no).checked_sub(1)?)
}

/// The stage after the highest step done, if any.
pub fn current_stage(done: &[(u8, NaiveDate)]) -> Option<Stage> {
    done.iter()
        .filter_map(|(no, _)| step_def(*no))
        .max_by_key(|d| d.no)
        .map(|d| d.stage)
}

/// When probation ends, and so the date full membership dates from: a year
/// (plus any extension) after the branch general meeting accepted the person.
pub fn probation_end(done: &[(u8, NaiveDate)], extension_months: Option<u32>) -> Option<NaiveDate> {
    let accepted = date_of(done, GENERAL_MEETING_ACCEPTS)?;
    Some(add_months(accepted, PROBATION_MONTHS + extension_months.unwrap_or(0)))
}

pub(super) fn date_of(done: &[(u8, NaiveDate)], no: u8) -> Option<NaiveDate> {
    done.iter().find(|(n, _)| *n == no).map(|(_, d)| *d)
}

/// Calendar months, clamped to the month's end (31 Jan + 1 = 28/29 Feb); a
/// date beyond the calendar saturates, so it is never reached.
pub(super) fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

fn violation(rule: &'static str, message: String) -> Result<(), Violation> {
    Err(Violation { rule, message })
}

/// Checks that `step` may be recorded as done `on`, given the steps already
/// `done` (step number and date). Returns the first rule broken.
pub fn check_step(done: &[(u8, NaiveDate)], step: u8, on: NaiveDate, facts: &StepFacts) -> Result<(), Violation> {
    let Some(def) = step_def(step) else {
        return violation(rule::STEPS, format!("步骤编号应为 1 至 {}，不能为 {step}", STEPS.len()));
    };
    if let Some(d) = date_of(done, step) {
        return violation(
            rule::NO_REPEAT,
            format!("第 {step} 步「{}」已于 {d} 办理，不能重复办理", def.name),
        );
    }
    check_order(done, def, on)?;
    if on > facts.today {
        return violation(
            rule::NOT_FUTURE,
            format!("日期 {on} 晚于今天 {}，请填写实际办理日期", facts.today),
        );
    }
    if facts.actor != def.body {
        return violation(
            rule::BODY,
            format!(
                "第 {step} 步「{}」应由{}办理，不能由{}办理",
                def.name,
                def.body.label(),
                facts.actor.label()
            ),
        );
    }
    check_timing(done, def, on, facts)
}

fn check_order(done: &[(u8, NaiveDate)], def: &StepDef, on: NaiveDate) -> Result<(), Violation> {
    let mut latest: Option<(&StepDef, NaiveDate)> = None;
    for earlier in &STEPS[..usize::from(def.no) - 1] {
        let Some(d) = date_of(done, earlier.no) else {
            return violation(
                rule::STEPS,
                format!(
                    "请先办理第 {} 步「{}」，再办理第 {} 步「{}」",
                    earlier.no, earlier.name, def.no, def.name
                ),
            );
        };
        if latest.is_none_or(|(_, l)| d >= l) {
            latest = Some((earlier, d));
        }
    }
    match latest {
        Some((prev, d)) if on < d => violation(
            rule::DATE_ORDER,
            format!("日期 {on} 早于第 {} 步「{}」的日期 {d}，请核对", prev.no, prev.name),
        ),
        _ => Ok(()),
    }
}

/// The rules particular to one step; the order has been checked, so every
/// earlier step has a date.
fn check_timing(done: &[(u8, NaiveDate)], def: &StepDef, on: NaiveDate, facts: &StepFacts) -> Result<(), Violation> {
    let date = |no| date_of(done, no).unwrap_or(on);
    match def.no {
        1 => {
            let Some(birth) = facts.birth_date else {
                return violation(rule::AGE, "请先登记出生日期".to_string());
            };
            let adult = crate::rules::birthday(birth, MIN_AGE_YEARS);
            if !crate::rules::of_joining_age(birth, on) {
                return violation(
                    rule::AGE,
                    format!("申请日期 {on} 时未满 {MIN_AGE_YEARS} 周岁，{adult} 起方可申请"),
                );
            }
        }
        2 => {
            let applied = date(1);
            let deadline = add_months(applied, TALK_WITHIN_MONTHS);
            if on > deadline {
                return violation(
                    rule::TALK,
                    format!("入党申请书于 {applied} 收到，谈话最迟应在 {deadline} 进行，{on} 已超期"),
                );
            }
        }
        7 => {
            let activist = date(3);
            let earliest = add_months(activist, ACTIVIST_MIN_MONTHS);
            if on < earliest {
                return violation(
                    rule::ACTIVIST_YEAR,
                    format!("{activist} 确定为入党积极分子，{earliest} 起方可确定为发展对象"),
                );
            }
        }
        9 => {
            let given = facts.introducers.len();
            if given != INTRODUCERS {
                return violation(
                    rule::INTRODUCERS,
                    format!("应确定 {INTRODUCERS} 名入党介绍人，现为 {given} 名"),
                );
            }
            if let Some(i) = facts.introducers.iter().find(|i| i.full_since.is_none_or(|f| f > on)) {
                let since = i
                    .full_since
                    .map(|f| format!("（{f} 起为正式党员）"))
                    .unwrap_or_default();
                return violation(
                    rule::INTRODUCERS,
                    format!("入党介绍人 {} 在 {on} 时不是正式党员{since}，请另行确定", i.name),
                );
            }
        }
        11 => {
            let (days, hours) = (facts.training_days, facts.training_class_hours);
            if days < TRAINING_MIN_DAYS && hours < TRAINING_MIN_CLASS_HOURS {
                return violation(
                    rule::TRAINING,
                    format!(
                        "集中培训 {days} 天、{hours} 学时，应不少于 {TRAINING_MIN_DAYS} 天或 {TRAINING_MIN_CLASS_HOURS} 学时"
                    ),
                );
            }
        }
        APPROVAL => {
            let accepted = date(GENERAL_MEETING_ACCEPTS);
            let limit = add_months(accepted, APPROVAL_MAX_MONTHS);
            if on > limit {
                return violation(
                    rule::APPROVAL,
                    format!("支部大会于 {accepted} 通过接收，审批最迟应在 {limit} 完成，{on} 已超过 {APPROVAL_MAX_MONTHS} 个月，请核对日期"),
                );
            }
        }
        23 | 24 => {
            if let Some(ext) = facts.extension_months {
                if !(EXTENSION_MIN_MONTHS..=EXTENSION_MAX_MONTHS).contains(&ext) {
                    return violation(
                        rule::EXTENSION,
                        format!(
                            "延长预备期应为 {EXTENSION_MIN_MONTHS} 至 {EXTENSION_MAX_MONTHS} 个月，不能为 {ext} 个月"
                        ),
                    );
                }
            }
            let accepted = date(GENERAL_MEETING_ACCEPTS);
            let end = probation_end(done, facts.extension_months).unwrap_or(on);
            if on < end {
                let extended = facts
                    .extension_months
                    .map(|m| format!("（延长 {m} 个月）"))
                    .unwrap_or_default();
                return violation(
                    rule::PROBATION,
                    format!("预备期自支部大会通过之日 {accepted} 算起，至 {end} 期满{extended}，{on} 尚未期满"),
                );
            }
        }
        _ => {}
    }
    Ok(())
}

/// Checks an extension of probation of `months` decided `on`: only when
/// probation ends (the branch general meeting at its end), before full
/// membership is discussed (step 23), once, for 6 to 12 months. The new end
/// is `probation_end(done, Some(months))`.
pub fn check_extension(
    done: &[(u8, NaiveDate)],
    already: Option<u32>,
    on: NaiveDate,
    months: u32,
    today: NaiveDate,
) -> Result<(), Violation> {
    if !(EXTENSION_MIN_MONTHS..=EXTENSION_MAX_MONTHS).contains(&months) {
        return violation(
            rule::EXTENSION,
            format!("延长预备期应为 {EXTENSION_MIN_MONTHS} 至 {EXTENSION_MAX_MONTHS} 个月，不能为 {months} 个月"),
        );
    }
    if date_of(done, APPROVAL).is_none() {
        return violation(rule::EXTENSION_AT_END, "尚未批准为预备党员，不能延长预备期".to_string());
    }
    if let Some(d) = date_of(done, 23) {
        return violation(
            rule::EXTENSION_AT_END,
            format!("支部大会已于 {d} 讨论转正，不能再延长预备期"),
        );
    }
    if let Some(m) = already {
        return violation(rule::EXTENSION_AT_END, format!("预备期已延长 {m} 个月，只能延长一次"));
    }
    let end = probation_end(done, None).unwrap_or(on);
    if on < end {
        return violation(
            rule::EXTENSION_AT_END,
            format!("预备期至 {end} 期满，延长预备期应在期满时讨论决定，{on} 尚未期满"),
        );
    }
    if on > today {
        return violation(
            rule::NOT_FUTURE,
            format!("日期 {on} 晚于今天 {today}，请填写实际办理日期"),
        );
    }
    Ok(())
}

/// Warnings that do not refuse the step: an approval later than three months
/// after the general meeting (beyond six months `check_step` refuses it).
pub fn step_warnings(done: &[(u8, NaiveDate)], step: u8, on: NaiveDate) -> Vec<String> {
    let mut warnings = Vec::new();
    if step == APPROVAL {
        if let Some(accepted) = date_of(done, GENERAL_MEETING_ACCEPTS) {
            let due = add_months(accepted, APPROVAL_WITHIN_MONTHS);
            if on > due {
                warnings.push(format!(
                    "支部大会于 {accepted} 通过接收，上级党委一般应在 {due} 前审批，已超过 {APPROVAL_WITHIN_MONTHS} 个月；特殊情况延长的，最长不超过 {APPROVAL_MAX_MONTHS} 个月（{}）",
                    add_months(accepted, APPROVAL_MAX_MONTHS)
                ));
            }
        }
    }
    warnings
}
