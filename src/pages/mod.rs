//! One component per route.

pub mod dashboard;
pub mod login;
pub mod not_found;
