//! Accepting connections, with the limits that keep one client from taking
//! the server away from everyone else:
//!
//! - a **header-read timeout**: a connection must send a whole request head
//!   within [`ConnectionLimits::header_timeout`] of opening, and of finishing
//!   its previous request (so idle keep-alive connections are closed too);
//! - a **cap per address**: at most [`ConnectionLimits::per_address`] open
//!   connections from one client address (off behind a reverse proxy, where
//!   every connection comes from the proxy: the proxy limits its clients);
//! - a **cap in all**, below the process's open-file limit, so the database,
//!   the site's files and `/api/health` always have descriptors left.
//!
//! A connection over a cap is closed at once, before anything is read. HTTP/1.1
//! only: browsers reach Stille over HTTPS through a proxy (or over plain
//! loopback), and neither speaks HTTP/2 to it.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Descriptors kept back from connections, for the database pool, the
/// site's files, logs and the listener itself.
const RESERVED_FILES: u64 = 128;

/// How many connections, and for how long without a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time allowed for a request's head, from opening the connection or
    /// from the end of the previous response.
    pub header_timeout: Duration,
    /// Open connections from one client address; None: no cap (behind a proxy).
    pub per_address: Option<usize>,
    /// Open connections in all.
    pub total: usize,
}

impl ConnectionLimits {
    /// Default caps for a server whose open-file limit is `files`.
    pub fn for_file_limit(files: u64, behind_proxy: bool) -> ConnectionLimits {
        let total = usize::try_from(files.saturating_sub(RESERVED_FILES).max(16)).unwrap_or(usize::MAX);
        ConnectionLimits {
            header_timeout: Duration::from_secs(20),
            // A class on one venue's Wi-Fi: 30 phones with six connections each.
            per_address: (!behind_proxy).then_some(256),
            total,
        }
    }
}

/// Raises the soft open-file limit to the hard one (as much as this process
/// may have without privileges) and returns it.
pub fn open_file_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let hard = limit.maximum.unwrap_or(u64::MAX);
    let soft = limit.current.unwrap_or(u64::MAX);
    if soft < hard {
        let raised = Rlimit { current: Some(hard), maximum: limit.maximum };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            return hard;
        }
    }
    soft
}

/// The connections open now, by client address.
#[derive(Debug, Default)]
pub struct Open {
    by_address: Mutex<(HashMap<IpAddr, usize>, usize)>,
}

/// One admitted connection; dropping it frees its place.
#[derive(Debug)]
pub struct Place {
    open: Arc<Open>,
    ip: IpAddr,
}

impl Open {
    /// A place for a connection from `ip`, or None when a cap is reached.
    pub fn admit(self: &Arc<Self>, ip: IpAddr, limits: &ConnectionLimits) -> Option<Place> {
        let mut guard = self.by_address.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (by_address, total) = &mut *guard;
        if *total >= limits.total {
            return None;
        }
        let from_here = by_address.entry(ip).or_insert(0);
        if limits.per_address.is_some_and(|cap| *from_here >= cap) {
            return None;
        }
        *from_here += 1;
        *total += 1;
        Some(Place { open: self.clone(), ip })
    }

    /// How many are open in all.
    pub fn total(&self) -> usize {
        self.by_address.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut guard = self.open.by_address.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (by_address, total) = &mut *guard;
        *total = total.saturating_sub(1);
        if let Some(count) = by_address.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                by_address.remove(&self.ip);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops
/// accepting and waits for the open connections to finish their requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let open = Arc::new(Open::default());
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut refused_logged = false;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, or a connection reset while queued:
                    // wait a moment rather than spin.
                    tracing::warn!("cannot accept a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(place) = open.admit(peer.ip(), &limits) else {
            if !refused_logged {
                tracing::warn!(
                    open = open.total(),
                    "refused a connection over the connection caps (per address or in all); further refusals are not logged"
                );
                refused_logged = true;
            }
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(router.clone().map_request(
            move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                request.map(axum::body::Body::new)
            },
        ));
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away mid-request is not the server's error.
            let _ = connection.await;
            drop(place);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_capped_per_address_and_in_all_and_freed_when_dropped() {
        let limits =
            ConnectionLimits { header_timeout: Duration::from_secs(1), per_address: Some(2), total: 3 };
        let open = Arc::new(Open::default());
        let a: IpAddr = "10.0.0.1".parse().expect("ip");
        let b: IpAddr = "10.0.0.2".parse().expect("ip");
        let first = open.admit(a, &limits).expect("first from a");
        let _second = open.admit(a, &limits).expect("second from a");
        assert!(open.admit(a, &limits).is_none(), "a third from one address");
        let _third = open.admit(b, &limits).expect("another address");
        assert!(open.admit(b, &limits).is_none(), "over the total");
        drop(first);
        assert_eq!(open.total(), 2);
        assert!(open.admit(a, &limits).is_some(), "a place came free");
        let behind_proxy = ConnectionLimits { per_address: None, total: 10, ..limits };
        let open = Arc::new(Open::default());
        let places: Vec<_> = (0..10).filter_map(|_| open.admit(a, &behind_proxy)).collect();
        assert_eq!(places.len(), 10, "behind a proxy one address is everyone");
    }

    #[test]
    fn the_total_leaves_descriptors_for_everything_else() {
        let limits = ConnectionLimits::for_file_limit(1024, false);
        assert_eq!(limits.total, 1024 - RESERVED_FILES as usize);
        assert_eq!(limits.per_address, Some(256));
        assert_eq!(ConnectionLimits::for_file_limit(1024, true).per_address, None);
        assert!(open_file_limit() > 0);
    }
}
