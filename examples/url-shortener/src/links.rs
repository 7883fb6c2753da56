//! The link handlers and the store they share.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use sauce_app::{Error, Request, Response, Result};
use serde::{Deserialize, Serialize};

use crate::App;

/// Characters in a code: 64 possible each, so 7 give 2^42 codes.
pub const CODE_LENGTH: usize = 7;
/// The most links the store keeps (each holds a URL of up to 2 KiB).
pub const MAX_LINKS: usize = 1024;
/// How many fresh codes an insert tries before giving up on collisions.
const CODE_ATTEMPTS: usize = 8;

/// One link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Where the code redirects to.
    pub url: String,
    /// How many times the code was followed.
    pub visits: u64,
}

/// Why a link could not be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// the store is full
    Full,
    /// no unused code was found
    NoFreeCode,
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Error {
        match error {
            StoreError::Full => Error::new(
                507,
                format!("the store is full ({MAX_LINKS} links); no more links can be made"),
            ),
            StoreError::NoFreeCode => Error::internal("no unused code was found; try again"),
        }
    }
}

/// The links, by code.
#[derive(Debug, Default)]
pub struct Store {
    links: BTreeMap<String, Link>,
}

impl Store {
    /// Stores `url` under the first code from `new_code` not yet in use; returns the code.
    pub fn insert(
        &mut self,
        url: String,
        mut new_code: impl FnMut() -> String,
    ) -> core::result::Result<String, StoreError> {
        if self.links.len() >= MAX_LINKS {
            return Err(StoreError::Full);
        }
        for _ in 0..CODE_ATTEMPTS {
            let code = new_code();
            if !self.links.contains_key(&code) {
                self.links.insert(code.clone(), Link { url, visits: 0 });
                return Ok(code);
            }
        }
        Err(StoreError::NoFreeCode)
    }

    /// The link under `code`.
    pub fn get(&self, code: &str) -> Option<&Link> {
        self.links.get(code)
    }

    /// Counts a visit to `code`; returns where it leads.
    pub fn visit(&mut self, code: &str) -> Option<String> {
        let link = self.links.get_mut(code)?;
        link.visits = link.visits.saturating_add(1);
        Some(link.url.clone())
    }

    /// How many links are stored.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// Whether no link is stored.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }
}

/// The body of `POST /links`.
#[derive(Deserialize)]
struct NewLink {
    url: String,
}

/// What `POST /links` answers.
#[derive(Serialize)]
struct Created<'a> {
    code: &'a str,
    url: &'a str,
}

/// What `GET /links/{code}/stats` answers.
#[derive(Serialize)]
struct Stats<'a> {
    code: &'a str,
    url: &'a str,
    visits: u64,
}

/// `POST /links` `{"url": "https://…"}`: 201 `{"code", "url"}` with `Location: /{code}`;
/// 400 unparsable, 422 no valid URL, 507 store full.
pub async fn create(request: Request, app: &'static App) -> Result {
    let new: NewLink = request.json()?;
    // serde also reads a struct from an array (`["https://…"]`): only an object is the contract.
    if request.body().trim_ascii_start().first() != Some(&b'{') {
        return Err(Error::unprocessable("expected a JSON object"));
    }
    crate::url::check(&new.url).map_err(|problem| Error::unprocessable(format!("{problem}")))?;
    let url = new.url;
    let code = app
        .links
        .with_mut(|store| store.insert(url.clone(), || sauce_app::random_string(CODE_LENGTH)))?;
    sauce_app::info!("{code} → {url}");
    Response::created(
        format!("/{code}"),
        &Created {
            code: &code,
            url: &url,
        },
    )
}

/// `GET /{code}`: 308 to the link's URL, the visit counted; 404 for an unknown code.
pub async fn follow(request: Request, app: &'static App) -> Result {
    let code = request.param("code").unwrap_or_default();
    let url = app
        .links
        .with_mut(|store| store.visit(code))
        .ok_or_else(|| Error::not_found("no link has this code"))?;
    Response::redirect(308, url)
}

/// `GET /links/{code}/stats`: `{"code", "url", "visits"}`; 404 for an unknown code.
pub async fn stats(request: Request, app: &'static App) -> Result {
    let code = request.param("code").unwrap_or_default();
    app.links.with(|store| {
        store
            .get(code)
            .map(|link| {
                Response::json(&Stats {
                    code,
                    url: &link.url,
                    visits: link.visits,
                })
            })
            .ok_or_else(|| Error::not_found("no link has this code"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn codes_in_use_are_skipped_and_visits_counted() {
        let mut store = Store::default();
        let mut codes = vec!["b", "a", "a", "a"].into_iter().map(str::to_string);
        let mut next = move || codes.next().unwrap_or_default();
        assert_eq!(
            store.insert("http://localhost/a".into(), &mut next),
            Ok("b".into())
        );
        assert_eq!(
            store.insert("http://localhost/b".into(), &mut next),
            Ok("a".into())
        );
        assert_eq!(store.visit("a").as_deref(), Some("http://localhost/b"));
        assert_eq!(store.visit("a").as_deref(), Some("http://localhost/b"));
        assert_eq!(store.get("a").map(|link| link.visits), Some(2));
        assert_eq!(store.get("b").map(|link| link.visits), Some(0));
        assert_eq!(store.visit("c"), None);
    }

    #[test]
    fn a_code_that_keeps_colliding_is_an_error_not_a_loop() {
        let mut store = Store::default();
        assert!(store
            .insert("http://localhost/a".into(), || "x".into())
            .is_ok());
        assert_eq!(
            store.insert("http://localhost/b".into(), || "x".into()),
            Err(StoreError::NoFreeCode)
        );
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn the_store_is_capped() {
        let mut store = Store::default();
        let mut counter = 0u32;
        let mut next = move || {
            counter += 1;
            counter.to_string()
        };
        for _ in 0..MAX_LINKS {
            assert!(store.insert("http://localhost/a".into(), &mut next).is_ok());
        }
        assert_eq!(
            store.insert("http://localhost/a".into(), &mut next),
            Err(StoreError::Full)
        );
        assert_eq!(Error::from(StoreError::Full).status(), 507);
    }
}
