//! The page's Sweep, Search and Bench views, fetched when one first shows (wasm32 only).
fn main() {
    #[cfg(target_arch = "wasm32")]
    gatelab::app::views::start();
}
