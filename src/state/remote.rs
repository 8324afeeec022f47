/// Something fetched from elsewhere: one enum instead of three `Option`s.
///
/// ```
/// # use herald::state::Remote;
/// let r: Remote<u32, String> = Remote::Ready(3);
/// assert_eq!(r.ready(), Some(&3));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Remote<T, E> {
    /// Not asked for yet.
    #[default]
    Idle,
    /// Asked for, no answer yet.
    Loading,
    /// Here it is.
    Ready(T),
    /// The request failed; the error says why.
    Failed(E),
}

impl<T, E> Remote<T, E> {
    /// The value, if ready.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Remote::Ready(v) => Some(v),
            _ => None,
        }
    }
}
