//! A text corpus for the `text` task: its characters become the vocabulary (at most 256);
//! the first 90% trains, the last 10% validates and tests (char-rnn's split).

/// The most distinct characters a corpus may have.
pub const MAX_VOCAB: usize = 256;

#[derive(Clone, Debug, PartialEq)]
pub struct Corpus {
    /// The distinct characters, sorted.
    pub vocab: Vec<char>,
    /// Indices into `vocab`: the training part, then the held-out part.
    pub train: Vec<u8>,
    pub held_out: Vec<u8>,
}

impl Corpus {
    pub fn new(name: &str, text: &str) -> Result<Corpus, String> {
        let mut vocab: Vec<char> = text.chars().collect();
        vocab.sort_unstable();
        vocab.dedup();
        if vocab.len() > MAX_VOCAB {
            return Err(format!(
                "{name} has {} distinct characters; a corpus may have at most {MAX_VOCAB}",
                vocab.len()
            ));
        }
        if vocab.len() < 2 {
            return Err(format!("{name} needs at least two distinct characters"));
        }
        let ids: Vec<u8> =
            text.chars().map(|c| vocab.binary_search(&c).expect("in the vocabulary") as u8).collect();
        if ids.len() < 100 {
            return Err(format!("{name} has {} characters; a corpus needs at least 100", ids.len()));
        }
        let split = ids.len() * 9 / 10;
        Ok(Corpus { vocab, train: ids[..split].to_vec(), held_out: ids[split..].to_vec() })
    }
}
