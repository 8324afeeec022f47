//! REST bodies (PROTOCOL.md, "Auth").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `POST /api/auth/login/` body.
#[derive(Serialize)]
pub struct LoginRequest<'a> {
    /// As typed; the server lower-cases it.
    pub username: &'a str,
    /// As typed.
    pub password: &'a str,
}

/// `POST /api/auth/token-refresh/` body.
#[derive(Serialize)]
pub struct RefreshRequest<'a> {
    /// The refresh token.
    pub refresh: &'a str,
}

/// `POST /api/auth/logout/` body: both tokens, to be blacklisted. Fields in the order
/// `json!` wrote them (sorted), so the body is byte for byte what it was.
#[derive(Serialize)]
pub struct LogoutRequest<'a> {
    /// The access token.
    pub access: &'a str,
    /// The refresh token.
    pub refresh: &'a str,
}

/// The signed-in user (`data` of the login answer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Server id.
    pub id: i64,
    /// Lower-cased username.
    pub username: String,
    /// Role name.
    #[serde(default)]
    pub role: Option<String>,
    /// Whether the user may transfer budget.
    #[serde(default)]
    pub can_transfer_budget: Option<bool>,
}

/// `POST /api/auth/login/` 200 answer.
#[derive(Deserialize)]
pub struct LoginResponse {
    /// The user.
    pub data: User,
    /// Access token.
    pub token: String,
    /// Refresh token.
    pub refresh: String,
}

/// `POST /api/auth/token-refresh/` 200 answer: a new pair.
#[derive(Deserialize)]
pub struct RefreshResponse {
    /// New access token.
    pub access: String,
    /// New refresh token (rotated every time).
    pub refresh: String,
}

/// What a failed login answer says, for the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoginProblem {
    /// A message for the whole form (401 `message`, `detail`, `non_field_errors`).
    pub general: Option<String>,
    /// Per-field messages (`{"username": ["This field is required."]}`).
    pub fields: BTreeMap<String, String>,
}

impl LoginProblem {
    /// Reads a 4xx body of any of the server's error shapes; unknown shapes give `None` parts.
    pub fn from_body(body: &str) -> Self {
        let mut problem = Self::default();
        let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(body) else {
            return problem;
        };
        for (key, value) in obj {
            let text = match &value {
                Value::String(s) => Some(s.clone()),
                Value::Array(items) => {
                    let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                }
                _ => None,
            };
            let Some(text) = text else { continue };
            match key.as_str() {
                "message" | "detail" | "error" | "non_field_errors" => {
                    problem.general.get_or_insert(text);
                }
                "username" | "password" => {
                    problem.fields.insert(key, text);
                }
                _ => {}
            }
        }
        problem
    }
}

/// A change the server is told of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Mark one read.
    ReadOne(i64),
    /// Mark all read.
    ReadAll,
    /// Delete one.
    Delete(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_answer_decodes() {
        let r: LoginResponse = serde_json::from_str(r#"{"data":{"id":35,"username":"finance1","role":"user","can_transfer_budget":true},"user_level":2,"user_level_name":"Finance Officer","message":"Login successful.","token":"a","refresh":"r"}"#).unwrap();
        assert_eq!(r.data.id, 35);
        assert_eq!((r.token.as_str(), r.refresh.as_str()), ("a", "r"));
    }

    #[test]
    fn request_bodies_are_what_json_macro_wrote() {
        let (access, refresh) = ("a\"1", "r");
        assert_eq!(
            serde_json::to_string(&RefreshRequest { refresh }).unwrap(),
            serde_json::json!({ "refresh": refresh }).to_string()
        );
        assert_eq!(
            serde_json::to_string(&LogoutRequest { refresh, access }).unwrap(),
            serde_json::json!({ "refresh": refresh, "access": access }).to_string()
        );
    }

    #[test]
    fn login_problems_of_every_shape() {
        let p = LoginProblem::from_body(r#"{"message":"Invalid credentials."}"#);
        assert_eq!(p.general.as_deref(), Some("Invalid credentials."));
        let p = LoginProblem::from_body(
            r#"{"username":["This field is required."],"password":["This field may not be blank."]}"#,
        );
        assert_eq!(p.general, None);
        assert_eq!(p.fields["username"], "This field is required.");
        assert_eq!(p.fields["password"], "This field may not be blank.");
        let p = LoginProblem::from_body(r#"{"detail":"JSON parse error - x"}"#);
        assert_eq!(p.general.as_deref(), Some("JSON parse error - x"));
        assert_eq!(
            LoginProblem::from_body("<html>502</html>"),
            LoginProblem::default()
        );
    }
}

/// One persisted notification (`N` in PROTOCOL.md), misspellings as on the wire. Every field
/// but `id` is optional so that one odd row never hides the others.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct HistoryRow {
    /// REST id (a number, or a numeric string; a row without a usable id is skipped).
    #[serde(deserialize_with = "required_i64")]
    pub id: i64,
    /// Generic text.
    #[serde(default, deserialize_with = "lenient_string")]
    pub message: Option<String>,
    /// English text.
    #[serde(default, deserialize_with = "lenient_string")]
    pub eng_message: Option<String>,
    /// Arabic text.
    #[serde(default, deserialize_with = "lenient_string")]
    pub ara_message: Option<String>,
    /// Read on the server.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_read: bool,
    /// UTC with an offset.
    #[serde(default, deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    /// The transaction.
    #[serde(rename = "Transaction_id", default, deserialize_with = "lenient_i64")]
    pub transaction_id: Option<i64>,
    /// Transaction type (sic).
    #[serde(
        rename = "type_of_Trasnction",
        default,
        deserialize_with = "lenient_string"
    )]
    pub transaction_type: Option<String>,
    /// Action (sic).
    #[serde(
        rename = "Type_of_action",
        default,
        deserialize_with = "lenient_string"
    )]
    pub action: Option<String>,
}

/// `GET /api/auth/Notifications/`. Rows that cannot be read at all (no id) are skipped.
#[derive(Debug, Default)]
pub struct History {
    /// Newest first, as the server sends them.
    pub rows: Vec<HistoryRow>,
    /// Rows skipped as unreadable.
    pub skipped: usize,
}

impl History {
    /// Parses the list answer leniently, row by row.
    pub fn parse(body: &str) -> Result<Self, String> {
        // Rows stay raw text until each is parsed on its own: one bad row is skipped, not the
        // list, and no intermediate `Value` tree is built for 10,000 rows.
        #[derive(Deserialize)]
        struct Envelope<'a> {
            #[serde(borrow)]
            notifications: Option<Vec<&'a serde_json::value::RawValue>>,
        }
        let envelope: Envelope = serde_json::from_str(body).map_err(|e| e.to_string())?;
        let rows = envelope.notifications.ok_or("no \"notifications\" list")?;
        let mut history = History::default();
        for row in rows {
            match serde_json::from_str::<HistoryRow>(row.get()) {
                Ok(r) => history.rows.push(r),
                Err(_) => history.skipped += 1,
            }
        }
        Ok(history)
    }
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    // The frames' rule (`as_text`), taking a string without copying it.
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        other => super::frames::as_text(&other),
    })
}

fn lenient_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(super::frames::as_int(&Value::deserialize(d)?))
}

fn required_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    lenient_i64(d)?.ok_or_else(|| serde::de::Error::custom("not a whole number"))
}

fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(matches!(Value::deserialize(d)?, Value::Bool(true)))
}

#[cfg(test)]
mod history_tests {
    use super::*;

    #[test]
    fn parses_rows_and_skips_unreadable_ones() {
        let body = r#"{"notifications":[
            {"id":3,"message":"m","eng_message":"e","ara_message":"ع","is_read":false,"created_at":"2025-12-30T12:40:49.474292+00:00","is_shown":true,"is_system_read":false,"Transaction_id":860,"type_of_Trasnction":"FAR","Type_of_action":"List"},
            {"id":2,"message":null,"is_read":"yes","Transaction_id":"861","new_field":1},
            {"message":"no id"},
            "junk"
        ]}"#;
        let h = History::parse(body).unwrap();
        assert_eq!(h.rows.len(), 2);
        assert_eq!(h.skipped, 2);
        assert_eq!(h.rows[0].transaction_id, Some(860));
        assert_eq!(h.rows[0].transaction_type.as_deref(), Some("FAR"));
        assert_eq!(h.rows[1].transaction_id, Some(861));
        assert!(!h.rows[1].is_read);
        assert!(History::parse("[]").is_err());
        assert!(History::parse("<html>").is_err());
    }

    #[test]
    fn hostile_rows_are_read_or_skipped_never_a_panic() {
        let message = "x".repeat(100 * 1024);
        let deep = format!("{}1{}", "[".repeat(50_000), "]".repeat(50_000));
        let body = format!(
            r#"{{"notifications":[
            {{"id":"91","created_at":"+99999-01-01T00:00:00","Transaction_id":1e300}},
            {{"id":92.0,"message":"{message}","is_read":1}},
            {{"id":1.5}}, {{"id":1e300}}, {{"id":"abc"}}, {{"id":18446744073709551615}},
            {{"id":null}}, {{"id":[1]}}, {{"id":93,"extra":{deep}}}, null, 7, [],
            {{"id":-4,"eng_message":{{"nested":true}},"Type_of_action":false}}
        ]}}"#
        );
        let h = History::parse(&body).unwrap();
        let ids: Vec<i64> = h.rows.iter().map(|r| r.id).collect();
        // 93's extra field is skipped unread (iteratively: no recursion, no stack overflow).
        assert_eq!(ids, vec![91, 92, 93, -4]);
        assert_eq!(h.skipped, 9);
        assert_eq!(h.rows[0].transaction_id, None);
        assert_eq!(h.rows[1].message.as_deref(), Some(message.as_str()));
        assert!(!h.rows[1].is_read, "only `true` is read");
        assert_eq!(h.rows[3].eng_message, None);
        assert_eq!(h.rows[3].action, None);
        // A list of deeply nested junk: nothing read, no stack overflow.
        let h = History::parse(&format!(r#"{{"notifications":{deep}}}"#));
        assert!(h.is_err() || h.is_ok_and(|h| h.rows.is_empty()));
    }
}
