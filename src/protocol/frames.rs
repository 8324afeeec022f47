//! Server → client socket frames (PROTOCOL.md, "Socket").
//!
//! Decoding is lenient where production is irregular (two notification shapes, numbers sent as
//! strings, missing or null timestamps, extra fields) and strict where it must be: a frame that
//! is not a JSON object with a string `type` is an error, counted and skipped by the caller.
//! Nothing here panics, whatever the input.

use serde_json::{Map, Value};

/// Frames larger than this are skipped unread: no real event is anywhere near it, and parsing
/// megabytes on the UI thread would freeze the page.
pub const MAX_FRAME_BYTES: usize = 256 * 1024;

/// Steps a job has when the server omits `total_steps`.
pub const DEFAULT_TOTAL_STEPS: u32 = 5;

/// A decoded frame.
#[derive(Clone, Debug, PartialEq)]
pub enum ServerFrame {
    /// First frame after the server accepted the socket.
    ConnectionEstablished {
        /// The server's user id (a number on the socket).
        user_id: Option<i64>,
    },
    /// Answer to our ping, echoing its timestamp.
    Pong {
        /// What we sent.
        timestamp: Value,
    },
    /// A general notification, either wire shape.
    Notification(LiveNotification),
    /// An Oracle upload job event.
    Upload(UploadEvent),
    /// A `type` this client does not know (the backend grows): counted and ignored.
    Unknown {
        /// The `type` value.
        kind: String,
    },
}

/// The kinds subscribers can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FrameKind {
    /// `connection_established`.
    ConnectionEstablished,
    /// `pong`.
    Pong,
    /// `notification`.
    Notification,
    /// `oracle_upload_*`.
    Upload,
    /// Anything else.
    Unknown,
}

impl ServerFrame {
    /// Which kind this frame is, for subscriptions.
    pub fn kind(&self) -> FrameKind {
        match self {
            ServerFrame::ConnectionEstablished { .. } => FrameKind::ConnectionEstablished,
            ServerFrame::Pong { .. } => FrameKind::Pong,
            ServerFrame::Notification(_) => FrameKind::Notification,
            ServerFrame::Upload(_) => FrameKind::Upload,
            ServerFrame::Unknown { .. } => FrameKind::Unknown,
        }
    }
}

/// A notification as the socket delivers it, both shapes folded into one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveNotification {
    /// REST id when the server persisted it (flattened shape); `None` for live-only items.
    pub id: Option<i64>,
    /// The generic text.
    pub message: String,
    /// English text, when sent.
    pub eng_message: Option<String>,
    /// Arabic text, when sent.
    pub ara_message: Option<String>,
    /// The transaction, from `data.transaction_id` or `Transaction_id`.
    pub transaction_id: Option<i64>,
    /// Human code such as `FAR-0016`.
    pub code: Option<String>,
    /// `type_of_Trasnction` (sic).
    pub transaction_type: Option<String>,
    /// `Type_of_action`.
    pub action: Option<String>,
    /// `created_at`: UTC with an offset, when present.
    pub created_at: Option<String>,
    /// `timestamp`: the server's naive local time, when present.
    pub timestamp: Option<String>,
    /// `is_read`, when present.
    pub is_read: Option<bool>,
    /// `seq`, the test backend's flood counter.
    pub seq: Option<u64>,
}

impl LiveNotification {
    /// The message in the user's language (see [`crate::protocol::server_text`]).
    pub fn text(&self, arabic: bool) -> &str {
        crate::protocol::text::message_text(
            arabic,
            &self.message,
            self.eng_message.as_deref(),
            self.ara_message.as_deref(),
        )
    }
}

/// What happened to an upload job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadPhase {
    /// `oracle_upload_started`.
    Started,
    /// `oracle_upload_progress`.
    Progress {
        /// Step name, e.g. "Interface Loader".
        step: Option<String>,
        /// 1-based position; may be null.
        step_number: Option<u32>,
        /// Total steps; [`DEFAULT_TOTAL_STEPS`] when omitted.
        total_steps: u32,
        /// `processing`, `completed` or `failed` (of that step); other values kept as text.
        status: StepStatus,
    },
    /// `oracle_upload_completed`.
    Completed {
        /// `success`, when sent.
        success: Option<bool>,
        /// Where the result file is, when given.
        result_path: Option<String>,
    },
    /// `oracle_upload_failed`.
    Failed {
        /// The error text.
        error: Option<String>,
    },
}

impl UploadPhase {
    /// A job's milestone (started, completed, failed): worth a toast and a history row.
    /// Progress frames are not.
    ///
    /// ```
    /// # use herald::protocol::frames::UploadPhase;
    /// assert!(UploadPhase::Started.is_milestone());
    /// assert!(UploadPhase::Failed { error: None }.is_milestone());
    /// ```
    pub fn is_milestone(&self) -> bool {
        !matches!(self, UploadPhase::Progress { .. })
    }
}

/// A step's status in a progress frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepStatus {
    /// The step is running.
    Processing,
    /// The step finished.
    Completed,
    /// The step failed.
    Failed,
    /// Something new: shown, never fatal.
    Other(String),
}

/// An Oracle upload job event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadEvent {
    /// The job's key.
    pub transaction_id: i64,
    /// What happened.
    pub phase: UploadPhase,
    /// Generic text.
    pub message: Option<String>,
    /// English text.
    pub eng_message: Option<String>,
    /// Arabic text.
    pub ara_message: Option<String>,
    /// Naive local time, when sent.
    pub timestamp: Option<String>,
}

/// Why a frame was skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Larger than [`MAX_FRAME_BYTES`].
    TooLarge(usize),
    /// Not JSON at all.
    NotJson,
    /// JSON, but not an object with a string `type`.
    NoType,
    /// A known type missing a field it cannot do without (e.g. a job without `transaction_id`).
    MissingField {
        /// The frame's type.
        kind: String,
        /// The field.
        field: &'static str,
    },
}

/// Our `ping` frame, echoed back in a `pong`: `{"timestamp":…,"type":"ping"}` (the bytes
/// `json!` wrote, keys sorted), through a derived serializer instead of a `Value` tree.
pub fn ping_frame(timestamp: &str) -> String {
    #[derive(serde::Serialize)]
    struct Ping<'a> {
        timestamp: &'a str,
        r#type: &'static str,
    }
    serde_json::to_string(&Ping {
        timestamp,
        r#type: "ping",
    })
    .unwrap_or_default()
}

/// Decodes one text frame.
///
/// ```
/// # use herald::protocol::{decode_frame, ServerFrame};
/// let f = decode_frame(r#"{"type":"pong","timestamp":"x"}"#).unwrap();
/// assert!(matches!(f, ServerFrame::Pong { .. }));
/// assert!(decode_frame("not json").is_err());
/// ```
pub fn decode_frame(text: &str) -> Result<ServerFrame, DecodeError> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(DecodeError::TooLarge(text.len()));
    }
    let value: Value = serde_json::from_str(text).map_err(|_| DecodeError::NotJson)?;
    let Value::Object(obj) = value else {
        return Err(DecodeError::NoType);
    };
    let kind = match obj.get("type") {
        Some(Value::String(s)) => s.clone(),
        _ => return Err(DecodeError::NoType),
    };
    Ok(match kind.as_str() {
        "connection_established" => ServerFrame::ConnectionEstablished {
            user_id: int(&obj, "user_id"),
        },
        "pong" => ServerFrame::Pong {
            timestamp: obj.get("timestamp").cloned().unwrap_or(Value::Null),
        },
        "notification" => ServerFrame::Notification(notification(&obj)),
        "oracle_upload_started"
        | "oracle_upload_progress"
        | "oracle_upload_completed"
        | "oracle_upload_failed" => ServerFrame::Upload(upload(&kind, &obj)?),
        // Only counted: a 100 KB type name is not kept whole.
        _ => ServerFrame::Unknown {
            kind: super::clip_owned(kind, 64),
        },
    })
}

fn notification(obj: &Map<String, Value>) -> LiveNotification {
    let data = match obj.get("data") {
        Some(Value::Object(d)) => Some(d),
        _ => None,
    };
    // Nested shape: data.{transaction_id, code}; flattened: Transaction_id, code at the top.
    let from_data = |key: &str| data.and_then(|d| d.get(key));
    LiveNotification {
        id: int(obj, "id"),
        message: text(obj, "message").unwrap_or_default(),
        eng_message: text(obj, "eng_message"),
        ara_message: text(obj, "ara_message"),
        transaction_id: int(obj, "Transaction_id")
            .or_else(|| int(obj, "transaction_id"))
            .or_else(|| from_data("transaction_id").and_then(as_int)),
        code: text(obj, "code").or_else(|| from_data("code").and_then(as_text)),
        transaction_type: text(obj, "type_of_Trasnction"),
        action: text(obj, "Type_of_action"),
        created_at: text(obj, "created_at"),
        timestamp: text(obj, "timestamp"),
        is_read: obj.get("is_read").and_then(Value::as_bool),
        seq: obj
            .get("seq")
            .and_then(as_int)
            .and_then(|n| u64::try_from(n).ok()),
    }
}

fn upload(kind: &str, obj: &Map<String, Value>) -> Result<UploadEvent, DecodeError> {
    let transaction_id = int(obj, "transaction_id").ok_or(DecodeError::MissingField {
        kind: kind.to_owned(),
        field: "transaction_id",
    })?;
    let phase = match kind {
        "oracle_upload_started" => UploadPhase::Started,
        "oracle_upload_progress" => UploadPhase::Progress {
            step: text(obj, "step"),
            step_number: int(obj, "step_number").and_then(|n| u32::try_from(n).ok()),
            total_steps: int(obj, "total_steps")
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
                .unwrap_or(DEFAULT_TOTAL_STEPS),
            status: match text(obj, "status").as_deref() {
                Some("processing") | None => StepStatus::Processing,
                Some("completed") => StepStatus::Completed,
                Some("failed") => StepStatus::Failed,
                Some(other) => StepStatus::Other(other.to_owned()),
            },
        },
        "oracle_upload_completed" => UploadPhase::Completed {
            success: obj.get("success").and_then(Value::as_bool),
            result_path: text(obj, "result_path"),
        },
        _ => UploadPhase::Failed {
            error: text(obj, "error"),
        },
    };
    Ok(UploadEvent {
        transaction_id,
        phase,
        message: text(obj, "message"),
        eng_message: text(obj, "eng_message"),
        ara_message: text(obj, "ara_message"),
        timestamp: text(obj, "timestamp"),
    })
}

/// Whole numbers beyond this are not ids or counts but noise (and lose precision as floats).
const MAX_SAFE_INT: f64 = 9_007_199_254_740_991.0; // 2^53 - 1

/// A whole number sent as a number or a numeric string. `3.0` is 3; `1.5`, `1e300`, `NaN`,
/// integers beyond `i64` and anything else are absent, never a panic or a wrapped value.
pub(crate) fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole)),
        Value::String(s) => {
            let s = s.trim();
            // Bounded before parsing: a 100 KB string of digits is not a number.
            if s.len() > 24 {
                return None;
            }
            // Not `s.parse::<f64>()`: the standard float parser costs 14 KB gzip of wasm.
            s.parse().ok().or_else(|| super::number::whole_decimal(s))
        }
        _ => None,
    }
}

fn whole(f: f64) -> Option<i64> {
    // `as` saturates, but only exact, safe integers are accepted: the range check comes first.
    (f.is_finite() && f.fract() == 0.0 && f.abs() <= MAX_SAFE_INT).then_some(f as i64)
}

/// Text sent as a string (numbers are shown as written; null and objects are absent).
pub(crate) fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn int(obj: &Map<String, Value>, key: &str) -> Option<i64> {
    obj.get(key).and_then(as_int)
}

fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(as_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notif(text: &str) -> LiveNotification {
        match decode_frame(text).unwrap() {
            ServerFrame::Notification(n) => n,
            other => panic!("{other:?}"),
        }
    }

    fn up(text: &str) -> UploadEvent {
        match decode_frame(text).unwrap() {
            ServerFrame::Upload(u) => u,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ping_frame_is_what_json_macro_wrote() {
        for t in ["2025-12-30T12:40:49.474Z", "", "\"quoted\" \\ ع"] {
            assert_eq!(
                ping_frame(t),
                serde_json::json!({"type": "ping", "timestamp": String::from(t)}).to_string()
            );
        }
    }

    #[test]
    fn connection_established() {
        let f = decode_frame(r#"{"type":"connection_established","message":"WebSocket connected successfully","user_id":35}"#).unwrap();
        assert_eq!(f, ServerFrame::ConnectionEstablished { user_id: Some(35) });
        assert_eq!(f.kind(), FrameKind::ConnectionEstablished);
    }

    #[test]
    fn pong_echoes_any_timestamp() {
        let f = decode_frame(r#"{"type":"pong","timestamp":"2025-12-30T12:40:49"}"#).unwrap();
        assert_eq!(
            f,
            ServerFrame::Pong {
                timestamp: Value::String("2025-12-30T12:40:49".into())
            }
        );
        let f = decode_frame(r#"{"type":"pong"}"#).unwrap();
        assert_eq!(
            f,
            ServerFrame::Pong {
                timestamp: Value::Null
            }
        );
    }

    #[test]
    fn nested_notification_shape() {
        let n = notif(
            r#"{"type":"notification","message":"New budget transfer request created with code FAR-0016","data":{"transaction_id":860,"code":"FAR-0016"},"timestamp":"2025-12-30T12:40:49.474292"}"#,
        );
        assert_eq!(n.id, None);
        assert_eq!(n.transaction_id, Some(860));
        assert_eq!(n.code.as_deref(), Some("FAR-0016"));
        assert_eq!(
            n.message,
            "New budget transfer request created with code FAR-0016"
        );
        assert_eq!(n.timestamp.as_deref(), Some("2025-12-30T12:40:49.474292"));
        assert_eq!(n.eng_message, None);
    }

    #[test]
    fn flattened_notification_shape() {
        let n = notif(
            r#"{"type":"notification","message":"m","eng_message":"e","ara_message":"ع","timestamp":"2025-12-30T12:40:49.474292","id":91,"is_read":false,"created_at":"2025-12-30T12:40:49.474292+00:00","is_shown":true,"is_system_read":false,"Transaction_id":860,"type_of_Trasnction":"FAR","Type_of_action":"List","code":"FAR-0016"}"#,
        );
        assert_eq!(n.id, Some(91));
        assert_eq!(n.transaction_id, Some(860));
        assert_eq!(n.code.as_deref(), Some("FAR-0016"));
        assert_eq!(n.eng_message.as_deref(), Some("e"));
        assert_eq!(n.ara_message.as_deref(), Some("ع"));
        assert_eq!(n.transaction_type.as_deref(), Some("FAR"));
        assert_eq!(n.action.as_deref(), Some("List"));
        assert_eq!(
            n.created_at.as_deref(),
            Some("2025-12-30T12:40:49.474292+00:00")
        );
        assert_eq!(n.is_read, Some(false));
    }

    #[test]
    fn notification_with_missing_or_mistyped_fields_is_kept() {
        let n = notif(r#"{"type":"notification"}"#);
        assert_eq!(n, LiveNotification::default());
        let n = notif(
            r#"{"type":"notification","message":42,"id":"91","Transaction_id":null,"data":"oops","timestamp":null,"seq":7}"#,
        );
        assert_eq!(n.message, "42");
        assert_eq!(n.id, Some(91), "numeric strings are ids");
        assert_eq!(n.transaction_id, None);
        assert_eq!(n.timestamp, None);
        assert_eq!(n.seq, Some(7));
        let n = notif(r#"{"type":"notification","message":"<img src=x onerror=alert(1)>"}"#);
        assert_eq!(
            n.message, "<img src=x onerror=alert(1)>",
            "kept verbatim: rendered as text"
        );
    }

    #[test]
    fn upload_started_progress_completed_failed() {
        let s = up(
            r#"{"type":"oracle_upload_started","transaction_id":602,"message":"m","eng_message":"e","ara_message":"a","timestamp":"2025-12-30T12:40:49.474292"}"#,
        );
        assert_eq!((s.transaction_id, s.phase), (602, UploadPhase::Started));
        let p = up(
            r#"{"type":"oracle_upload_progress","transaction_id":602,"step":"Interface Loader","step_number":3,"total_steps":5,"message":"m","eng_message":"e","ara_message":"a","status":"processing","timestamp":"t"}"#,
        );
        assert_eq!(
            p.phase,
            UploadPhase::Progress {
                step: Some("Interface Loader".into()),
                step_number: Some(3),
                total_steps: 5,
                status: StepStatus::Processing
            }
        );
        let c = up(
            r#"{"type":"oracle_upload_completed","transaction_id":602,"message":"m","success":true,"result_path":"/path/or/null","timestamp":"t"}"#,
        );
        assert_eq!(
            c.phase,
            UploadPhase::Completed {
                success: Some(true),
                result_path: Some("/path/or/null".into())
            }
        );
        let c = up(
            r#"{"type":"oracle_upload_completed","transaction_id":602,"success":true,"result_path":null}"#,
        );
        assert_eq!(
            c.phase,
            UploadPhase::Completed {
                success: Some(true),
                result_path: None
            }
        );
        let f = up(
            r#"{"type":"oracle_upload_failed","transaction_id":602,"message":"m","error":"Interface loader timeout","timestamp":"t"}"#,
        );
        assert_eq!(
            f.phase,
            UploadPhase::Failed {
                error: Some("Interface loader timeout".into())
            }
        );
    }

    #[test]
    fn progress_defaults_and_irregularities() {
        let p = up(
            r#"{"type":"oracle_upload_progress","transaction_id":"602","step":"Journal Import","step_number":null}"#,
        );
        assert_eq!(p.transaction_id, 602);
        assert_eq!(
            p.phase,
            UploadPhase::Progress {
                step: Some("Journal Import".into()),
                step_number: None,
                total_steps: DEFAULT_TOTAL_STEPS,
                status: StepStatus::Processing
            }
        );
        let p = up(
            r#"{"type":"oracle_upload_progress","transaction_id":1,"total_steps":0,"status":"queued"}"#,
        );
        assert!(
            matches!(p.phase, UploadPhase::Progress { total_steps: 5, status: StepStatus::Other(ref s), .. } if s == "queued")
        );
        for status in ["completed", "failed"] {
            let p = up(&format!(
                r#"{{"type":"oracle_upload_progress","transaction_id":1,"status":"{status}"}}"#
            ));
            let UploadPhase::Progress { status: got, .. } = p.phase else {
                panic!()
            };
            assert_eq!(
                got,
                if status == "completed" {
                    StepStatus::Completed
                } else {
                    StepStatus::Failed
                }
            );
        }
    }

    #[test]
    fn upload_without_transaction_is_an_error() {
        assert_eq!(
            decode_frame(r#"{"type":"oracle_upload_started"}"#),
            Err(DecodeError::MissingField {
                kind: "oracle_upload_started".into(),
                field: "transaction_id"
            })
        );
        assert!(
            decode_frame(r#"{"type":"oracle_upload_progress","transaction_id":{"x":1}}"#).is_err()
        );
    }

    #[test]
    fn unknown_types_and_extra_fields() {
        assert_eq!(
            decode_frame(r#"{"type":"budget_locked","x":1}"#),
            Ok(ServerFrame::Unknown {
                kind: "budget_locked".into()
            })
        );
        let n = notif(r#"{"type":"notification","message":"m","brand_new_field":{"deep":[1,2]}}"#);
        assert_eq!(n.message, "m");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in [
            "",
            "not json",
            "{",
            "[]",
            "null",
            "42",
            "\"notification\"",
            r#"{"type":5}"#,
            r#"{"message":"no type"}"#,
            "\u{0}\u{1}",
            "{\"type\":\"notification\",\"message\":\"\\ud800\"}",
        ] {
            let r = decode_frame(text);
            assert!(
                r.is_err() || matches!(r, Ok(ServerFrame::Notification(_))),
                "{text:?}: {r:?}"
            );
        }
        assert_eq!(decode_frame("not json"), Err(DecodeError::NotJson));
        assert_eq!(decode_frame("[]"), Err(DecodeError::NoType));
    }

    #[test]
    fn hostile_numbers_and_ids_are_absent_or_exact_never_wrapped() {
        let p = up(
            r#"{"type":"oracle_upload_progress","transaction_id":602,"step_number":1e300,"total_steps":-5}"#,
        );
        assert!(matches!(
            p.phase,
            UploadPhase::Progress {
                step_number: None,
                total_steps: DEFAULT_TOTAL_STEPS,
                ..
            }
        ));
        for total in [
            "0",
            "-5",
            "1e300",
            "\"NaN\"",
            "\"inf\"",
            "4294967296",
            "2.5",
            "null",
        ] {
            let p = up(&format!(
                r#"{{"type":"oracle_upload_progress","transaction_id":1,"step_number":"NaN","total_steps":{total}}}"#
            ));
            assert!(
                matches!(
                    p.phase,
                    UploadPhase::Progress {
                        step_number: None,
                        total_steps: DEFAULT_TOTAL_STEPS,
                        ..
                    }
                ),
                "{total}: {p:?}"
            );
        }
        // Ids: exact whole numbers (also written as 91.0 or "91"), nothing else.
        for (id, want) in [
            ("91", Some(91)),
            ("91.0", Some(91)),
            ("\" 91 \"", Some(91)),
            ("-7", Some(-7)),
            ("1.5", None),
            ("1e300", None),
            ("-1e300", None),
            ("\"abc\"", None),
            ("\"NaN\"", None),
            ("\"1e300\"", None),
            ("18446744073709551615", None),
            ("99999999999999999999999", None),
            ("9007199254740993.0", None),
            ("true", None),
            ("[91]", None),
            ("{\"id\":91}", None),
        ] {
            let n = notif(&format!(
                r#"{{"type":"notification","id":{id},"seq":{id}}}"#
            ));
            assert_eq!(n.id, want, "id {id}");
        }
        let digits = format!(
            r#"{{"type":"notification","id":"{}"}}"#,
            "9".repeat(100_000)
        );
        assert_eq!(notif(&digits).id, None);
        assert!(
            decode_frame(r#"{"type":"oracle_upload_started","transaction_id":1.5}"#).is_err(),
            "a job needs a usable id"
        );
        assert_eq!(
            decode_frame(r#"{"type":"connection_established","user_id":35.0}"#),
            Ok(ServerFrame::ConnectionEstablished { user_id: Some(35) })
        );
    }

    #[test]
    fn a_100_kb_message_and_deep_nesting_decode_without_harm() {
        let text = "ب".repeat(50 * 1024);
        let n = notif(&format!(r#"{{"type":"notification","message":"{text}"}}"#));
        assert_eq!(n.message, text, "the frame keeps the text whole");
        // Past serde_json's recursion limit: refused, not a stack overflow.
        let deep = format!(
            r#"{{"type":"notification","data":{}1{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(decode_frame(&deep), Err(DecodeError::NotJson));
        // Within it: the extra field is ignored.
        let nested = format!(
            r#"{{"type":"notification","message":"m","x":{}1{}}}"#,
            "[".repeat(100),
            "]".repeat(100)
        );
        assert_eq!(notif(&nested).message, "m");
        let kind = "k".repeat(100_000);
        let Ok(ServerFrame::Unknown { kind }) = decode_frame(&format!(r#"{{"type":"{kind}"}}"#))
        else {
            panic!()
        };
        assert!(kind.chars().count() <= 64);
    }

    #[test]
    fn huge_frames_are_refused_before_parsing() {
        let big = format!(
            r#"{{"type":"notification","message":"{}"}}"#,
            "x".repeat(1024 * 1024)
        );
        assert_eq!(decode_frame(&big), Err(DecodeError::TooLarge(big.len())));
        let fits = format!(
            r#"{{"type":"notification","message":"{}"}}"#,
            "x".repeat(1000)
        );
        assert!(decode_frame(&fits).is_ok());
    }
}
