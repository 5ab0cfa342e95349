//! A flow's `call` step: the shop's own system asked over HTTP, as a shop asks its order system
//! "where is order 42?".
//!
//! Invariants:
//! * only public addresses over HTTPS, unless the page's flows document allows a host, address
//!   or range (`calls.allow`), which may then be private and plain HTTP: a flow cannot reach
//!   Fenestra's own network (no server-side request forgery). The address checked is the one
//!   connected to (the name is resolved once and pinned), and redirects are not followed;
//! * the body is signed: `X-Fenestra-Signature: sha256=<hex HMAC-SHA256 of the body>` keyed with
//!   `FENESTRA_FLOW_SECRET` (else the app secret), so the shop knows it is Fenestra;
//! * timeouts, refused connections and 5xx answers are tried again (three times in all, backing
//!   off); anything else is an answer or a failure at once. No database transaction is open
//!   while it runs.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use flows::document::Call;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};

use crate::Engine;

/// Why a call did not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("`{0}` is not an address Fenestra may call")]
    BadUrl(String),
    #[error(
        "{host} resolves to {ip}, a private or local address the flows do not allow (calls.allow)"
    )]
    Private { host: String, ip: IpAddr },
    #[error("plain http to {0} is allowed only for hosts in calls.allow")]
    NotHttps(String),
    #[error("cannot resolve {0}")]
    Resolve(String),
    #[error("the shop's system did not answer: {0}")]
    Unreachable(String),
    #[error("the shop's system answered HTTP {0}")]
    Status(u16),
    #[error("the shop's system answered something that is not JSON")]
    NotJson,
}

impl CallError {
    fn worth_retrying(&self) -> bool {
        matches!(self, CallError::Unreachable(_))
            || matches!(self, CallError::Status(s) if *s >= 500)
    }
}

/// Not loopback, private, link-local, shared (CGNAT), documentation, multicast or unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || v6.is_unique_local()
                    || v6.is_unicast_link_local())
            }
        },
    }
}

/// Whether the document's `calls.allow` names the host or covers the address.
fn allowed(allow: &[String], host: &str, ip: Option<IpAddr>) -> bool {
    allow.iter().any(|a| {
        a.eq_ignore_ascii_case(host)
            || ip.is_some_and(|ip| {
                a.parse::<IpAddr>().is_ok_and(|x| x == ip)
                    || a.parse::<ipnet::IpNet>().is_ok_and(|n| n.contains(&ip))
            })
    })
}

impl Engine {
    /// Calls the shop's system for a flow; the fields to save from its answer.
    pub async fn call_shop(
        &self,
        page_id: &str,
        psid: &str,
        call: &Call,
        fields: &std::collections::BTreeMap<String, String>,
        allow: &[String],
    ) -> Result<Vec<(String, String)>, CallError> {
        let url =
            reqwest::Url::parse(&call.url).map_err(|_| CallError::BadUrl(call.url.clone()))?;
        let host = url
            .host_str()
            .ok_or_else(|| CallError::BadUrl(call.url.clone()))?
            .trim_matches(['[', ']'])
            .to_owned();
        match url.scheme() {
            "https" => {}
            "http" if allowed(allow, &host, host.parse().ok()) => {}
            "http" => return Err(CallError::NotHttps(host)),
            _ => return Err(CallError::BadUrl(call.url.clone())),
        }
        let port = url.port_or_known_default().unwrap_or(443);
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|_| CallError::Resolve(host.clone()))?
            .collect();
        if addrs.is_empty() {
            return Err(CallError::Resolve(host));
        }
        if let Some(bad) = addrs
            .iter()
            .map(SocketAddr::ip)
            .find(|ip| !is_public(*ip) && !allowed(allow, &host, Some(*ip)))
        {
            return Err(CallError::Private { host, ip: bad });
        }
        let timeout = call
            .timeout
            .as_ref()
            .map_or(Duration::from_secs(10), |p| p.duration());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .resolve_to_addrs(&host, &addrs)
            .build()
            .map_err(|e| CallError::Unreachable(e.to_string()))?;
        let body = serde_json::to_vec(&json!({"page_id": page_id, "psid": psid, "fields": fields}))
            .unwrap_or_default();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(self.call_secret.as_bytes())
            .expect("HMAC takes any key");
        mac.update(&body);
        let signature = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        let attempt = || async {
            let r = client
                .post(url.clone())
                .header("content-type", "application/json")
                .header("x-fenestra-signature", &signature)
                .body(body.clone())
                .send()
                .await
                .map_err(|e| CallError::Unreachable(e.to_string()))?;
            if !r.status().is_success() {
                return Err(CallError::Status(r.status().as_u16()));
            }
            r.json::<Value>().await.map_err(|_| CallError::NotJson)
        };
        let answer = attempt
            .retry(
                ExponentialBuilder::default()
                    .with_min_delay(Duration::from_millis(200))
                    .with_max_times(2),
            )
            .sleep(tokio::time::sleep)
            .when(CallError::worth_retrying)
            .await?;
        Ok(call
            .save
            .iter()
            .filter_map(|(field, pointer)| {
                let v = answer.pointer(pointer)?;
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => return None,
                    other => other.to_string(),
                };
                Some((field.clone(), text))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_local_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn the_allow_list_names_hosts_addresses_and_ranges() {
        let allow = [
            "orders.local".to_owned(),
            "192.168.1.0/24".into(),
            "10.0.0.5".into(),
        ];
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert!(allowed(&allow, "ORDERS.local", None));
        assert!(allowed(&allow, "x", ip("192.168.1.77")));
        assert!(allowed(&allow, "x", ip("10.0.0.5")));
        assert!(!allowed(&allow, "x", ip("10.0.0.6")));
    }
}
