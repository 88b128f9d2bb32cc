//! An SMTP sink for tests: accepts every mail on a loopback port and
//! keeps it, so a test can wait for the mail to an address and read its link.
//! It speaks just enough SMTP for a client (EHLO, MAIL, RCPT, DATA, RSET,
//! NOOP, QUIT); nothing is relayed anywhere. The server's API tests and the
//! end-to-end tests start one and point `--smtp-url` at it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// One mail as it arrived.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    /// The message: headers, a blank line, the body as sent (quoted-printable).
    pub data: String,
}

impl Received {
    /// The body, decoded from quoted-printable into text.
    pub fn text(&self) -> String {
        let body = self.data.split_once("\r\n\r\n").map_or("", |(_, body)| body);
        decode_quoted_printable(body)
    }

    /// The `Subject` header, as sent (RFC 2047-encoded when not ASCII).
    pub fn subject(&self) -> String {
        self.data.lines().find_map(|line| line.strip_prefix("Subject: ")).unwrap_or_default().to_owned()
    }

    /// The first link in the text that starts with `prefix`, whole.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text();
        let start = text.find(prefix)?;
        let link: String = text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
        Some(link)
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..(i + 3).min(bytes.len())]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

/// The sink: listening until dropped.
#[derive(Debug)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    mails: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the SMTP sink");
        let addr = listener.local_addr().expect("the sink's address");
        let mails = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Notify::new());
        let (kept, notify) = (mails.clone(), arrived.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, kept.clone(), notify.clone()));
            }
        });
        SmtpSink { addr, mails, arrived, task }
    }

    /// `smtp://` to this sink, for `--smtp-url`.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every mail to `to` so far.
    pub fn to(&self, to: &str) -> Vec<Received> {
        let mails = self.mails.lock().expect("mails");
        mails.iter().filter(|m| m.to.iter().any(|t| t == to)).cloned().collect()
    }

    /// Waits (up to 20 s) until `to` has received `n` mails; returns the `n`th.
    pub async fn nth_to(&self, to: &str, n: usize) -> Received {
        let wait = async {
            loop {
                let notified = self.arrived.notified();
                let mails = self.to(to);
                if mails.len() >= n {
                    return mails[n - 1].clone();
                }
                notified.await;
            }
        };
        tokio::time::timeout(Duration::from_secs(20), wait)
            .await
            .unwrap_or_else(|_| panic!("mail number {n} to {to} did not arrive within 20 s"))
    }
}

async fn session(stream: TcpStream, mails: Arc<Mutex<Vec<Received>>>, arrived: Arc<Notify>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if command.starts_with("HELO") || command.starts_with("MAIL FROM") || command == "NOOP" {
            b"250 OK\r\n"
        } else if command.starts_with("RSET") {
            to.clear();
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO:") {
            let address =
                line.trim_end()[8..].trim().trim_start_matches('<').trim_end_matches('>').to_owned();
            to.push(address);
            b"250 OK\r\n"
        } else if command == "DATA" {
            if write.write_all(b"354 go on\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                match lines.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if line == ".\r\n" {
                    break;
                }
                // Dot-stuffing undone.
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            mails.lock().expect("mails").push(Received { to: std::mem::take(&mut to), data });
            arrived.notify_waiters();
            b"250 kept\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"500 not understood\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
