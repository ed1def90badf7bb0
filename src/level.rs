//! Compression levels.

use crate::Error;

/// A compression level, `0..=9`.
///
/// | level | what it does | working memory of one call |
/// |---|---|---|
/// | 0 | stored blocks; the checksums are still computed | none |
/// | 1 | greedy LZ77 within the call, one candidate per hash, skipping ahead on misses; a precomputed code (fixed, or trained for text, numeric, binary or mixed content; for blocks of ASCII bytes only, the same without codes for bytes 128-255) picked by a sample of each block | ≤ 32 KiB |
/// | 2 | level 1's scan with one history across the whole call, then each ~32 KiB segment written with the cheapest of stored, fixed and its own dynamic Huffman code (exact sizes from its histogram) | ≤ 84 KiB |
/// | 3 | greedy over hash chains (6 candidates per search); codes as level 2, in segments of 64 KiB (calls over 16 KiB), cut into blocks where the statistics change | ≤ 232 KiB |
/// | 4..=9 | lazy matching over hash chains, from 8 candidates per search (4) to 2048 (9), a distance's bits weighed against a byte of length; levels 8 and 9, and 6 and 7 in calls of up to 16 KiB, also look two positions on and take 3-byte matches in data of varied bytes; codes as level 2 | ≤ 232 KiB (8 and 9: ≤ 216 KiB) |
///
/// Every level keeps no history between calls: a call's matches reach back only into that same
/// call, up to 32 KiB. Working memory is on the stack, sized to the call (a 1 KiB call at
/// level 9 uses under 16 KiB); [`Level::working_memory`] gives each level's maximum. The
/// parameters of each level are in one table (`src/levels.rs`).
///
/// ```
/// use slz::Level;
///
/// assert_eq!(Level::new(1).unwrap(), Level::FAST);
/// assert!(Level::new(10).is_err());
/// assert_eq!(Level::new(6).unwrap().effective(), 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Level(u8);

impl Level {
    /// Level 0: stored blocks, no compression.
    pub const NONE: Level = Level(0);
    /// Level 1: the fast stateless LZ77 + precomputed Huffman encoder.
    pub const FAST: Level = Level(1);
    /// Level 9: the densest.
    pub const BEST: Level = Level(9);

    /// A level from `0..=9`; anything else is [`Error::BadLevel`].
    ///
    /// ```
    /// assert_eq!(slz::Level::new(0).unwrap(), slz::Level::NONE);
    /// assert_eq!(slz::Level::new(42), Err(slz::Error::BadLevel(42)));
    /// ```
    pub const fn new(n: u32) -> Result<Level, Error> {
        if n <= 9 {
            Ok(Level(n as u8))
        } else {
            Err(Error::BadLevel(n))
        }
    }

    /// flate2's name for level 0, so that code written against `flate2::Compression` compiles
    /// with `use slz::Level as Compression;`.
    ///
    /// ```
    /// use slz::Level as Compression;
    /// assert_eq!(Compression::none(), slz::Level::NONE);
    /// ```
    pub const fn none() -> Level {
        Level::NONE
    }

    /// flate2's name for level 1 ([`Level::FAST`]).
    ///
    /// ```
    /// use slz::Level as Compression;
    /// assert_eq!(Compression::fast().get(), 1);
    /// ```
    pub const fn fast() -> Level {
        Level::FAST
    }

    /// flate2's name for level 9 ([`Level::BEST`]).
    ///
    /// ```
    /// use slz::Level as Compression;
    /// assert_eq!(Compression::best().get(), 9);
    /// ```
    pub const fn best() -> Level {
        Level(9)
    }

    /// The number this level was made from (`0..=9`).
    ///
    /// ```
    /// assert_eq!(slz::Level::new(7).unwrap().get(), 7);
    /// ```
    pub const fn get(self) -> u32 {
        self.0 as u32
    }

    /// The level whose algorithm actually runs: every level `0..=9` is its own now, so this is
    /// [`Level::get`] (kept for callers written when levels 3..=9 ran as level 2).
    ///
    /// ```
    /// assert_eq!(slz::Level::new(9).unwrap().effective(), 9);
    /// assert_eq!(slz::Level::FAST.effective(), 1);
    /// assert_eq!(slz::Level::NONE.effective(), 0);
    /// ```
    pub const fn effective(self) -> u32 {
        self.0 as u32
    }
}

impl Level {
    /// The most stack one [`crate::Encoder::compress`] call at this level uses for its working
    /// memory (hash tables, the parse of one segment, code tables), in bytes, whatever the
    /// input size. A thread with this much stack to spare can compress at this level.
    ///
    /// ```
    /// assert!(slz::Level::FAST.working_memory() <= 32 * 1024);
    /// assert!(slz::Level::BEST.working_memory() <= 256 * 1024);
    /// ```
    pub const fn working_memory(self) -> usize {
        match self.0 {
            0 => 1024,
            1 => 32 * 1024,
            2 => 84 * 1024,
            // 64 KiB segments in calls over 16 KiB.
            3..=7 => 232 * 1024,
            // 32 KiB segments (3-byte matches) and their 3-byte table in calls over 16 KiB.
            _ => 216 * 1024,
        }
    }
}

impl Default for Level {
    /// [`Level::FAST`]: the level this crate exists for.
    fn default() -> Self {
        Level::FAST
    }
}

impl TryFrom<u32> for Level {
    type Error = Error;
    fn try_from(n: u32) -> Result<Level, Error> {
        Level::new(n)
    }
}
