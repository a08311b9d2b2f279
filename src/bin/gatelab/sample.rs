//! `gatelab sample`: text written by a saved model of the text task.

use crate::probe::load_model;
use crate::Args;
use gatelab::nn::model_file::vocab;
use gatelab::nn::sampler::Sampler;
use gatelab::rng::prng;

pub fn sample(args: &Args) -> Result<(), String> {
    let (model, v) = load_model(args)?;
    let chars: Vec<char> = vocab(&v)
        .ok_or("this model has no \"vocab\": only models of task=text write text")?
        .chars()
        .collect();
    if chars.len() != model.dims.input || chars.len() != model.dims.output {
        return Err(format!(
            "the vocab has {} characters but the model reads {} and writes {}",
            chars.len(),
            model.dims.input,
            model.dims.output
        ));
    }
    let n = args.number("chars", 1, 100_000, 0).and_then(|n| {
        if n == 0 {
            Err("sample needs --chars N (1-100000)".to_string())
        } else {
            Ok(n)
        }
    })?;
    let temp = args.number("temp", 0.05f32, 2.0, 0.8)?;
    let seed = args.number("seed", 0u64, u32::MAX as u64, 1)?;
    let prime_text = args.value("prime").unwrap_or("\n");
    if prime_text.is_empty() {
        return Err("--prime must have at least one character".into());
    }
    let prime: Vec<usize> = prime_text
        .chars()
        .map(|ch| {
            chars
                .iter()
                .position(|&v| v == ch)
                .ok_or(format!("--prime has {ch:?}, which is not in the model's vocabulary"))
        })
        .collect::<Result<_, _>>()?;
    let out = Sampler::new(&model).write(&prime, n, temp, &mut prng(seed));
    let text: String = out.iter().map(|&i| chars[i]).collect();
    println!("{prime_text}{text}");
    Ok(())
}
