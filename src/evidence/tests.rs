use super::*;

fn outcome(arch: Arch, seed: u64, val_loss: f64) -> Outcome {
    Outcome { arch, seed, val_loss, failed: !val_loss.is_finite() }
}

/// Pairs with `a_wins` seeds where a is lower, then `b_wins` where b is.
fn pairs(a_wins: usize, b_wins: usize) -> Vec<Outcome> {
    let mut v = Vec::new();
    for s in 0..(a_wins + b_wins) as u64 {
        let a_ahead = (s as usize) < a_wins;
        v.push(outcome(Arch::Lstm, s, if a_ahead { 0.1 } else { 0.2 }));
        v.push(outcome(Arch::Gru, s, if a_ahead { 0.2 } else { 0.1 }));
    }
    v
}

#[test]
fn the_sign_test_is_the_exact_binomial_tail() {
    assert_eq!(sign_test(3, 0), 0.25);
    assert_eq!(sign_test(5, 5), 1.0);
    assert!((sign_test(9, 1) - 22.0 / 1024.0).abs() < 1e-12);
    assert!((sign_test(1, 9) - sign_test(9, 1)).abs() < 1e-15);
    assert!((sign_test(8, 2) - 112.0 / 1024.0).abs() < 1e-12);
    assert_eq!(sign_test(0, 0), 1.0);
    assert!(sign_test(1000, 0) < 1e-300 || sign_test(1000, 0) == 0.0);
    assert!((best_possible_p(5) - 0.0625).abs() < 1e-12);
}

#[test]
fn verdicts_never_claim_more_than_the_seeds_show() {
    let call = |a, b| HeadToHead::new(Arch::Lstm, Arch::Gru, &pairs(a, b));
    assert_eq!(call(9, 1).call(), Call::Wins(Arch::Lstm));
    assert_eq!(call(1, 9).call(), Call::Wins(Arch::Gru));
    assert_eq!(call(0, 3).call(), Call::Leans(Arch::Gru));
    assert_eq!(call(7, 3).call(), Call::NoClearWinner);
    assert_eq!(call(5, 5).call(), Call::NoClearWinner);
    assert_eq!(call(1, 0).call(), Call::CannotTell);
    let leans = call(0, 3).sentence();
    assert_eq!(leans, "LSTM vs GRU: leans GRU (3 of 3 seeds, p = 0.25: too few seeds to tell)");
    assert!(call(9, 1).sentence().starts_with("LSTM beats GRU: lower validation loss in 9 of 10 seeds"));
    assert!(call(7, 3)
        .sentence()
        .contains("no clear winner (LSTM lower in 7 of 10 seeds, GRU in 3, p = 0.34)"));
    assert!(call(1, 0).sentence().contains("one seed cannot tell"));
}

#[test]
fn a_failed_seed_loses_to_any_that_did_not_fail() {
    let v = vec![
        outcome(Arch::Gru, 1, f64::NAN),
        outcome(Arch::Rnn, 1, 5.0),
        outcome(Arch::Gru, 2, f64::NAN),
        outcome(Arch::Rnn, 2, f64::NAN),
    ];
    let h = HeadToHead::new(Arch::Gru, Arch::Rnn, &v);
    assert_eq!((h.a_wins, h.b_wins, h.ties), (0, 1, 1));
    let all = head_to_head(&v);
    assert_eq!(all.len(), 1, "only the architectures present are paired");
}

#[test]
fn live_outcomes_compare_at_the_latest_common_record() {
    let rec = |step: usize, val: f64| Record {
        step,
        seconds: 0.0,
        train_loss: 1.0,
        val_loss: val,
        val_metric: 0.0,
        test_metric: 0.0,
        grad_norm: 1.0,
    };
    let a = [rec(0, 1.0), rec(10, 0.5), rec(20, 0.2)];
    let b = [rec(0, 1.0), rec(10, 0.4)];
    let c = [rec(0, 1.0), rec(5, f64::NAN)];
    let runs = [
        (Arch::Lstm, 1, &a[..], RunState::Training),
        (Arch::Gru, 1, &b[..], RunState::Training),
        (Arch::Rnn, 1, &c[..], RunState::Diverged),
    ];
    let (step, out) = live(&runs).unwrap();
    assert_eq!(step, 10);
    assert_eq!(
        out.iter().map(|o| (o.val_loss, o.failed)).collect::<Vec<_>>()[..2],
        [(0.5, false), (0.4, false)]
    );
    assert!(out[2].failed);
    assert!(
        live(&runs[..1].iter().map(|r| (r.0, r.1, &a[..1], r.3)).collect::<Vec<_>>()).is_none(),
        "step 0 is no evidence"
    );
}

#[test]
fn spread_counts_failures_as_worst() {
    assert_eq!(spread(&[0.3, 0.1, 0.2]), (0.2, 0.1, 0.3));
    assert_eq!(spread(&[0.3, f64::NAN]), (f64::INFINITY, 0.3, f64::INFINITY));
    assert_eq!(median_finite([0.3, f64::NAN, 0.1].into_iter()), 0.2);
}
