//! The demo's study (学习) for the current year: two required courses of the
//! 机关党委 with their class hours; every branch's annual study plan filed
//! with the superior except 人事处党支部's (none yet), 综合处's approved and
//! 机关后勤服务中心's returned with a comment; members' study records, most
//! completing the first course, about half the second. Written through the
//! study store functions, so the rules and the audit hold.
use crate::audit::Actor;
use crate::db::Db;
use crate::org::Scope;
use crate::study::{courses, plans, records, NewCourse, NewItem, NewPlan, NewRecord};
use crate::{with_db, Result};
use chrono::{Datelike, NaiveDate};

const ZONGHE: usize = 0;
const HOUQIN: usize = 2;
const CAIWU: usize = 7;
const SHENJI: usize = 8;
const RENSHI: usize = 9;

/// A month's study: (topic, form, class hours).
const ITEMS: [(&str, &str, &str); 12] = [
    ("学习习近平新时代中国特色社会主义思想专题摘编", "集中学习", "2"),
    ("学习全国两会精神", "集中学习", "2"),
    ("学习党的二十届三中全会精神", "专题研讨", "3"),
    ("学习《中国共产党章程》", "自学", "2"),
    ("学习《中国共产党纪律处分条例》", "集中学习", "2"),
    ("学习习近平总书记关于党的建设的重要思想", "专题研讨", "2"),
    ("学习党史，纪念中国共产党成立", "参观实践", "3"),
    ("学习《中国共产党支部工作条例（试行）》", "集中学习", "2"),
    ("学习意识形态工作责任制有关规定", "集中学习", "2"),
    ("学习习近平总书记重要讲话精神", "自学", "2"),
    ("学习党的二十届四中全会精神", "专题研讨", "3"),
    ("年度学习总结和交流", "专题研讨", "2"),
];

async fn members(db: &Db, branch: &str) -> Result<Vec<String>> {
    Ok(with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM people WHERE org_id = $1 AND status IN ('full', 'probationary') AND left_on IS NULL \
         ORDER BY name_pinyin, id"
    )
    .bind(branch)
    .fetch_all(p)
    .await?))
}

pub async fn seed(db: &Db, now: i64, actor: &Actor, root: &str, branches: &[String]) -> Result<()> {
    let all = Scope::all();
    let today = crate::clock::beijing(now).date_naive();
    let year = i64::from(today.year());
    let on = |m: u32, d: u32| {
        NaiveDate::from_ymd_opt(today.year(), m, d)
            .unwrap_or(today)
            .min(today)
            .to_string()
    };
    let course = |title: &str, hours: &str| NewCourse {
        org_id: root.into(),
        year,
        title: title.into(),
        hours: hours.into(),
    };
    let plenum = courses::create(
        db,
        now,
        actor,
        &all,
        course("学习贯彻党的二十届三中全会精神专题培训", "6"),
    )
    .await?;
    let rules = courses::create(db, now, actor, &all, course("《中国共产党纪律处分条例》专题学习", "4")).await?;

    for (b, branch) in branches.iter().enumerate() {
        if b != RENSHI {
            let new = NewPlan {
                org_id: branch.clone(),
                year,
                title: String::new(),
                items: ITEMS
                    .iter()
                    .enumerate()
                    .map(|(i, (topic, form, hours))| NewItem {
                        month: i as i64 + 1,
                        topic: (*topic).into(),
                        form: (*form).into(),
                        hours: (*hours).into(),
                        notes: String::new(),
                    })
                    .collect(),
            };
            let id = plans::save(db, now, actor, &all, new).await?;
            plans::file(db, now, actor, &all, &id).await?;
            match b {
                ZONGHE => plans::review(db, now, actor, &all, &id, true, "计划安排具体，同意。").await?,
                HOUQIN => {
                    let why = "学习安排未体现党的二十届四中全会精神的专题学习，请补充后重新报备。";
                    plans::review(db, now, actor, &all, &id, false, why).await?
                }
                _ => {}
            }
        }
        let people = members(db, branch).await?;
        if people.is_empty() {
            continue;
        }
        // The first course: most branches complete its six hours; two are half-way.
        let hours = if [CAIWU, SHENJI].contains(&b) { "3" } else { "6" };
        let rec = |topic: &str, date: String, hours: &str, form: &str, course: Option<&String>| NewRecord {
            studied_on: date,
            topic: topic.into(),
            hours: hours.into(),
            form: form.into(),
            course_id: course.cloned(),
            notes: String::new(),
        };
        let r = rec(
            "学习贯彻党的二十届三中全会精神专题培训",
            on(3, 20),
            hours,
            "集中学习",
            Some(&plenum),
        );
        records::log_for(db, now, actor, &all, &people, r).await?;
        // The second: about half the members have their four hours.
        let half: Vec<String> = people.iter().step_by(2).cloned().collect();
        let r = rec(
            "《中国共产党纪律处分条例》专题学习",
            on(5, 15),
            "4",
            "专题学习",
            Some(&rules),
        );
        records::log_for(db, now, actor, &all, &half, r).await?;
        let r = rec("学习习近平总书记重要讲话精神", on(9, 10), "2", "自学", None);
        records::log_for(db, now, actor, &all, &people, r).await?;
    }
    Ok(())
}
