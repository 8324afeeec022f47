//! English and Arabic: one typed catalogue per language (a missing string is a compile error;
//! the tests catch empty or untranslated ones), plus plural-aware phrases and digits.

use crate::state::time::Ago;

mod act;

/// The user's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English, left to right.
    #[default]
    En,
    /// Arabic, right to left.
    Ar,
}

impl Lang {
    /// BCP 47 code for `lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    /// `dir=` value.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Ar => "rtl",
        }
    }

    /// From a stored code; anything else is English.
    pub fn from_code(code: &str) -> Self {
        if code.trim().eq_ignore_ascii_case("ar") {
            Lang::Ar
        } else {
            Lang::En
        }
    }

    /// The catalogue.
    pub fn t(self) -> &'static Text {
        match self {
            Lang::En => &EN,
            Lang::Ar => &AR,
        }
    }

    /// Digits as this language writes them (Arabic-Indic in Arabic).
    pub fn num(self, n: impl std::fmt::Display) -> String {
        let s = n.to_string();
        match self {
            Lang::En => s,
            Lang::Ar => s
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32(0x0660 + d).unwrap_or(c),
                    None => c,
                })
                .collect(),
        }
    }

    /// "25%", "٢٥٪": a percentage as this language writes it.
    pub fn percent(self, n: impl std::fmt::Display) -> String {
        match self {
            Lang::En => format!("{n}%"),
            Lang::Ar => format!("{}٪", self.num(n)),
        }
    }

    /// What stands between the parts of one line ("25% · 12 s"). Arabic's comma, not the
    /// middle dot: beside Arabic-Indic digits a dot reads as the digit zero (٠).
    pub fn sep(self) -> &'static str {
        match self {
            Lang::En => " · ",
            Lang::Ar => "، ",
        }
    }

    /// "3 unread".
    pub fn unread(self, n: usize) -> String {
        match self {
            Lang::En => format!("{n} unread"),
            Lang::Ar => format!("{} غير مقروء", self.num(n)),
        }
    }

    /// "2 uploads running".
    pub fn uploads_running(self, n: usize) -> String {
        match (self, ArabicCount::of(n)) {
            (Lang::En, _) if n == 1 => "1 upload running".into(),
            (Lang::En, _) => format!("{n} uploads running"),
            (Lang::Ar, ArabicCount::One) => "رفع واحد قيد التنفيذ".into(),
            (Lang::Ar, ArabicCount::Two) => "عمليتا رفع قيد التنفيذ".into(),
            (Lang::Ar, ArabicCount::Few) => format!("{} عمليات رفع قيد التنفيذ", self.num(n)),
            (Lang::Ar, _) => format!("{} عملية رفع قيد التنفيذ", self.num(n)),
        }
    }

    /// "1 upload stalled": running jobs whose worker has gone silent.
    pub fn uploads_stalled(self, n: usize) -> String {
        match (self, ArabicCount::of(n)) {
            (Lang::En, _) if n == 1 => "1 upload stalled".into(),
            (Lang::En, _) => format!("{n} uploads stalled"),
            (Lang::Ar, ArabicCount::One) => "عملية رفع واحدة متوقفة".into(),
            (Lang::Ar, ArabicCount::Two) => "عمليتا رفع متوقفتان".into(),
            (Lang::Ar, ArabicCount::Few) => format!("{} عمليات رفع متوقفة", self.num(n)),
            (Lang::Ar, _) => format!("{} عملية رفع متوقفة", self.num(n)),
        }
    }

    /// " in 8 s" (after "Reconnecting").
    pub fn in_seconds(self, secs: u64) -> String {
        match self {
            Lang::En => format!(" in {secs} s"),
            Lang::Ar => format!(" خلال {} ث", self.num(secs)),
        }
    }

    /// "Show 100 more (1,902 not shown)".
    pub fn show_more(self, next: usize, hidden: usize) -> String {
        match self {
            Lang::En => format!("Show {next} more ({hidden} not shown)"),
            Lang::Ar => format!(
                "عرض {} أخرى ({} غير معروضة)",
                self.num(next),
                self.num(hidden)
            ),
        }
    }

    /// "+5 more".
    pub fn more(self, n: usize) -> String {
        match self {
            Lang::En => format!("+{n} more"),
            Lang::Ar => format!("+{} أخرى", self.num(n)),
        }
    }

    /// "5 new notifications".
    pub fn new_notifications(self, n: usize) -> String {
        match (self, ArabicCount::of(n)) {
            (Lang::En, _) if n == 1 => "1 new notification".into(),
            (Lang::En, _) => format!("{n} new notifications"),
            (Lang::Ar, ArabicCount::One) => "إشعار جديد واحد".into(),
            (Lang::Ar, ArabicCount::Two) => "إشعاران جديدان".into(),
            (Lang::Ar, ArabicCount::Few) => format!("{} إشعارات جديدة", self.num(n)),
            (Lang::Ar, ArabicCount::Many) => format!("{} إشعارًا جديدًا", self.num(n)),
            (Lang::Ar, _) => format!("{} إشعار جديد", self.num(n)),
        }
    }

    /// "Transaction 602".
    pub fn transaction(self, id: i64) -> String {
        match self {
            Lang::En => format!("Transaction {id}"),
            Lang::Ar => format!("المعاملة {}", self.num(id)),
        }
    }

    /// "Step 3 of 5: Interface Loader".
    pub fn step_of(self, k: Option<u32>, n: u32, name: &str) -> String {
        let k = k.map_or("?".to_owned(), |k| self.num(k));
        match self {
            Lang::En => format!("Step {k} of {n}: {name}"),
            Lang::Ar => format!("الخطوة {k} من {}: {name}", self.num(n)),
        }
    }

    /// "Failed at Journal Import".
    pub fn failed_at(self, step: &str) -> String {
        match self {
            Lang::En => format!("Failed at {step}"),
            Lang::Ar => format!("فشل عند {step}"),
        }
    }

    /// "Attempt 2".
    pub fn attempt(self, n: u32) -> String {
        match self {
            Lang::En => format!("Attempt {n}"),
            Lang::Ar => format!("المحاولة {}", self.num(n)),
        }
    }

    /// Upload milestones.
    pub fn upload_started(self, tx: i64) -> String {
        match self {
            Lang::En => format!("Oracle upload started for transaction {tx}"),
            Lang::Ar => format!("بدأ الرفع إلى Oracle للمعاملة {}", self.num(tx)),
        }
    }
    /// Upload milestones.
    pub fn upload_completed(self, tx: i64) -> String {
        match self {
            Lang::En => format!("Oracle upload completed for transaction {tx}"),
            Lang::Ar => format!("اكتمل الرفع إلى Oracle للمعاملة {}", self.num(tx)),
        }
    }
    /// Upload milestones.
    pub fn upload_failed(self, tx: i64, error: Option<&str>) -> String {
        let error = error.map(|e| format!(": {e}")).unwrap_or_default();
        match self {
            Lang::En => format!("Oracle upload failed for transaction {tx}{error}"),
            Lang::Ar => format!("فشل الرفع إلى Oracle للمعاملة {}{error}", self.num(tx)),
        }
    }

    /// "5 min ago" / "منذ ٥ دقائق", with Arabic's singular, dual, plural and counted forms.
    pub fn ago(self, ago: Ago) -> String {
        match self {
            Lang::En => match ago {
                Ago::JustNow => "just now".into(),
                Ago::Minutes(m) => format!("{m} min ago"),
                Ago::Hours(h) => format!("{h} h ago"),
                Ago::Yesterday => "yesterday".into(),
                Ago::Days(d) => format!("{d} days ago"),
            },
            Lang::Ar => {
                // The singular after 11–99 is accusative ("يومًا"), after 100 genitive ("يوم").
                let counted =
                    |n: i64, [one, two, few, many, other]: [&str; 5]| match ArabicCount::of(
                        usize::try_from(n).unwrap_or(0),
                    ) {
                        ArabicCount::One => format!("منذ {one}"),
                        ArabicCount::Two => format!("منذ {two}"),
                        ArabicCount::Few => format!("منذ {} {few}", self.num(n)),
                        ArabicCount::Many => format!("منذ {} {many}", self.num(n)),
                        ArabicCount::Zero | ArabicCount::Other => {
                            format!("منذ {} {other}", self.num(n))
                        }
                    };
                match ago {
                    Ago::JustNow => "الآن".into(),
                    Ago::Minutes(m) => counted(m, ["دقيقة", "دقيقتين", "دقائق", "دقيقة", "دقيقة"]),
                    Ago::Hours(h) => counted(h, ["ساعة", "ساعتين", "ساعات", "ساعة", "ساعة"]),
                    Ago::Yesterday => "أمس".into(),
                    Ago::Days(d) => counted(d, ["يوم", "يومين", "أيام", "يومًا", "يوم"]),
                }
            }
        }
    }
}

/// Which form an Arabic noun counted by `n` takes (CLDR's plural categories for Arabic): the
/// dual for 2, the plural after 3–10 (also 103–110, …), the singular after 11–99 (111–199, …)
/// and after 100, 1,000, … (100–102, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArabicCount {
    /// 0.
    Zero,
    /// 1.
    One,
    /// 2: the dual.
    Two,
    /// n % 100 in 3..=10: the plural.
    Few,
    /// n % 100 in 11..=99: the singular (accusative).
    Many,
    /// The rest (100, 101, 102, 200, …): the singular (genitive).
    Other,
}

impl ArabicCount {
    fn of(n: usize) -> Self {
        match (n, n % 100) {
            (0, _) => Self::Zero,
            (1, _) => Self::One,
            (2, _) => Self::Two,
            (_, 3..=10) => Self::Few,
            (_, 11..=99) => Self::Many,
            _ => Self::Other,
        }
    }
}

/// Find and filter (#22, items 2 and 3).
impl Lang {
    /// "12 notifications match": how many items the search and the filters show.
    pub fn matches(self, n: usize) -> String {
        match (self, ArabicCount::of(n)) {
            (Lang::En, _) if n == 0 => "No notifications match".into(),
            (Lang::En, _) if n == 1 => "1 notification matches".into(),
            (Lang::En, _) => format!("{n} notifications match"),
            (Lang::Ar, ArabicCount::Zero) => "لا إشعارات مطابقة".into(),
            (Lang::Ar, ArabicCount::One) => "إشعار واحد مطابق".into(),
            (Lang::Ar, ArabicCount::Two) => "إشعاران مطابقان".into(),
            (Lang::Ar, ArabicCount::Few) => format!("{} إشعارات مطابقة", self.num(n)),
            (Lang::Ar, ArabicCount::Many) => format!("{} إشعارًا مطابقًا", self.num(n)),
            (Lang::Ar, ArabicCount::Other) => format!("{} إشعار مطابق", self.num(n)),
        }
    }

    /// "FAR (12)": a filter choice and how many items it would show.
    pub fn choice(self, label: &str, count: usize) -> String {
        format!("{label} ({})", self.num(count))
    }
}

macro_rules! catalogue {
    ($($field:ident),* $(,)?) => {
        /// Every fixed UI string.
        #[derive(Debug)]
        pub struct Text { $(
            #[allow(missing_docs)]
            pub $field: &'static str,
        )* }

        impl Text {
            /// (name, value) of every string, for the completeness tests.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), self.$field)),*]
            }
        }
    };
}

catalogue!(
    app_name,
    skip_to_inbox,
    language_label,
    sign_in_title,
    username,
    password,
    sign_in,
    signing_in,
    server,
    sign_out,
    signed_in_as,
    session_expired,
    cannot_reach,
    refused,
    server_refused,
    server_problem,
    not_found_title,
    not_found_body,
    go_to_inbox,
    starting,
    live,
    connecting,
    reconnecting,
    reconnecting_soon,
    offline,
    disconnected,
    retry_now,
    socket_leader,
    socket_follower,
    connection_details,
    details_intro,
    details_version,
    details_api,
    details_socket,
    details_counters,
    frames_received,
    frames_skipped,
    frames_unknown,
    burst_rereads,
    recent_events,
    no_events,
    copy_report,
    copied,
    copy_refused,
    support_report,
    close,
    retry,
    history_failed,
    timed_out,
    notifications,
    filter_label,
    search_label,
    search_placeholder,
    type_label,
    action_label,
    all_types,
    all_actions,
    no_matches,
    clear_find,
    all,
    unread_tab,
    mark_all_read,
    mark_shown_read,
    mark_read,
    delete,
    select_item,
    select_all_matching,
    selected_actions,
    mark_selected_read,
    delete_selected,
    clear_selection,
    undo,
    marking_read,
    deleting,
    failures_dismiss,
    keyboard_shortcuts,
    shortcuts_on,
    shortcuts_typing_note,
    shortcut_keys,
    shortcut_action,
    sc_next,
    sc_previous,
    sc_open,
    sc_delete,
    sc_select,
    sc_range,
    sc_undo,
    sc_help,
    key_space,
    key_or,
    announce_marked_read,
    announce_already_read,
    announce_offline,
    announce_selected,
    announce_unselected,
    announce_restored,
    announce_no_link,
    announce_nothing_to_undo,
    dismiss,
    no_unread,
    today,
    yesterday,
    new_since,
    view_label,
    view_list,
    view_threads,
    no_notifications,
    unread_marker,
    kind_created,
    kind_returned,
    kind_approved,
    kind_rejected,
    kind_upload,
    list_separator,
    new_notification,
    new_notifications_region,
    dismiss_notification,
    dismiss_all,
    enable_desktop,
    desktop_on,
    oracle_uploads,
    dashboard_title,
    clear_finished,
    no_jobs,
    running,
    completed,
    failed,
    stalled,
    waiting,
    starting_job,
    error_label,
    result_label,
    step_label,
    steps_unknown,
    steps,
    step_pending,
    step_running,
    step_done,
    step_failed,
    acknowledge,
    show_in_inbox,
    opens_in_new_tab,
    upload_progress,
    copy_details,
    copy_path,
    past_jobs,
    could_not_read,
    could_not_read_all,
    could_not_delete,
    storage_not_persisting,
    update_ready,
    update_reload,
    crash_message,
    crash_reload,
);

/// English.
pub const EN: Text = Text {
    app_name: "Herald",
    skip_to_inbox: "Skip to notifications",
    language_label: "Language",
    sign_in_title: "Sign in to Herald",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    server: "Server: ",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",
    session_expired: "Your session has expired. Please sign in again.",
    cannot_reach: "Cannot reach the server",
    refused: "Sign-in was refused. Please try again.",
    server_refused: "The server refused (HTTP {})",
    server_problem: "The server had a problem (HTTP {}). Please try again.",
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address.",
    go_to_inbox: "Go to the inbox",
    starting: "Starting Herald…",
    live: "Live",
    connecting: "Connecting…",
    reconnecting: "Reconnecting",
    reconnecting_soon: "Reconnecting…",
    offline: "Offline — will reconnect when the network is back",
    disconnected: "Disconnected",
    retry_now: "Retry now",
    socket_leader: "This tab holds the live connection and shares it with your other Herald tabs",
    socket_follower: "Live updates reach this tab through another Herald tab's connection",
    connection_details: "Connection details",
    details_intro: "What this tab's connection did lately, for support. Your password, tokens and messages are never shown.",
    details_version: "Version",
    details_api: "Server (API)",
    details_socket: "Live updates",
    details_counters: "Counters",
    frames_received: "Frames received",
    frames_skipped: "Frames skipped (unreadable)",
    frames_unknown: "Frames of an unknown type",
    burst_rereads: "Read again after a burst (frames may have been dropped)",
    recent_events: "Recent events, newest first",
    no_events: "Nothing recorded yet.",
    copy_report: "Copy",
    copied: "Copied",
    copy_refused: "The browser did not allow copying. Select the text below and copy it.",
    support_report: "Report for support",
    close: "Close",
    retry: "Retry",
    history_failed: "Your notifications could not be loaded",
    timed_out: "The server did not answer in time",
    notifications: "Notifications",
    filter_label: "Show",
    search_label: "Search notifications",
    search_placeholder: "Search (press /)",
    type_label: "Transfer type",
    action_label: "Action",
    all_types: "All types",
    all_actions: "All actions",
    no_matches: "No notifications match the search and filters.",
    clear_find: "Clear search and filters",
    all: "All",
    unread_tab: "Unread",
    mark_all_read: "Mark all as read",
    mark_shown_read: "Mark all shown as read",
    mark_read: "Mark as read",
    delete: "Delete",
    select_item: "Select: ",
    select_all_matching: "Select all matching",
    selected_actions: "Selected notifications",
    mark_selected_read: "Mark selected as read",
    delete_selected: "Delete selected",
    clear_selection: "Clear selection",
    undo: "Undo",
    marking_read: "Marking as read",
    deleting: "Deleting",
    failures_dismiss: "Dismiss the report",
    keyboard_shortcuts: "Keyboard shortcuts",
    shortcuts_on: "Use keyboard shortcuts",
    shortcuts_typing_note: "Shortcuts do nothing while you type in a field.",
    shortcut_keys: "Keys",
    shortcut_action: "Action",
    sc_next: "Next notification",
    sc_previous: "Previous notification",
    sc_open: "Open the transaction",
    sc_delete: "Delete (with Undo)",
    sc_select: "Select or unselect",
    sc_range: "Select a range, from the last one selected",
    sc_undo: "Undo a delete",
    sc_help: "List the shortcuts",
    key_space: "Space",
    key_or: " or ",
    announce_marked_read: "Marked as read",
    announce_already_read: "Already read",
    announce_offline: "Offline: this needs the network",
    announce_selected: "Selected",
    announce_unselected: "Not selected",
    announce_restored: "Restored",
    announce_no_link: "No transaction to open",
    announce_nothing_to_undo: "Nothing to undo",
    dismiss: "Dismiss",
    no_unread: "No unread notifications.",
    today: "Today",
    yesterday: "Yesterday",
    new_since: "New since you last looked",
    view_label: "View",
    view_list: "List",
    view_threads: "By transaction",
    no_notifications: "No notifications yet.",
    unread_marker: "Unread: ",
    kind_created: "Created",
    kind_returned: "Returned",
    kind_approved: "Approved",
    kind_rejected: "Rejected",
    kind_upload: "Upload",
    list_separator: ", ",
    new_notification: "New notification: ",
    new_notifications_region: "New notifications",
    dismiss_notification: "Dismiss notification",
    dismiss_all: "Dismiss all",
    enable_desktop: "Enable desktop notifications",
    desktop_on: "Desktop notifications on",
    oracle_uploads: "Oracle uploads",
    dashboard_title: "Dashboard",
    clear_finished: "Clear finished",
    no_jobs: "No upload jobs. Jobs appear here as soon as an upload starts.",
    running: "Running",
    completed: "Completed",
    failed: "Failed",
    stalled: "No update for 5 min",
    waiting: "Waiting for updates",
    starting_job: "Starting",
    error_label: "Error: ",
    result_label: "Result: ",
    step_label: "step: ",
    steps_unknown: "Steps were not reported.",
    steps: "Steps",
    step_pending: "pending",
    step_running: "running",
    step_done: "done",
    step_failed: "failed",
    acknowledge: "Acknowledge",
    show_in_inbox: "Show in inbox",
    opens_in_new_tab: " (opens in a new tab)",
    upload_progress: "upload progress",
    copy_details: "Copy details",
    copy_path: "Copy path",
    past_jobs: "Past jobs",
    could_not_read: "Could not mark the notification as read",
    could_not_read_all: "Could not mark all notifications as read",
    could_not_delete: "Could not delete the notification",
    storage_not_persisting:
        "This session will not survive a reload: the browser refuses to store data.",
    update_ready: "A new version of Herald is ready",
    update_reload: "Reload",
    crash_message: "Something went wrong.",
    crash_reload: "Reload",
};

/// Arabic.
pub const AR: Text = Text {
    app_name: "هيرالد",
    skip_to_inbox: "انتقل إلى الإشعارات",
    language_label: "اللغة",
    sign_in_title: "تسجيل الدخول إلى هيرالد",
    username: "اسم المستخدم",
    password: "كلمة المرور",
    sign_in: "تسجيل الدخول",
    signing_in: "جارٍ تسجيل الدخول…",
    server: "الخادم: ",
    sign_out: "تسجيل الخروج",
    signed_in_as: "مسجّل الدخول باسم",
    session_expired: "انتهت صلاحية جلستك. يرجى تسجيل الدخول مرة أخرى.",
    cannot_reach: "تعذّر الوصول إلى الخادم",
    refused: "تم رفض تسجيل الدخول. يرجى المحاولة مرة أخرى.",
    server_refused: "رفض الخادم الطلب (HTTP {})",
    server_problem: "واجه الخادم مشكلة (HTTP {}). يرجى المحاولة مرة أخرى.",
    not_found_title: "الصفحة غير موجودة",
    not_found_body: "لا يوجد شيء في هذا العنوان.",
    go_to_inbox: "الذهاب إلى صندوق الإشعارات",
    starting: "جارٍ تشغيل هيرالد…",
    live: "متصل",
    connecting: "جارٍ الاتصال…",
    reconnecting: "جارٍ إعادة الاتصال",
    reconnecting_soon: "جارٍ إعادة الاتصال…",
    offline: "غير متصل بالشبكة — سيُعاد الاتصال عند عودة الشبكة",
    disconnected: "غير متصل",
    retry_now: "أعد المحاولة الآن",
    socket_leader: "يحمل هذا التبويب الاتصال المباشر ويشاركه مع تبويبات Herald الأخرى",
    socket_follower: "تصل التحديثات المباشرة إلى هذا التبويب عبر اتصال تبويب Herald آخر",
    connection_details: "تفاصيل الاتصال",
    details_intro: "ما فعله اتصال هذا التبويب مؤخرًا، لفريق الدعم. لا تُعرض كلمة المرور أو رموز الدخول أو الرسائل أبدًا.",
    details_version: "الإصدار",
    details_api: "الخادم (API)",
    details_socket: "التحديثات المباشرة",
    details_counters: "العدّادات",
    frames_received: "الإطارات المستلمة",
    frames_skipped: "الإطارات المتجاهلة (غير مقروءة)",
    frames_unknown: "إطارات من نوع غير معروف",
    burst_rereads: "إعادة القراءة بعد دفعة (ربما أُسقطت إطارات)",
    recent_events: "الأحداث الأخيرة، الأحدث أولًا",
    no_events: "لم يُسجَّل شيء بعد.",
    copy_report: "نسخ",
    copied: "تم النسخ",
    copy_refused: "لم يسمح المتصفح بالنسخ. حدّد النص أدناه وانسخه.",
    support_report: "تقرير لفريق الدعم",
    close: "إغلاق",
    retry: "أعد المحاولة",
    history_failed: "تعذّر تحميل إشعاراتك",
    timed_out: "لم يستجب الخادم في الوقت المحدد",
    notifications: "الإشعارات",
    filter_label: "عرض",
    search_label: "البحث في الإشعارات",
    search_placeholder: "بحث (اضغط /)",
    type_label: "نوع المناقلة",
    action_label: "الإجراء",
    all_types: "كل الأنواع",
    all_actions: "كل الإجراءات",
    no_matches: "لا توجد إشعارات تطابق البحث وعوامل التصفية.",
    clear_find: "مسح البحث وعوامل التصفية",
    all: "الكل",
    unread_tab: "غير المقروءة",
    mark_all_read: "تعليم الكل كمقروء",
    mark_shown_read: "تعليم المعروضة كمقروءة",
    mark_read: "تعليم كمقروء",
    delete: "حذف",
    select_item: "تحديد: ",
    select_all_matching: "تحديد كل المطابقة",
    selected_actions: "الإشعارات المحددة",
    mark_selected_read: "تعليم المحدد كمقروء",
    delete_selected: "حذف المحدد",
    clear_selection: "إلغاء التحديد",
    undo: "تراجع",
    marking_read: "جارٍ التعليم كمقروء",
    deleting: "جارٍ الحذف",
    failures_dismiss: "إغلاق التقرير",
    keyboard_shortcuts: "اختصارات لوحة المفاتيح",
    shortcuts_on: "استخدام اختصارات لوحة المفاتيح",
    shortcuts_typing_note: "لا تعمل الاختصارات أثناء الكتابة في حقل.",
    shortcut_keys: "المفاتيح",
    shortcut_action: "الإجراء",
    sc_next: "الإشعار التالي",
    sc_previous: "الإشعار السابق",
    sc_open: "فتح المعاملة",
    sc_delete: "حذف (مع إمكانية التراجع)",
    sc_select: "تحديد أو إلغاء التحديد",
    sc_range: "تحديد نطاق يبدأ من آخر إشعار محدد",
    sc_undo: "التراجع عن الحذف",
    sc_help: "عرض الاختصارات",
    key_space: "مسافة",
    key_or: " أو ",
    announce_marked_read: "عُلِّم كمقروء",
    announce_already_read: "مقروء من قبل",
    announce_offline: "غير متصل: يتطلب هذا الاتصال بالشبكة",
    announce_selected: "محدد",
    announce_unselected: "غير محدد",
    announce_restored: "تمت الاستعادة",
    announce_no_link: "لا توجد معاملة لفتحها",
    announce_nothing_to_undo: "لا يوجد حذف للتراجع عنه",
    dismiss: "إغلاق",
    no_unread: "لا توجد إشعارات غير مقروءة.",
    today: "اليوم",
    yesterday: "أمس",
    new_since: "جديد منذ آخر اطلاع لك",
    view_label: "طريقة العرض",
    view_list: "قائمة",
    view_threads: "حسب المعاملة",
    no_notifications: "لا توجد إشعارات بعد.",
    unread_marker: "غير مقروء: ",
    kind_created: "إنشاء",
    kind_returned: "إعادة",
    kind_approved: "موافقة",
    kind_rejected: "رفض",
    kind_upload: "رفع",
    list_separator: "، ",
    new_notification: "إشعار جديد: ",
    new_notifications_region: "إشعارات جديدة",
    dismiss_notification: "إغلاق الإشعار",
    dismiss_all: "إغلاق الكل",
    enable_desktop: "تفعيل إشعارات سطح المكتب",
    desktop_on: "إشعارات سطح المكتب مفعّلة",
    oracle_uploads: "عمليات الرفع إلى Oracle",
    dashboard_title: "لوحة المتابعة",
    clear_finished: "مسح المكتملة",
    no_jobs: "لا توجد عمليات رفع. تظهر العمليات هنا فور بدء الرفع.",
    running: "قيد التنفيذ",
    completed: "مكتمل",
    failed: "فشل",
    stalled: "لا تحديث منذ ٥ دقائق",
    waiting: "بانتظار التحديثات",
    starting_job: "جارٍ البدء",
    error_label: "الخطأ: ",
    result_label: "النتيجة: ",
    step_label: "الخطوة: ",
    steps_unknown: "لم يتم الإبلاغ عن الخطوات.",
    steps: "الخطوات",
    step_pending: "بالانتظار",
    step_running: "قيد التنفيذ",
    step_done: "تمت",
    step_failed: "فشلت",
    acknowledge: "تأكيد الاطلاع",
    show_in_inbox: "عرض في الإشعارات",
    opens_in_new_tab: " (يُفتح في علامة تبويب جديدة)",
    upload_progress: "تقدم الرفع",
    copy_details: "نسخ التفاصيل",
    copy_path: "نسخ المسار",
    past_jobs: "عمليات الرفع السابقة",
    could_not_read: "تعذّر تعليم الإشعار كمقروء",
    could_not_read_all: "تعذّر تعليم كل الإشعارات كمقروءة",
    could_not_delete: "تعذّر حذف الإشعار",
    storage_not_persisting: "لن تبقى هذه الجلسة بعد إعادة تحميل الصفحة: المتصفح يرفض حفظ البيانات.",
    update_ready: "إصدار جديد من هيرالد جاهز",
    update_reload: "إعادة التحميل",
    crash_message: "حدث خطأ ما.",
    crash_reload: "إعادة التحميل",
};

impl Lang {
    /// The word for a kind of action, shown beside its icon ("Approved", "موافقة").
    pub fn kind(self, kind: crate::state::action_kind::ActionKind) -> &'static str {
        use crate::state::action_kind::ActionKind;
        let t = self.t();
        match kind {
            ActionKind::Created => t.kind_created,
            ActionKind::Returned => t.kind_returned,
            ActionKind::Approved => t.kind_approved,
            ActionKind::Rejected => t.kind_rejected,
            ActionKind::Upload => t.kind_upload,
        }
    }
}

impl Lang {
    /// A REST failure in the user's words (one mapping for every screen that shows one).
    pub fn api_error(self, e: &crate::state::remote::ApiError) -> String {
        use crate::state::remote::ApiError;
        let t = self.t();
        match e {
            ApiError::Network(_) => t.cannot_reach.to_owned(),
            ApiError::Timeout => t.timed_out.to_owned(),
            ApiError::Server(s) => t.server_problem.replace("{}", &s.to_string()),
            ApiError::SessionExpired => t.session_expired.to_owned(),
            ApiError::Rejected { status, .. } => {
                t.server_refused.replace("{}", &status.to_string())
            }
        }
    }

    /// Where an upload job stands: "Step 3 of 5: Interface Loader", "Completed", "Failed at
    /// B", "Starting" (the bar's value text and the card's step line).
    pub fn job_progress(self, job: &crate::state::uploads::UploadJob) -> String {
        use crate::state::uploads::JobState;
        let t = self.t();
        match job.state {
            JobState::Completed => t.completed.into(),
            JobState::Failed => match job.failed_step() {
                Some(s) => self.failed_at(&s.name),
                None => t.failed.into(),
            },
            JobState::Running => match job.current_step() {
                Some(s) => self.step_of(s.number, job.total_steps, &s.name),
                None => t.starting_job.into(),
            },
        }
    }
}

impl Lang {
    /// "Usually about 2 min", "Usually under a minute": what past jobs suggest, never more
    /// precise than [`crate::state::past_jobs::estimate`] allows.
    pub fn usually(self, estimate: crate::state::past_jobs::Estimate) -> String {
        use crate::state::past_jobs::Estimate as E;
        match (self, estimate) {
            (Lang::En, E::UnderAMinute) => "Usually under a minute".into(),
            (Lang::En, E::Minutes(m)) => format!("Usually about {m} min"),
            (Lang::En, E::Hours(h)) => format!("Usually about {h} h"),
            (Lang::Ar, E::UnderAMinute) => "عادةً أقل من دقيقة".into(),
            (Lang::Ar, E::Minutes(m)) => format!("عادةً نحو {} د", self.num(m)),
            (Lang::Ar, E::Hours(h)) => format!("عادةً نحو {} س", self.num(h)),
        }
    }

    /// "Step 4": a position of the stepper no frame has named yet.
    pub fn step_number(self, k: u32) -> String {
        match self {
            Lang::En => format!("Step {k}"),
            Lang::Ar => format!("الخطوة {}", self.num(k)),
        }
    }

    /// "Past jobs (12)".
    pub fn past_jobs(self, n: usize) -> String {
        format!("{} ({})", self.t().past_jobs, self.num(n))
    }
}

impl Lang {
    /// One event of "Connection details", in the user's words.
    pub fn transition(self, what: &crate::state::diagnostics::Transition) -> String {
        use crate::state::diagnostics::{RefreshOutcome, Transition as T};
        use crate::state::tabs::SocketRole;
        let n = |v: u64| self.num(v);
        match self {
            Lang::En => match *what {
                T::Connect { socket } => format!("Connecting (socket {socket})"),
                T::Opened { socket } => format!("Connected (socket {socket})"),
                T::Closed { socket, code } => {
                    format!("Connection closed (socket {socket}, code {code})")
                }
                T::ClosedByHerald { code } => format!("Herald closed the connection (code {code})"),
                T::Refresh(RefreshOutcome::Renewed) => "Sign-in token renewed".into(),
                T::Refresh(RefreshOutcome::Refused) => "Token renewal refused: signed out".into(),
                T::Refresh(RefreshOutcome::Failed(f)) => {
                    format!("Token renewal failed: {}", self.failure(f))
                }
                T::Role(SocketRole::Own) => "This tab uses its own connection".into(),
                T::Role(SocketRole::Leader) => "This tab holds the connection for your tabs".into(),
                T::Role(SocketRole::Follower) => "This tab uses another tab's connection".into(),
                T::Status(status) => {
                    format!("The other tab's connection: {}", self.status(status))
                }
                T::HistoryRead { rows, skipped: 0 } => format!("Notifications read ({rows})"),
                T::HistoryRead { rows, skipped } => {
                    format!("Notifications read ({rows}, {skipped} unreadable skipped)")
                }
                T::HistoryFailed(f) => {
                    format!("Notifications could not be read: {}", self.failure(f))
                }
                T::BurstReread => {
                    "Notifications read again after a burst (some may have been dropped)".into()
                }
                T::Online => "The browser is online".into(),
                T::Offline => "The browser went offline".into(),
                T::RetryNow => "Retry now".into(),
            },
            Lang::Ar => match *what {
                T::Connect { socket } => format!("جارٍ الاتصال (المقبس {})", n(socket)),
                T::Opened { socket } => format!("متصل (المقبس {})", n(socket)),
                T::Closed { socket, code } => format!(
                    "أُغلق الاتصال (المقبس {}، الرمز {})",
                    n(socket),
                    n(code.into())
                ),
                T::ClosedByHerald { code } => {
                    format!("أغلق هيرالد الاتصال (الرمز {})", n(code.into()))
                }
                T::Refresh(RefreshOutcome::Renewed) => "جُدِّد رمز الدخول".into(),
                T::Refresh(RefreshOutcome::Refused) => {
                    "رُفض تجديد رمز الدخول: تم تسجيل الخروج".into()
                }
                T::Refresh(RefreshOutcome::Failed(f)) => {
                    format!("تعذّر تجديد رمز الدخول: {}", self.failure(f))
                }
                T::Role(SocketRole::Own) => "يستخدم هذا التبويب اتصاله الخاص".into(),
                T::Role(SocketRole::Leader) => "يحمل هذا التبويب الاتصال لتبويباتك".into(),
                T::Role(SocketRole::Follower) => "يستخدم هذا التبويب اتصال تبويب آخر".into(),
                T::Status(status) => format!("اتصال التبويب الآخر: {}", self.status(status)),
                T::HistoryRead { rows, skipped: 0 } => {
                    format!("قُرئت الإشعارات ({})", self.num(rows))
                }
                T::HistoryRead { rows, skipped } => format!(
                    "قُرئت الإشعارات ({}، وتُجوهل {} غير مقروء)",
                    self.num(rows),
                    self.num(skipped)
                ),
                T::HistoryFailed(f) => format!("تعذّرت قراءة الإشعارات: {}", self.failure(f)),
                T::BurstReread => "أُعيدت قراءة الإشعارات بعد دفعة (ربما أُسقط بعضها)".into(),
                T::Online => "المتصفح متصل بالشبكة".into(),
                T::Offline => "انقطع المتصفح عن الشبكة".into(),
                T::RetryNow => "أعد المحاولة الآن".into(),
            },
        }
    }

    /// Why a request of "Connection details" failed.
    fn failure(self, f: crate::state::diagnostics::Failure) -> String {
        use crate::state::diagnostics::Failure;
        let t = self.t();
        match (f, self) {
            (Failure::Network, _) => t.cannot_reach.into(),
            (Failure::TimedOut, _) => t.timed_out.into(),
            (Failure::SessionEnded, Lang::En) => "the session ended".into(),
            (Failure::SessionEnded, Lang::Ar) => "انتهت الجلسة".into(),
            (Failure::Http(status), _) => format!("HTTP {}", self.num(status)),
        }
    }

    /// A connection status, as the status indicator words it.
    pub fn status(self, status: crate::state::connection::Status) -> &'static str {
        use crate::state::connection::Status;
        let t = self.t();
        match status {
            Status::Connected => t.live,
            Status::Connecting => t.connecting,
            Status::Reconnecting => t.reconnecting_soon,
            Status::Offline => t.offline,
            Status::Disconnected => t.disconnected,
        }
    }
}

// Grouping (issue #22, items 4 and 5).
impl Lang {
    /// "3 notifications": how many a thread holds.
    pub fn notification_count(self, n: usize) -> String {
        match (self, ArabicCount::of(n)) {
            (Lang::En, _) if n == 1 => "1 notification".into(),
            (Lang::En, _) => format!("{n} notifications"),
            (Lang::Ar, ArabicCount::One) => "إشعار واحد".into(),
            (Lang::Ar, ArabicCount::Two) => "إشعاران".into(),
            (Lang::Ar, ArabicCount::Few) => format!("{} إشعارات", self.num(n)),
            (Lang::Ar, ArabicCount::Many) => format!("{} إشعارًا", self.num(n)),
            (Lang::Ar, _) => format!("{} إشعار", self.num(n)),
        }
    }

    /// The arrow between a transaction's steps, "List → Approve", pointing the way the text
    /// reads (each step is isolated, so the arrow takes the page's direction).
    pub fn step_arrow(self) -> &'static str {
        match self {
            Lang::En => "→",
            Lang::Ar => "←",
        }
    }
}

/// The tab title: "(3) Herald", or "Herald" when nothing is unread (same in both languages:
/// the count is what a user glances at across tabs).
pub fn tab_title(unread: usize) -> String {
    if unread > 0 {
        format!("({unread}) Herald")
    } else {
        "Herald".to_owned()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_tab_title_carries_the_unread_count() {
        assert_eq!(super::tab_title(0), "Herald");
        assert_eq!(super::tab_title(3), "(3) Herald");
    }

    use super::*;

    #[test]
    fn every_key_is_present_and_translated_in_both_languages() {
        let en = EN.entries();
        let ar = AR.entries();
        assert_eq!(en.len(), ar.len());
        for ((key, e), (key2, a)) in en.iter().zip(&ar) {
            assert_eq!(key, key2);
            assert!(!e.trim().is_empty(), "English {key} is empty");
            assert!(!a.trim().is_empty(), "Arabic {key} is empty");
            assert_ne!(e, a, "Arabic {key} is not translated");
            let arabic_letters = a
                .chars()
                .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
                .count();
            assert!(
                arabic_letters > 0,
                "Arabic {key} has no Arabic letters: {a}"
            );
            assert_eq!(
                e.matches("{}").count(),
                a.matches("{}").count(),
                "placeholders differ in {key}"
            );
        }
    }

    /// `sign-in-shell.js` draws the sign-in form before the wasm arrives, in Herald's own words:
    /// every word it has is this catalogue's, in both languages.
    #[test]
    fn the_early_sign_in_form_says_what_herald_says() {
        let script = include_str!("../sign-in-shell.js");
        let (mut lang, mut checked) = (None, 0);
        for line in script.lines().map(str::trim) {
            match line {
                "en: {" => lang = Some(&EN),
                "ar: {" => lang = Some(&AR),
                "}," => lang = None,
                _ => {
                    let (Some(text), Some((key, value))) = (lang, line.split_once(": \"")) else {
                        continue;
                    };
                    let value = value.trim_end_matches("\",");
                    let entries = text.entries();
                    let ours = entries.iter().find(|(k, _)| *k == key);
                    assert_eq!(ours.map(|(_, v)| *v), Some(value), "{key}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 18, "nine words in each language");
    }

    #[test]
    fn every_connection_event_is_worded_in_both_languages() {
        use crate::state::connection::Status;
        use crate::state::diagnostics::{Failure, RefreshOutcome, Transition as T};
        use crate::state::tabs::SocketRole;
        let all = [
            T::Connect { socket: 3 },
            T::Opened { socket: 3 },
            T::Closed {
                socket: 3,
                code: 4012,
            },
            T::ClosedByHerald { code: 4000 },
            T::Refresh(RefreshOutcome::Renewed),
            T::Refresh(RefreshOutcome::Refused),
            T::Refresh(RefreshOutcome::Failed(Failure::Network)),
            T::Refresh(RefreshOutcome::Failed(Failure::TimedOut)),
            T::Refresh(RefreshOutcome::Failed(Failure::SessionEnded)),
            T::Refresh(RefreshOutcome::Failed(Failure::Http(502))),
            T::Role(SocketRole::Own),
            T::Role(SocketRole::Leader),
            T::Role(SocketRole::Follower),
            T::Status(Status::Reconnecting),
            T::HistoryRead {
                rows: 12,
                skipped: 0,
            },
            T::HistoryRead {
                rows: 12,
                skipped: 2,
            },
            T::HistoryFailed(Failure::Http(403)),
            T::BurstReread,
            T::Online,
            T::Offline,
            T::RetryNow,
        ];
        let mut seen = std::collections::HashSet::new();
        for what in &all {
            let (en, ar) = (Lang::En.transition(what), Lang::Ar.transition(what));
            assert!(seen.insert(en.clone()), "worded twice: {en}");
            assert_ne!(en, ar, "{what:?}");
            assert!(
                ar.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{ar}"
            );
            assert!(
                !ar.chars().any(|c| c.is_ascii_digit()),
                "Arabic digits: {ar}"
            );
        }
        assert_eq!(
            Lang::En.transition(&all[2]),
            "Connection closed (socket 3, code 4012)"
        );
        assert_eq!(
            Lang::Ar.transition(&all[2]),
            "أُغلق الاتصال (المقبس ٣، الرمز ٤٠١٢)"
        );
    }

    #[test]
    fn digits_and_plurals() {
        assert_eq!(Lang::Ar.num(2019), "٢٠١٩");
        assert_eq!(Lang::En.num(2019), "2019");
        assert_eq!(Lang::En.percent(25), "25%");
        assert_eq!(Lang::Ar.percent(25), "٢٥٪");
        // Never the middle dot beside Arabic-Indic digits (it reads as ٠).
        assert!(!Lang::Ar.sep().contains('·'));
        assert_eq!(Lang::Ar.ago(Ago::Minutes(1)), "منذ دقيقة");
        assert_eq!(Lang::Ar.ago(Ago::Minutes(2)), "منذ دقيقتين");
        assert_eq!(Lang::Ar.ago(Ago::Minutes(5)), "منذ ٥ دقائق");
        assert_eq!(Lang::Ar.ago(Ago::Minutes(15)), "منذ ١٥ دقيقة");
        assert_eq!(Lang::En.ago(Ago::Hours(3)), "3 h ago");
        assert_eq!(Lang::Ar.ago(Ago::Yesterday), "أمس");
        assert_eq!(Lang::En.uploads_running(1), "1 upload running");
        assert_eq!(Lang::En.uploads_running(2), "2 uploads running");
        assert_eq!(Lang::En.uploads_stalled(1), "1 upload stalled");
        assert_eq!(Lang::En.uploads_stalled(3), "3 uploads stalled");
        assert_eq!(Lang::Ar.unread(3), "٣ غير مقروء");
        assert_eq!(Lang::from_code("AR"), Lang::Ar);
        assert_eq!(Lang::from_code("fr"), Lang::En);
        assert_eq!((Lang::Ar.code(), Lang::Ar.dir()), ("ar", "rtl"));
    }

    #[test]
    fn arabic_counts_take_the_dual_the_plural_and_the_singular() {
        use ArabicCount::*;
        for (n, form) in [
            (0, Zero),
            (1, One),
            (2, Two),
            (3, Few),
            (10, Few),
            (11, Many),
            (99, Many),
            (100, Other),
            (101, Other),
            (102, Other),
            (103, Few),
            (111, Many),
            (1_000, Other),
        ] {
            assert_eq!(ArabicCount::of(n), form, "{n}");
        }
        let ar = |n| Lang::Ar.uploads_stalled(n);
        assert_eq!(ar(1), "عملية رفع واحدة متوقفة");
        assert_eq!(ar(2), "عمليتا رفع متوقفتان");
        assert_eq!(ar(3), "٣ عمليات رفع متوقفة");
        assert_eq!(ar(10), "١٠ عمليات رفع متوقفة");
        assert_eq!(ar(11), "١١ عملية رفع متوقفة");
        assert_eq!(ar(100), "١٠٠ عملية رفع متوقفة");
        assert_eq!(ar(103), "١٠٣ عمليات رفع متوقفة");
        let ar = |n| Lang::Ar.uploads_running(n);
        assert_eq!(ar(1), "رفع واحد قيد التنفيذ");
        assert_eq!(ar(2), "عمليتا رفع قيد التنفيذ");
        assert_eq!(ar(5), "٥ عمليات رفع قيد التنفيذ");
        assert_eq!(
            ar(11),
            "١١ عملية رفع قيد التنفيذ",
            "not the plural after 11"
        );
        assert_eq!(ar(25), "٢٥ عملية رفع قيد التنفيذ");
        assert_eq!(ar(100), "١٠٠ عملية رفع قيد التنفيذ");
    }

    #[test]
    fn new_notifications_take_arabics_form_for_every_count() {
        let ar = |n| Lang::Ar.new_notifications(n);
        assert_eq!(ar(1), "إشعار جديد واحد");
        assert_eq!(ar(2), "إشعاران جديدان");
        assert_eq!(ar(3), "٣ إشعارات جديدة");
        assert_eq!(ar(10), "١٠ إشعارات جديدة");
        assert_eq!(ar(11), "١١ إشعارًا جديدًا", "not the plural after 11");
        assert_eq!(ar(99), "٩٩ إشعارًا جديدًا");
        assert_eq!(ar(100), "١٠٠ إشعار جديد");
        assert_eq!(ar(103), "١٠٣ إشعارات جديدة");
        assert_eq!(Lang::En.new_notifications(1), "1 new notification");
        assert_eq!(Lang::En.new_notifications(12), "12 new notifications");
    }

    #[test]
    fn thread_counts_take_arabics_forms_and_arrows_point_the_way_the_text_reads() {
        let ar = |n| Lang::Ar.notification_count(n);
        assert_eq!(ar(1), "إشعار واحد");
        assert_eq!(ar(2), "إشعاران");
        assert_eq!(ar(3), "٣ إشعارات");
        assert_eq!(ar(11), "١١ إشعارًا");
        assert_eq!(ar(100), "١٠٠ إشعار");
        assert_eq!(Lang::En.notification_count(1), "1 notification");
        assert_eq!(Lang::En.notification_count(4), "4 notifications");
        assert_eq!((Lang::En.step_arrow(), Lang::Ar.step_arrow()), ("→", "←"));
    }

    #[test]
    fn match_counts_take_arabics_form_for_every_count() {
        let ar = |n| Lang::Ar.matches(n);
        assert_eq!(ar(0), "لا إشعارات مطابقة");
        assert_eq!(ar(1), "إشعار واحد مطابق");
        assert_eq!(ar(2), "إشعاران مطابقان");
        assert_eq!(ar(3), "٣ إشعارات مطابقة");
        assert_eq!(ar(11), "١١ إشعارًا مطابقًا");
        assert_eq!(ar(20_000), "٢٠٠٠٠ إشعار مطابق");
        assert_eq!(Lang::En.matches(0), "No notifications match");
        assert_eq!(Lang::En.matches(1), "1 notification matches");
        assert_eq!(Lang::En.matches(12), "12 notifications match");
        assert_eq!(Lang::Ar.choice("FAR", 12), "FAR (١٢)");
        assert_eq!(Lang::En.choice("All types", 3), "All types (3)");
    }

    #[test]
    fn ago_counts_with_the_same_arabic_forms() {
        let days = |d| Lang::Ar.ago(Ago::Days(d));
        assert_eq!(days(3), "منذ ٣ أيام");
        assert_eq!(days(11), "منذ ١١ يومًا");
        assert_eq!(days(100), "منذ ١٠٠ يوم");
        assert_eq!(days(103), "منذ ١٠٣ أيام", "the plural again after 103");
        assert_eq!(days(111), "منذ ١١١ يومًا");
        assert_eq!(Lang::Ar.ago(Ago::Hours(2)), "منذ ساعتين");
        assert_eq!(Lang::Ar.ago(Ago::Hours(23)), "منذ ٢٣ ساعة");
    }
}
