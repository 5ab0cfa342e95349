//! The few static files, embedded: no Node build step, nothing to deploy beside the binary.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const FILES: [(&str, &str, &str); 4] = [
    (
        "htmx.min.js",
        "text/javascript",
        include_str!("../../assets/htmx.min.js"),
    ),
    (
        "htmx-sse.js",
        "text/javascript",
        include_str!("../../assets/htmx-sse.js"),
    ),
    (
        "composer.js",
        "text/javascript",
        include_str!("../../assets/composer.js"),
    ),
    (
        "inbox.css",
        "text/css",
        include_str!("../../assets/inbox.css"),
    ),
];

pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, kind, body)) => (
            [
                (header::CONTENT_TYPE, *kind),
                (header::CACHE_CONTROL, "max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
