//! A small HTTP/1.1 proxy in front of the server that can lose answers: with
//! [`Proxy::cut_sync_answers`] set to n, the next n answers to `POST
//! /api/sync` are read from the server (so the push is stored) and then
//! thrown away, the browser's connection closed without a byte — what a phone
//! sees when the network drops after the request went out. Every other
//! request passes through. One request per connection (`Connection: close`
//! both ways), so the browser never retries on a reused socket by itself.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[derive(Debug)]
pub struct Proxy {
    pub addr: SocketAddr,
    cut: Arc<AtomicUsize>,
    /// Sync answers thrown away so far.
    pub cut_done: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let cut = Arc::new(AtomicUsize::new(0));
        let cut_done = Arc::new(AtomicUsize::new(0));
        let (cut_task, done_task) = (cut.clone(), cut_done.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (cut, done) = (cut_task.clone(), done_task.clone());
                tokio::spawn(async move {
                    if let Err(error) = forward(client, upstream, &cut, &done).await {
                        eprintln!("proxy: {error:#}");
                    }
                });
            }
        });
        Ok(Proxy { addr, cut, cut_done, task })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Throws away the server's next `n` answers to a sync push.
    pub fn cut_sync_answers(&self, n: usize) {
        self.cut.store(n, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (head and `Content-Length` body) from `stream`.
async fn read_request(stream: &mut TcpStream) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("the client closed before a full request");
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("the client closed before the body ended");
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(buf)
}

/// `request` with its `Connection` header replaced by `close`.
fn closing(message: &[u8]) -> Vec<u8> {
    let head_end = message.windows(4).position(|w| w == b"\r\n\r\n").map_or(message.len(), |at| at + 2);
    let head = String::from_utf8_lossy(&message[..head_end]);
    let mut out: String = head
        .split("\r\n")
        .filter(|line| !line.is_empty() && !line.to_lowercase().starts_with("connection:"))
        .map(|line| format!("{line}\r\n"))
        .collect();
    out.push_str("Connection: close\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&message[head_end..]);
    bytes
}

async fn forward(
    mut client: TcpStream,
    upstream: SocketAddr,
    cut: &AtomicUsize,
    done: &AtomicUsize,
) -> Result<()> {
    let request = read_request(&mut client).await?;
    let is_push = request.starts_with(b"POST /api/sync ");
    let mut server = TcpStream::connect(upstream).await.context("connecting to the server")?;
    server.write_all(&closing(&request)).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    let take = is_push && cut.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
    if take {
        // The server stored the push and answered; the phone never hears it.
        done.fetch_add(1, Ordering::SeqCst);
        drop(client);
        return Ok(());
    }
    client.write_all(&closing(&response)).await?;
    client.shutdown().await?;
    Ok(())
}
