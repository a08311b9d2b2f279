//! What the page's charts and tables show, computed without the browser so it is tested
//! natively: axis ticks, medians and bands over seeds, a sweep's best points and solved lengths,
//! the baselines' lines.

pub mod bands;
pub mod baselines;
pub mod heat;
pub mod ticks;
