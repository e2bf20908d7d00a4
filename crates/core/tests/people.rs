//! The roster on whichever engine the tests run: scope, masking, reveal,
//! pinyin search, and imports that write all or nothing.
use tongpin_core::audit;
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::Scope;
use tongpin_core::people::{self, Filter, ImportOptions, NewPerson, Status};
use tongpin_core::sheet;
use tongpin_core::Error;

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;
use common::{cli, id_with_check};

async fn scope_of(db: &Db, username: &str, role: Role, org: Option<&str>, power: Power) -> Scope {
    common::scope_of(db, NOW, username, role, org, power).await
}

struct World {
    db: Db,
    /// Org-admin scopes: the whole committee, and branch A1 only.
    all: Scope,
    a1: Scope,
    a1_id: String,
    b1_id: String,
}

async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await;
    let root = orgs.add("机关党委", "committee", None).await;
    let a = orgs.add("总支A", "general_branch", Some(&root)).await;
    let a1_id = orgs.add("第一党支部", "branch", Some(&a)).await;
    let b = orgs.add("总支B", "general_branch", Some(&root)).await;
    let b1_id = orgs.add("第一党支部", "branch", Some(&b)).await;
    let all = scope_of(&db, "dw", Role::OrgAdmin, Some(&root), Power::ManagePeople).await;
    let a1 = scope_of(&db, "sj", Role::BranchSecretary, Some(&a1_id), Power::ManagePeople).await;
    World {
        db,
        all,
        a1,
        a1_id,
        b1_id,
    }
}

fn person(name: &str, id17: &str, org: &str) -> NewPerson {
    NewPerson {
        name: name.into(),
        citizen_id: id_with_check(id17),
        phone: "13812345678".into(),
        org_id: org.into(),
        status: "正式党员".into(),
        joined_on: "2010-07-01".into(),
        ..NewPerson::default()
    }
}

#[tokio::test]
async fn search_by_pinyin_in_scope_with_masking() {
    let w = world().await;
    for (name, id, org) in [
        ("张三", "11010519800101001", &w.a1_id),
        ("曾国强", "11010519800101002", &w.a1_id),
        ("单田芳", "11010519800101003", &w.a1_id),
        ("李四", "11010519800101004", &w.b1_id),
    ] {
        people::create(&w.db, NOW, &cli(), &w.all, &person(name, id, org))
            .await
            .unwrap();
    }
    let find = |scope: &Scope, q: &str| {
        let (db, scope, q) = (w.db.clone(), scope.clone(), q.to_string());
        async move {
            let f = Filter {
                q: Some(q),
                ..Filter::default()
            };
            people::search(&db, &scope, &f, 0, 50)
                .await
                .unwrap()
                .0
                .into_iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find(&w.all, "zs").await, vec!["张三"]);
    assert_eq!(find(&w.all, "zhangsan").await, vec!["张三"]);
    assert_eq!(find(&w.all, "zeng").await, vec!["曾国强"]);
    assert_eq!(find(&w.all, "ZGQ").await, vec!["曾国强"]);
    assert_eq!(find(&w.all, "shan").await, vec!["单田芳"]);
    assert_eq!(find(&w.all, "李").await, vec!["李四"]);
    // The branch secretary sees their branch only; sorted by pinyin.
    assert_eq!(find(&w.a1, "").await, vec!["单田芳", "曾国强", "张三"]);
    assert!(find(&w.a1, "ls").await.is_empty());
    // Masked in every list; the other branch's person is not found at all.
    let (list, total) = people::search(&w.db, &w.all, &Filter::default(), 0, 2).await.unwrap();
    assert_eq!(total, 4);
    assert_eq!(list.len(), 2);
    assert!(list
        .iter()
        .all(|p| p.citizen_id.as_deref().unwrap().contains("********") && p.phone == "138****5678"));
    let li = people::search(
        &w.db,
        &w.all,
        &Filter {
            q: Some("ls".into()),
            ..Filter::default()
        },
        0,
        1,
    )
    .await
    .unwrap()
    .0;
    assert!(matches!(
        people::get(&w.db, &w.a1, &li[0].id).await,
        Err(Error::NotFound(_))
    ));
    // Filters by status and by organization subtree.
    let f = Filter {
        status: Some(Status::Activist),
        ..Filter::default()
    };
    assert_eq!(people::search(&w.db, &w.all, &f, 0, 9).await.unwrap().1, 0);
    let f = Filter {
        org_id: Some(w.b1_id.clone()),
        ..Filter::default()
    };
    assert_eq!(people::search(&w.db, &w.all, &f, 0, 9).await.unwrap().1, 1);
}

#[tokio::test]
async fn reveal_is_audited_and_duplicates_refused() {
    let w = world().await;
    let p = person("张三", "11010519800101001", &w.a1_id);
    let id = people::create(&w.db, NOW, &cli(), &w.a1, &p).await.unwrap();
    assert!(
        matches!(people::create(&w.db, NOW, &cli(), &w.all, &p).await, Err(Error::Invalid { field, .. }) if field == "身份证号")
    );
    // Placing someone outside one's scope is refused.
    let outside = person("王五", "11010519800101009", &w.b1_id);
    assert!(
        matches!(people::create(&w.db, NOW, &cli(), &w.a1, &outside).await, Err(Error::Invalid { field, .. }) if field == "所属组织")
    );
    let full = people::reveal(&w.db, NOW, &cli(), &w.all, &id).await.unwrap();
    assert_eq!(full.citizen_id, Some(p.citizen_id.clone()));
    assert_eq!(full.phone, "13812345678");
    let log = audit::list(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter {
            action: Some("person.reveal".into()),
            ..Default::default()
        },
        0,
        5,
    )
    .await
    .unwrap();
    assert_eq!(log.len(), 1);
    // An edit that leaves the ID and phone empty keeps them.
    let edit = NewPerson {
        citizen_id: String::new(),
        phone: String::new(),
        party_post: "组织委员".into(),
        ..p.clone()
    };
    people::update(&w.db, NOW, &cli(), &w.a1, &id, &edit).await.unwrap();
    let again = people::reveal(&w.db, NOW, &cli(), &w.all, &id).await.unwrap();
    assert_eq!(
        (again.citizen_id, again.phone, again.party_post),
        (Some(p.citizen_id), "13812345678".into(), "组织委员".into())
    );
}

const HEAD: &str = "姓名,性别,身份证号,手机号,所属组织,人员类别,入党日期\n";

fn csv(rows: &[String]) -> Vec<u8> {
    format!("{HEAD}{}\n", rows.join("\n")).into_bytes()
}

async fn count(w: &World) -> i64 {
    people::search(&w.db, &w.all, &Filter::default(), 0, 1).await.unwrap().1
}

#[tokio::test]
async fn an_import_with_bad_rows_writes_nothing_and_names_row_and_column() {
    let w = world().await;
    let ok1 = format!(
        "张三,男,{},13812345678,总支A/第一党支部,正式党员,2010-07-01",
        id_with_check("11010519800101001")
    );
    let bad_id = "李四,男,110105198001010010,13812345678,总支A/第一党支部,正式党员,2010-07-01".to_string();
    let ambiguous = format!(
        "王五,男,{},13812345678,第一党支部,正式党员,2010-07-01",
        id_with_check("11010519800101003")
    );
    let dup = format!(
        "赵六,男,{},13812345678,机关党委/总支B/第一党支部,入党积极分子,",
        id_with_check("11010519800101001")
    );
    let file = csv(&[ok1.clone(), bad_id, ambiguous, dup]);
    let r = people::import(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        file.clone(),
        "名册.csv",
        ImportOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!((r.total, r.valid, r.imported), (4, 1, 0));
    let at: Vec<(usize, &str)> = r.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        at,
        vec![(3, "身份证号"), (4, "所属组织"), (5, "身份证号")],
        "{:?}",
        r.errors
    );
    assert!(r.errors[2].message.contains("第 2 行重复"));
    assert_eq!(count(&w).await, 0, "nothing written");

    // Valid rows only: one written, the rejected three come back with reasons.
    let opts = ImportOptions {
        valid_only: true,
        ..Default::default()
    };
    let r = people::import(&w.db, NOW, &cli(), &w.all, file, "名册.csv", opts)
        .await
        .unwrap();
    assert_eq!(r.imported, 1);
    let back = sheet::read(&r.rejected.unwrap(), "x.xlsx").unwrap();
    assert_eq!(back.rows.len(), 4);
    assert_eq!(back.rows[0].last().unwrap(), "错误原因");
    assert!(back.rows[1].last().unwrap().contains("校验位"));
    assert_eq!(count(&w).await, 1);

    // The same file again: already on the roster, unless updating is asked for.
    let again = csv(&[ok1.replace("13812345678", "13900000000")]);
    let r = people::import(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        again.clone(),
        "a.csv",
        ImportOptions::default(),
    )
    .await
    .unwrap();
    assert!(r.errors[0].message.contains("已登记在册"));
    let opts = ImportOptions {
        update_existing: true,
        ..Default::default()
    };
    let r = people::import(&w.db, NOW, &cli(), &w.all, again, "a.csv", opts)
        .await
        .unwrap();
    assert_eq!((r.imported, r.updated), (0, 1));
    // A branch secretary cannot update someone through an import of another branch.
    let other = csv(&[format!(
        "张三,男,{},13812345678,第一党支部,正式党员,2010-07-01",
        id_with_check("11010519800101001")
    )]);
    let sj = ImportOptions {
        update_existing: true,
        ..Default::default()
    };
    let r = people::import(&w.db, NOW, &cli(), &w.a1, other, "a.csv", sj)
        .await
        .unwrap();
    assert!(r.errors.is_empty() && r.updated == 1, "{:?}", r.errors);
}

#[tokio::test]
async fn dry_runs_headers_encodings_and_sizes() {
    let w = world().await;
    let row = format!(
        "张三,男,{},,总支A/第一党支部,正式党员,2010/7/1",
        id_with_check("11010519800101001")
    );
    let dry = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let r = people::import(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        csv(std::slice::from_ref(&row)),
        "a.csv",
        dry,
    )
    .await
    .unwrap();
    assert!(r.errors.is_empty() && r.valid == 1 && r.imported == 0);
    assert_eq!(count(&w).await, 0);
    // GB18030 text with full-width digits and stray spaces.
    let text = format!(
        "{HEAD} 张　三 ,男,{},１３８１２３４５６７８,总支A/第一党支部,正式党员,2010年7月1日\n",
        id_with_check("11010519800101001")
    );
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let r = people::import(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        gbk.into_owned(),
        "gbk.csv",
        ImportOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(r.imported, 1, "{:?}", r.errors);
    // A renamed header and a missing one.
    let renamed = "姓名,性别,证件号,手机号,所属组织,人员类别,入党日期\n张三,男,,,总支A/第一党支部,群众,\n";
    let r = people::import(&w.db, NOW, &cli(), &w.all, renamed.as_bytes().to_vec(), "a.csv", dry)
        .await
        .unwrap();
    let cols: Vec<&str> = r.errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(cols, vec!["证件号", "身份证号"]);
    assert!(r.errors.iter().all(|e| e.row == 1));
    // Not a spreadsheet, empty, and too many rows.
    let e = people::import(&w.db, NOW, &cli(), &w.all, b"%PDF-1.4".to_vec(), "a.pdf", dry)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("xlsx、csv"));
    assert!(people::import(&w.db, NOW, &cli(), &w.all, vec![], "a.csv", dry)
        .await
        .is_err());
    let many = format!("{HEAD}{}", "张三,男,,,总支A/第一党支部,群众,\n".repeat(100_001));
    let e = people::import(&w.db, NOW, &cli(), &w.all, many.into_bytes(), "a.csv", dry)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("100000"));
}

#[tokio::test]
async fn xlsx_templates_formulas_and_merged_cells() {
    let w = world().await;
    // The template's sample row is marked and never imported.
    let tpl = people::template(&w.db, &w.all).await.unwrap();
    let grid = sheet::read(&tpl, "模板.xlsx").unwrap();
    assert_eq!(grid.examples, [2]);
    let r = people::import(&w.db, NOW, &cli(), &w.all, tpl, "模板.xlsx", ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(
        (r.total, r.imported, r.examples.clone()),
        (0, 0, vec![2]),
        "{:?}",
        r.errors
    );
    // A formula cell is named by row and column.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in people::COLUMNS[..7].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["李四", "男", "", "", "总支A/第一党支部", "群众"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_formula(1, 6, "=TODAY()").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let r = people::import(&w.db, NOW, &cli(), &w.all, bytes, "f.xlsx", ImportOptions::default())
        .await
        .unwrap();
    assert!(
        r.errors
            .iter()
            .any(|e| e.row == 2 && e.column == "入党日期" && e.message.contains("公式")),
        "{:?}",
        r.errors
    );
    // Merged cells refuse the file.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in people::COLUMNS[..7].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.merge_range(1, 0, 2, 0, "王五", &rust_xlsxwriter::Format::new())
        .unwrap();
    let e = people::import(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        wb.save_to_buffer().unwrap(),
        "m.xlsx",
        ImportOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("合并单元格"));
}

/// The template filled in as a user does: the sample row kept at row 2, a
/// row of their own below it with a date typed as a number (an Excel serial
/// date), and an applicant under 18 by the ID.
#[tokio::test]
async fn the_sample_row_is_skipped_serial_dates_read_and_minors_refused() {
    let w = world().await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in people::COLUMNS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let sample = [
        "示例：张三",
        "男",
        &id_with_check("11010519800101001"),
        "",
        "总支A/第一党支部",
        "正式党员",
    ];
    for (c, v) in sample.iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_string(1, 6, "2005-07-01").unwrap();
    let mine = [
        "李四",
        "男",
        &id_with_check("11010519800101003"),
        "",
        "总支A/第一党支部",
        "正式党员",
    ];
    for (c, v) in mine.iter().enumerate() {
        ws.write_string(2, c as u16, *v).unwrap();
    }
    ws.write_number(2, 6, 40360.0).unwrap(); // 入党日期 2010-07-01, as a number
                                             // Born 2010-03-01: 16 on 2026-11-28.
    let young = [
        "王小五",
        "男",
        &id_with_check("11010520100301003"),
        "",
        "总支A/第一党支部",
        "入党申请人",
    ];
    for (c, v) in young.iter().enumerate() {
        ws.write_string(3, c as u16, *v).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let r = people::import(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        bytes.clone(),
        "名册.xlsx",
        ImportOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(r.examples, [2]);
    assert_eq!(r.total, 2);
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    let e = &r.errors[0];
    assert_eq!((e.row, e.column.as_str()), (4, "人员类别"));
    assert!(
        e.message.contains("入党申请人须年满 18 周岁")
            && e.message.contains("2010-03-01")
            && e.message.contains("2028-03-01"),
        "{}",
        e.message
    );
    assert_eq!(r.imported, 0);
    let opts = ImportOptions {
        valid_only: true,
        ..Default::default()
    };
    let r = people::import(&w.db, NOW, &cli(), &w.all, bytes, "名册.xlsx", opts)
        .await
        .unwrap();
    assert_eq!(r.imported, 1, "{:?}", r.errors);
    let (found, _) = people::search(&w.db, &w.all, &Filter::default(), 0, 50).await.unwrap();
    let li = found.iter().find(|p| p.name == "李四").unwrap();
    assert_eq!(li.joined_on.as_deref(), Some("2010-07-01"));
    assert!(!found.iter().any(|p| p.name.contains("张三") || p.name == "王小五"));
}

/// The file of a dry run is kept under a token, so the import that follows
/// does not ask for it again; a token that is not one is refused as 文件.
#[tokio::test]
async fn a_dry_runs_file_is_kept_for_the_import() {
    let w = world().await;
    let row = format!(
        "张三,男,{},,总支A/第一党支部,正式党员,2010-07-01",
        id_with_check("11010519800101001")
    );
    let bytes = csv(std::slice::from_ref(&row));
    let token = tongpin_core::files::stage(&w.db, NOW, "uploader", &bytes, "名册.csv")
        .await
        .unwrap();
    assert_eq!(tongpin_core::files::staged(&w.db, &token).await.unwrap(), bytes);
    for bad in ["", "../x", &"0".repeat(64)] {
        let e = tongpin_core::files::staged(&w.db, bad).await.unwrap_err();
        assert!(matches!(&e, Error::Invalid { field, .. } if field == "文件"), "{e:?}");
        assert!(e.to_string().contains("已过期"), "{e}");
    }
}

#[tokio::test]
async fn exports_are_masked_unless_asked_and_always_audited() {
    let w = world().await;
    people::create(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        &person("张三", "11010519800101001", &w.a1_id),
    )
    .await
    .unwrap();
    let masked = people::export(&w.db, NOW, &cli(), &w.all, &Filter::default(), false)
        .await
        .unwrap();
    assert!(masked.rows[0][2].contains("********"));
    assert_eq!(masked.rows[0][4], "机关党委/总支A/第一党支部");
    let full = people::export(&w.db, NOW, &cli(), &w.all, &Filter::default(), true)
        .await
        .unwrap();
    assert_eq!(full.rows[0][2], id_with_check("11010519800101001"));
    let log = audit::list(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter {
            action: Some("person.export".into()),
            ..Default::default()
        },
        0,
        5,
    )
    .await
    .unwrap();
    assert_eq!(log.len(), 2);
    assert!(log[0].detail.contains("未脱敏") && log[1].detail.contains("已脱敏"));
}

/// A large import leaves the planner fresh statistics of the roster (an
/// un-analysed PostgreSQL planned searches as if the table were empty).
#[tokio::test]
async fn a_large_import_refreshes_the_rosters_statistics() {
    let w = world().await;
    let rows: Vec<String> = (0..tongpin_core::rules::import::BULK_FROM_ROWS)
        .map(|i| {
            format!(
                "党员{i},{},{},13812345678,总支A/第一党支部,正式党员,2010-07-01",
                if i % 2 == 1 { "男" } else { "女" },
                id_with_check(&format!("11010519800101{:03}", i))
            )
        })
        .collect();
    let r = people::import(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        csv(&rows),
        "名册.csv",
        ImportOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(r.imported, rows.len(), "{:?}", r.errors.first());
    let analysed: i64 = tongpin_core::with_db!(&w.db, |p| {
        let sql = if w.db.is_sqlite() {
            "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'people'"
        } else {
            "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'people' AND last_analyze IS NOT NULL"
        };
        sqlx::query_scalar(sql).fetch_one(p).await.unwrap()
    });
    assert!(analysed > 0, "the roster was analysed after the import");
    // A list page's total stops counting past its cap.
    let all = people::count(&w.db, &w.all, &Filter::default()).await.unwrap();
    assert!(all >= 1000);
    let capped = people::count_capped(&w.db, &w.all, &Filter::default(), 100)
        .await
        .unwrap();
    assert_eq!(capped, 101, "one past the cap says there are more");
    let exact = people::count_capped(&w.db, &w.all, &Filter::default(), all)
        .await
        .unwrap();
    assert_eq!(exact, all, "under the cap the count is exact");
}

/// Every page of every kind of search equals the rows filtered and sorted
/// here, whichever way the store reads them: a name search and a large
/// subtree walk the search index in pinyin order, a small subtree is sorted.
#[tokio::test]
async fn search_pages_match_a_full_sort_whichever_way_they_are_read() {
    let db = fresh_db().await.unwrap();
    let root = tongpin_core::seed::generate(&db, NOW, 45, 2_600).await.unwrap();
    let all = scope_of(&db, "dw", Role::OrgAdmin, Some(&root), Power::ManagePeople).await;
    let orgs: Vec<(String, String, String)> =
        tongpin_core::with_db!(&db, |p| sqlx::query_as("SELECT id, path, kind FROM orgs ORDER BY path")
            .fetch_all(p)
            .await
            .unwrap());
    let general = orgs.iter().find(|o| o.2 == "general_branch").unwrap();
    let branch = orgs.iter().find(|o| o.2 == "branch").unwrap();
    let everyone: Vec<(String, String, String, String, String)> = tongpin_core::with_db!(&db, |p| sqlx::query_as(
        "SELECT id, name, name_pinyin, name_initials, org_path FROM people WHERE left_on IS NULL"
    )
    .fetch_all(p)
    .await
    .unwrap());
    let cases: Vec<(Option<&str>, Option<&(String, String, String)>)> = vec![
        (None, None),
        (None, Some(general)),
        (None, Some(branch)),
        (Some("王"), None),
        (Some("王"), Some(general)),
        (Some("张伟"), None),
        (Some("wj"), None),
        (Some("w"), None),
        (Some("zhang"), Some(general)),
        (Some("Zl"), None),
    ];
    for (q, org) in cases {
        let mut want: Vec<&(String, String, String, String, String)> = everyone
            .iter()
            .filter(|p| org.is_none_or(|o| p.4.starts_with(&o.1)))
            .filter(|p| match q {
                None => true,
                Some(q) if q.chars().all(|c| c.is_ascii_alphabetic()) => {
                    let q = q.to_ascii_lowercase();
                    p.2.starts_with(&q) || p.3.starts_with(&q)
                }
                Some(q) => p.1.starts_with(q),
            })
            .collect();
        want.sort_by(|a, b| (&a.2, &a.0).cmp(&(&b.2, &b.0)));
        let f = Filter {
            q: q.map(String::from),
            org_id: org.map(|o| o.0.clone()),
            ..Filter::default()
        };
        let counted = people::count_capped(&db, &all, &f, people::COUNT_CAP).await.unwrap();
        assert_eq!(counted, (want.len() as i64).min(people::COUNT_CAP + 1), "{q:?} {org:?}");
        for offset in [0, 20, 980, 1_000, 2_560] {
            let got: Vec<String> = people::page(&db, &all, &f, counted, offset, 20)
                .await
                .unwrap()
                .into_iter()
                .map(|p| p.id)
                .collect();
            let want: Vec<String> = want
                .iter()
                .skip(offset as usize)
                .take(20)
                .map(|p| p.0.clone())
                .collect();
            assert_eq!(got, want, "{q:?} {org:?} from {offset}");
        }
    }
}
