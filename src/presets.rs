//! The gallery: named experiments, each a config query and one sentence of what it shows.

pub struct Preset {
    pub name: &'static str,
    pub query: &'static str,
    pub shows: &'static str,
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "Counting beyond training",
        query: "task=anbn&len=10&cells=16&archs=lstm,gru&steps=2000&seed=1",
        shows: "Counting: both learn n ≤ 10, but on longer strings the LSTM's cell state keeps counting while the GRU's does not.",
    },
    Preset {
        name: "Adding, long delay",
        query: "task=adding&len=100&cells=16&archs=lstm,gru,rnn&steps=2500&seed=1",
        shows: "Over 100 steps the gated cells find the two marked numbers; the plain RNN stays at the baseline.",
    },
    Preset {
        name: "Same parameters, sine",
        query: "task=sine&len=50&cells=12&archs=lstm,gru,rnn&match=1&steps=800&seed=1",
        shows: "A short-memory forecast at equal parameter budgets (LSTM 12, GRU 14, RNN 25 cells): all three end level, so the gates buy nothing here.",
    },
    Preset {
        name: "Copy: GRU ahead",
        query: "task=copy&len=20&symbols=3&cells=32&archs=lstm,gru&lr=0.01&steps=2000&seed=1",
        shows: "Both learn to recall 3 symbols after 20 blanks, but at twice the delay the GRU still recalls them and the LSTM mostly does not.",
    },
    Preset {
        name: "Memorising a small set",
        query: "task=adding&len=20&cells=64&archs=lstm,gru&train=32&steps=1500&seed=1",
        shows: "With only 32 training sequences both drive the training loss to zero, while the validation loss stays far above it; the LSTM ends worse than chance.",
    },
    Preset {
        name: "Vanishing gradients",
        query: "task=adding&len=60&cells=16&archs=gru,rnn&steps=1500&seed=1",
        shows: "The gradient-flow chart shows ||dL/dh_t|| dying out towards early steps for the RNN, not for the GRU.",
    },
    Preset {
        name: "Parity, target at the end",
        query: "task=parity&len=3&parity=end&cells=16&archs=lstm,gru,rnn&steps=3000&seed=1",
        shows: "Only the last step has a target: 3-bit parity is learnt by all three, but only the LSTM's solution carries over to 6 bits (at 4 bits all stay on the chance plateau).",
    },
    Preset {
        name: "Forget-gate bias off",
        query: "task=copy&len=10&cells=16&archs=lstm,gru&lr=0.02&fbias=0&steps=1500&seed=1",
        shows: "Without the +1 forget bias (Jozefowicz et al. 2015) the LSTM stalls at chance where it otherwise learns.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_a_clean_config() {
        for p in PRESETS {
            crate::config::parse(p.query).unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
        }
        assert!(PRESETS.len() >= 6);
    }
}
