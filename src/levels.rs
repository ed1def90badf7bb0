//! How levels 2..=9 parse, in one place (level 0 stores; level 1's parses, per call size and
//! content class, are in `fast.rs`).
//!
//! Every level from 2 on keeps one history across the whole call and writes each segment
//! (32 KiB, or 64 KiB at levels 3..=7 in calls over 16 KiB: `deflate.rs`) with the cheapest of
//! stored, fixed and its own dynamic code (`block_choice.rs`). They differ only in how hard
//! they look for matches: level 2 with level 1's scan (`LEVEL2_SCAN`), levels 3..=9 with hash
//! chains (`LADDER`).

use crate::lz77::ScanParams;
use crate::parse::{ParseParams, ALL};

/// Level 2's parse: level 1's match finder (`lz77::scan_emit`), one table across the call (in
/// calls of up to 4 KiB, a smaller one sized to the call), with the lazy looks.
pub(crate) const LEVEL2_SCAN: ScanParams = ScanParams {
    table: 16384,
    min: 4,
    step: 4,
    skip_after: 64,
    skip: 6,
    len16: false,
    lazy: true,
    tail: 3,
};

/// Level 2 in calls of 4-16 KiB, a stream's usual pieces: matches of at least 5 bytes. A 5-byte
/// hash keeps fewer, longer candidates in its one entry per slot, and the scan runs faster;
/// in smaller calls the 4-byte matches are worth more. (In larger calls 5 bytes are denser too,
/// but level 2 would then outdo level 3 on some data: `docs/tuning.md`.)
pub(crate) const LEVEL2_PIECE_SCAN: ScanParams = ScanParams {
    min: 5,
    ..LEVEL2_SCAN
};

/// Parse parameters of levels 3..=9, indexed by `level - 3`.
#[rustfmt::skip]
pub(crate) static LADDER: [ParseParams; 7] = [
    //           candidates  stop at    lazy         candidates at     lazy: 1/4 depth  insert inside       blocks end where  lazy2 (two posi-     3-byte matches in
    //           per search  match of                next position     from match of    matches up to       statistics change tions on), in calls  varied data, in
    //                                                                                                                          of at most (bytes)   calls of at most
    ParseParams { depth: 6,    nice: 32,  lazy: true,  lazy_depth: 1,    good: 8,   insert_max: 16,  split: true, lazy2_up_to: 0,     len3_up_to: 0 },     // 3
    ParseParams { depth: 8,    nice: 32,  lazy: true,  lazy_depth: 8,    good: 8,   insert_max: 258, split: true, lazy2_up_to: 0,     len3_up_to: 0 },     // 4
    ParseParams { depth: 16,   nice: 64,  lazy: true,  lazy_depth: 8,    good: 16,  insert_max: 258, split: true, lazy2_up_to: 0,     len3_up_to: 0 },     // 5
    ParseParams { depth: 32,   nice: 128, lazy: true,  lazy_depth: 16,   good: 16,  insert_max: 258, split: true, lazy2_up_to: PIECE, len3_up_to: PIECE }, // 6
    ParseParams { depth: 128,  nice: 128, lazy: true,  lazy_depth: 64,   good: 32,  insert_max: 258, split: true, lazy2_up_to: PIECE, len3_up_to: PIECE }, // 7
    ParseParams { depth: 512,  nice: 258, lazy: true,  lazy_depth: 256,  good: 64,  insert_max: 258, split: true, lazy2_up_to: ALL,   len3_up_to: ALL },   // 8
    ParseParams { depth: 2048, nice: 258, lazy: true,  lazy_depth: 1024, good: 128, insert_max: 258, split: true, lazy2_up_to: ALL,   len3_up_to: ALL },   // 9
];

/// Calls of at most 16 KiB, a stream's pieces: levels 6 and 7 search harder there (lazy2,
/// 3-byte matches), where it pays for its time; on whole files it gains too little for it, and
/// their speed is what falls short there (`docs/tuning.md`).
const PIECE: usize = 16384;
