//! How a heatmap maps values to colour: a gate's 0..1, or a signed state around 0; values
//! that are not finite (a diverged run) are grey and do not stretch the scale.

/// How values map to colour.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Scale {
    /// 0..1 (sigmoid gates, probabilities): white to dark blue.
    Unit,
    /// -m..m (tanh, cell state, inputs): blue, white, red.
    Signed(f32),
}

impl Scale {
    /// The scale for values: unit if all finite ones are in [0, 1], else symmetric around 0.
    /// Non-finite values (a diverged run) take no part: they are painted grey.
    pub fn for_values<'a>(values: impl Iterator<Item = &'a f32>) -> Scale {
        let (mut lo, mut hi) = (0.0f32, 0.0f32);
        for &v in values.filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if lo >= 0.0 && hi <= 1.0 {
            Scale::Unit
        } else {
            Scale::Signed(lo.abs().max(hi.abs()).max(1e-6))
        }
    }

    pub fn rgb(self, v: f32) -> [u8; 3] {
        let mix = |a: [f32; 3], b: [f32; 3], t: f32| {
            let t = t.clamp(0.0, 1.0);
            [0, 1, 2].map(|i| (a[i] + (b[i] - a[i]) * t) as u8)
        };
        const WHITE: [f32; 3] = [255.0, 255.0, 255.0];
        if !v.is_finite() {
            return [150, 150, 150];
        }
        match self {
            Scale::Unit => mix(WHITE, [8.0, 48.0, 107.0], v),
            Scale::Signed(m) if v >= 0.0 => mix(WHITE, [178.0, 24.0, 43.0], v / m),
            Scale::Signed(m) => mix(WHITE, [33.0, 102.0, 172.0], -v / m),
        }
    }

    pub fn range(self) -> (f32, f32) {
        match self {
            Scale::Unit => (0.0, 1.0),
            Scale::Signed(m) => (-m, m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diverged_run_paints_grey_and_keeps_the_scale_of_its_finite_values() {
        let gates = [0.1f32, 0.9, f32::NAN];
        assert_eq!(Scale::for_values(gates.iter()), Scale::Unit);
        assert_eq!(Scale::Unit.rgb(f32::NAN), [150, 150, 150]);
        assert_eq!(Scale::for_values([-2.0f32, 1.0, f32::INFINITY].iter()), Scale::Signed(2.0));
        assert_eq!(Scale::Unit.rgb(0.0), [255, 255, 255]);
        assert_eq!(Scale::Signed(2.0).rgb(2.0), [178, 24, 43]);
    }
}
