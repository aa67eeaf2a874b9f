//! Cycle indicators: Ehlers' Hilbert-transform measurements of the dominant
//! price cycle (period, phase, phasor, sine wave, trend vs cycle mode).
//!
//! All of them, and MAMA and HT_TRENDLINE in `overlap`, share the streaming
//! transform in `hilbert`.

pub(crate) mod hilbert;
mod ht_dcperiod;
mod ht_dcphase;
mod ht_phasor;
mod ht_sine;
mod ht_trendmode;

pub use ht_dcperiod::HtDcPeriod;
pub use ht_dcphase::HtDcPhase;
pub use ht_phasor::HtPhasor;
pub use ht_sine::HtSine;
pub use ht_trendmode::HtTrendMode;

/// Lookback of HT_DCPERIOD and HT_PHASOR (TA-Lib's unstable period 0).
pub const HT_SHORT_LOOKBACK: usize = 32;
/// Lookback of HT_DCPHASE, HT_SINE, HT_TRENDLINE and HT_TRENDMODE.
pub const HT_LONG_LOOKBACK: usize = 63;
