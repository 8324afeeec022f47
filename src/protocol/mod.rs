//! Wire types: socket frames and REST bodies, decoded leniently. No I/O.

pub mod frames;
pub mod number;
pub mod rest;
pub mod text;

pub use frames::{
    decode_frame, DecodeError, FrameKind, LiveNotification, ServerFrame, UploadEvent,
};
pub use text::{clip, clip_owned, server_text, SHORT_TEXT_MAX, STORED_TEXT_MAX};
