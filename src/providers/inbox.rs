use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::hooks::{use_lang, use_session, use_socket};
use crate::protocol::{FrameKind, LiveNotification, ServerFrame};
use crate::services::notifications::{self, Change, ChangeError};
use crate::services::session::SessionService;
use crate::services::socket::SocketService;
use crate::state::burst::{BurstWatch, Tick};
use crate::state::inbox::{Inbox, InboxAction, ItemKey, Notification, Op, Transaction};
use crate::state::pacing::{Pacer, Step};
use crate::state::remote::ApiError;

/// What the user can do to the inbox.
#[derive(Clone, Debug, PartialEq)]
pub enum InboxCommand {
    /// Mark one read (server too, when it has an id).
    MarkRead(ItemKey),
    /// Mark all read.
    MarkAllRead,
    /// Delete one.
    Delete(ItemKey),
    /// Hide the error message.
    DismissError,
}

/// Where the REST history of this session stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum HistoryStatus {
    /// Not asked yet (no connection so far).
    #[default]
    Idle,
    /// Asked, no answer yet.
    Loading,
    /// Read at least once, and the last read succeeded.
    Loaded,
    /// The last read failed or timed out: the inbox says so and offers a retry.
    Failed(ApiError),
}

/// The inbox and what can be done to it: what the inbox panel needs. Cheap to compare (the
/// inbox by revision), so a render of the provider that changed nothing re-renders nobody.
#[derive(Clone, PartialEq)]
pub struct InboxContext {
    /// The list, newest first, with its derived unread count.
    pub inbox: Rc<Inbox>,
    /// The history request's state.
    pub history: HistoryStatus,
    /// Reads the history again (the inbox's "Retry").
    pub retry_history: Callback<()>,
    /// Runs a command: applied at once, sent to the server, rolled back if refused.
    pub run: Callback<InboxCommand>,
}

/// What the upload cards need of the inbox: the transaction index. Equal while the index is
/// unchanged, so a live notification about another transaction re-renders no job card.
#[derive(Clone)]
pub struct TransactionsContext(pub Rc<Inbox>);

impl PartialEq for TransactionsContext {
    fn eq(&self, other: &Self) -> bool {
        self.0.transactions_rev() == other.0.transactions_rev()
    }
}

impl TransactionsContext {
    /// See [`Inbox::transaction`].
    pub fn get(&self, id: i64) -> Option<&Transaction> {
        self.0.transaction(id)
    }
}

/// Live arrivals waiting to be shown as toasts; equal when nothing new arrived.
#[derive(Clone)]
pub struct ArrivalQueue {
    items: Rc<RefCell<Vec<LiveNotification>>>,
    /// Bumped on every batch.
    pub seq: u64,
}

impl PartialEq for ArrivalQueue {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq && Rc::ptr_eq(&self.items, &other.items)
    }
}

impl ArrivalQueue {
    /// Takes everything that arrived since the last call, in arrival order (newest last).
    pub fn take(&self) -> Vec<LiveNotification> {
        std::mem::take(&mut *self.items.borrow_mut())
    }
}

#[derive(Clone)]
struct Arrivals {
    items: Rc<RefCell<Vec<LiveNotification>>>,
    counter: Rc<RefCell<u64>>,
    seq: UseStateSetter<u64>,
}

/// Props of [`InboxProvider`].
#[derive(Properties, PartialEq)]
pub struct InboxProviderProps {
    /// Everything that shows the inbox.
    pub children: Html,
}

fn cache_key(user_id: i64) -> String {
    crate::services::storage::cache_key("inbox", user_id)
}

/// Owns the inbox: restores it from the per-user cache, reduces live frames (a lone frame at
/// once, a burst in a few batches, see [`crate::state::pacing`]), re-reads the REST
/// history on every `connection_established`, and persists the newest items.
#[component(InboxProvider)]
pub fn inbox_provider(props: &InboxProviderProps) -> Html {
    let session = use_session();
    let socket = use_socket();
    let inbox = use_reducer(Inbox::default);
    // Arrivals accumulate until taken, so batches landing between two renders are never lost.
    let arrived_items = use_mut_ref(Vec::<LiveNotification>::new);
    let arrived_seq = use_state(|| 0u64);
    let arrived_counter = use_mut_ref(|| 0u64);
    let history = use_state(HistoryStatus::default);
    let history_latest: Rc<HistorySeq> =
        (*use_memo((), |_| Rc::new(HistorySeq::default()))).clone();
    let user_id = session.session.as_ref().map(|s| s.user.id);
    // A new snapshot only when the inbox changed (cheap: the list is shared, copy-on-write),
    // so the contexts below stay equal through renders that changed nothing of it.
    let latest = use_mut_ref(|| Rc::new(Inbox::default()));
    if **latest.borrow() != *inbox {
        *latest.borrow_mut() = Rc::new((*inbox).clone());
    }
    let snapshot = latest.borrow().clone();

    // Per user: restore the cache on sign-in, clear on sign-out.
    {
        let dispatcher = inbox.dispatcher();
        let arrived_items = arrived_items.clone();
        let history = history.setter();
        crate::hooks::use_user_cache(
            user_id,
            cache_key,
            move |items: Option<Vec<Notification>>| {
                // Nothing of the previous user's inbox, toasts or errors carries over.
                dispatcher.dispatch(InboxAction::Clear);
                arrived_items.borrow_mut().clear();
                history.set(HistoryStatus::Idle);
                if let Some(items) = items {
                    dispatcher.dispatch(InboxAction::Restore(items));
                }
            },
        );
    }

    // Live frames and (re)connects.
    {
        let dispatcher = inbox.dispatcher();
        let service = socket.service.clone();
        let session_service = session.service.clone();
        let arrived = Arrivals {
            items: arrived_items.clone(),
            counter: arrived_counter.clone(),
            seq: arrived_seq.setter(),
        };
        let latest = latest.clone();
        let history = HistoryReport {
            status: history.setter(),
            latest: history_latest.clone(),
        };
        use_effect_with((user_id, service.clone()), move |(user_id, _)| {
            let subscription = user_id.map(|_| {
                let live = Rc::new(LiveQueue {
                    buffer: RefCell::default(),
                    pacer: RefCell::default(),
                    timer: RefCell::default(),
                    dispatcher: dispatcher.clone(),
                    arrived: arrived.clone(),
                    latest: latest.clone(),
                });
                let resync = Rc::new(Resync {
                    watch: RefCell::default(),
                    timer: RefCell::default(),
                    due: Cell::new(false),
                    service: session_service.clone(),
                    dispatcher: dispatcher.clone(),
                    history: history.clone(),
                });
                service.subscribe(
                    &[
                        FrameKind::Notification,
                        FrameKind::ConnectionEstablished,
                        FrameKind::Upload,
                    ],
                    Callback::from(move |frame: Rc<ServerFrame>| match &*frame {
                        ServerFrame::Notification(n) => {
                            live.push(n.clone());
                            resync.frame();
                        }
                        ServerFrame::ConnectionEstablished { .. } => {
                            resync.reset();
                            sync_history(
                                session_service.clone(),
                                dispatcher.clone(),
                                history.clone(),
                            );
                        }
                        // Job milestones are persisted as history rows but not pushed as
                        // notifications: re-read the history shortly after (once per burst).
                        ServerFrame::Upload(u)
                            if !matches!(
                                u.phase,
                                crate::protocol::frames::UploadPhase::Progress { .. }
                            ) =>
                        {
                            resync.milestone();
                        }
                        _ => {}
                    }),
                )
            });
            move || drop(subscription)
        });
    }

    // Changes the user made in another tab of this browser, once the server accepted them.
    {
        let dispatcher = inbox.dispatcher();
        let latest = latest.clone();
        let service = socket.service.clone();
        use_effect_with((user_id, service), move |(user_id, service)| {
            let subscription = user_id.map(|_| {
                service.subscribe_changes(Callback::from(move |change: Change| {
                    let action = match change {
                        Change::ReadOne(id) => InboxAction::MarkRead(ItemKey::Id(id)),
                        Change::ReadAll => InboxAction::MarkAllRead,
                        Change::Delete(id) => InboxAction::Delete(ItemKey::Id(id)),
                    };
                    // Already so here (or never here): nothing to do.
                    if let Some(op) = latest.borrow().op_for(&action) {
                        dispatcher.dispatch(action);
                        dispatcher.dispatch(InboxAction::Settled(op));
                    }
                }))
            });
            move || drop(subscription)
        });
    }

    // Persist the newest items (bounded), throttled, flushed on page hide.
    crate::hooks::use_persisted(user_id.map(cache_key), snapshot.clone(), Inbox::cache);

    // "(3) Herald" in the tab title: at most one update a second (setting the title costs
    // the browser far more than rendering a notification, and a burst changes it per frame).
    {
        let unread = inbox.unread();
        let title = use_mut_ref(|| (None::<usize>, None::<Timeout>));
        use_effect_with(unread, move |unread| {
            let mut slot = title.borrow_mut();
            slot.0 = Some(*unread);
            if slot.1.is_none() {
                let title = title.clone();
                slot.1 = Some(Timeout::new(1_000, move || {
                    let (unread, _) = std::mem::take(&mut *title.borrow_mut());
                    if let (Some(unread), Some(doc)) =
                        (unread, web_sys::window().and_then(|w| w.document()))
                    {
                        doc.set_title(&crate::i18n::tab_title(unread));
                    }
                }));
            }
        });
    }

    // Stable across renders (reads the latest inbox when called), so the items that receive
    // it are not re-rendered by every change of the inbox.
    let lang = use_lang();
    let run = {
        let latest = latest.clone();
        let dispatcher = inbox.dispatcher();
        let service = session.service.clone();
        let socket = socket.service.clone();
        (*use_memo((service.clone(), socket.clone(), lang), move |_| {
            Callback::from(move |command: InboxCommand| {
                let action = match command {
                    InboxCommand::MarkRead(k) => InboxAction::MarkRead(k),
                    InboxCommand::MarkAllRead => InboxAction::MarkAllRead,
                    InboxCommand::Delete(k) => InboxAction::Delete(k),
                    InboxCommand::DismissError => {
                        dispatcher.dispatch(InboxAction::DismissError);
                        return;
                    }
                };
                let op = latest.borrow().op_for(&action);
                dispatcher.dispatch(action);
                if let Some(op) = op {
                    send(
                        service.clone(),
                        socket.clone(),
                        dispatcher.clone(),
                        op,
                        lang,
                    );
                }
            })
        }))
        .clone()
    };

    let retry_history = {
        let (service, dispatcher, setter) = (
            session.service.clone(),
            inbox.dispatcher(),
            HistoryReport {
                status: history.setter(),
                latest: history_latest.clone(),
            },
        );
        (*use_memo(service.clone(), move |_| {
            Callback::from(move |_| {
                sync_history(service.clone(), dispatcher.clone(), setter.clone())
            })
        }))
        .clone()
    };

    let context = InboxContext {
        inbox: snapshot.clone(),
        history: (*history).clone(),
        retry_history,
        run,
    };
    let arrived = ArrivalQueue {
        items: arrived_items.clone(),
        seq: *arrived_seq,
    };
    let transactions = TransactionsContext(snapshot);
    // Three contexts, so each consumer re-renders only for its slice: the panel for the list,
    // the toasts for arrivals, the job cards for the transaction index.
    html! {
        <ContextProvider<InboxContext> {context}>
            <ContextProvider<ArrivalQueue> context={arrived}>
                <ContextProvider<TransactionsContext> context={transactions}>
                    { props.children.clone() }
                </ContextProvider<TransactionsContext>>
            </ContextProvider<ArrivalQueue>>
        </ContextProvider<InboxContext>>
    }
}

/// Live notifications between the socket and the reducer: queued as they arrive, applied
/// when [`Pacer`] says (a lone one at once, a burst in a few batches).
struct LiveQueue {
    buffer: RefCell<Vec<LiveNotification>>,
    pacer: RefCell<Pacer>,
    timer: RefCell<Option<Timeout>>,
    dispatcher: UseReducerDispatcher<Inbox>,
    arrived: Arrivals,
    latest: Rc<RefCell<Rc<Inbox>>>,
}

impl LiveQueue {
    fn push(self: &Rc<Self>, n: LiveNotification) {
        self.buffer.borrow_mut().push(n);
        // Not in the `match` scrutinee: its borrow would live through the arms.
        let step = self.pacer.borrow_mut().arrived(js_sys::Date::now());
        self.step(step);
    }

    fn step(self: &Rc<Self>, step: Step) {
        match step {
            Step::Now => self.apply(),
            Step::After(ms) => {
                let me = Rc::downgrade(self);
                let timeout = Timeout::new(ms.ceil() as u32, move || {
                    if let Some(me) = me.upgrade() {
                        me.timer.borrow_mut().take();
                        let step = me.pacer.borrow_mut().timer_fired(js_sys::Date::now());
                        me.step(step);
                    }
                });
                *self.timer.borrow_mut() = Some(timeout);
            }
            Step::Wait => {}
        }
    }

    fn apply(&self) {
        self.timer.borrow_mut().take(); // cancelled: applied here
        self.pacer.borrow_mut().applied(js_sys::Date::now());
        let batch = std::mem::take(&mut *self.buffer.borrow_mut());
        let before = self.latest.borrow().clone();
        flush(&self.dispatcher, &self.arrived, &before, batch);
    }
}

fn flush(
    dispatcher: &UseReducerDispatcher<Inbox>,
    arrived: &Arrivals,
    before: &Inbox,
    batch: Vec<LiveNotification>,
) {
    if batch.is_empty() {
        return;
    }
    let now = js_sys::Date::now();
    // What is news to this user, for toasts.
    let fresh: Vec<LiveNotification> = batch
        .iter()
        .zip(before.news(&batch, now))
        .filter(|(_, news)| *news)
        .map(|(n, _)| n.clone())
        .collect();
    dispatcher.dispatch(InboxAction::Live {
        batch,
        now,
        server_offset: None,
    });
    if !fresh.is_empty() {
        arrived.items.borrow_mut().extend(fresh);
        let mut counter = arrived.counter.borrow_mut();
        *counter += 1;
        arrived.seq.set(*counter);
    }
}

/// Reads the REST history and merges it. Nothing is applied if the session it was asked for
/// has ended by the time the answer arrives (the request is aborted then, too): one user's
/// rows never land in the next user's inbox or cache.
/// Where history answers report; only the newest request's answer sets the status (a
/// request that times out late must not paint "failed" over a newer success).
#[derive(Clone)]
struct HistoryReport {
    status: UseStateSetter<HistoryStatus>,
    latest: Rc<HistorySeq>,
}

/// History requests by number: the last asked, and the newest whose answer was merged.
#[derive(Default)]
struct HistorySeq {
    asked: Cell<u64>,
    merged: Cell<u64>,
}

impl HistoryReport {
    fn start(&self) -> u64 {
        let n = self.latest.asked.get() + 1;
        self.latest.asked.set(n);
        self.status.set(HistoryStatus::Loading);
        n
    }

    /// Whether the answer to `request` may be merged: not when a newer request's answer was
    /// (reads overlap; an older snapshot must not bring back what a newer one removed).
    fn may_merge(&self, request: u64) -> bool {
        if request < self.latest.merged.get() {
            return false;
        }
        self.latest.merged.set(request);
        true
    }

    fn finish(&self, request: u64, status: HistoryStatus) {
        if self.latest.asked.get() == request {
            self.status.set(status);
        }
    }
}

/// Re-reads the history when the socket alone may have left the inbox short: after a burst
/// of notifications (the server drops what a socket's buffer cannot hold, silently) and after
/// an upload job's milestone (persisted as a row, never pushed as a notification). One timer;
/// the policy is [`BurstWatch`]'s.
struct Resync {
    watch: RefCell<BurstWatch>,
    timer: RefCell<Option<Timeout>>,
    /// A milestone asked for a read.
    due: Cell<bool>,
    service: Rc<SessionService>,
    dispatcher: UseReducerDispatcher<Inbox>,
    history: HistoryReport,
}

impl Resync {
    /// Milestones are read 1 s after the first (their rows are written around the frame).
    const MILESTONE_MS: u32 = 1_000;

    fn frame(self: &Rc<Self>) {
        let arm = self.watch.borrow_mut().frame(js_sys::Date::now());
        if let Some(ms) = arm {
            self.arm(ms);
        }
    }

    fn milestone(self: &Rc<Self>) {
        self.due.set(true);
        if self.timer.borrow().is_none() {
            self.arm(Self::MILESTONE_MS);
        }
    }

    /// A read is under way for another reason (a connect): it covers what came before.
    fn reset(&self) {
        self.watch.borrow_mut().reset();
        self.due.set(false);
    }

    fn arm(self: &Rc<Self>, ms: u32) {
        let this = Rc::downgrade(self);
        *self.timer.borrow_mut() = Some(Timeout::new(ms, move || {
            if let Some(this) = this.upgrade() {
                this.fire();
            }
        }));
    }

    fn fire(self: &Rc<Self>) {
        self.timer.borrow_mut().take();
        let tick = self.watch.borrow_mut().tick(js_sys::Date::now());
        crate::services::diagnostics::burst_tick(tick);
        if let Tick::Wait(ms) = tick {
            self.arm(ms);
        }
        if self.due.replace(false) || tick == Tick::Resync {
            sync_history(
                self.service.clone(),
                self.dispatcher.clone(),
                self.history.clone(),
            );
        }
    }
}

fn sync_history(
    service: Rc<SessionService>,
    dispatcher: UseReducerDispatcher<Inbox>,
    report: HistoryReport,
) {
    let epoch = service.epoch();
    if !service.is_current(epoch) {
        return;
    }
    let request = report.start();
    wasm_bindgen_futures::spawn_local(async move {
        let requested_at = js_sys::Date::now();
        let result = notifications::history(&service).await;
        crate::services::diagnostics::history_read(&result);
        if !service.is_current(epoch) {
            return;
        }
        match result {
            Ok(_) if !report.may_merge(request) => {}
            Ok(history) => {
                dispatcher.dispatch(InboxAction::History {
                    rows: history.rows,
                    requested_at,
                });
                report.finish(request, HistoryStatus::Loaded);
            }
            Err(ApiError::SessionExpired) => {}
            Err(e) => report.finish(request, HistoryStatus::Failed(e)),
        }
    });
}

/// Sends an optimistic change to the server; settles or rolls it back.
fn send(
    service: Rc<SessionService>,
    socket: SocketService,
    dispatcher: UseReducerDispatcher<Inbox>,
    op: Op,
    lang: crate::i18n::Lang,
) {
    let change = match &op {
        Op::Read(ItemKey::Id(id)) => Some(Change::ReadOne(*id)),
        Op::ReadAll(keys) if keys.iter().any(|k| matches!(k, ItemKey::Id(_))) => {
            Some(Change::ReadAll)
        }
        Op::Delete(n) => match n.key {
            ItemKey::Id(id) => Some(Change::Delete(id)),
            ItemKey::Live(_) => None,
        },
        _ => None,
    };
    let Some(change) = change else {
        dispatcher.dispatch(InboxAction::Settled(op));
        return;
    };
    let epoch = service.epoch();
    wasm_bindgen_futures::spawn_local(async move {
        let result = notifications::change(&service, change).await;
        // Signed out (or someone else signed in) meanwhile: the rollback is not theirs.
        if !service.is_current(epoch) {
            return;
        }
        // 404: the notification is no longer there (deleted in another tab or on another
        // device). A delete is done; a read has nothing left to read. Either way it goes, here
        // and in the other tabs, with no error.
        if let (
            Err(ChangeError::Refused { status: 404, .. }),
            Change::ReadOne(id) | Change::Delete(id),
        ) = (&result, change)
        {
            dispatcher.dispatch(InboxAction::Gone(ItemKey::Id(id)));
            socket.tell_tabs(Change::Delete(id));
            return;
        }
        let outcome = match result {
            Ok(()) => Ok(()),
            Err(ChangeError::Api(ApiError::SessionExpired)) => return,
            Err(ChangeError::Api(e)) => Err(lang.api_error(&e)),
            Err(ChangeError::Refused {
                message: Some(m), ..
            }) => Err(m),
            Err(ChangeError::Refused { status, .. }) => Err(lang.api_error(&ApiError::Rejected {
                status,
                body: String::new(),
            })),
        };
        match outcome {
            Ok(()) => {
                dispatcher.dispatch(InboxAction::Settled(op));
                // The user's other tabs show the same inbox.
                socket.tell_tabs(change);
            }
            Err(reason) => {
                let what = match &op {
                    Op::Read(_) => lang.t().could_not_read,
                    Op::ReadAll(_) => lang.t().could_not_read_all,
                    Op::Delete(_) => lang.t().could_not_delete,
                };
                dispatcher.dispatch(InboxAction::Failed {
                    op,
                    message: format!("{what}: {reason}"),
                });
            }
        }
    });
}
