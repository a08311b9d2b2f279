use super::*;

fn outcome(arch: Arch, seed: u64, val_loss: f64) -> Outcome {
    Outcome { arch, seed, loss: if val_loss.is_finite() { val_loss } else { f64::INFINITY } }
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

fn h(a: &[f64], b: &[f64]) -> HeadToHead {
    let mut v = Vec::new();
    for (s, (&x, &y)) in a.iter().zip(b).enumerate() {
        v.push(outcome(Arch::Lstm, s as u64, x));
        v.push(outcome(Arch::Gru, s as u64, y));
    }
    HeadToHead::new(Arch::Lstm, Arch::Gru, &v)
}

#[test]
fn verdicts_never_claim_more_than_the_seeds_show() {
    let call = |a, b| HeadToHead::new(Arch::Lstm, Arch::Gru, &pairs(a, b));
    assert_eq!(call(9, 1).call(), Call::Wins(Arch::Lstm));
    assert_eq!(call(1, 9).call(), Call::Wins(Arch::Gru));
    assert_eq!(call(0, 3).call(), Call::Leans(Arch::Gru));
    assert_eq!(call(0, 6).call(), Call::Wins(Arch::Gru), "6 clean seeds are enough");
    assert_eq!(call(7, 3).call(), Call::NoClearWinner);
    assert_eq!(call(5, 5).call(), Call::NoClearWinner);
    assert_eq!(call(1, 0).call(), Call::CannotTell);
    assert_eq!(call(9, 1).winner(), Winner(Some(Arch::Lstm)));
    assert_eq!(call(7, 3).winner(), Winner(None));
    // Where a simple baseline beats both networks, the one ahead is named, not as a winner.
    let beaten = call(0, 6).beaten(true);
    assert_eq!((beaten.call(), beaten.winner()), (Call::Beaten(Arch::Gru), Winner(None)));
    assert!(beaten
        .sentence()
        .ends_with("GRU is ahead, but a simple baseline beats both networks: no winner worth using"));
    assert_eq!(beaten.row().winner, Winner(None));
    assert_eq!(call(5, 5).beaten(true).call(), Call::NoClearWinner, "only a win is withheld");
}

/// One rule names a winner: the sign test and the interval agree. Where they disagree the
/// sentence says which says what, and no winner is named.
#[test]
fn a_winner_needs_the_sign_test_and_the_interval_to_agree() {
    // 6 of 6 seeds lower (p = 0.03), but one huge ratio among tiny ones: the interval includes 1.
    let sign_only = h(&[1.01, 1.01, 1.01, 1.01, 1.01, 1e6], &[1.0; 6]);
    assert_eq!(sign_only.call(), Call::SignOnly(Arch::Gru));
    assert_eq!(sign_only.winner(), Winner(None));
    let s = sign_only.sentence();
    assert!(s.contains("which includes no difference"), "{s}");
    assert!(
        s.ends_with("sign test p = 0.03): the sign test favours GRU but the interval includes no difference: no clear winner"),
        "{s}"
    );
    assert!(!s.contains("GRU wins"), "{s}");
    // 7 of 10 (p = 0.34), but the 7 are far lower and the 3 barely: the interval excludes 1.
    let interval_only = h(&[10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 0.99, 0.99, 0.99], &[1.0; 10]);
    assert_eq!(interval_only.call(), Call::IntervalOnly(Arch::Gru));
    assert!(
        interval_only
            .sentence()
            .ends_with("the interval favours GRU but the sign test does not: no clear winner"),
        "{}",
        interval_only.sentence()
    );
    // Every LSTM seed failed: no interval, the failures decide.
    let failed = h(&[f64::NAN; 6], &[0.1; 6]);
    assert_eq!(failed.call(), Call::Wins(Arch::Gru));
}

#[test]
fn the_size_is_the_geometric_mean_ratio_with_a_t_interval_on_the_log_ratios() {
    // Per-seed GRU/LSTM ratios 1/e, 1/e^2, 1/e^6: logs of LSTM/GRU are 1, 2, 6; mean 3, so the
    // GRU is e^3 = 20.09x lower; the interval is e^(3 -+ 4.302653 * sqrt(7/3)) (see stats.rs).
    let e = std::f64::consts::E;
    let x = h(&[1.0, 1.0, 1.0], &[1.0 / e, 1.0 / (e * e), 1.0 / e.powi(6)]);
    let half = 4.302_652_729_911_275 * (7.0f64 / 3.0).sqrt();
    assert!((x.effect.ratio - e.powi(3)).abs() < 1e-9, "LSTM's loss over the GRU's: {:?}", x.effect);
    assert!((x.effect.lo - (3.0 - half).exp()).abs() < 1e-9);
    assert!((x.effect.hi / (3.0 + half).exp() - 1.0).abs() < 1e-9);
    assert_eq!(
        x.sentence(),
        "GRU's validation loss is 20x lower than the LSTM's (95% interval from 36x higher to 1.4e4x lower, which \
         includes no difference; lower in 3 of 3 seeds; a sign test needs 6 seeds to name a winner)"
    );
}

#[test]
fn sentences_lead_with_the_size_and_end_with_the_sign_test() {
    let lstm = [0.20, 0.25, 0.22, 0.30, 0.21, 0.24, 0.26, 0.23, 0.27, 0.28];
    let gru = [0.10, 0.11, 0.12, 0.10, 0.09, 0.13, 0.12, 0.11, 0.10, 0.29];
    // By hand (numpy): the mean log ratio gives 2.0438x, the interval 1.6420x to 2.5439x.
    let s = h(&lstm, &gru).sentence();
    assert_eq!(
        s,
        "GRU's validation loss is 2.0x lower than the LSTM's (95% interval 1.6x to 2.5x lower; lower in 9 of 10 seeds, \
         the LSTM in 1; sign test p = 0.02): GRU wins"
    );
    let split = h(&[0.1, 0.2, 0.1, 0.2, 0.1, 0.2], &[0.2, 0.1, 0.2, 0.1, 0.2, 0.1]).sentence();
    assert!(
        split.starts_with(
            "LSTM's and the GRU's validation losses are within 0.5% of each other in geometric mean (95% interval from \
             2.2x higher to 2.2x lower"
        ) && split.ends_with("lower in 3 of 6 seeds, the GRU in 3; sign test p = 1.00): no clear winner"),
        "{split}"
    );
    assert!(h(&[0.3], &[0.1])
        .sentence()
        .ends_with("(lower in 1 of 1 seed; one seed cannot name a winner: train more seeds)"));
}

#[test]
fn a_failed_seed_loses_and_leaves_the_size() {
    let v = vec![
        outcome(Arch::Gru, 1, f64::NAN),
        outcome(Arch::Rnn, 1, 5.0),
        outcome(Arch::Gru, 2, f64::NAN),
        outcome(Arch::Rnn, 2, f64::NAN),
    ];
    let x = HeadToHead::new(Arch::Gru, Arch::Rnn, &v);
    assert_eq!((x.a_wins, x.b_wins, x.ties, x.effect.pairs), (0, 1, 1, 0));
    assert_eq!(
        x.sentence(),
        "GRU vs RNN: every GRU seed diverged or crashed (the RNN lower in 1 of 2 seeds, 1 tied; a sign test needs 6 \
         seeds to name a winner)"
    );
    assert_eq!(head_to_head(&v).len(), 1, "only the architectures present are paired");
    let some = h(&[0.1, f64::NAN, 0.1], &[0.2, 0.2, 0.3]);
    assert_eq!(some.effect.pairs, 2);
    assert!(
        some.sentence().contains("size over the 2 seeds where both trained to the end"),
        "{}",
        some.sentence()
    );
}

#[test]
fn live_outcomes_compare_at_the_latest_common_record_and_all_failed_still_speaks() {
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
        out.iter().map(|o| (o.loss, o.failed())).collect::<Vec<_>>()[..2],
        [(0.5, false), (0.4, false)]
    );
    assert!(out[2].failed());
    assert!(
        live(&runs[..1].iter().map(|r| (r.0, r.1, &a[..1], r.3)).collect::<Vec<_>>()).is_none(),
        "step 0 is no evidence"
    );
    let dead = [(Arch::Lstm, 1, &c[..], RunState::Diverged), (Arch::Gru, 1, &c[..], RunState::Diverged)];
    let (_, out) = live(&dead).expect("every run diverged: still an outcome");
    assert_eq!(
        head_to_head(&out)[0].sentence(),
        "LSTM vs GRU: every seed of both diverged or crashed; nothing to compare"
    );
}

#[test]
fn winners_read_and_write_as_names() {
    let w: Vec<Winner> = serde_json::from_str(r#"["gru", "none"]"#).unwrap();
    assert_eq!(w, vec![Winner(Some(Arch::Gru)), Winner(None)]);
    assert_eq!(serde_json::to_string(&w).unwrap(), r#"["gru","none"]"#);
    assert!(serde_json::from_str::<Winner>(r#""lsmt""#).is_err());
}
