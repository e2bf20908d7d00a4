//! The to-do center (待办): every module's rules, in the caller's scopes.
use crate::extract::Auth;
use tongpin_core::auth::Power;
use tongpin_core::todo::Todo;
use tongpin_core::{develop, dues, life, org, plan, study, transfer, Result};

/// The caller's to-dos, overdue first, then by deadline.
pub async fn for_caller(a: &Auth) -> Result<Vec<Todo>> {
    let db = &a.state.db;
    let now = a.now();
    let mut all = Vec::new();
    if let Some(scope) = a.who.scope(Power::ManageOrgs) {
        all.extend(org::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManagePeople) {
        all.extend(transfer::todos(db, &scope, now).await?);
        all.extend(develop::todos(db, &scope, now).await?);
        all.extend(dues::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManagePlan) {
        all.extend(plan::todos::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManageStudy) {
        all.extend(study::todos::todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::EnterKpi) {
        all.extend(plan::todos::kpi_todos(db, &scope, now).await?);
    }
    if let Some(scope) = a.who.scope(Power::ManageLife) {
        all.extend(life::todos::todos(db, &scope, now).await?);
    }
    // Tasks the caller is responsible for and meetings they are called to, in person.
    if let Some(person) = &a.who.person_id {
        let mut mine = plan::todos::of_person(db, person, now).await?;
        mine.extend(life::store::person_todos(db, person, now).await?);
        for t in mine {
            if !all.iter().any(|x| x.href == t.href) {
                all.push(t);
            }
        }
    }
    all.sort_by(|x, y| y.overdue.cmp(&x.overdue).then_with(|| x.due.cmp(&y.due)));
    Ok(all)
}
