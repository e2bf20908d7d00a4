//! A hostile spreadsheet through an import route: a 422 naming the cell and
//! the limit, and nothing written.
mod common;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{TestApp, PW};
use std::io::Write;
use tongpin_core::auth::Role;
use tongpin_core::with_db;

/// The issue's file: cells at A1 and XFD1048576 (calamine once allocated 512 GiB for it).
fn sparse_xlsx() -> Vec<u8> {
    let parts = [
        (
            "_rels/.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>张三</t></is></c></row></sheetData></worksheet>"#,
        ),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn upload(token: &str, bytes: &[u8]) -> Request<Body> {
    let b = "----tongpin-test-boundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"名册.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri("/api/v1/people/import?dry_run=false")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap()
}

async fn people(app: &TestApp) -> i64 {
    with_db!(&app.db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM people")
        .fetch_one(p)
        .await
        .unwrap())
}

#[tokio::test]
async fn a_branch_secretarys_sparse_xlsx_is_a_422_and_writes_nothing() {
    let app = TestApp::new().await;
    let (_, _, a1, ..) = app.tree().await;
    app.account("sj", Role::BranchSecretary, Some(&a1)).await;
    let t = app.token("sj", PW).await;
    let (before, audited) = (people(&app).await, app.audit_actions().await.len());
    let file = sparse_xlsx();
    assert!(file.len() < 2048, "{} bytes", file.len());
    let r = app.send(upload(&t, &file)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let j = r.json();
    assert_eq!(j["field"], "文件");
    let message = j["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("XFD1048576") && message.contains("最多 100000 行"),
        "{message}"
    );
    assert_eq!(people(&app).await, before);
    assert_eq!(app.audit_actions().await.len(), audited, "no import was recorded");
}
