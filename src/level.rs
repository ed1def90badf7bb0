//! Compression levels.

use crate::Error;

/// A compression level, `0..=9`.
///
/// * Level 0 ([`Level::NONE`]): stored blocks only; the checksums are still computed.
/// * Level 1 ([`Level::FAST`]): greedy LZ77 over the bytes of the current call, a precomputed
///   Huffman code (the fixed one under 2 KiB per call, a trained dynamic one from 2 KiB on), and
///   a stored block wherever the code would expand the data. From 4 KiB on, each block's content
///   (text, binary or mixed) picks its code and how hard to look for matches. Calls over 16 KiB
///   are coded one 32 KiB block at a time, each block on its own as if it were a call (faster;
///   matches never cross a block boundary).
/// * Level 2 ([`Level::BEST`]): level 1, except that calls over 16 KiB keep one match history
///   across all their blocks (matches reach back 32 KiB, across block boundaries) with a
///   4-byte minimum match and one code: about 17% denser on large inputs, about 30% slower.
///   Calls of at most 16 KiB (one block) are coded as at level 1.
/// * Levels 3..=9 are accepted and, until stronger levels land, compress exactly like the best
///   level implemented (level 2). [`Level::effective`] tells which level is really used.
///
/// ```
/// use slz::Level;
///
/// assert_eq!(Level::new(1).unwrap(), Level::FAST);
/// assert!(Level::new(10).is_err());
/// assert_eq!(Level::new(6).unwrap().effective(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Level(u8);

impl Level {
    /// Level 0: stored blocks, no compression.
    pub const NONE: Level = Level(0);
    /// Level 1: the fast stateless LZ77 + precomputed Huffman encoder.
    pub const FAST: Level = Level(1);
    /// The highest level implemented so far (what levels 2..=9 run as).
    pub const BEST: Level = Level(2);

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

    /// flate2's name for level 9 (today it compresses as [`Level::BEST`], see
    /// [`Level::effective`]).
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

    /// The level whose algorithm actually runs: `0`, `1` or `2` today.
    ///
    /// ```
    /// assert_eq!(slz::Level::new(9).unwrap().effective(), 2);
    /// assert_eq!(slz::Level::FAST.effective(), 1);
    /// assert_eq!(slz::Level::NONE.effective(), 0);
    /// ```
    pub const fn effective(self) -> u32 {
        if self.0 < 2 {
            self.0 as u32
        } else {
            2
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
