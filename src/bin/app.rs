//! The page (wasm32 only; natively there is nothing to run).
fn main() {
    #[cfg(target_arch = "wasm32")]
    gatelab::app::start();
}
