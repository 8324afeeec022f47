//! Who is connected: every open socket, by user, with a bounded outbox each (like the channel
//! layer's per-channel capacity: what does not fit is dropped silently, and counted here).

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::ws::Utf8Bytes;
use serde::Serialize;
use tokio::sync::{mpsc, watch};

/// What the socket task is told to do.
pub struct SocketHandle {
    /// Frames to write.
    pub frames: mpsc::Receiver<Utf8Bytes>,
    /// Set to a close code when the server wants this socket closed.
    pub close: watch::Receiver<Option<u16>>,
    /// This socket's id in the hub.
    pub id: u64,
}

struct Entry {
    username: String,
    frames: mpsc::Sender<Utf8Bytes>,
    close: watch::Sender<Option<u16>>,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    sockets: HashMap<u64, Entry>,
    peak: HashMap<String, usize>,
    dropped: u64,
}

/// The registry of open sockets.
pub struct Hub {
    inner: Mutex<Inner>,
    capacity: usize,
}

/// `GET /test/connections/`.
#[derive(Serialize)]
pub struct Counts {
    pub open: HashMap<String, usize>,
    pub peak: HashMap<String, usize>,
    pub dropped_frames: u64,
}

impl Hub {
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a new socket for `username`.
    pub fn register(&self, username: &str) -> SocketHandle {
        let (tx, rx) = mpsc::channel(self.capacity);
        let (close_tx, close_rx) = watch::channel(None);
        let mut inner = self.lock();
        inner.next_id += 1;
        let id = inner.next_id;
        inner.sockets.insert(
            id,
            Entry {
                username: username.to_owned(),
                frames: tx,
                close: close_tx,
            },
        );
        let open = inner
            .sockets
            .values()
            .filter(|e| e.username == username)
            .count();
        let peak = inner.peak.entry(username.to_owned()).or_default();
        *peak = (*peak).max(open);
        SocketHandle {
            frames: rx,
            close: close_rx,
            id,
        }
    }

    /// Forgets a socket that has ended.
    pub fn unregister(&self, id: u64) {
        self.lock().sockets.remove(&id);
    }

    /// Fan-out to every socket of `username`, dropping (and counting) what does not fit.
    /// Returns how many sockets took the frame.
    pub fn send(&self, username: &str, frame: Utf8Bytes) -> usize {
        let mut inner = self.lock();
        let mut sent = 0;
        let mut dropped = 0;
        for e in inner.sockets.values().filter(|e| e.username == username) {
            match e.frames.try_send(frame.clone()) {
                Ok(()) => sent += 1,
                Err(_) => dropped += 1,
            }
        }
        inner.dropped += dropped;
        sent
    }

    /// Senders of every socket of `username`, for callers that wait for room instead of
    /// dropping (floods, which tests count frame by frame).
    pub fn senders(&self, username: &str) -> Vec<mpsc::Sender<Utf8Bytes>> {
        self.lock()
            .sockets
            .values()
            .filter(|e| e.username == username)
            .map(|e| e.frames.clone())
            .collect()
    }

    /// Asks every socket to close with `code`; returns how many.
    pub fn close_all(&self, code: u16) -> usize {
        let inner = self.lock();
        for e in inner.sockets.values() {
            let _ = e.close.send(Some(code));
        }
        inner.sockets.len()
    }

    /// Usernames with at least one open socket.
    pub fn online_users(&self) -> Vec<String> {
        let mut users: Vec<String> = self
            .lock()
            .sockets
            .values()
            .map(|e| e.username.clone())
            .collect();
        users.sort();
        users.dedup();
        users
    }

    /// Open and peak counts per user.
    pub fn counts(&self) -> Counts {
        let inner = self.lock();
        let mut open: HashMap<String, usize> = HashMap::new();
        for e in inner.sockets.values() {
            *open.entry(e.username.clone()).or_default() += 1;
        }
        Counts {
            open,
            peak: inner.peak.clone(),
            dropped_frames: inner.dropped,
        }
    }

    /// Peaks start again from what is open now.
    pub fn reset_peaks(&self) {
        let mut inner = self.lock();
        let mut peak: HashMap<String, usize> = HashMap::new();
        for e in inner.sockets.values() {
            *peak.entry(e.username.clone()).or_default() += 1;
        }
        inner.peak = peak;
        inner.dropped = 0;
    }
}
