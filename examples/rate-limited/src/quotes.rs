//! The quote handler: one of five quotes at random, after the client's rate limit.

use core::net::Ipv4Addr;

use sauce_app::{Error, Request, Response, Result};
use serde::Serialize;

use crate::App;

/// A quote and who said it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The words.
    pub quote: &'static str,
    /// Who said them.
    pub author: &'static str,
}

/// The five quotes.
pub const QUOTES: [Quote; 5] = [
    Quote {
        quote: "Simplicity is prerequisite for reliability.",
        author: "Edsger W. Dijkstra",
    },
    Quote {
        quote: "The most effective debugging tool is still careful thought, coupled with judiciously placed print statements.",
        author: "Brian W. Kernighan",
    },
    Quote {
        quote: "Premature optimization is the root of all evil.",
        author: "Donald E. Knuth",
    },
    Quote {
        quote: "A language that doesn't affect the way you think about programming is not worth knowing.",
        author: "Alan J. Perlis",
    },
    Quote {
        quote: "The purpose of computing is insight, not numbers.",
        author: "Richard W. Hamming",
    },
];

/// `GET /quote`: one of [`QUOTES`] as JSON; 429 with `Retry-After` over the client's limit.
pub async fn quote(request: Request, app: &'static App) -> Result {
    let client: Ipv4Addr = *request.peer().ip();
    let now_ms = sauce_app::monotonic_ms();
    app.limiter
        .with_mut(|limiter| limiter.take(client, now_ms))
        .map_err(Error::too_many_requests)?;
    // 2^64 is not a multiple of 5, but the bias is below 10^-18.
    let index = (sauce_app::random_u64() % QUOTES.len() as u64) as usize;
    let quote = QUOTES.get(index).unwrap_or(&QUOTES[0]);
    Ok(Response::json(quote))
}
