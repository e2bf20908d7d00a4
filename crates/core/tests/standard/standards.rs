//! Building standards on whichever engine the tests run: drafted, checked
//! field by field (nothing written on a refusal), published and frozen,
//! changed only as a new version that takes over the cycle, copied to the
//! next year, started from a template, and read only where they apply.
use tongpin_core::standard::{catalog, checks, standards, template, Rule, StandardStatus};
use tongpin_core::Error;

use crate::common::cli;
use crate::std_common::{audited, count, item, items, new_standard, world, NOW};

#[tokio::test]
async fn a_draft_is_checked_field_by_field_and_nothing_is_written_on_a_refusal() {
    let w = world().await;
    let e = |r: Result<String, Error>| r.unwrap_err().to_string();
    let actor = cli();
    let try_new = |s| standards::create(&w.db, NOW, &actor, &w.s_root, s);
    let mut bad = new_standard(&w.root, items());
    bad.items[1].code = "A1".into();
    assert!(e(try_new(bad).await).contains("第2项编号"));
    let mut bad = new_standard(&w.root, items());
    bad.items[3].rule = Some("online_minutes".into());
    assert!(e(try_new(bad).await).contains("第4项计算规则"));
    let mut bad = new_standard(&w.root, items());
    bad.org_kinds = vec!["group".into()];
    assert!(e(try_new(bad).await).contains("党小组不单独对标定级"));
    let mut bad = new_standard(&w.root, items());
    bad.year = 1999;
    assert!(e(try_new(bad).await).contains("年度"));
    let mut bad = new_standard(&w.root, items());
    bad.title = "  ".into();
    assert!(e(try_new(bad).await).contains("标准名称"));
    let mut bad = new_standard(&w.root, items());
    (bad.grade_ii_bp, bad.grade_iii_bp) = (Some(9_500), Some(9_000));
    assert!(e(try_new(bad).await).contains("定级门槛"));
    // Only a 党委 or 党总支 publishes; a 党总支's standard serves its branches only.
    assert!(
        e(standards::create(&w.db, NOW, &cli(), &w.s_a, new_standard(&w.a, items())).await).contains("党委或党总支")
    );
    let mut s = new_standard(&w.general, items());
    s.org_kinds = vec!["general_branch".into()];
    assert!(e(standards::create(&w.db, NOW, &cli(), &w.s_general, s).await).contains("只适用于所属党支部"));
    // Outside the scope: as missing.
    assert!(matches!(
        standards::create(&w.db, NOW, &cli(), &w.s_b, new_standard(&w.root, items())).await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(count(&w.db, "standards").await, 0);
    assert_eq!(count(&w.db, "standard_items").await, 0);
    assert_eq!(audited(&w.db, "standard.create").await, 0);

    let id = try_new(new_standard(&w.root, items())).await.unwrap();
    let s = catalog::get(&w.db, &w.s_root, &id).await.unwrap();
    assert_eq!(
        (s.status(), s.version, s.grade_ii_bp, s.grade_iii_bp),
        (StandardStatus::Draft, 1, 7_500, 9_000)
    );
    assert_eq!(catalog::items_of(&w.db, &id).await.unwrap().len(), 5);
    assert_eq!(audited(&w.db, "standard.create").await, 1);
    // A draft is not seen below, nor self-checked.
    assert!(matches!(
        catalog::get(&w.db, &w.s_a, &id).await,
        Err(Error::NotFound(_))
    ));
    assert!(catalog::list(&w.db, &w.s_a, Some(2026)).await.unwrap().is_empty());
    // A draft is changed in place, its organization and year kept.
    let mut edit = new_standard(&w.root, items());
    edit.items
        .push(item("B3", "refined", 5, false, Some("study_plan_approved")));
    standards::update(&w.db, NOW, &cli(), &w.s_root, &id, edit)
        .await
        .unwrap();
    assert_eq!(catalog::items_of(&w.db, &id).await.unwrap().len(), 6);
    let mut moved = new_standard(&w.root, items());
    moved.year = 2027;
    assert!(e(standards::update(&w.db, NOW, &cli(), &w.s_root, &id, moved)
        .await
        .map(|_| String::new()))
    .contains("年度"));
    // A branch secretary cannot touch the 党委's draft.
    assert!(standards::publish(&w.db, NOW, &cli(), &w.s_a, &id).await.is_err());
}

#[tokio::test]
async fn a_published_standard_is_frozen_and_changes_only_as_a_new_version() {
    let w = world().await;
    let id = w.published().await;
    let s = catalog::get(&w.db, &w.s_a, &id).await.unwrap();
    assert_eq!(s.status(), StandardStatus::Published);
    // Editing, deleting or publishing again is refused.
    let e = standards::update(&w.db, NOW, &cli(), &w.s_root, &id, new_standard(&w.root, items()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Conflict(ref m) if m.contains("已发布") && m.contains("新版本")),
        "{e}"
    );
    assert!(matches!(
        standards::delete(&w.db, NOW, &cli(), &w.s_root, &id).await,
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        standards::publish(&w.db, NOW, &cli(), &w.s_root, &id).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(catalog::items_of(&w.db, &id).await.unwrap().len(), 5);
    // The branch answers A1 and B2 on the first version.
    for code in ["A1", "B2"] {
        let set = checks::SetItem {
            met: Some(true),
            ..Default::default()
        };
        checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, code, set, vec![])
            .await
            .unwrap();
    }
    // A new version: a draft with the same items, one at a time.
    let v2 = standards::new_version(&w.db, NOW, &cli(), &w.s_root, &id)
        .await
        .unwrap();
    assert!(matches!(
        standards::new_version(&w.db, NOW, &cli(), &w.s_root, &id).await,
        Err(Error::Conflict(_))
    ));
    let mut changed = new_standard(&w.root, items());
    changed.items.retain(|i| i.code != "B2");
    standards::update(&w.db, NOW, &cli(), &w.s_root, &v2, changed)
        .await
        .unwrap();
    // Until it is published, the first version is in force.
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &id, NOW).await.unwrap();
    assert_eq!(sc.items.iter().filter(|i| i.met == Some(true)).count(), 2);
    standards::publish(&w.db, NOW, &cli(), &w.s_root, &v2).await.unwrap();
    let old = catalog::get(&w.db, &w.s_root, &id).await.unwrap();
    assert_eq!(old.status(), StandardStatus::Superseded);
    let new = catalog::get(&w.db, &w.s_root, &v2).await.unwrap();
    assert_eq!((new.version, new.previous_id.as_deref()), (2, Some(id.as_str())));
    // The kept item's answer moved to the new version; the dropped one stays with the old.
    let sc = checks::self_check(&w.db, &w.s_a, &w.a, &v2, NOW).await.unwrap();
    let a1 = sc.items.iter().find(|i| i.item.code == "A1").unwrap();
    assert_eq!(a1.met, Some(true));
    assert!(!sc.items.iter().any(|i| i.item.code == "B2"));
    assert_eq!(sc.standard.display(), "机关党委2026年度党支部建设标准（第2版）");
    // The superseded version takes no more answers.
    let set = checks::SetItem {
        met: Some(true),
        ..Default::default()
    };
    let e = checks::set_item(&w.db, NOW, &cli(), &w.s_a, &w.a, &id, "A1", set, vec![])
        .await
        .unwrap_err();
    assert!(e.to_string().contains("新版本取代"), "{e}");
    assert_eq!(audited(&w.db, "standard.publish").await, 2);
    assert_eq!(audited(&w.db, "standard.version").await, 1);
}

#[tokio::test]
async fn copies_templates_and_who_sees_what() {
    let w = world().await;
    let id = w.published().await;
    // Next year's draft from this year's; the year in the title follows.
    let next = standards::copy(&w.db, NOW, &cli(), &w.s_root, &id, &w.root, 2027)
        .await
        .unwrap();
    let n = catalog::get(&w.db, &w.s_root, &next).await.unwrap();
    assert_eq!(
        (n.year, n.title.as_str(), n.status()),
        (2027, "机关党委2027年度党支部建设标准", StandardStatus::Draft)
    );
    assert_eq!(catalog::items_of(&w.db, &next).await.unwrap().len(), 5);
    // A 党总支 copies the 党委's into a standard of its own.
    let mine = standards::copy(&w.db, NOW, &cli(), &w.s_general, &id, &w.general, 2026)
        .await
        .unwrap();
    assert_eq!(
        catalog::get(&w.db, &w.s_general, &mine).await.unwrap().org_id,
        w.general
    );
    // Templates: every rule computed, in a draft of the committee.
    for (code, _) in template::TEMPLATES {
        let t = template::from_template(&w.db, NOW, &cli(), &w.s_root, &w.root, 2026, code)
            .await
            .unwrap();
        let its = catalog::items_of(&w.db, &t).await.unwrap();
        for r in Rule::ALL {
            assert!(its.iter().any(|i| i.rule() == Some(*r)), "{code} {r:?}");
        }
    }
    assert!(
        template::from_template(&w.db, NOW, &cli(), &w.s_root, &w.root, 2026, "factory")
            .await
            .unwrap_err()
            .to_string()
            .contains("模板")
    );
    // Branch A sees the published standards above it, not the drafts; B does not see the 党总支's.
    let seen: Vec<String> = catalog::list(&w.db, &w.s_a, None)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(seen, vec![id.clone()]);
    assert_eq!(catalog::list(&w.db, &w.view_a, Some(2026)).await.unwrap().len(), 1);
    let in_force = catalog::applicable(&w.db, &w.s_a, &w.a, 2026).await.unwrap();
    assert_eq!(in_force.len(), 1);
    assert!(catalog::applicable(&w.db, &w.s_a, &w.a, 2027).await.unwrap().is_empty());
    assert!(matches!(
        catalog::get(&w.db, &w.s_b, &mine).await,
        Err(Error::NotFound(_))
    ));
    // A draft is deleted with its items.
    standards::delete(&w.db, NOW, &cli(), &w.s_root, &next).await.unwrap();
    assert!(matches!(
        catalog::get(&w.db, &w.s_root, &next).await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(audited(&w.db, "standard.delete").await, 1);
    assert_eq!(audited(&w.db, "standard.template").await, 3);
}
