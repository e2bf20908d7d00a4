//! The development rules at their edges: the checks and what comes due.
use super::due::*;
use super::model::*;
use super::rules::*;
use crate::develop::Introducer;
use chrono::NaiveDate;

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
        full_since: full_member.then(|| d(2010, 7, 1)),
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
fn introducers_are_full_members_on_the_steps_date() {
    let on = d(2026, 3, 10);
    let since = |full: NaiveDate| StepFacts {
        introducers: vec![
            introducer("王芳", true),
            Introducer {
                name: "张伟".into(),
                full_since: Some(full),
            },
        ],
        ..facts(9)
    };
    // Full on the very day: fine; from the day after: refused, with both dates.
    assert_eq!(check_next(9, on, &since(on)), None);
    let v = check_step(&history(8), 9, on, &since(d(2026, 3, 11))).unwrap_err();
    assert_eq!(v.rule, rule::INTRODUCERS);
    assert!(
        v.message
            .contains("张伟 在 2026-03-10 时不是正式党员（2026-03-11 起为正式党员）"),
        "{}",
        v.message
    );
}

#[test]
fn an_extension_is_recorded_when_probation_ends() {
    // Accepted 31 May 2026: probation ends 31 May 2027.
    let h = history(22);
    let today = d(2030, 1, 1);
    let ext = |on, months, already| check_extension(&h, already, on, months, today).err().map(|v| v.rule);
    assert_eq!(ext(d(2027, 5, 31), 6, None), None);
    assert_eq!(ext(d(2027, 5, 31), 12, None), None);
    assert_eq!(ext(d(2027, 5, 31), 5, None), Some(rule::EXTENSION));
    assert_eq!(ext(d(2027, 5, 31), 13, None), Some(rule::EXTENSION));
    // Not before probation ends, only once, not after full membership was discussed.
    assert_eq!(ext(d(2027, 5, 30), 6, None), Some(rule::EXTENSION_AT_END));
    assert_eq!(ext(d(2027, 6, 1), 6, Some(6)), Some(rule::EXTENSION_AT_END));
    assert_eq!(
        check_extension(&history(23), None, d(2027, 6, 1), 6, today).map_err(|v| v.rule),
        Err(rule::EXTENSION_AT_END)
    );
    assert_eq!(
        check_extension(&history(16), None, d(2027, 6, 1), 6, today).map_err(|v| v.rule),
        Err(rule::EXTENSION_AT_END)
    );
    assert_eq!(
        check_extension(&h, None, d(2027, 6, 1), 6, d(2027, 5, 31)).map_err(|v| v.rule),
        Err(rule::NOT_FUTURE)
    );
    // The extension moves the end of probation and step 23 with it.
    assert_eq!(probation_end(&h, Some(6)), Some(d(2027, 11, 30)));
    let facts23 = StepFacts {
        extension_months: Some(6),
        ..facts(23)
    };
    assert_eq!(check(&h, 23, d(2027, 11, 29), &facts23), Some(rule::PROBATION));
    assert_eq!(check(&h, 23, d(2027, 11, 30), &facts23), None);
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
fn activists_are_reviewed_every_six_months_and_report_every_quarter() {
    let h = activist_since(d(2025, 8, 31));
    let h = &h[..3];
    let due = |t: &Tracked, today| due_tracked(h, t, today);
    let none = Tracked::default();
    // Nothing recorded: the first review six months after becoming an
    // activist (clamped to the month's end), the first report three.
    assert_eq!(
        due(&none, d(2025, 9, 1)),
        vec![
            (RecordKind::Review, d(2026, 2, 28), false),
            (RecordKind::Report, d(2025, 11, 30), false)
        ]
    );
    // Exactly six months: due, not yet overdue; the day after: overdue.
    assert_eq!(
        due(&none, d(2026, 2, 28))[0],
        (RecordKind::Review, d(2026, 2, 28), false)
    );
    assert_eq!(due(&none, d(2026, 3, 1))[0], (RecordKind::Review, d(2026, 2, 28), true));
    // After a review the next comes due six months later, and again after
    // that one: not only the first.
    let reviewed = |on| Tracked {
        last_review: Some(on),
        ..Tracked::default()
    };
    assert_eq!(
        due(&reviewed(d(2026, 2, 20)), d(2026, 3, 1))[0],
        (RecordKind::Review, d(2026, 8, 20), false)
    );
    assert_eq!(
        due(&reviewed(d(2026, 8, 20)), d(2027, 2, 20))[0],
        (RecordKind::Review, d(2027, 2, 20), false)
    );
    assert_eq!(
        due(&reviewed(d(2026, 8, 20)), d(2027, 2, 21))[0],
        (RecordKind::Review, d(2027, 2, 20), true)
    );
    // Reports: every three months from the last one.
    let reported = Tracked {
        last_report: Some(d(2026, 1, 15)),
        ..Tracked::default()
    };
    assert_eq!(
        due(&reported, d(2026, 4, 15))[1],
        (RecordKind::Report, d(2026, 4, 15), false)
    );
    assert_eq!(
        due(&reported, d(2026, 4, 16))[1],
        (RecordKind::Report, d(2026, 4, 15), true)
    );
    // The candidacy date is a step of its own, never overdue.
    let eligible = due_steps(h, d(2026, 9, 1)).into_iter().find(|(no, _, _)| *no == 7);
    assert_eq!(eligible, Some((7, d(2026, 8, 31), false)));
    // Before becoming an activist and once a candidate: nothing.
    assert!(due_tracked(&history(2), &none, d(2026, 1, 1)).is_empty());
    assert!(due_tracked(&history(7), &none, d(2026, 9, 1)).is_empty());
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

/// The rules' names cite numbers of the rule table (they are constants, so
/// they cannot read it): a changed number there fails here until the
/// citation says the same.
#[test]
fn rule_citations_name_the_rule_tables_numbers() {
    use crate::rules::development as dev;
    use crate::rules::words::numeral;
    let years = |months: u32| {
        assert_eq!(months % 12, 0, "{months} months");
        numeral(months / 12)
    };
    let half_year = |months: u32| {
        assert_eq!(months, 6, "half a year");
        "半年".to_string()
    };
    assert_eq!(
        rule::AGE,
        format!("年满{}周岁方可申请入党", numeral(dev::MIN_AGE_YEARS))
    );
    assert_eq!(
        rule::TALK,
        format!("收到入党申请书后{}个月内派人谈话", numeral(dev::TALK_WITHIN_MONTHS))
    );
    assert_eq!(
        rule::ACTIVIST_YEAR,
        format!(
            "入党积极分子培养教育满{}年方可确定为发展对象",
            years(dev::ACTIVIST_MIN_MONTHS)
        )
    );
    assert_eq!(dev::INTRODUCERS, 2, "两名");
    assert_eq!(
        rule::TRAINING,
        format!(
            "集中培训不少于{}天或{}个学时",
            numeral(dev::TRAINING_MIN_DAYS),
            numeral(dev::TRAINING_MIN_CLASS_HOURS)
        )
    );
    assert_eq!(
        rule::APPROVAL,
        format!(
            "上级党委审批一般不超过{}个月，最长不超过{}个月",
            numeral(dev::APPROVAL_WITHIN_MONTHS),
            numeral(dev::APPROVAL_MAX_MONTHS)
        )
    );
    assert_eq!(
        rule::PROBATION,
        format!("预备期为{}年，期满方可讨论转正", years(dev::PROBATION_MONTHS))
    );
    assert_eq!(
        rule::EXTENSION,
        format!(
            "延长预备期不少于{}，最长不超过{}年",
            half_year(dev::EXTENSION_MIN_MONTHS),
            years(dev::EXTENSION_MAX_MONTHS)
        )
    );
    assert_eq!(
        (dev::ACTIVIST_REVIEW_EVERY_MONTHS, dev::ACTIVIST_REPORT_EVERY_MONTHS),
        (6, 3),
        "{}",
        rule::ACTIVIST_ONLY
    );
}
