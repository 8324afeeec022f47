//! `--demo`: realistic live traffic for every user with an open socket: a budget-transfer
//! notification about every 20 s and an Oracle upload job about every 45 s (a quarter of them
//! failing, some without progress frames).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::Rng;

use crate::control::{persist_and_push, run_oracle_job, OracleJob};
use crate::db::NewNotification;
use crate::Shared;

const EVENTS: &[(&str, &str, &str)] = &[
    (
        "New budget transfer request created with code {code}",
        "تم إنشاء طلب مناقلة ميزانية جديد بالرمز {code}",
        "List",
    ),
    (
        "Budget transfer {code} is waiting for your approval",
        "مناقلة الميزانية {code} بانتظار موافقتك",
        "Approve",
    ),
    (
        "Budget transfer {code} was approved by the finance director",
        "وافق المدير المالي على مناقلة الميزانية {code}",
        "Approved",
    ),
    (
        "Budget transfer {code} was returned for changes",
        "أعيدت مناقلة الميزانية {code} لإجراء تعديلات",
        "Reject",
    ),
];

const ERRORS: &[&str] = &[
    "Interface loader timeout",
    "Journal Import ended in error: period FEB-26 is closed",
    "UCM upload rejected: file name already exists",
];

struct Due {
    notify: Instant,
    job: Instant,
}

pub async fn run(state: Shared) {
    let mut due: HashMap<String, Due> = HashMap::new();
    let mut next_tx: i64 = 900;
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = Instant::now();
        let online = state.hub.online_users();
        due.retain(|u, _| online.contains(u));
        for username in online {
            let d = due.entry(username.clone()).or_insert_with(|| Due {
                notify: now + Duration::from_secs(3),
                job: now + Duration::from_secs(8),
            });
            let Ok(Some(user)) = state.db().user_by_name(&username) else {
                continue;
            };
            let mut rng = rand::rng();
            if now >= d.notify {
                next_tx += 1;
                let code = format!("FAR-{:04}", next_tx % 10_000);
                let (eng, ara, action) = EVENTS[rng.random_range(0..EVENTS.len())];
                let n = NewNotification {
                    message: eng.replace("{code}", &code),
                    eng_message: eng.replace("{code}", &code),
                    ara_message: ara.replace("{code}", &code),
                    transaction_id: Some(next_tx),
                    type_of_transaction: Some("FAR".into()),
                    type_of_action: Some(action.into()),
                };
                let _ = persist_and_push(&state, &user, &n, Some(&code));
                d.notify = now + Duration::from_secs(rng.random_range(15..25));
            }
            if now >= d.job {
                next_tx += 1;
                let fails = rng.random_bool(0.25);
                let job = OracleJob {
                    username: username.clone(),
                    transaction_id: next_tx,
                    steps: vec![
                        "Journal Upload to UCM".into(),
                        "Interface Loader Submission".into(),
                        "Journal Import Submission".into(),
                        "Automatic Posting Submission".into(),
                    ],
                    fail_at: fails.then(|| rng.random_range(1..=4)),
                    step_ms: rng.random_range(2_000..6_000),
                    with_progress: !rng.random_bool(0.2),
                    error: fails.then(|| ERRORS[rng.random_range(0..ERRORS.len())].to_string()),
                };
                tokio::spawn(run_oracle_job(state.clone(), user.clone(), job));
                d.job = now + Duration::from_secs(rng.random_range(38..52));
            }
        }
    }
}
