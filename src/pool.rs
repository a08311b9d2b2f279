//! Native parallelism: jobs spread over threads, results in job order. A job that panics
//! becomes an error row instead of hanging or killing the others. Every thread runs the
//! caller's arithmetic (`Arithmetic::current`).

use crate::nn::arithmetic::Arithmetic;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Runs `job(k)` for k in 0..n on `threads` threads. `on_done(k, &result)` runs as each
/// finishes (under a lock, in finishing order); `tick()` runs on the calling thread about ten
/// times a second meanwhile (progress bars). The results come back in job order.
pub fn run<T: Send>(
    n: usize,
    threads: usize,
    job: impl Fn(usize) -> T + Sync,
    on_done: impl FnMut(usize, &Result<T, String>) + Send,
    mut tick: impl FnMut(),
) -> Vec<Result<T, String>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<T, String>>>> = Mutex::new((0..n).map(|_| None).collect());
    let on_done = Mutex::new(on_done);
    let finished = AtomicUsize::new(0);
    let arithmetic = Arithmetic::current();
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, n.max(1)) {
            s.spawn(|| {
                arithmetic.scope(|| loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= n {
                        break;
                    }
                    let r = catch_unwind(AssertUnwindSafe(|| job(k))).map_err(|e| panic_text(&e));
                    (on_done.lock().unwrap_or_else(|e| e.into_inner()))(k, &r);
                    results.lock().unwrap_or_else(|e| e.into_inner())[k] = Some(r);
                    finished.fetch_add(1, Ordering::Relaxed);
                })
            });
        }
        while finished.load(Ordering::Relaxed) < n {
            tick();
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
    let all = results.into_inner().unwrap_or_else(|e| e.into_inner());
    all.into_iter().map(|r| r.unwrap_or_else(|| Err("the job never ran".into()))).collect()
}

fn panic_text(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| e.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_job_order_and_a_panic_is_an_error_not_a_hang() {
        let mut seen = 0;
        let out = super::run(
            6,
            3,
            |k| {
                if k == 4 {
                    panic!("job four broke");
                }
                k * 10
            },
            |_, _| seen += 1,
            || {},
        );
        assert_eq!(seen, 6);
        assert_eq!(out[..4].iter().map(|r| *r.as_ref().unwrap()).collect::<Vec<_>>(), vec![0, 10, 20, 30]);
        assert_eq!(out[4], Err("job four broke".into()));
        assert_eq!(out[5], Ok(50));
    }

    #[test]
    fn every_thread_runs_the_callers_arithmetic() {
        use crate::nn::arithmetic::Arithmetic::{self, Exact, Fused};
        let seen = Fused.scope(|| super::run(4, 2, |_| Arithmetic::current(), |_, _| {}, || {}));
        assert!(seen.iter().all(|a| *a == Ok(Fused)));
        assert!(super::run(2, 2, |_| Arithmetic::current(), |_, _| {}, || {})
            .iter()
            .all(|a| *a == Ok(Exact)));
    }
}
