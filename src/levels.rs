//! What each level of 2..=9 does, in one table (level 0 stores, level 1 is `fast.rs`).
//!
//! Every level parses with hash chains over the whole call (`match_finder.rs`, `parse.rs`) and
//! writes each segment of about 32 KiB with the cheapest of stored, fixed, trained and its own
//! dynamic code (`block_choice.rs`). They differ only in how hard they look for matches.

use crate::parse::ParseParams;

/// Parse parameters of levels 2..=9, indexed by `level - 2`.
#[rustfmt::skip]
pub(crate) static LADDER: [ParseParams; 8] = [
    //           candidates  stop at   lazy   lazy: 1/4 depth   insert inside
    //           per search  match of         from match of     matches up to
    ParseParams { depth: 2,    nice: 16,  lazy: false, good: 258, insert_max: 8 },   // 2
    ParseParams { depth: 6,    nice: 32,  lazy: false, good: 258, insert_max: 16 },  // 3
    ParseParams { depth: 8,    nice: 32,  lazy: true,  good: 8,   insert_max: 258 }, // 4
    ParseParams { depth: 16,   nice: 64,  lazy: true,  good: 16,  insert_max: 258 }, // 5
    ParseParams { depth: 32,   nice: 128, lazy: true,  good: 16,  insert_max: 258 }, // 6
    ParseParams { depth: 128,  nice: 128, lazy: true,  good: 32,  insert_max: 258 }, // 7
    ParseParams { depth: 512,  nice: 258, lazy: true,  good: 64,  insert_max: 258 }, // 8
    ParseParams { depth: 2048, nice: 258, lazy: true,  good: 128, insert_max: 258 }, // 9
];
