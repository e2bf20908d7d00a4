//! Evidence uploads and downloads over HTTP, through a small router that
//! uses the web helpers the way a module's routes do.
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use http_body_util::BodyExt;
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::{files, with_db, Error};
use tongpin_web::{download, upload, ApiError, Config};
use tower::ServiceExt;

const NOW: i64 = 1_790_000_000_000;

#[derive(Clone)]
struct Ctx {
    db: Db,
    config: Config,
}

/// Saves each file, then attaches it in the record's transaction.
async fn up(State(c): State<Ctx>, mp: Multipart) -> Result<String, ApiError> {
    let form = upload::evidence_form(mp, &c.config, "file", 3).await?;
    let owner = form.field("owner").unwrap_or("r1").to_string();
    let mut ids = Vec::new();
    for spool in form.files {
        let stored = files::save(&c.db, NOW, "uploader", spool).await?;
        let mut tx = c.db.begin().await?;
        ids.push(files::attach(&mut tx, NOW, "report", &owner, &stored, "测试").await?);
        tx.commit().await?;
    }
    Ok(ids.join(","))
}

/// The attachment `id` of the test's owner r7 (the application reads one
/// through its owner's scoped lookup; here the owner is fixed).
async fn down(State(c): State<Ctx>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let att = files::list(&c.db, "report", &["r7".into()])
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| Error::NotFound("附件不存在".into()))?;
    Ok(download::stream_attachment(&c.db, &att))
}

async fn app(max: u64) -> (Db, Router) {
    let db = fresh_db().await.unwrap();
    let config = Config {
        evidence_max_bytes: max,
        ..Default::default()
    };
    let router = Router::new()
        .route("/up", post(up).layer(upload::evidence_body_limit(&config, 3)))
        .route("/dl/{id}", get(down))
        // Everything else keeps a small limit; the upload route raises its own.
        .layer(DefaultBodyLimit::max(4096))
        // As the application serves it: text compressed, attachments not.
        .layer(tongpin_web::compression())
        .with_state(Ctx { db: db.clone(), config });
    (db, router)
}

const BOUNDARY: &str = "----tongpin-test-boundary";

fn form(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, data) in parts {
        body.extend(format!("--{BOUNDARY}\r\n").bytes());
        match file {
            Some(f) => body.extend(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .bytes(),
            ),
            None => body.extend(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").bytes()),
        }
        body.extend_from_slice(data);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    body
}

async fn send(router: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = router.clone().oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

async fn post_form(router: &Router, body: Vec<u8>) -> (StatusCode, String) {
    let req = Request::post("/up")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (status, _, body) = send(router, req).await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(db, |p| sqlx::query_scalar(&sql).fetch_one(p).await.unwrap())
}

#[tokio::test]
async fn a_download_is_an_attachment_streamed_byte_for_byte() {
    let (db, router) = app(20 * 1024 * 1024).await;
    // Text (over two stored pieces) that a browser could take for a page if it sniffed.
    let text: Vec<u8> = "支部委员会会议纪要：学习贯彻，推动业务。\n".repeat(20_000).into_bytes();
    assert!(text.len() > 2 * files::CHUNK_BYTES);
    let (status, ids) = post_form(
        &router,
        form(&[
            ("owner", None, b"r7"),
            ("file", Some("会议纪要（第1次）.txt"), &text),
            ("file", Some(""), b""),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ids}");
    assert_eq!(ids.split(',').count(), 1);
    assert_eq!(files::list(&db, "report", &["r7".into()]).await.unwrap().len(), 1);

    let (status, h, body) = send(
        &router,
        Request::get(format!("/dl/{ids}"))
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        h.get(header::CONTENT_ENCODING).is_none(),
        "an attachment is sent as stored"
    );
    assert_eq!(h[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    let disposition = h[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"download.txt\"; "),
        "{disposition}"
    );
    assert!(
        disposition.ends_with(
            "filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81%EF%BC%88%E7%AC%AC1%E6%AC%A1%EF%BC%89.txt"
        ),
        "{disposition}"
    );
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(h[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .starts_with("sandbox"));
    assert_eq!(h[header::CONTENT_LENGTH], text.len().to_string().as_str());
    assert!(body == text, "the streamed body differs");
}

#[tokio::test]
async fn a_file_over_the_limit_gets_a_chinese_422_and_nothing_is_written() {
    let (db, router) = app(100_000).await;
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(150_000, b'x');
    let (status, body) = post_form(&router, form(&[("file", Some("a.pdf"), &pdf)])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("超过 97 KiB 上限"), "{body}");
    // A body past the route's limit (three files and the form's margin) is
    // cut off, still with a Chinese 422.
    let note = vec![b'n'; 60_000];
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("note", None, &note[..]); 30];
    parts.push(("file", Some("a.pdf"), &pdf[..90_000]));
    let (status, body) = post_form(&router, form(&parts)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("超过"), "{body}");
    assert_eq!(count(&db, "files").await, 0);
}

#[tokio::test]
async fn contents_that_do_not_match_the_name_are_refused() {
    let (db, router) = app(20 * 1024 * 1024).await;
    let (status, body) = post_form(
        &router,
        form(&[("file", Some("照片.jpg"), b"<html><script>1</script>")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("不是 JPEG 图片"), "{body}");
    let (status, body) = post_form(&router, form(&[("file", Some("page.html"), b"<html>")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("不支持 .html"), "{body}");
    assert_eq!(count(&db, "files").await, 0);
    assert_eq!(count(&db, "attachments").await, 0);
}
