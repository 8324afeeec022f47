//! Browser unit tests of the wiring, in headless Chromium: the socket driver, the session
//! service and the persisted-cache hook, against the reference backend that
//! `cargo xtask test --only wasm` starts (`HERALD_TEST_BACKEND`). Built without it, the tests
//! that need it fail rather than skip.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod locks;
mod persisted;
mod session;
mod socket;
mod support;
