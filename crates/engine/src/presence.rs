//! Who of the team is online now: a user with the inbox open (its live updates connected).
//! Kept in this process; a hand-over with `assign: round_robin` picks among them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Default)]
pub struct Presence(Arc<Mutex<BTreeMap<String, usize>>>);

/// Holds `username` online until dropped (the inbox tab closed).
#[derive(Debug)]
pub struct Online {
    presence: Presence,
    username: String,
}

impl Presence {
    pub fn enter(&self, username: &str) -> Online {
        *self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(username.to_owned())
            .or_default() += 1;
        Online {
            presence: self.clone(),
            username: username.to_owned(),
        }
    }

    pub fn online(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(u, _)| u.clone())
            .collect()
    }
}

impl Drop for Online {
    fn drop(&mut self) {
        let mut all = self.presence.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = all.get_mut(&self.username) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                all.remove(&self.username);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_while_a_tab_is_open() {
        let p = Presence::default();
        let a = p.enter("mai");
        let b = p.enter("mai");
        let _c = p.enter("lan");
        assert_eq!(p.online(), ["lan", "mai"]);
        drop(a);
        assert_eq!(p.online(), ["lan", "mai"]);
        drop(b);
        assert_eq!(p.online(), ["lan"]);
    }
}
