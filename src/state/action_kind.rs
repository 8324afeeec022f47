//! What kind of step of a transfer's life a notification reports, read from the wire's
//! `Type_of_action`: the inbox shows an icon and a word for it.
//!
//! The values seen on the wire (PROTOCOL.md, the reference backend's history and demo data):
//! `List` (a request created, waiting for review), `Approve` / `Approved`, `Reject` (its texts,
//! in English and in Arabic, all say the transfer "was returned for changes"), `Oracle Upload`,
//! `Oracle Upload Completed`, `Oracle Upload Failed` and `Posted` (archived transfers posted to
//! the ledger). Anything else is shown as it came, without a kind.

/// The kinds of action the inbox has an icon for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// A transfer request was created (or listed for review).
    Created,
    /// Sent back to its author for changes.
    Returned,
    /// Approved.
    Approved,
    /// Refused for good.
    Rejected,
    /// The Oracle upload (started, completed, failed) or the posting that follows it.
    Upload,
}

impl ActionKind {
    /// The kind of a `Type_of_action` value, ignoring case, spaces and punctuation; `None`
    /// when it is not one of the known words.
    pub fn of(action: &str) -> Option<ActionKind> {
        // ASCII only: every known word is, and Unicode's tables would weigh on the wasm.
        let words: Vec<String> = action
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let has = |w: &str| words.iter().any(|x| x == w);
        if ["upload", "uploaded", "oracle", "post", "posted", "posting"]
            .iter()
            .any(|w| has(w))
        {
            return Some(ActionKind::Upload);
        }
        // One word decides: the first known one.
        words.iter().find_map(|w| match w.as_str() {
            "list" | "listed" | "create" | "created" | "new" | "submit" | "submitted" => {
                Some(ActionKind::Created)
            }
            // The wire's "Reject" returns the transfer for changes (see the module's doc).
            "reject" | "return" | "returned" | "resubmit" => Some(ActionKind::Returned),
            "approve" | "approved" | "approval" => Some(ActionKind::Approved),
            "rejected" | "decline" | "declined" | "refuse" | "refused" | "cancel" | "cancelled"
            | "canceled" => Some(ActionKind::Rejected),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ActionKind::{self, *};

    #[test]
    fn every_value_seen_on_the_wire_has_its_kind() {
        for (wire, kind) in [
            ("List", Created),
            ("Approve", Approved),
            ("Approved", Approved),
            ("Reject", Returned),
            ("Oracle Upload", Upload),
            ("Oracle Upload Completed", Upload),
            ("Oracle Upload Failed", Upload),
            ("Posted", Upload),
        ] {
            assert_eq!(ActionKind::of(wire), Some(kind), "{wire}");
        }
    }

    #[test]
    fn case_spaces_and_punctuation_do_not_matter() {
        assert_eq!(ActionKind::of("  APPROVED "), Some(Approved));
        assert_eq!(ActionKind::of("oracle_upload"), Some(Upload));
        assert_eq!(ActionKind::of("Returned-for-changes"), Some(Returned));
        assert_eq!(ActionKind::of("Rejected"), Some(Rejected));
        assert_eq!(ActionKind::of("Declined"), Some(Rejected));
        assert_eq!(ActionKind::of("created"), Some(Created));
    }

    #[test]
    fn unknown_and_empty_values_have_no_kind() {
        for wire in ["", "   ", "Escalate", "قائمة", "Listing", "Approver"] {
            assert_eq!(ActionKind::of(wire), None, "{wire:?}");
        }
    }

    #[test]
    fn an_upload_word_wins_over_the_outcome() {
        // "Oracle Upload Failed" is an upload, not a refusal of the transfer.
        assert_eq!(ActionKind::of("Upload rejected"), Some(Upload));
    }
}
