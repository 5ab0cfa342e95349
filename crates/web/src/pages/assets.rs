//! The few static files, embedded: no Node build step, nothing to deploy beside the binary.
//! The manifest and the service worker make the inbox installable as an app.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const FILES: [(&str, &str, &str); 9] = [
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
        "app.js",
        "text/javascript",
        include_str!("../../assets/app.js"),
    ),
    (
        "inbox.css",
        "text/css",
        include_str!("../../assets/inbox.css"),
    ),
    (
        "uPlot.iife.min.js",
        "text/javascript",
        include_str!("../../assets/uPlot.iife.min.js"),
    ),
    (
        "uPlot.min.css",
        "text/css",
        include_str!("../../assets/uPlot.min.css"),
    ),
    (
        "analytics.js",
        "text/javascript",
        include_str!("../../assets/analytics.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../../assets/favicon.svg"),
    ),
];

pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, kind, body)) => static_file(kind, body),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn static_file(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn manifest() -> Response {
    static_file(
        "application/manifest+json",
        include_str!("../../assets/manifest.webmanifest"),
    )
}

/// At the root, so its scope is the whole inbox.
pub async fn service_worker() -> Response {
    static_file("text/javascript", include_str!("../../assets/sw.js"))
}

pub async fn favicon() -> Response {
    static_file("image/svg+xml", include_str!("../../assets/favicon.svg"))
}
