use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::{use_session, use_socket};
use crate::services::inbox::{ArrivalBatch, ArrivalSubscription, InboxService, InboxView};
pub use crate::state::inbox::control::HistoryStatus;
use crate::state::inbox::{Edit, Inbox, Notification, TransactionEntry};

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
    /// Runs an edit: applied at once, sent to the server, undone if refused.
    pub edit: Callback<Edit>,
    /// Hides the error message.
    pub dismiss_error: Callback<()>,
    /// The inbox's controller, for the bulk actions (see [`crate::hooks::use_bulk`]).
    pub service: InboxService,
    /// The browser is offline: the inbox shows what it has, and its actions, which all need
    /// the server, are disabled until the network returns (#23, item 2).
    pub offline: bool,
}

/// What the upload cards need of the inbox: the transaction index. Equal while the index is
/// unchanged, so a live notification about another transaction re-renders no job card.
#[derive(Clone)]
pub struct TransactionsContext(pub Rc<Inbox>, pub Callback<Edit>);

impl PartialEq for TransactionsContext {
    fn eq(&self, other: &Self) -> bool {
        self.0.transactions_rev() == other.0.transactions_rev()
    }
}

impl TransactionsContext {
    /// See [`Inbox::transaction`].
    pub fn get(&self, id: i64) -> Option<&TransactionEntry> {
        self.0.transaction(id)
    }

    /// Runs an edit on the inbox (a stable callback: equality is the index's).
    pub fn edit(&self, edit: Edit) {
        self.1.emit(edit)
    }
}

/// New live notifications, for whoever shows them (toasts, announcements, desktop
/// notifications): each subscriber hears every batch that is news to the user.
#[derive(Clone, PartialEq)]
pub struct NewArrivals(InboxService);

impl NewArrivals {
    /// Calls `callback` with every batch of new notifications (in arrival order, newest last)
    /// until the returned subscription is dropped.
    pub fn subscribe(&self, callback: Callback<ArrivalBatch>) -> ArrivalSubscription {
        self.0.subscribe_arrivals(callback)
    }
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

/// Owns the inbox service (see [`crate::services::inbox`]): starts it from the per-user cache
/// on sign-in, stops it on sign-out, persists the newest items, and hands the inbox out in
/// three contexts.
#[component(InboxProvider)]
pub fn inbox_provider(props: &InboxProviderProps) -> Html {
    let session = use_session();
    let socket = use_socket();
    let view = use_state(InboxView::default);
    let user_id = session.session.as_ref().map(|s| s.user.id);
    let service = {
        let set_view = view.setter();
        (*use_memo(
            (session.service.clone(), socket.service.clone()),
            move |(session, socket)| {
                InboxService::new(
                    session.clone(),
                    socket.clone(),
                    Callback::from(move |v| set_view.set(v)),
                    crate::i18n::tab_title,
                )
            },
        ))
        .clone()
    };
    // Per user: start from the cache on sign-in, stop on sign-out.
    use_effect_with(
        (user_id, service.clone()),
        |(user_id, service)| match user_id {
            Some(id) => service.start(crate::services::storage::read::<Vec<Notification>>(
                &cache_key(*id),
            )),
            None => service.stop(),
        },
    );
    // Persist the newest items (bounded), throttled, flushed on page hide.
    crate::hooks::use_persisted(user_id.map(cache_key), view.inbox.clone(), Inbox::cache);

    let callbacks = (*use_memo(service.clone(), |service| {
        let (a, b, c) = (service.clone(), service.clone(), service.clone());
        (
            Callback::from(move |_| a.retry_history()),
            Callback::from(move |edit| b.edit(edit)),
            Callback::from(move |_| c.dismiss_error()),
        )
    }))
    .clone();
    let (retry_history, edit, dismiss_error) = callbacks;
    let context = InboxContext {
        inbox: view.inbox.clone(),
        history: view.history.clone(),
        retry_history,
        edit,
        dismiss_error,
        service: service.clone(),
        offline: socket.status == crate::state::connection::Status::Offline,
    };
    let arrivals = NewArrivals(service);
    let transactions = TransactionsContext(view.inbox.clone(), context.edit.clone());
    // Three contexts, so each consumer re-renders only for its slice: the panel for the list,
    // the toasts for arrivals, the job cards for the transaction index.
    html! {
        <ContextProvider<InboxContext> {context}>
            <ContextProvider<NewArrivals> context={arrivals}>
                <ContextProvider<TransactionsContext> context={transactions}>
                    { props.children.clone() }
                </ContextProvider<TransactionsContext>>
            </ContextProvider<NewArrivals>>
        </ContextProvider<InboxContext>>
    }
}
