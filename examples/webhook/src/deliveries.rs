//! The webhook's handlers: receive a signed delivery, report the count.

use alloc::string::ToString;

use sauce_app::{Error, Request, Response, Result};
use serde::Serialize;

use crate::{App, SECRET_KEY};

/// The header that carries the body's signature.
pub const SIGNATURE_HEADER: &str = "X-Signature";

/// `POST /webhook`: 204 for a JSON body whose `X-Signature` verifies under `WEBHOOK_SECRET`;
/// 401 missing or wrong signature, 503 no secret configured, 400 a verified body that is not
/// JSON.
pub async fn receive(request: Request, app: &'static App) -> Result {
    let signature = request.header(SIGNATURE_HEADER).ok_or_else(|| {
        Error::unauthorized("missing X-Signature: the hex HMAC-SHA256 of the body")
    })?;
    let Some(secret) = sauce_app::env(SECRET_KEY).filter(|secret| !secret.is_empty()) else {
        sauce_app::warn!("a delivery arrived but {SECRET_KEY} is not set: refused");
        return Err(Error::new(
            503,
            "the webhook secret is not configured; deliveries cannot be verified",
        ));
    };
    if let Err(problem) = crate::signature::verify(secret.as_bytes(), request.body(), signature) {
        sauce_app::info!("refused a delivery: {problem}");
        return Err(Error::unauthorized(problem.to_string()));
    }
    request.json::<serde::de::IgnoredAny>()?;
    let accepted = app.accepted.with_mut(|accepted| {
        *accepted = accepted.saturating_add(1);
        *accepted
    });
    sauce_app::info!(
        "delivery {accepted} accepted ({} bytes)",
        request.body().len()
    );
    Ok(Response::no_content())
}

/// What `GET /webhook/count` answers.
#[derive(Serialize)]
struct Count {
    accepted: u64,
}

/// `GET /webhook/count`: `{"accepted": n}`, deliveries accepted since boot.
pub async fn count(_request: Request, app: &'static App) -> Result {
    Ok(Response::json(&Count {
        accepted: app.accepted.get(),
    }))
}
