//! Property tests (#12, item 10): arbitrary bytes, strings and JSON, biased toward the real
//! frame shapes, go through the frame decoder, the REST history parser and the inbox and
//! upload reducers, and what the UI derives from them. Nothing may panic, and the reducers
//! keep their invariants after every step. Native only; case counts keep `cargo test` fast.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{HashMap, HashSet};

use herald::components::uploads::duration;
use herald::format::exact_localized;
use herald::i18n::Lang;
use herald::protocol::frames::UploadPhase;
use herald::protocol::rest::History;
use herald::protocol::{clip, decode_frame, ServerFrame, SHORT_TEXT_MAX, STORED_TEXT_MAX};
use herald::providers::uploads::Milestone;
use herald::state::inbox::{
    Edit, Inbox, InboxAction, ItemKey, Notification, CACHE_BOUND, MEMORY_BOUND,
};
use herald::state::remote::{ApiError, ChangeError};
use herald::state::time::{ago, iso_utc};
use herald::state::uploads::{JobState, Uploads, UploadsAction, JOB_BOUND, MAX_STEPS};
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

// ---------------------------------------------------------------- strategies

/// Numbers as a hostile server writes them: small (so frames hit the same job or item), huge,
/// negative, fractional, at the edges of every integer type.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (-3i64..8).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => prop::sample::select(vec![
            1e300, -1e300, 0.5, 2.0, -0.0, 4294967296.0, 9007199254740993.0, f64::MAX, f64::MIN_POSITIVE,
        ])
        .prop_map(|f| Value::Number(Number::from_f64(f).unwrap_or(Number::from(0)))),
        1 => any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
    ]
}

/// Wire timestamps, plausible and impossible.
fn timestamp() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just("2025-12-30T12:40:49.474292".to_owned()),
        Just("2025-12-30T12:40:49.474292+00:00".to_owned()),
        Just("+99999-01-01T00:00:00".to_owned()),
        Just("-262143-01-01T00:00:00".to_owned()),
        Just("9999-12-31T23:59:59.999Z".to_owned()),
        "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})?",
        "\\PC{0,12}",
    ]
    .prop_map(Value::String)
}

/// Text: short, Arabic, HTML, control characters, occasionally long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "\\PC{0,24}",
        1 => Just("<img src=x onerror=alert(1)>".to_owned()),
        1 => Just("مرحبا بالعالم".to_owned()),
        1 => any::<String>(),
        1 => (1usize..3_000, prop::sample::select(vec!["x", "ب", "😀", "\u{200D}"]))
            .prop_map(|(n, c)| c.repeat(n)),
    ]
}

/// Any JSON value, nested a few levels.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
        timestamp(),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const FIELDS: &[&str] = &[
    "id",
    "message",
    "eng_message",
    "ara_message",
    "transaction_id",
    "Transaction_id",
    "data",
    "code",
    "created_at",
    "timestamp",
    "is_read",
    "seq",
    "step",
    "step_number",
    "total_steps",
    "status",
    "success",
    "result_path",
    "error",
    "user_id",
    "type_of_Trasnction",
    "Type_of_action",
    "type",
];

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FIELDS).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

/// A value for a field, of the right kind most of the time and of any kind otherwise.
fn field_value(name: &str) -> BoxedStrategy<Value> {
    let right = match name {
        "id" | "transaction_id" | "Transaction_id" | "step_number" | "total_steps" | "seq"
        | "user_id" => prop_oneof![
            4 => number(),
            1 => number().prop_map(|n| Value::String(n.to_string())),
            1 => Just(Value::String("NaN".into())),
        ]
        .boxed(),
        "created_at" | "timestamp" => timestamp().boxed(),
        "is_read" | "success" => any::<bool>().prop_map(Value::Bool).boxed(),
        "status" => prop::sample::select(vec!["processing", "completed", "failed", "queued", ""])
            .prop_map(|s| Value::String(s.into()))
            .boxed(),
        "step" => prop::sample::select(vec!["A", "B", "C", "Interface Loader", "Step 2"])
            .prop_map(|s| Value::String(s.into()))
            .boxed(),
        "data" => (number(), text())
            .prop_map(|(t, c)| serde_json::json!({"transaction_id": t, "code": c}))
            .boxed(),
        _ => text().prop_map(Value::String).boxed(),
    };
    prop_oneof![4 => right, 1 => json()].boxed()
}

const TYPES: &[&str] = &[
    "notification",
    "notification",
    "notification",
    "connection_established",
    "pong",
    "oracle_upload_started",
    "oracle_upload_progress",
    "oracle_upload_progress",
    "oracle_upload_progress",
    "oracle_upload_completed",
    "oracle_upload_failed",
    "budget_locked",
];

/// A frame-shaped object: a known (or unknown) `type` and fields of the real names.
fn frame_value() -> impl Strategy<Value = Value> {
    let fields =
        prop::collection::vec(prop::sample::select(FIELDS), 0..10).prop_flat_map(|names| {
            names
                .into_iter()
                .map(|n| field_value(n).prop_map(move |v| (n.to_owned(), v)))
                .collect::<Vec<_>>()
        });
    (prop::sample::select(TYPES), fields).prop_map(|(kind, fields)| {
        let mut obj: Map<String, Value> = fields.into_iter().collect();
        obj.insert("type".into(), Value::String(kind.into()));
        Value::Object(obj)
    })
}

/// Frame text: mostly well-formed frames, sometimes damaged, sometimes anything at all.
fn frame_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => frame_value().prop_map(|v| v.to_string()),
        1 => (frame_value(), any::<prop::sample::Index>()).prop_map(|(v, i)| {
            // Cut anywhere (on a character boundary: the browser hands us text).
            let s = v.to_string();
            let cut = i.index(s.len() + 1);
            let cut = (0..=cut).rev().find(|c| s.is_char_boundary(*c)).unwrap_or(0);
            s[..cut].to_owned()
        }),
        1 => json().prop_map(|v| v.to_string()),
        1 => any::<String>(),
        1 => prop::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

/// A history row: the REST shape with hostile values.
fn history_row() -> impl Strategy<Value = Value> {
    const ROW: &[&str] = &[
        "id",
        "id",
        "id",
        "message",
        "eng_message",
        "ara_message",
        "is_read",
        "created_at",
        "Transaction_id",
        "type_of_Trasnction",
        "Type_of_action",
    ];
    prop_oneof![
        8 => prop::collection::vec(prop::sample::select(ROW), 0..8).prop_flat_map(|names| {
            names
                .into_iter()
                .map(|n| field_value(n).prop_map(move |v| (n.to_owned(), v)))
                .collect::<Vec<_>>()
        })
        .prop_map(|f| Value::Object(f.into_iter().collect())),
        1 => json(),
    ]
}

fn history_body() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(history_row(), 0..12)
            .prop_map(|rows| serde_json::json!({ "notifications": rows }).to_string()),
        1 => json().prop_map(|v| v.to_string()),
        1 => any::<String>(),
    ]
}

/// What can happen to a signed-in tab.
#[derive(Clone, Debug)]
enum Step {
    /// Frames arriving within one animation frame: notifications are reduced as one batch.
    Frames(Vec<String>),
    History(String),
    MarkRead(prop::sample::Index),
    MarkAllRead,
    Delete(prop::sample::Index),
    /// A bulk read (or delete) of `count` items from an index on (the selection).
    Bulk(prop::sample::Index, usize, bool),
    /// Undo of a pending edit, wholly or (a refused bulk item, never sent) some of its items.
    Undo(prop::sample::Index, bool),
    Settle(prop::sample::Index, bool),
    Dismiss(i64),
    Acknowledge(i64),
    ClearFinished,
    Reload,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => prop::collection::vec(frame_text(), 1..5).prop_map(Step::Frames),
        2 => history_body().prop_map(Step::History),
        1 => any::<prop::sample::Index>().prop_map(Step::MarkRead),
        1 => Just(Step::MarkAllRead),
        1 => any::<prop::sample::Index>().prop_map(Step::Delete),
        2 => (any::<prop::sample::Index>(), any::<bool>()).prop_map(|(i, ok)| Step::Settle(i, ok)),
        1 => (any::<prop::sample::Index>(), 0usize..6, any::<bool>()).prop_map(|(i, n, d)| Step::Bulk(i, n, d)),
        1 => (any::<prop::sample::Index>(), any::<bool>()).prop_map(|(i, all)| Step::Undo(i, all)),
        1 => (-3i64..8).prop_map(Step::Dismiss),
        1 => (-3i64..8).prop_map(Step::Acknowledge),
        1 => Just(Step::ClearFinished),
        1 => Just(Step::Reload),
    ]
}

// ---------------------------------------------------------------- invariants

/// What the UI derives from an item; must not panic for any item.
fn render_item(n: &Notification, now: f64) {
    for lang in [Lang::En, Lang::Ar] {
        let _ = n.text(lang == Lang::Ar);
        let _ = exact_localized(n.time_ms, lang.code());
        let _ = lang.ago(ago(n.time_ms, now));
        let _ = n.transaction_id.map(|t| lang.transaction(t));
    }
    let _ = iso_utc(n.time_ms);
    let _ = n.key.dom_id();
}

/// `mentioned`: every transaction the inbox was ever given (none may stay indexed once no
/// item mentions it).
fn check_inbox(inbox: &Inbox, now: f64, mentioned: &HashSet<i64>) -> Result<(), TestCaseError> {
    let items = inbox.items();
    prop_assert!(items.len() <= MEMORY_BOUND);
    prop_assert_eq!(inbox.unread(), items.iter().filter(|n| !n.is_read).count());
    // The transaction index the upload cards read equals a walk of the list: the newest
    // notification about each transaction, and the newest code.
    let mut txs = HashSet::new();
    for n in items {
        let Some(tx) = n.transaction_id else { continue };
        txs.insert(tx);
        let t = inbox.transaction(tx);
        prop_assert!(t.is_some(), "transaction {} not indexed", tx);
        let t = t.unwrap();
        let related = items
            .iter()
            .find(|m| m.transaction_id == Some(tx))
            .map(|m| m.key);
        prop_assert_eq!(Some(t.related), related);
        let code = items
            .iter()
            .find(|m| m.transaction_id == Some(tx) && m.code.is_some())
            .and_then(|m| m.code.as_deref());
        prop_assert_eq!(t.code.as_deref(), code);
    }
    for tx in mentioned.difference(&txs) {
        prop_assert!(inbox.transaction(*tx).is_none(), "stale transaction {}", tx);
    }
    let mut keys = HashSet::new();
    for n in items {
        prop_assert!(keys.insert(n.key), "duplicate key {:?}", n.key);
        prop_assert!(n.time_ms.is_finite());
        render_item(n, now);
    }
    prop_assert!(
        items.windows(2).all(|w| w[0].time_ms >= w[1].time_ms),
        "newest first"
    );
    let cache = inbox.cache();
    prop_assert!(cache.len() <= CACHE_BOUND);
    prop_assert!(cache.len() == items.len().min(CACHE_BOUND));
    // The cache as stored: every text clipped, and it reads back.
    let json = serde_json::to_string(cache).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: Vec<Notification> =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(back.len(), cache.len());
    for n in &back {
        for t in [
            Some(&n.message),
            n.eng_message.as_ref(),
            n.ara_message.as_ref(),
            n.code.as_ref(),
            n.transaction_type.as_ref(),
            n.action.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            prop_assert!(t.chars().count() <= STORED_TEXT_MAX);
        }
    }
    Ok(())
}

/// Percent per job attempt as last seen: it may only rise.
type Seen = HashMap<i64, (u32, f64)>;

fn check_uploads(uploads: &Uploads, seen: &mut Seen, now: f64) -> Result<(), TestCaseError> {
    let jobs = uploads.jobs();
    prop_assert!(jobs.len() <= JOB_BOUND);
    let mut txs = HashSet::new();
    for j in jobs {
        prop_assert!(
            txs.insert(j.transaction_id),
            "two jobs for {}",
            j.transaction_id
        );
        prop_assert!(
            j.percent.is_finite() && (0.0..=100.0).contains(&j.percent),
            "percent {}",
            j.percent
        );
        prop_assert!((1..=MAX_STEPS).contains(&j.total_steps));
        prop_assert!(j.steps.len() <= MAX_STEPS as usize);
        prop_assert!(
            j.steps
                .iter()
                .filter_map(|s| s.number)
                .all(|k| k <= j.total_steps),
            "a step beyond the total"
        );
        if let Some((attempt, percent)) = seen.get(&j.transaction_id) {
            if *attempt == j.attempt {
                prop_assert!(
                    j.percent >= *percent,
                    "job {} went back from {} to {}",
                    j.transaction_id,
                    percent,
                    j.percent
                );
            }
        }
        if j.state == JobState::Completed {
            prop_assert_eq!(j.percent, 100.0);
        }
        for t in [
            &j.message,
            &j.eng_message,
            &j.ara_message,
            &j.error,
            &j.result_path,
        ]
        .into_iter()
        .flatten()
        {
            prop_assert!(t.chars().count() <= STORED_TEXT_MAX);
        }
        for lang in [Lang::En, Lang::Ar] {
            let _ = lang.job_progress(j);
            let _ = duration(j.ended_ms.unwrap_or(now) - j.started_ms, lang);
            let _ = lang.attempt(j.attempt);
            for s in &j.steps {
                let _ = s.duration_ms().map(|d| duration(d, lang));
            }
        }
        let _ = j.is_stalled(now);
        let _ = (j.percent.round() as u32).to_string();
    }
    *seen = jobs
        .iter()
        .map(|j| (j.transaction_id, (j.attempt, j.percent)))
        .collect();
    Ok(())
}

// ---------------------------------------------------------------- properties

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Shrunk failures are reported; no files are written next to the sources.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(400))]

    /// Any text at all: a frame or an error, never a panic.
    #[test]
    fn the_decoder_never_panics(text in frame_text()) {
        let _ = decode_frame(&text);
    }

    /// Any bytes, as the browser would hand them over (invalid UTF-8 replaced).
    #[test]
    fn the_decoder_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode_frame(&String::from_utf8_lossy(&bytes));
    }

    /// Any history answer: rows or an error, never a panic; every row has an id.
    #[test]
    fn history_parsing_never_panics(body in history_body()) {
        if let Ok(h) = History::parse(&body) {
            prop_assert!(h.rows.len() + h.skipped <= body.len());
        }
    }

    /// The shared clip: within the cap, a prefix of the text, ellipsis only when clipped.
    #[test]
    fn clip_is_a_bounded_prefix(t in text(), max in 0usize..1_200) {
        let c = clip(&t, max);
        prop_assert!(c.chars().count() <= max);
        if t.chars().count() <= max {
            prop_assert_eq!(c.as_ref(), t.as_str());
        } else if max > 0 {
            prop_assert!(c.ends_with('…'));
            prop_assert!(t.starts_with(c.trim_end_matches('…')));
        }
    }
}

proptest! {
    #![proptest_config(config(96))]

    /// A whole session of hostile input through decoder and reducers, with the invariants
    /// checked after every step.
    #[test]
    fn reducers_keep_their_invariants(steps in prop::collection::vec(step(), 1..40)) {
        let mut inbox = Inbox::default();
        let mut uploads = Uploads::default();
        let mut seen = Seen::new();
        let mut ops: Vec<u64> = Vec::new();
        let mut op_keys: HashMap<u64, Vec<ItemKey>> = HashMap::new();
        let mut mentioned = HashSet::new();
        let mut now = 1_767_098_449_474.0;
        for step in steps {
            now += 1_000.0;
            match step {
                Step::Frames(texts) => {
                    let mut batch = Vec::new();
                    for text in texts {
                        match decode_frame(&text) {
                            Ok(ServerFrame::Notification(n)) => {
                                let _ = clip(n.text(true), SHORT_TEXT_MAX);
                                batch.push(n);
                            }
                            Ok(ServerFrame::Upload(event)) => {
                                if !matches!(event.phase, UploadPhase::Progress { .. }) {
                                    let m = Milestone { transaction_id: event.transaction_id, phase: event.phase.clone() };
                                    for lang in [Lang::En, Lang::Ar] {
                                        prop_assert!(clip(&m.text(lang), SHORT_TEXT_MAX).chars().count() <= SHORT_TEXT_MAX);
                                    }
                                }
                                uploads.apply(UploadsAction::Frame { event, now });
                                check_uploads(&uploads, &mut seen, now)?;
                            }
                            _ => {}
                        }
                    }
                    let known = inbox.items().len();
                    let n = batch.len();
                    mentioned.extend(batch.iter().filter_map(|n| n.transaction_id));
                    inbox.apply(InboxAction::Live { batch, now });
                    prop_assert!(inbox.items().len() <= known + n);
                }
                Step::History(body) => {
                    if let Ok(h) = History::parse(&body) {
                        mentioned.extend(h.rows.iter().filter_map(|r| r.transaction_id));
                        inbox.apply(InboxAction::History { rows: h.rows, requested_at: now - 500.0 });
                    }
                }
                Step::MarkRead(i) | Step::Delete(i) if !inbox.items().is_empty() => {
                    let key = inbox.items()[i.index(inbox.items().len())].key;
                    let edit = match step {
                        Step::MarkRead(_) => Edit::MarkRead(key),
                        _ => Edit::Delete(key),
                    };
                    ops.extend(inbox.edit(edit).map(|p| p.id));
                    if matches!(step, Step::Delete(_)) {
                        prop_assert!(inbox.items().iter().all(|n| n.key != key));
                    }
                }
                Step::MarkRead(_) | Step::Delete(_) => {}
                Step::Bulk(i, count, delete) if !inbox.items().is_empty() => {
                    let from = i.index(inbox.items().len());
                    let chosen: HashSet<ItemKey> =
                        inbox.items().iter().skip(from).take(count).map(|n| n.key).collect();
                    let edit = if delete { Edit::DeleteMany } else { Edit::ReadMany };
                    let before = inbox.items().len();
                    if let Some(p) = inbox.edit_many(edit, &chosen) {
                        prop_assert!(chosen.iter().all(|&k| !p.touched(k) || p.before.iter().any(|n| n.key == k)));
                        ops.push(p.id);
                        op_keys.insert(p.id, p.before.iter().map(|n| n.key).collect());
                    }
                    let touched = inbox.items().iter().filter(|n| chosen.contains(&n.key));
                    if delete {
                        prop_assert_eq!(touched.count(), 0);
                        prop_assert_eq!(inbox.items().len(), before - chosen.len());
                    } else {
                        prop_assert!(touched.into_iter().all(|n| n.is_read));
                    }
                }
                Step::Bulk(..) => {}
                Step::Undo(i, all) if !ops.is_empty() => {
                    let id = ops[i.index(ops.len())];
                    if all {
                        ops.retain(|o| *o != id);
                        inbox.apply(InboxAction::Undo(id));
                    } else {
                        // Every other item of it (and one it never had).
                        let mut keys: Vec<ItemKey> =
                            op_keys.get(&id).into_iter().flatten().copied().step_by(2).collect();
                        keys.push(ItemKey::Live(u64::MAX));
                        inbox.apply(InboxAction::UndoItems { id, keys });
                    }
                }
                Step::Undo(..) => {}
                Step::MarkAllRead => {
                    ops.extend(inbox.edit(Edit::MarkAllRead).map(|p| p.id));
                    prop_assert_eq!(inbox.unread(), 0);
                }
                Step::Settle(i, ok) if !ops.is_empty() => {
                    let id = ops.remove(i.index(ops.len()));
                    inbox.apply(if ok {
                        InboxAction::Settled(id)
                    } else {
                        InboxAction::Failed { id, why: ChangeError::Api(ApiError::Timeout) }
                    });
                }
                Step::Settle(..) => {}
                Step::Dismiss(tx) => uploads.apply(UploadsAction::Dismiss(tx)),
                Step::Acknowledge(tx) => uploads.apply(UploadsAction::Acknowledge { transaction_id: tx, now }),
                Step::ClearFinished => uploads.apply(UploadsAction::ClearFinished),
                Step::Reload => {
                    // Through storage and back, as a reload does.
                    let cached = serde_json::to_string(inbox.cache()).unwrap();
                    let jobs = serde_json::to_string(uploads.jobs()).unwrap();
                    inbox = Inbox::default();
                    inbox.apply(InboxAction::Restore(serde_json::from_str(&cached).unwrap()));
                    uploads = Uploads::default();
                    uploads.apply(UploadsAction::Restore { jobs: serde_json::from_str(&jobs).unwrap(), now });
                    ops.clear();
                    seen.clear();
                }
            }
            check_inbox(&inbox, now, &mentioned)?;
            check_uploads(&uploads, &mut seen, now)?;
        }
        let _ = ItemKey::Live(0);
    }

    /// A cache from storage can hold anything a JSON file can: restoring it keeps the
    /// invariants too (one job per transaction, percent within 0–100, one item per key).
    #[test]
    fn restoring_any_cache_keeps_the_invariants(
        jobs in prop::collection::vec((
            -2i64..4, any::<u32>(), prop::sample::select(vec![-1e300, -5.0, 0.0, 42.5, 100.0, 1e300]),
            any::<u32>(), prop::sample::select(vec!["Running", "Completed", "Failed"]),
        ), 0..8),
        keys in prop::collection::vec((0i64..4, any::<bool>(), any::<bool>()), 0..8),
    ) {
        let jobs: Vec<Value> = jobs.into_iter().map(|(tx, attempt, percent, total, state)| serde_json::json!({
            "transaction_id": tx, "attempt": attempt, "state": state, "percent": percent,
            "total_steps": total, "steps": [{"number": total, "name": "s", "state": "Running",
            "started_ms": null, "ended_ms": null}], "message": null, "eng_message": null,
            "ara_message": null, "error": null, "result_path": null, "started_ms": 0.0,
            "ended_ms": null, "last_frame_ms": 0.0, "joined_midway": true, "restored": false,
        })).collect();
        let mut uploads = Uploads::default();
        uploads.apply(UploadsAction::Restore { jobs: serde_json::from_value(Value::Array(jobs)).unwrap(), now: 0.0 });
        check_uploads(&uploads, &mut Seen::new(), 0.0)?;
        for tx in -2..4 {
            uploads.apply(UploadsAction::Frame {
                event: match decode_frame(&format!(r#"{{"type":"oracle_upload_started","transaction_id":{tx}}}"#)).unwrap() {
                    ServerFrame::Upload(e) => e,
                    _ => unreachable!(),
                },
                now: 1.0,
            });
        }
        check_uploads(&uploads, &mut Seen::new(), 1.0)?;

        let items: Vec<Value> = keys.into_iter().map(|(k, live, read)| serde_json::json!({
            "key": if live { serde_json::json!({"Live": k}) } else { serde_json::json!({"Id": k}) },
            "message": "m", "eng_message": null, "ara_message": null, "transaction_id": null,
            "code": null, "transaction_type": null, "action": null, "time_ms": k as f64,
            "is_read": read, "received_ms": 0.0,
        })).collect();
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::Restore(serde_json::from_value(Value::Array(items)).unwrap()));
        check_inbox(&inbox, 0.0, &HashSet::new())?;
    }
}
