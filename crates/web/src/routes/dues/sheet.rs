use crate::download::attachment;
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::dues::{self, BaseImportReport};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "dues/import.html")]
struct ImportPage {
    shell: Shell,
    report: Option<BaseImportReport>,
    dry_run: bool,
    error: Option<String>,
}

fn shell(a: &Auth) -> Shell {
    Shell::new(a, "/dues", &["党员管理", "党费", "导入基数"])
}

pub async fn import_page(a: Auth) -> Result<Html<String>, PageError> {
    a.require(Power::ManagePeople).await?;
    Ok(Html(render(&ImportPage {
        shell: shell(&a),
        report: None,
        dry_run: true,
        error: None,
    })))
}

pub async fn import_submit(a: Auth, mp: Multipart) -> Response {
    let result = async {
        let scope = a.require(Power::ManagePeople).await?;
        let (bytes, filename, dry_run) = crate::upload::sheet_upload(mp).await?;
        let report = dues::import_bases(&a.state.db, a.now(), &a.actor(), &scope, bytes, &filename, dry_run).await?;
        Ok::<_, Error>((report, dry_run))
    }
    .await;
    match result {
        Ok((report, dry_run)) => Html(render(&ImportPage {
            shell: shell(&a),
            report: Some(report),
            dry_run,
            error: None,
        }))
        .into_response(),
        Err(e @ Error::Invalid { .. }) => {
            let page = ImportPage {
                shell: shell(&a),
                report: None,
                dry_run: true,
                error: Some(e.to_string()),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn template(a: Auth) -> Result<Response, PageError> {
    a.require(Power::ManagePeople).await?;
    Ok(attachment(dues::base_template(a.now())?, "党费基数导入模板.xlsx"))
}
