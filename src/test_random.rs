//! Deterministic pseudo-random numbers for unit tests.

/// A 64-bit linear congruential generator (Knuth's MMIX constants) from `seed`: each call
/// returns the next state.
pub fn random_u64s(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state
    }
}
