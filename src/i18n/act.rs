//! The wording of acting on many items and of the keyboard shortcuts (issue #22, items 6
//! and 7): counts, progress, results, failures.

use super::{ArabicCount, Lang};
use crate::state::inbox::bulk::BulkOp;
use crate::state::remote::ChangeError;

impl Lang {
    /// "3 selected".
    pub fn selected(self, n: usize) -> String {
        match self {
            Lang::En => format!("{n} selected"),
            Lang::Ar => format!("المحدد: {}", self.num(n)),
        }
    }

    /// "Select all matching (40)".
    pub fn select_all_matching(self, n: usize) -> String {
        format!("{} ({})", self.t().select_all_matching, self.num(n))
    }

    /// "Deleting: 3 of 40".
    pub fn bulk_progress(self, op: BulkOp, answered: usize, total: usize) -> String {
        let t = self.t();
        let what = match op {
            BulkOp::MarkRead => t.marking_read,
            BulkOp::Delete => t.deleting,
        };
        match self {
            Lang::En => format!("{what}: {answered} of {total}"),
            Lang::Ar => format!("{what}: {} من {}", self.num(answered), self.num(total)),
        }
    }

    /// "3 notifications deleted".
    pub fn deleted(self, n: usize) -> String {
        match (self, ArabicCount::of(n)) {
            (Lang::En, _) if n == 1 => "1 notification deleted".into(),
            (Lang::En, _) => format!("{n} notifications deleted"),
            (Lang::Ar, ArabicCount::One) => "حُذف إشعار واحد".into(),
            (Lang::Ar, ArabicCount::Two) => "حُذف إشعاران".into(),
            (Lang::Ar, ArabicCount::Few) => format!("حُذفت {} إشعارات", self.num(n)),
            (Lang::Ar, ArabicCount::Many) => format!("حُذف {} إشعارًا", self.num(n)),
            (Lang::Ar, _) => format!("حُذف {} إشعار", self.num(n)),
        }
    }

    /// "3 notifications marked as read".
    pub fn marked_read(self, n: usize) -> String {
        match (self, ArabicCount::of(n)) {
            (Lang::En, _) if n == 1 => "1 notification marked as read".into(),
            (Lang::En, _) => format!("{n} notifications marked as read"),
            (Lang::Ar, ArabicCount::One) => "عُلِّم إشعار واحد كمقروء".into(),
            (Lang::Ar, ArabicCount::Two) => "عُلِّم إشعاران كمقروءين".into(),
            (Lang::Ar, ArabicCount::Few) => format!("عُلِّمت {} إشعارات كمقروءة", self.num(n)),
            (Lang::Ar, ArabicCount::Many) => format!("عُلِّم {} إشعارًا كمقروء", self.num(n)),
            (Lang::Ar, _) => format!("عُلِّم {} إشعار كمقروء", self.num(n)),
        }
    }

    /// What a finished bulk action did: "40 notifications marked as read".
    pub fn bulk_done(self, op: BulkOp, done: usize) -> String {
        match op {
            BulkOp::MarkRead => self.marked_read(done),
            BulkOp::Delete => self.deleted(done),
        }
    }

    /// "2 could not be deleted", above the list of them.
    pub fn bulk_failed(self, op: BulkOp, n: usize) -> String {
        match (self, op) {
            (Lang::En, BulkOp::MarkRead) => format!("{n} could not be marked as read"),
            (Lang::En, BulkOp::Delete) => format!("{n} could not be deleted"),
            (Lang::Ar, BulkOp::MarkRead) => format!("تعذّر تعليم {} كمقروء", self.num(n)),
            (Lang::Ar, BulkOp::Delete) => format!("تعذّر حذف {}", self.num(n)),
        }
    }

    /// "and 12 more", after the failures listed.
    pub fn more_failures(self, n: usize) -> String {
        match self {
            Lang::En => format!("and {n} more"),
            Lang::Ar => format!("و{} أخرى", self.num(n)),
        }
    }

    /// Why a change did not happen: the server's own words when it gave some.
    pub fn change_error(self, e: &ChangeError) -> String {
        match e {
            ChangeError::Api(e) => self.api_error(e),
            ChangeError::Refused {
                message: Some(m), ..
            } => m.clone(),
            ChangeError::Refused { status, .. } => {
                self.t().server_refused.replace("{}", &status.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::remote::ApiError;

    #[test]
    fn counts_progress_and_results_in_both_languages() {
        assert_eq!(Lang::En.selected(3), "3 selected");
        assert_eq!(Lang::Ar.selected(3), "المحدد: ٣");
        assert_eq!(Lang::En.select_all_matching(40), "Select all matching (40)");
        assert_eq!(
            Lang::En.bulk_progress(BulkOp::Delete, 3, 40),
            "Deleting: 3 of 40"
        );
        assert_eq!(
            Lang::Ar.bulk_progress(BulkOp::MarkRead, 3, 40),
            "جارٍ التعليم كمقروء: ٣ من ٤٠"
        );
        assert_eq!(Lang::En.deleted(1), "1 notification deleted");
        assert_eq!(Lang::En.deleted(2), "2 notifications deleted");
        for (n, want) in [
            (1, "حُذف إشعار واحد"),
            (2, "حُذف إشعاران"),
            (3, "حُذفت ٣ إشعارات"),
            (11, "حُذف ١١ إشعارًا"),
            (100, "حُذف ١٠٠ إشعار"),
        ] {
            assert_eq!(Lang::Ar.deleted(n), want);
        }
        assert_eq!(
            Lang::En.bulk_done(BulkOp::MarkRead, 40),
            "40 notifications marked as read"
        );
        assert_eq!(Lang::Ar.marked_read(2), "عُلِّم إشعاران كمقروءين");
        assert_eq!(
            Lang::En.bulk_failed(BulkOp::Delete, 2),
            "2 could not be deleted"
        );
        assert_eq!(Lang::Ar.more_failures(12), "و١٢ أخرى");
    }

    #[test]
    fn a_reason_is_the_servers_words_or_ours() {
        let said = ChangeError::Refused {
            status: 400,
            message: Some("Something is off.".into()),
        };
        assert_eq!(Lang::En.change_error(&said), "Something is off.");
        let bare = ChangeError::Refused {
            status: 403,
            message: None,
        };
        assert_eq!(
            Lang::En.change_error(&bare),
            "The server refused (HTTP 403)"
        );
        assert_eq!(
            Lang::Ar.change_error(&ChangeError::Api(ApiError::Timeout)),
            "لم يستجب الخادم في الوقت المحدد"
        );
    }
}
