//! Shared by the tests that run the `fenestra` binary as a process.
#![allow(dead_code)]

use std::process::Command;
use std::time::Duration;

pub fn fenestra() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fenestra"))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (up to 10 s) until `fenestra serve` on 127.0.0.1:`port` answers `/healthz`.
pub async fn wait_up(port: u16) {
    for _ in 0..400 {
        if reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("fenestra serve did not come up on port {port}");
}
