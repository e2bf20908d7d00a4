//! Evidence uploads (佐证材料): multipart file fields spooled piece by piece
//! into core's `files::Spool`, refused as soon as one passes the limit.
use crate::Config;
use axum::extract::multipart::{Field, Multipart};
use axum::extract::DefaultBodyLimit;
use tongpin_core::files::{self, Spool};
use tongpin_core::Error;

/// Room for the form's other fields and the multipart framing.
const FORM_MARGIN: u64 = 1024 * 1024;
/// Longest text field of an evidence form.
const MAX_TEXT_FIELD: usize = 64 * 1024;

/// The body limit for a route that takes up to `files` evidence files at
/// once: that many files at the configured limit plus the form around them.
/// Apply it as a layer on that route (`.route_layer(...)` or on the
/// `MethodRouter`); every other route keeps the general limit.
pub fn evidence_body_limit(config: &Config, files: usize) -> DefaultBodyLimit {
    let bytes = config
        .evidence_max_bytes
        .saturating_mul(files.max(1) as u64)
        .saturating_add(FORM_MARGIN);
    DefaultBodyLimit::max(usize::try_from(bytes).unwrap_or(usize::MAX))
}

fn broken(max: u64) -> Error {
    Error::invalid(
        files::FIELD,
        format!("上传中断或超过大小上限（{}），请检查后重试", files::size_label(max)),
    )
}

/// Reads one file field into a spool, chunk by chunk. Refuses a type not on
/// the allow-list before reading, and a file over `max_bytes` as soon as it
/// passes it (a 422 with a Chinese message, never a 5xx). Returns None for
/// an empty field with no file name (no file chosen).
pub async fn spool_field(mut field: Field<'_>, max_bytes: u64) -> Result<Option<Spool>, Error> {
    let name = field.file_name().unwrap_or("").to_string();
    if name.is_empty() {
        // Browsers send an empty part when no file was chosen.
        while let Some(piece) = field.chunk().await.map_err(|_| broken(max_bytes))? {
            if !piece.is_empty() {
                return Err(Error::invalid(files::FIELD, "上传的文件缺少文件名"));
            }
        }
        return Ok(None);
    }
    tongpin_core::text::refuse_unstorable(files::FIELD, &name)?;
    let mut spool = Spool::new(&name, max_bytes)?;
    while let Some(piece) = field.chunk().await.map_err(|_| broken(max_bytes))? {
        spool.push(&piece).await?;
    }
    if spool.size() == 0 {
        return Err(Error::invalid(
            files::FIELD,
            format!("文件“{}”是空文件，请重新选择", spool.name()),
        ));
    }
    Ok(Some(spool))
}

/// A form with evidence: the files of its `file_field` fields, spooled, and
/// its other fields as text.
#[derive(Default)]
pub struct EvidenceForm {
    pub files: Vec<Spool>,
    pub fields: Vec<(String, String)>,
}

impl EvidenceForm {
    /// The first value of a text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Reads a whole multipart form whose files (at most `max_files`) come in
/// fields named `file_field`, each at most `config.evidence_max_bytes`.
pub async fn evidence_form(
    mut mp: Multipart,
    config: &Config,
    file_field: &str,
    max_files: usize,
) -> Result<EvidenceForm, Error> {
    let max = config.evidence_max_bytes;
    let mut form = EvidenceForm::default();
    while let Some(field) = mp.next_field().await.map_err(|_| broken(max))? {
        let name = field.name().unwrap_or("").to_string();
        if name == file_field {
            if form.files.len() == max_files {
                return Err(Error::invalid(files::FIELD, format!("一次最多上传 {max_files} 个文件")));
            }
            if let Some(spool) = spool_field(field, max).await? {
                form.files.push(spool);
            }
        } else {
            let text = text_field(field, &name, max).await?;
            form.fields.push((name, text));
        }
    }
    Ok(form)
}

/// A text field, read piece by piece up to MAX_TEXT_FIELD bytes.
async fn text_field(mut field: Field<'_>, name: &str, max: u64) -> Result<String, Error> {
    let mut bytes = Vec::new();
    while let Some(piece) = field.chunk().await.map_err(|_| broken(max))? {
        if bytes.len() + piece.len() > MAX_TEXT_FIELD {
            return Err(Error::invalid(name, "内容过长"));
        }
        bytes.extend_from_slice(&piece);
    }
    let text = String::from_utf8(bytes).map_err(|_| Error::invalid(name, "内容不是有效的 UTF-8 文本"))?;
    tongpin_core::text::refuse_unstorable(name, &text)?;
    Ok(text)
}

/// The file of an import form or API call, and whether only to check it.
pub async fn sheet_upload(mut mp: Multipart) -> Result<(Vec<u8>, String, bool), Error> {
    let mut file = None;
    let mut check = false;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| Error::invalid("文件", "上传内容无法读取，或超过大小上限（10 MiB）"))?
    {
        match field.name().unwrap_or("") {
            "file" => {
                let filename = field.file_name().unwrap_or("").to_string();
                tongpin_core::text::refuse_unstorable("文件", &filename)?;
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| Error::invalid("文件", "上传中断或超过大小上限（10 MiB）"))?;
                file = Some((bytes.to_vec(), filename));
            }
            "check" => check = true,
            _ => {}
        }
    }
    let (bytes, filename) = file.ok_or_else(|| Error::invalid("文件", "请选择要导入的文件"))?;
    Ok((bytes, filename, check))
}
