//! The page's Sweep, Search, Bench and Gate lab views, fetched when one first shows (wasm32 only).
fn main() {
    #[cfg(target_arch = "wasm32")]
    gatelab::app::views::start();
}
