//! The inbox by transaction: one thread per transaction (created → approved → uploaded …),
//! threads newest first, each thread's notifications in the order they happened. Pure.

use std::collections::HashMap;
use std::rc::Rc;

use super::{ItemKey, Notification};

/// What ties notifications into one thread.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ThreadKey {
    /// The transaction id.
    Transaction(i64),
    /// A transaction code no notification with an id carries (e.g. a live-only frame).
    Code(Rc<str>),
    /// A notification about no transaction: a thread of its own.
    Alone(ItemKey),
}

impl ThreadKey {
    /// A DOM-safe identifier, unique among threads (a code's other characters are written as
    /// their code points).
    pub fn dom_id(&self) -> String {
        match self {
            ThreadKey::Transaction(id) => format!("thread-tx-{id}"),
            ThreadKey::Code(code) => {
                let mut out = String::from("thread-code-");
                for c in code.chars() {
                    if c.is_ascii_alphanumeric() {
                        out.push(c);
                    } else {
                        out.push_str(&format!("_{:x}_", u32::from(c)));
                    }
                }
                out
            }
            ThreadKey::Alone(key) => format!("thread-{}", key.dom_id()),
        }
    }
}

/// One transaction's notifications.
#[derive(Clone, Debug)]
pub struct Thread {
    /// What ties them.
    pub key: ThreadKey,
    /// Oldest first: the order things happened to the transaction. Never empty.
    pub items: Vec<Rc<Notification>>,
    /// How many are unread.
    pub unread: usize,
    /// The transaction id, when one is known.
    pub transaction_id: Option<i64>,
    /// The transaction code, from the newest notification that carries one.
    pub code: Option<Rc<str>>,
}

// Equal when it holds the same items (pointer compares): what a thread's component compares.
impl PartialEq for Thread {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
            && self.items.len() == other.items.len()
            && self
                .items
                .iter()
                .zip(&other.items)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl Thread {
    /// The newest notification.
    pub fn newest(&self) -> Option<&Rc<Notification>> {
        self.items.last()
    }

    /// The actions in the order they happened, a repeat of the one before left out: "List",
    /// "Approve", "Oracle Upload".
    pub fn steps(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for n in &self.items {
            if let Some(a) = n.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                if out.last() != Some(&a) {
                    out.push(a);
                }
            }
        }
        out
    }
}

fn code_of(n: &Notification) -> Option<&str> {
    n.code.as_deref().map(str::trim).filter(|c| !c.is_empty())
}

/// `items` (newest first, as the inbox holds them) as threads, newest first: by transaction
/// id; a code without an id joins the thread of the id another notification gives that code,
/// else makes a thread of its own; a notification about no transaction stands alone.
pub fn threads<'a>(items: impl IntoIterator<Item = &'a Rc<Notification>>) -> Vec<Thread> {
    let items: Vec<&Rc<Notification>> = items.into_iter().collect();
    // Codes whose transaction id some notification tells.
    let mut code_ids: HashMap<&str, i64> = HashMap::new();
    for &n in &items {
        if let (Some(code), Some(id)) = (code_of(n), n.transaction_id) {
            code_ids.entry(code).or_insert(id);
        }
    }
    let mut at: HashMap<ThreadKey, usize> = HashMap::new();
    let mut out: Vec<Thread> = Vec::new();
    for n in items {
        let code = code_of(n);
        let id = n
            .transaction_id
            .or_else(|| code.and_then(|c| code_ids.get(c).copied()));
        let key = match (id, code) {
            (Some(id), _) => ThreadKey::Transaction(id),
            (None, Some(code)) => ThreadKey::Code(Rc::from(code)),
            (None, None) => ThreadKey::Alone(n.key),
        };
        let i = *at.entry(key.clone()).or_insert_with(|| {
            out.push(Thread {
                key,
                items: Vec::new(),
                unread: 0,
                transaction_id: id,
                code: None,
            });
            out.len() - 1
        });
        let thread = &mut out[i];
        if thread.code.is_none() {
            thread.code = code.map(Rc::from);
        }
        if !n.is_read {
            thread.unread += 1;
        }
        thread.items.push(Rc::clone(n));
    }
    for t in &mut out {
        t.items.reverse();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(
        id: i64,
        tx: Option<i64>,
        code: Option<&str>,
        action: &str,
        read: bool,
    ) -> Rc<Notification> {
        Rc::new(Notification {
            transaction_id: tx,
            code: code.map(str::to_owned),
            transaction_type: Some("FAR".into()),
            action: Some(action.into()),
            is_read: read,
            ..Notification::sample(id)
        })
    }

    fn ids(t: &Thread) -> Vec<i64> {
        t.items
            .iter()
            .map(|n| match n.key {
                ItemKey::Id(id) => id,
                ItemKey::Live(n) => -(n as i64),
            })
            .collect()
    }

    #[test]
    fn one_thread_per_transaction_newest_first_each_in_the_order_it_happened() {
        // Newest first, as the inbox holds them.
        let list = vec![
            item(7, Some(861), None, "Oracle Upload Completed", false),
            item(6, Some(900), None, "List", false),
            item(5, Some(861), None, "Oracle Upload", true),
            item(4, None, None, "Notice", false),
            item(3, Some(861), Some("FAR-0016"), "Approve", true),
            item(2, Some(900), None, "Approve", true),
            item(1, Some(861), Some("FAR-0016"), "List", true),
        ];
        let threads = threads(&list);
        let keys: Vec<&ThreadKey> = threads.iter().map(|t| &t.key).collect();
        assert_eq!(
            keys,
            [
                &ThreadKey::Transaction(861),
                &ThreadKey::Transaction(900),
                &ThreadKey::Alone(ItemKey::Id(4)),
            ]
        );
        assert_eq!(ids(&threads[0]), [1, 3, 5, 7], "created → … → uploaded");
        assert_eq!(
            threads[0].steps(),
            [
                "List",
                "Approve",
                "Oracle Upload",
                "Oracle Upload Completed"
            ]
        );
        assert_eq!(threads[0].unread, 1);
        assert_eq!(threads[0].code.as_deref(), Some("FAR-0016"));
        assert_eq!(threads[0].newest().map(|n| n.key), Some(ItemKey::Id(7)));
        assert_eq!(ids(&threads[1]), [2, 6]);
        assert_eq!(threads[1].code, None);
        assert_eq!(ids(&threads[2]), [4]);
        // Every item is in exactly one thread.
        let total: usize = threads.iter().map(|t| t.items.len()).sum();
        assert_eq!(total, list.len());
    }

    #[test]
    fn a_code_without_an_id_joins_its_transaction_or_stands_on_its_own() {
        let list = vec![
            item(4, None, Some(" FAR-0016 "), "List", false),
            item(3, None, Some("FAR-0099"), "List", false),
            item(2, None, Some("FAR-0099"), "Approve", false),
            item(1, Some(861), Some("FAR-0016"), "List", false),
            item(0, None, Some(""), "List", false),
        ];
        let threads = threads(&list);
        assert_eq!(threads[0].key, ThreadKey::Transaction(861));
        assert_eq!(ids(&threads[0]), [1, 4]);
        assert_eq!(threads[1].key, ThreadKey::Code(Rc::from("FAR-0099")));
        assert_eq!(ids(&threads[1]), [2, 3]);
        assert_eq!(threads[1].transaction_id, None);
        assert_eq!(
            threads[2].key,
            ThreadKey::Alone(ItemKey::Id(0)),
            "an empty code is none"
        );
    }

    #[test]
    fn repeated_steps_are_named_once_and_dom_ids_are_safe() {
        let list = vec![
            item(3, Some(1), None, "Approve", false),
            item(2, Some(1), None, "Approve", false),
            item(1, Some(1), None, " ", false),
        ];
        assert_eq!(threads(&list)[0].steps(), ["Approve"]);
        assert_eq!(ThreadKey::Transaction(-5).dom_id(), "thread-tx--5");
        assert_eq!(
            ThreadKey::Code(Rc::from("FAR 0/1\"x")).dom_id(),
            "thread-code-FAR_20_0_2f_1_22_x"
        );
        assert_eq!(
            ThreadKey::Alone(ItemKey::Live(3)).dom_id(),
            "thread-notification-live-3"
        );
        assert!(threads(&[]).is_empty());
    }

    #[test]
    fn threads_are_equal_only_with_the_same_items() {
        let list = vec![
            item(2, Some(1), None, "A", false),
            item(1, Some(1), None, "B", true),
        ];
        let a = threads(&list);
        let b = threads(&list);
        assert_eq!(a, b);
        let other = vec![item(2, Some(1), None, "A", false), list[1].clone()];
        assert_ne!(threads(&other), a, "an equal but other item is a change");
    }
}
