//! Character-level language modelling on tiny-shakespeare (as char-rnn, Karpathy 2015): predict
//! each next character. The first 90% of the corpus trains, the last 10% validates and tests.
//! Natively the corpus is built in; the page fetches it (only when this task is chosen) and
//! installs it in each worker.

use super::{About, Draw, Split};
use crate::batch::{at, Batch};
pub use crate::datafile::text::Corpus;
use crate::rng::Prng;
use rand::Rng;
use std::sync::OnceLock;

pub const ABOUT: About = About {
    title: "Real text: tiny Shakespeare",
    tests: "The network reads Shakespeare one character at a time and predicts the next one, \
            scored in bits per character on the last 10% of the corpus, never trained on. The \
            samples show what each architecture has learned to write.",
    literature: "Karpathy (2015, char-rnn) made this corpus the standard small benchmark; Chung et \
                 al. (2014) found GRU and LSTM close on sequence modelling, both well ahead of the \
                 tanh RNN, with the order between them depending on the data.",
    len_meaning: "characters per training sequence (backprop through time)",
    metric_name: "bits per character",
    metric_means:
        "bits per character of the held-out text: lower is better, log2 of the alphabet is guessing",
};

/// The corpus's characters: newline, space, punctuation, digits, letters (65).
pub const CHARS: &str = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const VOCAB: usize = 65;
/// The corpus's length in bytes, checked on install.
pub const CORPUS_BYTES: usize = 1_115_394;
/// Where the page finds the corpus, beside index.html.
pub const ASSET: &str = "tinyshakespeare.txt";

static CORPUS: OnceLock<Corpus> = OnceLock::new();

/// The index of each character of `text` in the built-in vocabulary, or the first one outside it.
pub fn encode(text: &str) -> Result<Vec<u8>, char> {
    text.chars().map(|ch| CHARS.chars().position(|v| v == ch).map(|i| i as u8).ok_or(ch)).collect()
}

pub fn decode(ids: &[u8]) -> String {
    let chars: Vec<char> = CHARS.chars().collect();
    ids.iter().map(|&i| chars.get(i as usize).copied().unwrap_or('?')).collect()
}

/// Installs the built-in corpus (once; later calls are no-ops).
pub fn install(text: &str) -> Result<(), String> {
    if CORPUS.get().is_some() {
        return Ok(());
    }
    if text.len() != CORPUS_BYTES {
        return Err(format!("the text corpus has {} bytes; expected {CORPUS_BYTES}", text.len()));
    }
    let c = Corpus::new("the text corpus", text)?;
    if c.vocab.iter().collect::<String>() != CHARS {
        return Err("the text corpus has characters outside its vocabulary".into());
    }
    let _ = CORPUS.set(c);
    Ok(())
}

/// The built-in corpus, if installed (natively it always is: it is built into the binary).
pub fn builtin() -> Option<&'static Corpus> {
    #[cfg(not(target_arch = "wasm32"))]
    install(include_str!("../../assets/tinyshakespeare.txt")).expect("the built-in corpus is valid");
    CORPUS.get()
}

/// n windows of `draw.max` characters (at least 2): x the characters, y the next ones, a
/// target at every step. Training windows come from the first 90%, others from the rest.
pub fn sample(c: &Corpus, rng: &mut Prng, n: usize, draw: Draw) -> Batch {
    let len = draw.max.max(2);
    let vocab = c.vocab.len();
    let mut b = Batch::zeros(len, n, vocab, vocab);
    let part = if draw.split == Split::Train { &c.train } else { &c.held_out };
    let len = len.min(part.len() - 1);
    for s in 0..n {
        let start = rng.random_range(0..part.len() - len);
        for t in 0..len {
            b.x[at(t, s, n, vocab) + part[start + t] as usize] = 1.0;
            b.y[at(t, s, n, vocab) + part[start + t + 1] as usize] = 1.0;
            b.mask[at(t, s, n, 1)] = 1.0;
        }
    }
    b
}

/// (loss, bits per character) of the unigram model of the training part on the held-out part:
/// the best predictor that ignores what came before.
pub fn baseline(c: &Corpus) -> (f64, f64) {
    let mut counts = vec![0f64; c.vocab.len()];
    c.train.iter().for_each(|&i| counts[i as usize] += 1.0);
    let total = c.train.len() as f64;
    let nats = c.held_out[1..].iter().map(|&i| -libm::log(counts[i as usize].max(1.0) / total)).sum::<f64>()
        / (c.held_out.len() - 1) as f64;
    (nats, nats / std::f64::consts::LN_2)
}

/// The built-in corpus's baseline, computed once (the page asks for it at every redraw).
pub fn builtin_baseline() -> (f64, f64) {
    static BASELINE: OnceLock<(f64, f64)> = OnceLock::new();
    match builtin() {
        Some(c) => *BASELINE.get_or_init(|| baseline(c)),
        None => (f64::NAN, f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    #[test]
    fn windows_predict_the_next_character_from_the_right_part() {
        let c = builtin().unwrap();
        assert_eq!(CHARS.chars().count(), VOCAB);
        assert_eq!(c.train.len() + c.held_out.len(), CORPUS_BYTES);
        assert_eq!(decode(&c.train[..14]), "First Citizen:");
        let b = sample(c, &mut prng(11), 4, Draw { min: 1, max: 30, split: Split::Validation });
        let onehot = |v: &[f32]| v.iter().position(|&x| x == 1.0).unwrap() as u8;
        for s in 0..4 {
            let x: Vec<u8> = (0..30).map(|t| onehot(&b.x[at(t, s, 4, VOCAB)..][..VOCAB])).collect();
            let y: Vec<u8> = (0..30).map(|t| onehot(&b.y[at(t, s, 4, VOCAB)..][..VOCAB])).collect();
            assert_eq!(x[1..], y[..29], "y is x shifted by one");
            let text = decode(&x);
            assert!(c.held_out.windows(30).any(|w| w == x.as_slice()), "{text:?} is from the held-out part");
        }
        let (nats, bits) = baseline(c);
        assert!((4.5..5.0).contains(&bits) && (nats - bits * std::f64::consts::LN_2).abs() < 1e-12, "{bits}");
        assert_eq!(encode("Zé"), Err('é'));
    }
}
