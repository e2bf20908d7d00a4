//! The study records: annual plans with monthly items, required courses and
//! what members studied. Hours are tenths of a class hour (15 = 1.5 学时).
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct StudyPlan {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub year: i64,
    pub title: String,
    /// draft, filed, approved or returned.
    pub status: String,
    pub review_comment: String,
    pub filed_at: Option<i64>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
    pub updated_at: i64,
}

impl StudyPlan {
    pub fn status(&self) -> super::Status {
        super::Status::parse(&self.status).unwrap_or(super::Status::Draft)
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PlanItem {
    pub id: String,
    pub plan_id: String,
    pub month: i64,
    pub seq: i64,
    pub topic: String,
    pub form: String,
    /// Tenths of a class hour.
    pub hours_planned: i64,
    pub notes: String,
}

/// A plan item as typed: hours still text ("1.5").
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewItem {
    pub month: i64,
    pub topic: String,
    #[serde(default)]
    pub form: String,
    #[serde(deserialize_with = "crate::plan::text_or_number")]
    pub hours: String,
    #[serde(default)]
    pub notes: String,
}

/// A plan as saved: its title and every item (replacing those it had).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewPlan {
    pub org_id: String,
    pub year: i64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub items: Vec<NewItem>,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Course {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub year: i64,
    pub title: String,
    /// Class hours, in tenths.
    pub hours: i64,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewCourse {
    pub org_id: String,
    pub year: i64,
    pub title: String,
    #[serde(deserialize_with = "crate::plan::text_or_number")]
    pub hours: String,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct StudyRecord {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub org_id: String,
    pub org_name: String,
    pub studied_on: String,
    pub topic: String,
    /// Tenths of a class hour.
    pub hours: i64,
    pub form: String,
    pub course_id: Option<String>,
    pub course_title: Option<String>,
    pub notes: String,
    pub created_by: String,
}

/// A study record as typed (one person's, or a session's for several).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewRecord {
    /// YYYY-MM-DD, not in the future.
    pub studied_on: String,
    pub topic: String,
    #[serde(deserialize_with = "crate::plan::text_or_number")]
    pub hours: String,
    #[serde(default)]
    pub form: String,
    /// The required course it counts towards, if any.
    #[serde(default)]
    pub course_id: Option<String>,
    /// 学习心得.
    #[serde(default)]
    pub notes: String,
}

/// The forms of study offered in the forms (others may be typed).
pub const FORMS: [&str; 7] = [
    "集中学习",
    "专题研讨",
    "党课",
    "自学",
    "参观实践",
    "专题学习",
    "理论学习中心组学习",
];
