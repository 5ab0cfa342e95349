//! `GET /events`: server-sent events. An `update` event goes out whenever webhooks were applied
//! or sends changed state; the page's htmx parts re-fetch themselves on it. A user with this
//! stream open counts as online.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use futures_util::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::session::Agent;
use crate::state::AppState;

pub async fn events(
    Agent(user, _): Agent,
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Online while this stream is open (a hand-over may be assigned to them).
    let online = state.engine.presence.enter(&user.username);
    // A lagging browser missed some updates: one `update` covers them all. The data must not be
    // empty: browsers do not dispatch an event without data.
    // The first event covers what changed between rendering the page and connecting here.
    let updates = futures_util::stream::once(async { Ok::<(), ()>(()) })
        .chain(BroadcastStream::new(state.engine.signals.subscribe()).map(|_| Ok(())))
        .map(move |_| {
            let _ = &online;
            Ok(Event::default().event("update").data("changed"))
        });
    let mut stopping = state.stopping.clone();
    let updates = updates.take_until(async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    });
    Sse::new(updates).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
