//! `GET /phone`: a small messaging app to play the customer. One embedded HTML file, no build
//! step; it talks to the control API.

use axum::response::Html;

pub async fn page() -> Html<&'static str> {
    Html(include_str!("../assets/phone.html"))
}
