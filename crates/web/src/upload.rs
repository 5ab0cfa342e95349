//! A file posted as multipart (`file` field), read for Meta's attachment upload: the composer
//! and the API take files the same way.

use axum::extract::Multipart;

/// A file as posted.
pub struct Posted {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Why a post holds no file Meta would take.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("malformed upload: {0}")]
    Malformed(String),
    #[error("no `file` field in the upload")]
    NoFile,
    #[error("the file must hold 1 byte to 25 MB (Meta's limit), found {0}")]
    Size(usize),
}

/// The `file` field of the post.
pub async fn file(mut multipart: Multipart) -> Result<Posted, UploadError> {
    let malformed =
        |e: axum::extract::multipart::MultipartError| UploadError::Malformed(e.to_string());
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("file").to_owned();
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = field.bytes().await.map_err(malformed)?;
        if bytes.is_empty() || bytes.len() > engine::rich::MAX_UPLOAD {
            return Err(UploadError::Size(bytes.len()));
        }
        return Ok(Posted {
            name,
            content_type,
            bytes: bytes.to_vec(),
        });
    }
    Err(UploadError::NoFile)
}
