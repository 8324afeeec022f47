//! SQLite storage: users, notification history, the refresh-token blacklist and the signing key.
//! Everything survives a restart of the process when `--data` points at a file.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

/// A user as the login answer describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub can_transfer_budget: bool,
    pub user_level: i64,
    pub user_level_name: String,
}

/// A new history row.
#[derive(Clone, Debug, Default)]
pub struct NewNotification {
    pub message: String,
    pub eng_message: String,
    pub ara_message: String,
    pub transaction_id: Option<i64>,
    pub type_of_transaction: Option<String>,
    pub type_of_action: Option<String>,
}

/// One seeded user: username, password, id, role, level, level name.
const SEED_USERS: &[(&str, &str, i64, &str, i64, &str)] = &[
    ("finance1", "Passw0rd!", 35, "user", 2, "Finance Officer"),
    ("finance2", "Passw0rd!", 36, "user", 2, "Finance Officer"),
];

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, password TEXT NOT NULL,
  role TEXT NOT NULL, can_transfer_budget INTEGER NOT NULL, user_level INTEGER NOT NULL,
  user_level_name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, message TEXT NOT NULL,
  eng_message TEXT NOT NULL, ara_message TEXT NOT NULL, is_read INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, is_shown INTEGER NOT NULL DEFAULT 1,
  is_system_read INTEGER NOT NULL DEFAULT 0, is_deleted INTEGER NOT NULL DEFAULT 0,
  transaction_id INTEGER, type_of_transaction TEXT, type_of_action TEXT);
CREATE INDEX IF NOT EXISTS notifications_user ON notifications (user_id, is_deleted, id);
CREATE TABLE IF NOT EXISTS blacklist (jti TEXT PRIMARY KEY, at TEXT NOT NULL);
";

/// The database. Wrapped in a mutex by the server: every call is short.
pub struct Db {
    conn: Connection,
}

impl Db {
    /// Opens (creating if needed) the database at `path` and seeds it when it is new.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        let db = Self { conn };
        let users: i64 = db
            .conn
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?;
        if users == 0 {
            db.seed()?;
        }
        Ok(db)
    }

    /// The HS256 signing key, created once and kept, so tokens outlive a restart.
    pub fn signing_secret(&self) -> rusqlite::Result<Vec<u8>> {
        let existing: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'secret'", [], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(hex) = existing {
            return Ok(hex.into_bytes());
        }
        let secret: String = (0..48)
            .map(|_| format!("{:02x}", rand::random::<u8>()))
            .collect();
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('secret', ?1)",
            params![secret],
        )?;
        Ok(secret.into_bytes())
    }

    /// Restores the seed: the two finance users, a few history rows, an empty blacklist.
    pub fn reset(&mut self) -> rusqlite::Result<()> {
        self.conn.execute_batch(
            "DELETE FROM notifications; DELETE FROM blacklist; DELETE FROM users;
             DELETE FROM sqlite_sequence WHERE name = 'notifications';",
        )?;
        self.seed()
    }

    fn seed(&self) -> rusqlite::Result<()> {
        for (username, password, id, role, level, level_name) in SEED_USERS {
            self.conn.execute(
                "INSERT INTO users (id, username, password, role, can_transfer_budget, user_level, user_level_name)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)",
                params![id, username, password, role, level, level_name],
            )?;
        }
        let history = [
            (
                "FAR-0012",
                841,
                "FAR",
                "Approve",
                "Budget transfer FAR-0012 was approved",
                "تمت الموافقة على مناقلة الميزانية FAR-0012",
                true,
            ),
            (
                "FAR-0014",
                852,
                "FAR",
                "List",
                "Budget transfer request FAR-0014 is waiting for your review",
                "طلب مناقلة الميزانية FAR-0014 بانتظار مراجعتك",
                false,
            ),
            (
                "FAR-0015",
                857,
                "FAR",
                "Reject",
                "Budget transfer FAR-0015 was returned for changes",
                "تمت إعادة مناقلة الميزانية FAR-0015 لإجراء تعديلات",
                false,
            ),
        ];
        for (i, (code, tx, kind, action, eng, ara, read)) in history.iter().enumerate() {
            let created = chrono::Utc::now() - chrono::Duration::minutes(90 - 30 * i as i64);
            let id = self.insert_notification(
                35,
                &NewNotification {
                    message: format!("{eng} ({code})"),
                    eng_message: eng.to_string(),
                    ara_message: ara.to_string(),
                    transaction_id: Some(*tx),
                    type_of_transaction: Some(kind.to_string()),
                    type_of_action: Some(action.to_string()),
                },
                &created,
            )?;
            if *read {
                self.mark_read(35, id)?;
            }
        }
        Ok(())
    }

    /// Checks a username (already lower-cased) and password.
    pub fn check_login(&self, username: &str, password: &str) -> rusqlite::Result<Option<User>> {
        let found: Option<(User, String)> = self
            .conn
            .query_row(
                "SELECT id, username, role, can_transfer_budget, user_level, user_level_name, password
                 FROM users WHERE username = ?1",
                params![username],
                |r| Ok((user_from_row(r)?, r.get(6)?)),
            )
            .optional()?;
        Ok(found.and_then(|(user, stored)| (stored == password).then_some(user)))
    }

    /// A user by id.
    pub fn user(&self, id: i64) -> rusqlite::Result<Option<User>> {
        self.conn
            .query_row(
                "SELECT id, username, role, can_transfer_budget, user_level, user_level_name
                 FROM users WHERE id = ?1",
                params![id],
                user_from_row,
            )
            .optional()
    }

    /// A user by username.
    pub fn user_by_name(&self, username: &str) -> rusqlite::Result<Option<User>> {
        self.conn
            .query_row(
                "SELECT id, username, role, can_transfer_budget, user_level, user_level_name
                 FROM users WHERE username = ?1",
                params![username.to_lowercase()],
                user_from_row,
            )
            .optional()
    }

    /// Whether a refresh token's `jti` was blacklisted (by logout).
    pub fn is_blacklisted(&self, jti: &str) -> rusqlite::Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM blacklist WHERE jti = ?1",
                params![jti],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
    }

    /// Blacklists `jti` unless it already is; `true` if this call did it (the token was
    /// still good), `false` if it was spent before.
    pub fn spend(&self, jti: &str) -> rusqlite::Result<bool> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO blacklist (jti, at) VALUES (?1, ?2)",
            params![jti, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(inserted == 1)
    }

    /// Blacklists a refresh token's `jti`.
    pub fn blacklist(&self, jti: &str) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO blacklist (jti, at) VALUES (?1, ?2)",
            params![jti, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    /// Persists a history row and returns its id.
    pub fn insert_notification(
        &self,
        user_id: i64,
        n: &NewNotification,
        created_at: &chrono::DateTime<chrono::Utc>,
    ) -> rusqlite::Result<i64> {
        self.conn.execute(
            "INSERT INTO notifications (user_id, message, eng_message, ara_message, created_at,
               transaction_id, type_of_transaction, type_of_action)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                user_id,
                n.message,
                n.eng_message,
                n.ara_message,
                utc_string(created_at),
                n.transaction_id,
                n.type_of_transaction,
                n.type_of_action
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Persists many rows in one transaction (floods, big histories); returns their ids in order.
    pub fn insert_many(
        &mut self,
        user_id: i64,
        rows: &[NewNotification],
    ) -> rusqlite::Result<Vec<i64>> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(rows.len());
        {
            let mut stmt = tx.prepare(
                "INSERT INTO notifications (user_id, message, eng_message, ara_message, created_at,
                   transaction_id, type_of_transaction, type_of_action)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let now = utc_string(&chrono::Utc::now());
            for n in rows {
                stmt.execute(params![
                    user_id,
                    n.message,
                    n.eng_message,
                    n.ara_message,
                    now,
                    n.transaction_id,
                    n.type_of_transaction,
                    n.type_of_action
                ])?;
                ids.push(tx.last_insert_rowid());
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Not-deleted rows of a user, newest first (`unread_only` keeps the unread ones).
    pub fn notifications(&self, user_id: i64, unread_only: bool) -> rusqlite::Result<Vec<Value>> {
        let sql = if unread_only {
            "SELECT * FROM notifications WHERE user_id = ?1 AND is_deleted = 0 AND is_read = 0 ORDER BY id DESC"
        } else {
            "SELECT * FROM notifications WHERE user_id = ?1 AND is_deleted = 0 ORDER BY id DESC"
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![user_id], notification_json)?;
        rows.collect()
    }

    /// One not-deleted row of a user, as the wire shows it.
    pub fn notification(&self, user_id: i64, id: i64) -> rusqlite::Result<Option<Value>> {
        self.conn
            .query_row(
                "SELECT * FROM notifications WHERE user_id = ?1 AND id = ?2 AND is_deleted = 0",
                params![user_id, id],
                notification_json,
            )
            .optional()
    }

    /// Marks one row read; false when it is not this user's or is deleted.
    pub fn mark_read(&self, user_id: i64, id: i64) -> rusqlite::Result<bool> {
        let n = self.conn.execute(
            "UPDATE notifications SET is_read = 1 WHERE user_id = ?1 AND id = ?2 AND is_deleted = 0",
            params![user_id, id],
        )?;
        Ok(n > 0)
    }

    /// Marks every row of a user read; returns how many changed.
    pub fn mark_all_read(&self, user_id: i64) -> rusqlite::Result<usize> {
        self.conn.execute(
            "UPDATE notifications SET is_read = 1 WHERE user_id = ?1 AND is_deleted = 0 AND is_read = 0",
            params![user_id],
        )
    }

    /// Soft-deletes a user's rows beyond the newest `keep` (a soak keeps the server's history
    /// at a steady size); returns how many went.
    pub fn trim(&self, user_id: i64, keep: usize) -> rusqlite::Result<usize> {
        self.conn.execute(
            "UPDATE notifications SET is_deleted = 1 WHERE user_id = ?1 AND is_deleted = 0 AND id NOT IN \
             (SELECT id FROM notifications WHERE user_id = ?1 AND is_deleted = 0 ORDER BY id DESC LIMIT ?2)",
            params![user_id, keep as i64],
        )
    }

    /// Soft-deletes one row; false when it is not this user's or already deleted.
    pub fn soft_delete(&self, user_id: i64, id: i64) -> rusqlite::Result<bool> {
        let n = self.conn.execute(
            "UPDATE notifications SET is_deleted = 1 WHERE user_id = ?1 AND id = ?2 AND is_deleted = 0",
            params![user_id, id],
        )?;
        Ok(n > 0)
    }
}

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        role: r.get(2)?,
        can_transfer_budget: r.get::<_, i64>(3)? != 0,
        user_level: r.get(4)?,
        user_level_name: r.get(5)?,
    })
}

/// A history row in the production serializer's shape, misspellings included.
fn notification_json(r: &rusqlite::Row<'_>) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": r.get::<_, i64>("id")?,
        "message": r.get::<_, String>("message")?,
        "eng_message": r.get::<_, String>("eng_message")?,
        "ara_message": r.get::<_, String>("ara_message")?,
        "is_read": r.get::<_, i64>("is_read")? != 0,
        "created_at": r.get::<_, String>("created_at")?,
        "is_shown": r.get::<_, i64>("is_shown")? != 0,
        "is_system_read": r.get::<_, i64>("is_system_read")? != 0,
        "Transaction_id": r.get::<_, Option<i64>>("transaction_id")?,
        "type_of_Trasnction": r.get::<_, Option<String>>("type_of_transaction")?,
        "Type_of_action": r.get::<_, Option<String>>("type_of_action")?,
    }))
}

/// `2025-12-30T12:40:49.474292+00:00`: UTC with an offset, as DRF renders `created_at`.
pub fn utc_string(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

/// `2025-12-30T12:40:49.474292`: the server's local time with no offset, as socket frames carry it.
pub fn naive_local_now() -> String {
    chrono::Local::now()
        .naive_local()
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string()
}

impl Db {
    /// Removes a user (tests of "token for an unknown user"); true when one was removed.
    pub fn delete_user_for_tests(&self, username: &str) -> rusqlite::Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM users WHERE username = ?1", params![username])?
            > 0)
    }
}
