//! Deciding the answer to one request: route, method, file, conditional request, errors.
use crate::app::AppRoute;
use crate::configuration::Configuration;
use crate::emit::{ConnectionHeader, Reply};
use crate::files::{FileAnswer, FileRequest};
use crate::head::{HeadError, RequestHead, Version};
use crate::method::Method;
use crate::method::Methods;
use crate::path;
use crate::response::Response;
use crate::route::{Content, Router};

/// The decided answer to one request, and what the connection does around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Exchange {
    pub(crate) reply: Reply,
    /// False for `HEAD`: same headers, no body.
    pub(crate) send_body: bool,
    /// Whether the connection reads another request after this one.
    pub(crate) keep_alive: bool,
    pub(crate) connection: ConnectionHeader,
    /// Request body bytes to read and discard before the response is queued.
    pub(crate) body_length: u64,
    /// Queue `100 Continue` before reading the body.
    pub(crate) send_continue: bool,
    /// The app answers: the body is kept for it, and `reply` is unused.
    pub(crate) app: bool,
    /// Which of the app's routes matched ([`AppRoute::route`]).
    pub(crate) app_route: usize,
    /// For the app: the request's method, and where its target lies in the head.
    pub(crate) app_method: Method,
    pub(crate) app_target: (usize, usize),
}

impl Exchange {
    /// An error response after which the connection closes: the request's framing is
    /// unknown or untrusted (400, 408, 413, 431, 501 for `Transfer-Encoding`, 505).
    pub(crate) const fn closing_error(status: u16) -> Exchange {
        Exchange {
            reply: Reply::of(Response::for_error(status)),
            send_body: true,
            keep_alive: false,
            connection: ConnectionHeader::Close,
            body_length: 0,
            send_continue: false,
            app: false,
            app_route: 0,
            app_method: Method::Get,
            app_target: (0, 0),
        }
    }

    /// The exchange for a parse result.
    pub(crate) fn for_head(
        head: Result<RequestHead<'_>, HeadError>,
        router: &Router,
        configuration: &Configuration,
    ) -> Exchange {
        let head = match head {
            Ok(head) => head,
            Err(error) => return Exchange::closing_error(error.status()),
        };
        let send_body = head.method != Some(Method::Head);
        if head.content_length > configuration.body_limit {
            return Exchange {
                send_body,
                ..Exchange::closing_error(413)
            };
        }
        let connection = match (head.keep_alive, head.version) {
            (false, _) => ConnectionHeader::Close,
            (true, Version::Http1_0) => ConnectionHeader::KeepAlive,
            (true, Version::Http1_1) => ConnectionHeader::Omitted,
        };
        let (reply, app, app_route) = match resolve(&head, router) {
            Resolved::Reply(reply) => (reply, false, 0),
            Resolved::App(route) => {
                let limit = route
                    .body_limit
                    .unwrap_or(configuration.body_limit)
                    .min(configuration.body_limit);
                if head.content_length > limit {
                    return Exchange {
                        send_body,
                        ..Exchange::closing_error(413)
                    };
                }
                (Reply::of(&Response::NOT_FOUND), true, route.route)
            }
        };
        Exchange {
            reply,
            send_body,
            keep_alive: head.keep_alive,
            connection,
            body_length: head.content_length,
            send_continue: head.expect_continue
                && head.content_length > 0
                && head.version == Version::Http1_1,
            app,
            app_route,
            app_method: head.method.unwrap_or(Method::Get),
            // `parse_request_line` read `method SP target SP version` with single spaces.
            app_target: (
                head.method_token.len() + 1,
                head.method_token.len() + 1 + head.target.len(),
            ),
        }
    }
}

/// Who answers a request.
enum Resolved {
    /// The server, with this reply.
    Reply(Reply),
    /// The app.
    App(AppRoute),
}

/// Who answers a well-framed request, and the reply when the server does. Errors here (501
/// unknown method, 400 bad path, 404, 405) keep the connection: the body's length is known, so
/// the next request can be read.
fn resolve(head: &RequestHead<'_>, router: &Router) -> Resolved {
    let Some(method) = head.method else {
        return Resolved::Reply(Reply::of(&Response::NOT_IMPLEMENTED));
    };
    if method == Method::Options && head.target == b"*" {
        return Resolved::Reply(Reply::allowing(&Response::OPTIONS, server_methods(router)));
    }
    let path = path::target_path(head.target);
    if !path::has_valid_escapes(path) || path::has_dot_segment(path) {
        return Resolved::Reply(Reply::of(&Response::BAD_REQUEST));
    }
    let found = router.find(path);
    let exact = found.is_some_and(|(route, _)| route.prefix().is_none());
    if !exact {
        if let Some(route) = router.app().and_then(|app| app.route(method, path)) {
            return Resolved::App(route);
        }
    }
    let Some((route, rest)) = found else {
        return Resolved::Reply(unrouted(path, method, router));
    };
    Resolved::Reply(resolve_static(route, rest, method, head, router))
}

/// `OPTIONS *` (RFC 9110 §9.3.7): the methods of the server in general, those of its static
/// routes and `OPTIONS` (the app's are its own router's to tell, per path).
fn server_methods(router: &Router) -> Methods {
    router
        .routes()
        .iter()
        .fold(Methods::GET.with(Method::Options), |methods, route| {
            methods.union(route.methods)
        })
}

/// The reply for a path no route matches: 301 when it is a folder route's prefix without its
/// trailing slash and the folder has an index (`/static` for `/static/*`), else the 404.
fn unrouted(path: &[u8], method: Method, router: &Router) -> Reply {
    if matches!(method, Method::Get | Method::Head) {
        let is_folder = router.routes().iter().any(|route| {
            let Content::Files(store) = route.content else {
                return false;
            };
            route
                .prefix()
                .and_then(|prefix| prefix.strip_suffix('/'))
                .is_some_and(|folder| path::decoded_equals(path, folder.as_bytes()))
                && route.methods.allows(method)
                && store.answer(FileRequest::new(b"")).is_some()
        });
        if is_folder {
            return Reply::moved_to_folder();
        }
    }
    Reply::of(router.not_found())
}

/// The reply of the static route `route` for the rest of the path `rest`.
fn resolve_static(
    route: &'static crate::route::Route,
    rest: &[u8],
    method: Method,
    head: &RequestHead<'_>,
    router: &Router,
) -> Reply {
    if !route.methods.allows(method) {
        let allowed = route.methods.with(Method::Options);
        if method == Method::Options {
            return match route.content {
                Content::Files(store) if store.answer(FileRequest::new(rest)).is_none() => {
                    Reply::of(router.not_found())
                }
                _ => Reply::allowing(&Response::OPTIONS, allowed),
            };
        }
        return Reply::allowing(&Response::METHOD_NOT_ALLOWED, allowed);
    }
    match &route.content {
        Content::Response(response) => Reply::of(response),
        Content::Files(store) => {
            let conditional = matches!(method, Method::Get | Method::Head);
            let get = method == Method::Get;
            let request = FileRequest {
                rest,
                if_none_match: head.if_none_match.filter(|_| conditional),
                if_modified_since: head.if_modified_since.filter(|_| conditional),
                range: head.range.filter(|_| get),
                if_range: head.if_range.filter(|_| get),
                accept_encoding: head.accept_encoding,
            };
            match store.answer(request) {
                None => Reply::of(router.not_found()),
                Some(FileAnswer::Folder) => Reply::moved_to_folder(),
                Some(FileAnswer::File(file)) => Reply::of_file(file),
            }
        }
    }
}
