use super::pages::PeopleQuery;
use crate::download::{attachment, base64};
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Multipart, Query};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::people::{self, ImportOptions, ImportReport};
use tongpin_core::sheet::{to_csv, to_xlsx, CellIssue};
use tongpin_core::{files, Error};

#[derive(Template)]
#[template(path = "people/import.html")]
struct ImportPage {
    shell: Shell,
    report: Option<ImportReport>,
    dry_run: bool,
    error: Option<String>,
    /// The rejected rows' .xlsx as a data URL, when some rows were left out.
    rejected_href: Option<String>,
    /// The file checked by a dry run, kept server-side: (token, file name),
    /// so 导入 does not ask for it again.
    staged: Option<(String, String)>,
}

impl ImportPage {
    fn max_rows(&self) -> usize {
        tongpin_core::rules::import::MAX_ROWS
    }
    fn issues(&self) -> &[CellIssue] {
        self.report.as_ref().map(|r| r.errors.as_slice()).unwrap_or(&[])
    }
}

pub async fn import_page(a: Auth) -> Result<Html<String>, PageError> {
    a.require(Power::ManagePeople).await?;
    let shell = Shell::new(&a, "/people", &["党员管理", "党员名册", "批量导入"]);
    Ok(Html(render(&ImportPage {
        shell,
        report: None,
        dry_run: true,
        error: None,
        rejected_href: None,
        staged: None,
    })))
}

/// What an import form or API call sent: the file, if one was chosen, the
/// token of a file kept from a dry run, and the options.
#[derive(Default)]
pub struct Upload {
    pub file: Option<(Vec<u8>, String)>,
    /// (token, file name) of the file a dry run kept.
    pub staged: Option<(String, String)>,
    pub opts: ImportOptions,
}

pub async fn read_form(mut mp: Multipart) -> Result<Upload, Error> {
    let mut u = Upload::default();
    let (mut token, mut staged_name) = (String::new(), String::new());
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| Error::invalid("文件", "上传内容无法读取，或超过大小上限（10 MiB）"))?
    {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => {
                let filename = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| Error::invalid("文件", "上传中断或超过大小上限（10 MiB）"))?;
                // A form posted without choosing a file sends an empty part.
                if !(filename.is_empty() && bytes.is_empty()) {
                    u.file = Some((bytes.to_vec(), filename));
                }
            }
            "staged" => token = field.text().await.unwrap_or_default(),
            "staged_name" => staged_name = field.text().await.unwrap_or_default(),
            "update_existing" => u.opts.update_existing = true,
            "valid_only" => u.opts.valid_only = true,
            "check" => u.opts.dry_run = true,
            _ => {}
        }
    }
    if !token.trim().is_empty() {
        u.staged = Some((token.trim().to_string(), staged_name));
    }
    Ok(u)
}

/// The file and the options of an API call (a file is required).
pub async fn read_upload(mp: Multipart) -> Result<(Vec<u8>, String, ImportOptions), Error> {
    let u = read_form(mp).await?;
    let (bytes, filename) = u.file.ok_or_else(|| Error::invalid("文件", "请选择要导入的文件"))?;
    Ok((bytes, filename, u.opts))
}

pub async fn import_submit(a: Auth, mp: Multipart) -> Response {
    let shell = Shell::new(&a, "/people", &["党员管理", "党员名册", "批量导入"]);
    let mut staged: Option<(String, String)> = None;
    let result = async {
        let scope = a.require(Power::ManagePeople).await?;
        let u = read_form(mp).await?;
        let db = &a.state.db;
        // A file chosen now wins; otherwise the one a dry run kept.
        let (bytes, filename, fresh) = match (u.file, u.staged) {
            (Some((bytes, name)), _) => (bytes, name, true),
            (None, Some((token, name))) => {
                let bytes = files::staged(db, &token).await?;
                staged = Some((token, name.clone()));
                (bytes, name, false)
            }
            (None, None) => return Err(Error::invalid("文件", "请选择要导入的文件")),
        };
        // A dry run keeps a new file only once it has been read: a refused
        // one is not stored nor counted against the uploader's quota.
        let keep = (fresh && u.opts.dry_run).then(|| bytes.clone());
        let report = people::import(db, a.now(), &a.actor(), &scope, bytes, &filename, u.opts).await?;
        if let Some(bytes) = keep {
            let token = files::stage(db, a.now(), &a.who.account_id, &bytes, &filename).await?;
            staged = Some((token, filename));
        }
        Ok::<_, Error>((report, u.opts.dry_run))
    }
    .await;
    match result {
        Ok((mut report, dry_run)) => {
            let rejected_href = report.rejected.take().map(|x| {
                format!(
                    "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,{}",
                    base64(&x)
                )
            });
            // Once imported, the kept file is not offered again.
            let staged = staged.filter(|_| dry_run || report.imported + report.updated == 0);
            Html(render(&ImportPage {
                shell,
                report: Some(report),
                dry_run,
                error: None,
                rejected_href,
                staged,
            }))
            .into_response()
        }
        Err(e @ Error::Invalid { .. }) => {
            let page = ImportPage {
                shell,
                report: None,
                dry_run: true,
                error: Some(e.to_string()),
                rejected_href: None,
                staged,
            };
            (axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn template(a: Auth) -> Result<Response, PageError> {
    let scope = a.require(Power::ManagePeople).await?;
    let bytes = people::template(&a.state.db, &scope).await?;
    Ok(attachment(bytes, "党员名册导入模板.xlsx"))
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(flatten)]
    q: PeopleQuery,
    format: Option<String>,
    /// "1": full citizen IDs and phones, for a role that may see them.
    unmasked: Option<String>,
}

pub async fn export(a: Auth, Query(e): Query<ExportQuery>) -> Result<Response, PageError> {
    let unmasked = e.unmasked.as_deref() == Some("1");
    let scope = a
        .require(if unmasked {
            Power::RevealPersonal
        } else {
            Power::ViewPeople
        })
        .await?;
    let table = people::export(&a.state.db, a.now(), &a.actor(), &scope, &e.q.filter(), unmasked).await?;
    let stamp = tongpin_core::clock::beijing(a.now()).format("%Y%m%d%H%M");
    Ok(match e.format.as_deref() {
        Some("csv") => attachment(to_csv(&table)?, &format!("党员名册_{stamp}.csv")),
        _ => attachment(to_xlsx(&table)?, &format!("党员名册_{stamp}.xlsx")),
    })
}
