//! The client's address behind trusted reverse proxies. Only when the TCP
//! peer is one of the configured proxies is X-Forwarded-For read, and then
//! from the right: each proxy appends the address it received the request
//! from, so the right-most entry that is not a trusted proxy is the client.
//! Entries further left were written by the client and are ignored, as is the
//! header from any peer that is not a trusted proxy.
use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// The client's address as resolved for this request (the audit log and the
/// login throttle read it through `extract::client_addr`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClientIp(pub IpAddr);

/// Resolves the client's address once per request.
pub(crate) async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let ip = client_ip(peer.ip(), req.headers(), &state.config.trusted_proxies);
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

/// The client's address: the peer's, unless the peer is a trusted proxy.
pub(crate) fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.contains(ip);
    if !is_trusted(&peer) {
        return peer;
    }
    // Several X-Forwarded-For headers read as one list, in order.
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        // An entry a trusted proxy did not write cannot be relied on: keep
        // the last address known to be right.
        let Some(ip) = parse(entry) else {
            return client;
        };
        client = ip;
        if !is_trusted(&ip) {
            return ip;
        }
    }
    client
}

/// "203.0.113.7", "2001:db8::1", "203.0.113.7:4711" or "[2001:db8::1]:4711".
fn parse(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxy = [ip("10.0.0.1")];
        let spoofed = xff(&["198.51.100.1"]);
        assert_eq!(client_ip(ip("203.0.113.7"), &spoofed, &[]), ip("203.0.113.7"));
        assert_eq!(client_ip(ip("203.0.113.7"), &spoofed, &proxy), ip("203.0.113.7"));
        assert_eq!(client_ip(ip("10.0.0.1"), &spoofed, &proxy), ip("198.51.100.1"));
        assert_eq!(client_ip(ip("10.0.0.1"), &HeaderMap::new(), &proxy), ip("10.0.0.1"));
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_client() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // The client wrote 9.9.9.9 itself; the proxies appended the rest.
        let h = xff(&["9.9.9.9, 198.51.100.1", "10.0.0.2"]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("198.51.100.1"));
        // Only proxies: the left-most of them.
        let h = xff(&["10.0.0.2"]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.2"));
        // Ports and brackets, an IPv4 peer seen as IPv6.
        let h = xff(&["[2001:db8::1]:4711, 198.51.100.3:80"]);
        assert_eq!(client_ip(ip("::ffff:10.0.0.1"), &h, &proxies), ip("198.51.100.3"));
        // Garbage where a proxy's entry should be: the last address known right.
        let h = xff(&["198.51.100.4, unknown"]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.1"));
    }
}
