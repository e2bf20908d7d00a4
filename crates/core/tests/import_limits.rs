//! Hostile spreadsheets cannot hurt the server: each is refused with a
//! Chinese message on 「文件」 (or read, when it is only odd), and reading it
//! never allocates more than a fixed budget, as a counting allocator shows.
mod hostile;

use hostile::{cell, letters, noise, sheet, workbook, zip, Part};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Mutex;
use tongpin_core::rules::import::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_ENTRIES, MAX_ROWS};
use tongpin_core::sheet::{read, Grid};
use tongpin_core::Error;

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            PEAK.fetch_max(LIVE.fetch_add(layout.size(), SeqCst) + layout.size(), SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), SeqCst);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            let live = LIVE.fetch_add(new_size, SeqCst) + new_size;
            PEAK.fetch_max(live, SeqCst);
            LIVE.fetch_sub(layout.size(), SeqCst);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Reading any of these files may hold at most this much more memory.
const BUDGET: usize = 64 * 1024 * 1024;
/// One file at a time, so each peak is its own.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Reads `bytes` and returns the result with the most memory it held.
fn measured(bytes: &[u8], name: &str) -> (Result<Grid, Error>, usize) {
    let base = LIVE.load(SeqCst);
    PEAK.store(base, SeqCst);
    let r = read(bytes, name);
    (r, PEAK.load(SeqCst) - base)
}

/// Asserts `bytes` is refused on 「文件」 with a message holding every one of
/// `words`, within the budget.
fn refused(case: &str, bytes: &[u8], name: &str, words: &[&str]) {
    let (r, peak) = measured(bytes, name);
    assert!(peak < BUDGET, "{case}: held {} MiB", peak >> 20);
    match r {
        Err(Error::Invalid { field, message }) => {
            assert_eq!(field, "文件", "{case}: {message}");
            for w in words {
                assert!(message.contains(w), "{case}: 「{message}」 lacks 「{w}」");
            }
        }
        Err(e) => panic!("{case}: not a 422: {e}"),
        Ok(g) => panic!("{case}: read {} rows", g.rows.len()),
    }
}

fn header_and(rows: &str) -> String {
    format!(r#"<row r="1">{}</row>{rows}"#, cell("A1", "姓名"))
}

#[test]
fn hostile_xlsx_files_are_refused_within_the_budget() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let sparse = workbook(
        sheet(
            r#"<dimension ref="A1:XFD1048576"/>"#,
            &header_and(&format!(r#"<row r="1048576">{}</row>"#, cell("XFD1048576", "x"))),
        ),
        vec![],
    );
    assert!(
        sparse.len() < 2048,
        "the issue's file is 1.5 KB; this one is {}",
        sparse.len()
    );
    refused("sparse", &sparse, "a.xlsx", &["XFD1048576", "100000 行"]);

    let far_right = workbook(sheet("", &header_and(&cell("XFD1", "x"))), vec![]);
    refused("far right", &far_right, "a.xlsx", &["XFD1", "最多 256 列"]);

    let wide: String = (0..16_384).map(|c| cell(&format!("{}2", letters(c)), "1")).collect();
    let wide = workbook(sheet("", &header_and(&format!("<row r=\"2\">{wide}</row>"))), vec![]);
    refused(
        "wide",
        &wide,
        "a.xlsx",
        &[&format!("{}2", letters(MAX_COLUMNS)), "最多 256 列"],
    );

    let deep: String = (2..=MAX_ROWS + 2)
        .map(|r| format!("<row r=\"{r}\">{}</row>", cell(&format!("A{r}"), "张三")))
        .collect();
    let deep = workbook(sheet("", &header_and(&deep)), vec![]);
    refused("deep", &deep, "a.xlsx", &[&format!("第 {} 行", MAX_ROWS + 2), "拆分"]);

    let bomb = workbook(
        sheet("", &header_and("")),
        vec![Part::Repeated("xl/media/zeros.bin".into(), 0, 1 << 30, 9)],
    );
    refused("zip bomb", &bomb, "a.xlsx", &["100 倍"]);

    // Under the ratio, so only the total stops it.
    let spaces = vec![Part::Repeated("xl/sharedStrings.xml".into(), b' ', 1 << 30, 1)];
    refused(
        "huge sharedStrings",
        &workbook(sheet("", &header_and("")), spaces),
        "a.xlsx",
        &["512 MB"],
    );

    // One shared string of many runs: each event is small, the string is not.
    let run = format!("<r><t>{}</t></r>", noise(1000));
    let rich = workbook(
        sheet("", &header_and(r#"<row r="2"><c r="A2" t="s"><v>0</v></c></row>"#)),
        vec![Part::Text(
            "xl/sharedStrings.xml".into(),
            format!("<sst><si>{}</si></sst>", run.repeat(100)),
        )],
    );
    refused("rich text", &rich, "a.xlsx", &["超过 10000 个字符"]);

    let claimed = workbook(
        sheet("", &header_and("")),
        vec![Part::Text(
            "xl/sharedStrings.xml".into(),
            r#"<sst uniqueCount="4000000000"><si><t>a</t></si></sst>"#.into(),
        )],
    );
    refused("uniqueCount", &claimed, "a.xlsx", &["已损坏"]);

    let long_text = workbook(
        sheet(
            "",
            &header_and(&format!("<row r=\"2\">{}</row>", cell("B2", &noise(2 << 20)))),
        ),
        vec![],
    );
    refused("one 2 MB text", &long_text, "a.xlsx", &["超过 1 MB"]);

    let long_cell = workbook(
        sheet(
            "",
            &header_and(&format!(
                "<row r=\"2\">{}</row>",
                cell("B2", &noise(MAX_CELL_CHARS + 1))
            )),
        ),
        vec![],
    );
    refused("long cell", &long_cell, "a.xlsx", &["B2", "上限 10000 个"]);

    let entries = zip((0..=MAX_ENTRIES)
        .map(|i| Part::Text(format!("x{i}"), String::new()))
        .collect());
    refused("entries", &entries, "a.xlsx", &["1001 个部件", "1000"]);
}

#[test]
fn malformed_xlsx_files_are_refused_or_read_within_the_budget() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let good = workbook(
        sheet("", &header_and(&format!("<row r=\"2\">{}</row>", cell("A2", "张三")))),
        vec![],
    );
    let truncated = &good[..good.len() / 2];
    refused("truncated", truncated, "a.xlsx", &["已损坏"]);

    let bad_xml = workbook(
        sheet("", r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is>"#),
        vec![],
    );
    refused("bad XML", &bad_xml, "a.xlsx", &["已损坏"]);

    // calamine would overflow (a panic in a debug build) on these positions.
    for (case, rows) in [
        ("column overflow", header_and(&cell("ZZZZZZZZ2", "x"))),
        (
            "row overflow",
            header_and(r#"<row r="99999999999"><c><v>1</v></c></row>"#),
        ),
    ] {
        refused(case, &workbook(sheet("", &rows), vec![]), "a.xlsx", &["单元格位置"]);
    }
    let backwards = workbook(sheet(r#"<dimension ref="B2:A1"/>"#, &header_and("")), vec![]);
    refused("range backwards", &backwards, "a.xlsx", &["单元格位置"]);

    // Only odd: a declared dimension of the whole sheet, a date past any
    // calendar, a shared formula numbered past memory. Read, as before.
    let odd = workbook(
        sheet(
            r#"<dimension ref="A1:XFD1048576"/>"#,
            &header_and(concat!(
                r#"<row r="2"><c r="A2" s="1"><v>1e300</v></c><c r="B2" s="1"><v>40360</v></c>"#,
                r#"<c r="C2"><f t="shared" ref="C2:C3" si="4000000000">B2</f><v>1</v></c></row>"#,
            )),
        ),
        vec![],
    );
    let (r, peak) = measured(&odd, "a.xlsx");
    assert!(peak < BUDGET, "odd: held {} MiB", peak >> 20);
    let g = r.unwrap();
    assert_eq!(g.rows[1], [1e300.to_string(), "2010-07-01".into(), "1".into()]);
    assert_eq!(g.issues.len(), 1);
    assert!(g.issues[0].message.contains("公式") && g.issues[0].row == 2 && g.issues[0].column == "C");
}

#[test]
fn hostile_csv_files_are_refused_within_the_budget() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let wide = format!("姓名\n{}\n", vec!["1"; 20_000].join(","));
    refused(
        "csv wide",
        wide.as_bytes(),
        "a.csv",
        &[&format!("{}2", letters(MAX_COLUMNS)), "最多 256 列"],
    );

    let deep = format!("姓名\n{}", "张三\n".repeat(MAX_ROWS + 1));
    refused(
        "csv deep",
        deep.as_bytes(),
        "a.csv",
        &[&format!("第 {} 行", MAX_ROWS + 2)],
    );

    let huge = format!("姓名,备注\n张三,{}\n", noise(1 << 20));
    refused("csv huge cell", huge.as_bytes(), "a.csv", &["B2", "上限 10000 个"]);

    let fits = format!("姓名\n{}", "张三\n".repeat(MAX_ROWS));
    let (r, peak) = measured(fits.as_bytes(), "a.csv");
    assert!(peak < BUDGET, "fits: held {} MiB", peak >> 20);
    assert_eq!(r.unwrap().rows.len(), MAX_ROWS + 1, "the last row that fits is read");
}
