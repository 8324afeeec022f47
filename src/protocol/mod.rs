//! Wire types: socket frames and REST bodies, decoded leniently. No I/O.

pub mod frames;
pub mod rest;

pub use frames::{
    decode_frame, DecodeError, FrameKind, LiveNotification, ServerFrame, UploadEvent,
};
