//! Request methods: the ones this server recognises, and sets of them for routes.

/// A request method this server recognises (RFC 9110 §9 plus `PATCH`).
///
/// Any other token is a valid but unrecognised method, answered with 501.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`: like `GET`, same headers, no body.
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `CONNECT`
    Connect,
    /// `OPTIONS`
    Options,
    /// `TRACE`
    Trace,
    /// `PATCH` (RFC 5789)
    Patch,
}

impl Method {
    /// Every recognised method, in the order `Allow` lists them.
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Head,
        Method::Post,
        Method::Put,
        Method::Delete,
        Method::Connect,
        Method::Options,
        Method::Trace,
        Method::Patch,
    ];

    /// The method a token names; methods are case-sensitive (RFC 9110 §9.1).
    pub fn from_token(token: &[u8]) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|method| method.as_str().as_bytes() == token)
    }

    /// The method's token, as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Connect => "CONNECT",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Patch => "PATCH",
        }
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// A set of methods a route answers. Allowing `GET` allows `HEAD` too (RFC 9110 §9.3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Methods(u16);

impl Methods {
    /// No method.
    pub const NONE: Methods = Methods(0);
    /// `GET` (and so `HEAD`): what a static route usually allows.
    pub const GET: Methods = Methods::NONE.with(Method::Get);
    /// `POST`
    pub const POST: Methods = Methods::NONE.with(Method::Post);

    /// This set and `method`.
    pub const fn with(self, method: Method) -> Methods {
        Methods(self.0 | method.bit())
    }

    /// The methods of both sets.
    pub const fn union(self, other: Methods) -> Methods {
        Methods(self.0 | other.0)
    }

    /// Whether a request with `method` is allowed; `HEAD` is allowed wherever `GET` is.
    pub const fn allows(self, method: Method) -> bool {
        let implied = match method {
            Method::Head => Method::Get.bit(),
            _ => 0,
        };
        self.0 & (method.bit() | implied) != 0
    }

    /// The allowed methods in [`Method::ALL`] order, `HEAD` included when `GET` is.
    pub fn iter(self) -> impl Iterator<Item = Method> {
        Method::ALL
            .into_iter()
            .filter(move |method| self.allows(*method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_case_sensitive() {
        for method in Method::ALL {
            assert_eq!(Method::from_token(method.as_str().as_bytes()), Some(method));
        }
        assert_eq!(Method::from_token(b"get"), None);
        assert_eq!(Method::from_token(b"BREW"), None);
    }

    #[test]
    fn get_implies_head() {
        let methods = Methods::GET.with(Method::Delete);
        assert!(methods.allows(Method::Head));
        assert!(!Methods::POST.allows(Method::Head));
        let listed: Vec<Method> = methods.iter().collect();
        assert_eq!(listed, [Method::Get, Method::Head, Method::Delete]);
    }
}
