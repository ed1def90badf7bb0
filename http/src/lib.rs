//! slz for async Rust HTTP stacks.
//!
//! - [`tokio`] (and [`futures`] with the `futures-io` feature): `AsyncWrite` and
//!   `AsyncBufRead` encoders for gzip, zlib and raw deflate, with `slz::write`'s fixed memory.
//! - [`CompressBody`]: an `http_body::Body` that compresses each data frame as it arrives and
//!   sync-flushes whenever the inner body has nothing ready.
//! - [`CompressionLayer`]: a `tower::Layer` for hyper 1.x and axum that negotiates gzip or
//!   deflate (zlib) like tower-http's `CompressionLayer` and compresses with slz.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod body;
mod core;
mod encoders;
#[cfg(feature = "futures-io")]
pub mod futures;
mod layer;
pub mod negotiate;
pub mod tokio;

pub use body::CompressBody;
pub use layer::{Compression, CompressionLayer, ResponseFuture};
pub use negotiate::Encoding;
pub use slz::Level;

/// The boxed error type of [`CompressBody`]: the inner body's error, or (never expected) an
/// encoder error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
