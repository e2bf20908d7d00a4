use super::model::{Body, Stage, StepDef, StepFacts, Violation};
use crate::rules::development::{
    ACTIVIST_MIN_MONTHS, ACTIVIST_REVIEW_EVERY_MONTHS, APPROVAL_MAX_MONTHS, APPROVAL_WITHIN_MONTHS,
    EXTENSION_MAX_MONTHS, EXTENSION_MIN_MONTHS, INTRODUCERS, MIN_AGE_YEARS, PROBATION_MONTHS, TALK_WITHIN_MONTHS,
    TRAINING_MIN_CLASS_HOURS, TRAINING_MIN_DAYS,
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

const GENERAL_MEETING_ACCEPTS: u8 = 15;
const APPROVAL: u8 = 17;

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

fn date_of(done: &[(u8, NaiveDate)], no: u8) -> Option<NaiveDate> {
    done.iter().find(|(n, _)| *n == no).map(|(_, d)| *d)
}

/// Calendar months, clamped to the month's end (31 Jan + 1 = 28/29 Feb); a
/// date beyond the calendar saturates, so it is never reached.
fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
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
            let adult = add_months(birth, MIN_AGE_YEARS * 12);
            if on < adult {
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
            if let Some(i) = facts.introducers.iter().find(|i| !i.full_member) {
                return violation(
                    rule::INTRODUCERS,
                    format!("入党介绍人 {} 不是正式党员，请另行确定", i.name),
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

/// The to-do list: `(step, date, overdue)` for what is coming due, in step
/// order. Step 2 (the talk), 17 (approval) and 23 (the full-membership
/// discussion, due when probation ends) have deadlines and become overdue
/// after them. Step 6 is the activist's next half-yearly review and step 7 the
/// day the activist may become a candidate; neither is ever overdue. No
/// extension of probation is assumed.
pub fn due_steps(done: &[(u8, NaiveDate)], today: NaiveDate) -> Vec<(u8, NaiveDate, bool)> {
    due_steps_with_extension(done, today, None)
}

/// `due_steps` for a probation extended by `extension_months`.
pub fn due_steps_with_extension(
    done: &[(u8, NaiveDate)],
    today: NaiveDate,
    extension_months: Option<u32>,
) -> Vec<(u8, NaiveDate, bool)> {
    let has = |no| date_of(done, no);
    let deadline = |no, by: NaiveDate| (no, by, today > by);
    let mut due = Vec::new();
    if let (Some(applied), None) = (has(1), has(2)) {
        due.push(deadline(2, add_months(applied, TALK_WITHIN_MONTHS)));
    }
    if let Some(activist) = has(3) {
        if has(6).is_none() {
            due.push((6, next_review(activist, today), false));
        }
        if has(7).is_none() {
            due.push((7, add_months(activist, ACTIVIST_MIN_MONTHS), false));
        }
    }
    if let (Some(accepted), None) = (has(GENERAL_MEETING_ACCEPTS), has(APPROVAL)) {
        due.push(deadline(APPROVAL, add_months(accepted, APPROVAL_WITHIN_MONTHS)));
    }
    if let (Some(_), None, Some(end)) = (has(APPROVAL), has(23), probation_end(done, extension_months)) {
        due.push(deadline(23, end));
    }
    due
}

/// The first half-yearly mark after becoming an activist that is not before
/// `today`. Counted from the start each time, so 31 Aug gives 28 Feb then
/// 31 Aug, not 28 Aug.
fn next_review(activist: NaiveDate, today: NaiveDate) -> NaiveDate {
    (1u32..)
        .map(|k| add_months(activist, k.saturating_mul(ACTIVIST_REVIEW_EVERY_MONTHS)))
        .find(|d| *d >= today)
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::develop::Introducer;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2030, 1, 1);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    fn introducer(name: &str, full_member: bool) -> Introducer {
        Introducer {
            name: name.to_string(),
            full_member,
        }
    }

    /// Facts that satisfy every rule for `step`, with the right actor.
    fn facts(step: u8) -> StepFacts {
        StepFacts {
            birth_date: Some(d(2000, 5, 20)),
            introducers: vec![introducer("王芳", true), introducer("李明", true)],
            training_days: 3,
            training_class_hours: 24,
            ..StepFacts::new(today(), step_def(step).map_or(Body::Branch, |s| s.body))
        }
    }

    /// Steps 1 to `through`, spaced by the rules' minimums from 2025-01-10.
    fn history(through: u8) -> Vec<(u8, NaiveDate)> {
        let dates = [
            d(2025, 1, 10), // 1 application
            d(2025, 2, 10), // 2 talk, exactly a month later
            d(2025, 3, 1),  // 3 activist
            d(2025, 3, 5),  // 4
            d(2025, 3, 5),  // 5
            d(2026, 2, 20), // 6
            d(2026, 3, 1),  // 7 candidate, exactly a year after step 3
            d(2026, 3, 5),  // 8
            d(2026, 3, 10), // 9
            d(2026, 4, 1),  // 10
            d(2026, 4, 10), // 11
            d(2026, 4, 20), // 12
            d(2026, 5, 1),  // 13
            d(2026, 5, 10), // 14
            d(2026, 5, 31), // 15 general meeting accepts
            d(2026, 6, 10), // 16
            d(2026, 8, 31), // 17 approval, exactly three months later
            d(2026, 9, 10), // 18
            d(2026, 9, 15), // 19
            d(2026, 9, 20), // 20
            d(2027, 5, 1),  // 21
            d(2027, 5, 25), // 22
            d(2027, 5, 31), // 23 probation ends
            d(2027, 6, 15), // 24
            d(2027, 7, 1),  // 25
        ];
        (1..=through).zip(dates).collect()
    }

    fn check(done: &[(u8, NaiveDate)], step: u8, on: NaiveDate, f: &StepFacts) -> Option<&'static str> {
        check_step(done, step, on, f).err().map(|v| v.rule)
    }

    /// Checks `step` after the standard history up to the step before it.
    fn check_next(step: u8, on: NaiveDate, f: &StepFacts) -> Option<&'static str> {
        check(&history(step - 1), step, on, f)
    }

    #[test]
    fn the_table_has_the_25_steps_of_the_rules() {
        let names: Vec<_> = STEPS.iter().map(|s| s.name).collect();
        assert_eq!(
            names.join(" · "),
            "递交入党申请 · 谈话 · 推荐和确定入党积极分子 · 报上级党委备案 · 指定培养联系人 · \
             培养教育考察 · 确定发展对象 · 报上级党委备案 · 确定入党介绍人 · 政治审查 · \
             集中培训 · 支委会审查 · 上级党委预审 · 填写入党志愿书 · 支部大会讨论 · \
             上级党委派人谈话 · 上级党委审批 · 再上一级党委组织部门备案 · 编入支部和党小组 · \
             入党宣誓 · 继续教育考察 · 提出转正申请 · 支部大会讨论 · 上级党委审批 · \
             材料归档"
        );
        for (i, s) in STEPS.iter().enumerate() {
            assert_eq!(usize::from(s.no), i + 1);
            assert_eq!(step_def(s.no), Some(s));
            assert!(!s.document.is_empty());
        }
        assert_eq!(step_def(0), None);
        assert_eq!(step_def(26), None);
    }

    #[test]
    fn stages_change_after_steps_3_7_17_and_24() {
        let stage = |no| step_def(no).unwrap().stage;
        assert_eq!(stage(2), Stage::Applicant);
        assert_eq!(stage(3), Stage::Activist);
        assert_eq!(stage(6), Stage::Activist);
        assert_eq!(stage(7), Stage::Candidate);
        assert_eq!(stage(16), Stage::Candidate);
        assert_eq!(stage(17), Stage::Probationary);
        assert_eq!(stage(23), Stage::Probationary);
        assert_eq!(stage(24), Stage::Full);
        assert_eq!(stage(25), Stage::Full);
        // Stages only move forward.
        assert!(STEPS.windows(2).all(|w| w[0].stage <= w[1].stage));
        assert_eq!(current_stage(&[]), None);
        assert_eq!(current_stage(&history(7)), Some(Stage::Candidate));
        assert_eq!(current_stage(&history(25)), Some(Stage::Full));
    }

    #[test]
    fn the_acting_bodies() {
        let body = |no| step_def(no).unwrap().body;
        for no in [1, 14, 22] {
            assert_eq!(body(no), Body::Applicant);
        }
        for no in [15, 23] {
            assert_eq!(body(no), Body::GeneralMeeting);
        }
        for no in [3, 7, 12] {
            assert_eq!(body(no), Body::BranchCommittee);
        }
        for no in [11, 13, 16, 17, 24] {
            assert_eq!(body(no), Body::SuperiorCommittee);
        }
        assert_eq!(body(18), Body::HigherOrgDepartment);
    }

    #[test]
    fn codes_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(s));
        }
        for b in Body::ALL {
            assert_eq!(Body::from_code(b.code()), Some(b));
        }
        let labels: Vec<_> = Stage::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(
            labels,
            ["入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员"]
        );
    }

    #[test]
    fn a_regular_path_passes_every_step() {
        let full = history(25);
        for (i, (no, on)) in full.iter().enumerate() {
            assert_eq!(check(&full[..i], *no, *on, &facts(*no)), None, "step {no}");
            assert!(step_warnings(&full[..i], *no, *on).is_empty(), "step {no}");
        }
    }

    #[test]
    fn steps_go_in_order_and_once() {
        let v = check_step(&history(1), 3, d(2025, 3, 1), &facts(3)).unwrap_err();
        assert_eq!(v.rule, rule::STEPS);
        assert!(v.message.contains("第 2 步「谈话」"), "{}", v.message);
        // A gap further back is found too.
        let mut gap = history(5);
        gap.retain(|(no, _)| *no != 2);
        assert_eq!(check(&gap, 6, d(2026, 2, 20), &facts(6)), Some(rule::STEPS));
        assert_eq!(check(&[], 2, d(2025, 1, 10), &facts(2)), Some(rule::STEPS));
        assert_eq!(check(&history(3), 3, d(2025, 3, 2), &facts(3)), Some(rule::NO_REPEAT));
        assert_eq!(check(&history(3), 1, d(2025, 3, 2), &facts(1)), Some(rule::NO_REPEAT));
        assert_eq!(check(&history(25), 0, d(2027, 7, 1), &facts(1)), Some(rule::STEPS));
        assert_eq!(check(&history(25), 26, d(2027, 7, 1), &facts(1)), Some(rule::STEPS));
    }

    #[test]
    fn a_step_is_not_dated_before_the_previous_one_or_after_today() {
        // Step 4 on the day of step 3 is fine, the day before is not.
        assert_eq!(check_next(4, d(2025, 3, 1), &facts(4)), None);
        let v = check_step(&history(3), 4, d(2025, 2, 28), &facts(4)).unwrap_err();
        assert_eq!(v.rule, rule::DATE_ORDER);
        assert!(v.message.contains("第 3 步"), "{}", v.message);
        let f = StepFacts {
            today: d(2025, 3, 5),
            ..facts(4)
        };
        assert_eq!(check_next(4, d(2025, 3, 5), &f), None);
        assert_eq!(check_next(4, d(2025, 3, 6), &f), Some(rule::NOT_FUTURE));
    }

    #[test]
    fn the_right_body_records_each_step() {
        let f = StepFacts {
            actor: Body::Branch,
            ..facts(15)
        };
        let v = check_step(&history(14), 15, d(2026, 5, 31), &f).unwrap_err();
        assert_eq!(v.rule, rule::BODY);
        assert!(v.message.contains("应由支部大会办理"), "{}", v.message);
        let f = StepFacts {
            actor: Body::SuperiorCommittee,
            ..facts(18)
        };
        assert_eq!(check_next(18, d(2026, 9, 10), &f), Some(rule::BODY));
    }

    #[test]
    fn applicants_are_at_least_18() {
        let born = |b| StepFacts {
            birth_date: Some(b),
            ..facts(1)
        };
        assert_eq!(check(&[], 1, d(2026, 3, 15), &born(d(2008, 3, 15))), None);
        assert_eq!(check(&[], 1, d(2026, 3, 14), &born(d(2008, 3, 15))), Some(rule::AGE));
        // Born on 29 February: calendar months make 28 February the birthday.
        assert_eq!(check(&[], 1, d(2026, 2, 28), &born(d(2008, 2, 29))), None);
        assert_eq!(check(&[], 1, d(2026, 2, 27), &born(d(2008, 2, 29))), Some(rule::AGE));
        assert_eq!(check(&[], 1, d(2028, 2, 29), &born(d(2010, 2, 28))), None);
        let unknown = StepFacts {
            birth_date: None,
            ..facts(1)
        };
        assert_eq!(check(&[], 1, d(2026, 3, 15), &unknown), Some(rule::AGE));
    }

    #[test]
    fn the_talk_is_within_a_month_of_the_application() {
        let applied = |on| vec![(1, on)];
        let f = facts(2);
        assert_eq!(check(&applied(d(2026, 3, 15)), 2, d(2026, 4, 15), &f), None);
        assert_eq!(check(&applied(d(2026, 3, 15)), 2, d(2026, 4, 16), &f), Some(rule::TALK));
        // Month ends clamp: 31 January + 1 month is the end of February.
        assert_eq!(check(&applied(d(2026, 1, 31)), 2, d(2026, 2, 28), &f), None);
        assert_eq!(check(&applied(d(2026, 1, 31)), 2, d(2026, 3, 1), &f), Some(rule::TALK));
        assert_eq!(check(&applied(d(2028, 1, 31)), 2, d(2028, 2, 29), &f), None);
        assert_eq!(check(&applied(d(2028, 1, 31)), 2, d(2028, 3, 1), &f), Some(rule::TALK));
        // Across the year end.
        assert_eq!(check(&applied(d(2025, 12, 20)), 2, d(2026, 1, 20), &f), None);
        assert_eq!(
            check(&applied(d(2025, 12, 20)), 2, d(2026, 1, 21), &f),
            Some(rule::TALK)
        );
    }

    fn activist_since(on: NaiveDate) -> Vec<(u8, NaiveDate)> {
        let mut h: Vec<_> = (1..=6).map(|no| (no, on)).collect();
        h[0].1 = on.pred_opt().unwrap();
        h
    }

    #[test]
    fn candidates_have_been_activists_for_a_year() {
        let f = facts(7);
        let h = activist_since(d(2025, 3, 10));
        assert_eq!(check(&h, 7, d(2026, 3, 10), &f), None);
        let v = check_step(&h, 7, d(2026, 3, 9), &f).unwrap_err();
        assert_eq!(v.rule, "入党积极分子培养教育满一年方可确定为发展对象");
        assert!(v.message.contains("2026-03-10 起"), "{}", v.message);
        // A year after 29 February 2028 is 28 February 2029.
        let h = activist_since(d(2028, 2, 29));
        assert_eq!(check(&h, 7, d(2029, 2, 28), &f), None);
        assert_eq!(check(&h, 7, d(2029, 2, 27), &f), Some(rule::ACTIVIST_YEAR));
    }

    #[test]
    fn two_full_members_introduce() {
        let with = |introducers| StepFacts {
            introducers,
            ..facts(9)
        };
        let on = d(2026, 3, 10);
        assert_eq!(check_next(9, on, &facts(9)), None);
        assert_eq!(check_next(9, on, &with(vec![])), Some(rule::INTRODUCERS));
        assert_eq!(
            check_next(9, on, &with(vec![introducer("王芳", true)])),
            Some(rule::INTRODUCERS)
        );
        let three = vec![
            introducer("王芳", true),
            introducer("李明", true),
            introducer("赵强", true),
        ];
        assert_eq!(check_next(9, on, &with(three)), Some(rule::INTRODUCERS));
        let v = check_step(
            &history(8),
            9,
            on,
            &with(vec![introducer("王芳", true), introducer("张伟", false)]),
        )
        .unwrap_err();
        assert_eq!(v.rule, rule::INTRODUCERS);
        assert!(v.message.contains("张伟"), "{}", v.message);
    }

    #[test]
    fn training_is_three_days_or_24_class_hours() {
        let trained = |days, hours| StepFacts {
            training_days: days,
            training_class_hours: hours,
            ..facts(11)
        };
        let on = d(2026, 4, 10);
        assert_eq!(check_next(11, on, &trained(3, 0)), None);
        assert_eq!(check_next(11, on, &trained(0, 24)), None);
        assert_eq!(check_next(11, on, &trained(2, 24)), None);
        assert_eq!(check_next(11, on, &trained(3, 23)), None);
        assert_eq!(check_next(11, on, &trained(2, 23)), Some(rule::TRAINING));
        assert_eq!(check_next(11, on, &trained(0, 0)), Some(rule::TRAINING));
    }

    #[test]
    fn approval_within_three_months_warned_after_refused_after_six() {
        // The general meeting was on 31 May 2026: three months end on
        // 31 August, six months on 30 November.
        let h = history(16);
        let f = facts(17);
        assert_eq!(check(&h, 17, d(2026, 8, 31), &f), None);
        assert!(step_warnings(&h, 17, d(2026, 8, 31)).is_empty());
        assert_eq!(check(&h, 17, d(2026, 9, 1), &f), None);
        let w = step_warnings(&h, 17, d(2026, 9, 1));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("2026-08-31") && w[0].contains("2026-11-30"), "{}", w[0]);
        assert_eq!(check(&h, 17, d(2026, 11, 30), &f), None);
        assert_eq!(step_warnings(&h, 17, d(2026, 11, 30)).len(), 1);
        assert_eq!(check(&h, 17, d(2026, 12, 1), &f), Some(rule::APPROVAL));
        // Other steps carry no warnings.
        assert!(step_warnings(&h, 16, d(2026, 12, 1)).is_empty());
        assert!(step_warnings(&[], 17, d(2026, 12, 1)).is_empty());
    }

    #[test]
    fn full_membership_waits_for_the_end_of_probation() {
        // Accepted on 31 May 2026: probation ends 31 May 2027.
        let f = facts(23);
        assert_eq!(check_next(23, d(2027, 5, 31), &f), None);
        let v = check_step(&history(22), 23, d(2027, 5, 30), &f).unwrap_err();
        assert_eq!(v.rule, rule::PROBATION);
        assert!(v.message.contains("2027-05-31 期满"), "{}", v.message);
        assert_eq!(probation_end(&history(17), None), Some(d(2027, 5, 31)));
        assert_eq!(probation_end(&history(14), None), None);
        // Step 24 is held to the same end even if step 23 was dated early.
        let mut h = history(22);
        h.push((23, d(2027, 5, 1)));
        assert_eq!(check(&h, 24, d(2027, 5, 30), &facts(24)), Some(rule::PROBATION));
        assert_eq!(check(&h, 24, d(2027, 5, 31), &facts(24)), None);
    }

    #[test]
    fn probation_from_a_leap_day() {
        let mut h = history(22);
        h[14].1 = d(2028, 2, 29);
        for (no, on) in h.iter_mut().skip(15) {
            *on = d(2028, 3, u32::from(*no));
        }
        let f = facts(23);
        assert_eq!(check(&h, 23, d(2029, 2, 28), &f), None);
        assert_eq!(check(&h, 23, d(2029, 2, 27), &f), Some(rule::PROBATION));
    }

    #[test]
    fn an_extension_is_six_to_twelve_months() {
        let extended = |m| StepFacts {
            extension_months: Some(m),
            ..facts(23)
        };
        // Six months more: 30 November 2027.
        assert_eq!(check_next(23, d(2027, 11, 30), &extended(6)), None);
        assert_eq!(check_next(23, d(2027, 11, 29), &extended(6)), Some(rule::PROBATION));
        assert_eq!(check_next(23, d(2028, 5, 31), &extended(12)), None);
        assert_eq!(check_next(23, d(2028, 5, 30), &extended(12)), Some(rule::PROBATION));
        for bad in [0, 5, 13] {
            assert_eq!(check_next(23, d(2029, 1, 1), &extended(bad)), Some(rule::EXTENSION));
        }
        assert_eq!(probation_end(&history(17), Some(6)), Some(d(2027, 11, 30)));
    }

    #[test]
    fn violations_read_in_chinese() {
        let v = check_step(&history(6), 7, d(2026, 2, 28), &facts(7)).unwrap_err();
        assert_eq!(
            v.to_string(),
            "不符合「入党积极分子培养教育满一年方可确定为发展对象」：2025-03-01 确定为入党积极分子，2026-03-01 起方可确定为发展对象"
        );
    }

    #[test]
    fn the_talk_comes_due_a_month_after_the_application() {
        let h = history(1); // applied 10 January 2025
        assert_eq!(due_steps(&h, d(2025, 2, 10)), vec![(2, d(2025, 2, 10), false)]);
        assert_eq!(due_steps(&h, d(2025, 2, 11)), vec![(2, d(2025, 2, 10), true)]);
        assert!(due_steps(&history(2), d(2025, 2, 11)).is_empty());
        assert!(due_steps(&[], d(2025, 2, 11)).is_empty());
    }

    #[test]
    fn activists_are_reviewed_every_six_months_from_the_start() {
        let h = activist_since(d(2025, 8, 31));
        let h = &h[..3];
        let review = |today| due_steps(h, today).into_iter().find(|(no, _, _)| *no == 6);
        assert_eq!(review(d(2025, 9, 1)), Some((6, d(2026, 2, 28), false)));
        assert_eq!(review(d(2026, 2, 28)), Some((6, d(2026, 2, 28), false)));
        assert_eq!(review(d(2026, 3, 1)), Some((6, d(2026, 8, 31), false)));
        assert_eq!(review(d(2027, 9, 1)), Some((6, d(2028, 2, 29), false)));
        let eligible = due_steps(h, d(2025, 9, 1)).into_iter().find(|(no, _, _)| *no == 7);
        assert_eq!(eligible, Some((7, d(2026, 8, 31), false)));
        let after = due_steps(h, d(2026, 9, 1)).into_iter().find(|(no, _, _)| *no == 7);
        assert_eq!(after, Some((7, d(2026, 8, 31), false)));
        // Once step 6 is done only the candidacy date remains; after step 7, nothing.
        let due: Vec<_> = due_steps(&history(6), d(2026, 1, 1)).into_iter().map(|x| x.0).collect();
        assert_eq!(due, [7]);
        assert!(due_steps(&history(7), d(2026, 3, 2)).is_empty());
    }

    #[test]
    fn approval_and_full_membership_come_due() {
        // General meeting on 31 May 2026.
        let h = history(15);
        assert_eq!(due_steps(&h, d(2026, 8, 31)), vec![(17, d(2026, 8, 31), false)]);
        assert_eq!(due_steps(&h, d(2026, 9, 1)), vec![(17, d(2026, 8, 31), true)]);
        let h = history(17);
        assert_eq!(due_steps(&h, d(2027, 5, 31)), vec![(23, d(2027, 5, 31), false)]);
        assert_eq!(due_steps(&h, d(2027, 6, 1)), vec![(23, d(2027, 5, 31), true)]);
        assert_eq!(
            due_steps_with_extension(&h, d(2027, 6, 1), Some(6)),
            vec![(23, d(2027, 11, 30), false)]
        );
        assert!(due_steps(&history(23), d(2027, 6, 1)).is_empty());
        assert!(due_steps(&history(25), d(2030, 1, 1)).is_empty());
    }
}
