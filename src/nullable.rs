//! serde for `f64` fields that may be NaN or infinite: JSON has neither, so they are written as
//! `null` and read back as NaN. (Worker messages are binary and keep every bit.)

use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    // As an Option, so binary formats (worker messages) read back what they wrote.
    if v.is_finite() {
        s.serialize_some(v)
    } else {
        s.serialize_none()
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}
