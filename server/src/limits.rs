//! Attempt limits for guessable secrets (passwords, invite codes) and for
//! sign-ups: a fixed window per key (an IP address, or an account's email),
//! kept in memory. With several server instances each keeps its own count,
//! which multiplies the limit by the number of instances — still far below
//! what guessing needs.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::AppError;

/// How many attempts, in how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub attempts: u32,
    pub per: Duration,
}

impl Rate {
    pub const fn new(attempts: u32, per_seconds: u64) -> Rate {
        Rate { attempts, per: Duration::from_secs(per_seconds) }
    }
}

/// The rates the server applies. The defaults suit people; tests and
/// benchmarks that sign up many accounts from one address raise them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    /// Log-in attempts from one IP address.
    pub login_per_ip: Rate,
    /// Log-in attempts for one email, from anywhere.
    pub login_per_account: Rate,
    /// Invite codes tried from one IP address.
    pub invite_per_ip: Rate,
    /// Invite codes tried by one account.
    pub invite_per_account: Rate,
    /// Accounts created from one IP address.
    pub signup_per_ip: Rate,
}

impl Default for Rates {
    fn default() -> Rates {
        Rates {
            login_per_ip: Rate::new(30, 15 * 60),
            login_per_account: Rate::new(10, 15 * 60),
            invite_per_ip: Rate::new(30, 15 * 60),
            invite_per_account: Rate::new(10, 15 * 60),
            signup_per_ip: Rate::new(20, 60 * 60),
        }
    }
}

/// One kind of limit: attempts per key in a fixed window.
#[derive(Debug)]
pub struct Limiter {
    rate: Rate,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    pub fn new(rate: Rate) -> Limiter {
        Limiter { rate, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt for `key`; Err(429 with Retry-After) when over.
    pub fn hit(&self, key: &str) -> Result<(), AppError> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() > 50_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < self.rate.per);
        }
        let (start, count) = windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(*start) >= self.rate.per {
            *start = now;
            *count = 0;
        }
        if *count >= self.rate.attempts {
            let retry = self.rate.per.saturating_sub(now.duration_since(*start));
            return Err(AppError::TooManyRequests { retry_after_s: retry.as_secs().max(1) });
        }
        *count += 1;
        Ok(())
    }
}

/// Every limiter the server keeps.
#[derive(Debug)]
pub struct Limits {
    pub login_ip: Limiter,
    pub login_account: Limiter,
    pub invite_ip: Limiter,
    pub invite_account: Limiter,
    pub signup_ip: Limiter,
}

impl Limits {
    pub fn new(rates: Rates) -> Limits {
        Limits {
            login_ip: Limiter::new(rates.login_per_ip),
            login_account: Limiter::new(rates.login_per_account),
            invite_ip: Limiter::new(rates.invite_per_ip),
            invite_account: Limiter::new(rates.invite_per_account),
            signup_ip: Limiter::new(rates.signup_per_ip),
        }
    }
}

/// The key for an IP address: IPv6 addresses by their /64, since one
/// household or phone gets a whole /64.
pub fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_after_its_attempts_and_others_are_not() {
        let limiter = Limiter::new(Rate::new(3, 60));
        for _ in 0..3 {
            assert!(limiter.hit("a").is_ok());
        }
        match limiter.hit("a") {
            Err(AppError::TooManyRequests { retry_after_s }) => assert!((1..=60).contains(&retry_after_s)),
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(limiter.hit("b").is_ok());
    }

    #[test]
    fn ipv6_counts_by_prefix() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        assert_eq!(ip_key(a), ip_key(b));
        assert_eq!(ip_key("::ffff:10.0.0.1".parse().expect("ip")), "10.0.0.1");
    }
}

/// The caller's address as a limit key: the connection's peer, or, behind a
/// reverse proxy named by `--client-ip-header`, the last address that header
/// lists (the one the proxy itself saw).
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl axum::extract::FromRequestParts<crate::AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<ClientIp, AppError> {
        if let Some(header) = &state.client_ip_header {
            let forwarded = parts
                .headers
                .get(header)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|ip| ip.trim().parse::<IpAddr>().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip_key(ip)));
            }
        }
        let peer =
            parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientIp(peer.map_or_else(|| "unknown".to_owned(), ip_key)))
    }
}
