//! Links in a text that point outside the page's allowed domains.

/// Meta's own domains (m.me links to the page, facebook.com posts) are never external.
const META_DOMAINS: &[&str] = &["m.me", "facebook.com", "fb.com", "fb.me", "messenger.com"];

/// The links (as written) whose host is neither an allowed domain nor a subdomain of one.
pub fn external(text: &str, allowed_domains: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last_token_start = usize::MAX;
    // A link has a dot between two word characters; look only around such dots.
    for (dot, _) in text.match_indices('.') {
        let before = text[..dot].chars().next_back();
        let after = text[dot + 1..].chars().next();
        if !(before.is_some_and(|c| c.is_ascii_alphanumeric())
            && after.is_some_and(|c| c.is_ascii_alphanumeric()))
        {
            continue;
        }
        let start = text[..dot]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        if start == last_token_start {
            continue; // another dot of the same token
        }
        last_token_start = start;
        let end = text[dot..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| dot + i);
        let token = text[start..end].trim_matches(|c: char| "()[]<>\"'.,;:!?".contains(c));
        let Some(host) = host(token) else { continue };
        let allowed = |d: &str| {
            let d = d.trim().trim_start_matches("www.");
            !d.is_empty()
                && (host.eq_ignore_ascii_case(d)
                    || (host.len() > d.len()
                        && host.ends_with(d)
                        && host.as_bytes()[host.len() - d.len() - 1] == b'.'))
        };
        if !META_DOMAINS.iter().any(|d| allowed(d)) && !allowed_domains.iter().any(|d| allowed(d)) {
            out.push(token.to_owned());
        }
    }
    out
}

/// The lower-case host of a URL-looking token: `https://…`, `www.…` or a bare `name.tld/…`.
fn host(token: &str) -> Option<String> {
    if token.contains('@') {
        return None; // an e-mail address, not a link
    }
    let lower = token.to_ascii_lowercase();
    let (rest, explicit) = match lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        Some(rest) => (rest, true),
        None => (lower.as_str(), false),
    };
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .split(':')
        .next()?
        .trim_start_matches("www.");
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last()?;
    let looks_like_domain = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && (2..=24).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_alphabetic());
    (looks_like_domain || (explicit && !host.is_empty())).then(|| host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_external_links_only() {
        let allowed = vec!["shop.example.com".to_owned()];
        assert_eq!(
            external("See https://bit.ly/x and www.other-shop.vn/sale.", &allowed),
            ["https://bit.ly/x", "www.other-shop.vn/sale"]
        );
        assert!(external("Track it at https://shop.example.com/orders/4521", &allowed).is_empty());
        assert!(external("Sub-domains: https://cdn.shop.example.com/a.png", &allowed).is_empty());
        assert!(external("Message us: m.me/lanshop or write help@other.com", &allowed).is_empty());
        assert!(external("Arrives at 9.30 on Thursday, e.g. tomorrow", &allowed).is_empty());
        assert_eq!(external("Order at lazada.vn now", &allowed), ["lazada.vn"]);
    }
}
