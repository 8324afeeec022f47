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
