//! Tests of the router: matching precedence, 404/405/OPTIONS/HEAD, limits, errors, logging.

use super::*;
use crate::handler;
use crate::testing::{block_on, HostPlatform};
use alloc::string::ToString;

async fn echo(request: Request) -> crate::Result {
    let params: Vec<String> = request
        .params()
        .map(|(name, value)| alloc::format!("{name}={value}"))
        .collect();
    Ok(Response::text(alloc::format!(
        "{} {} [{}] head={}",
        request.method(),
        request.route(),
        params.join(","),
        request.is_head()
    )))
}

async fn fail(_request: Request) -> crate::Result {
    Err(Error::internal("the disk is on fire"))
}

async fn busy(_request: Request) -> crate::Result {
    Err(Error::too_many_requests(9))
}

async fn options(_request: Request) -> crate::Result {
    Ok(Response::text("custom options"))
}

fn send(router: &Router<()>, method: Method, target: &str) -> Response {
    let request = Request::builder(method, target).id(77).build();
    block_on(router.dispatch(request, &()))
}

fn body(response: &Response) -> &str {
    core::str::from_utf8(response.body()).unwrap()
}

#[test]
fn unknown_paths_are_json_404s() {
    let router: Router<()> = Router::new().route("/a", &[Method::Get], handler!(echo));
    let response = send(&router, Method::Get, "/b");
    assert_eq!(response.status(), 404);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(body(&response), r#"{"error":"not found"}"#);
}

#[test]
fn literals_win_over_parameters_and_parameters_over_catch_alls() {
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let patterns = ["/todos/{*rest}", "/todos/{id}", "/todos/new"];
        let mut router: Router<()> = Router::new();
        for index in order {
            router = router.route(patterns[index], &[Method::Get], handler!(echo));
        }
        assert_eq!(
            body(&send(&router, Method::Get, "/todos/new")),
            "GET /todos/new [] head=false"
        );
        assert_eq!(
            body(&send(&router, Method::Get, "/todos/7")),
            "GET /todos/{id} [id=7] head=false"
        );
        assert_eq!(
            body(&send(&router, Method::Get, "/todos/7/x")),
            "GET /todos/{*rest} [rest=7/x] head=false"
        );
    }
}

#[test]
fn decoded_paths_match_and_escaped_slashes_split() {
    let router: Router<()> = Router::new().route("/files/{name}", &[Method::Get], handler!(echo));
    assert_eq!(
        body(&send(&router, Method::Get, "/files/my%20notes")),
        "GET /files/{name} [name=my notes] head=false"
    );
    assert_eq!(send(&router, Method::Get, "/files/a%2Fb").status(), 404);
}

#[test]
fn wrong_methods_get_405_with_allow() {
    let router: Router<()> = Router::new().route(
        "/todos/{id}",
        &[Method::Delete, Method::Get],
        handler!(echo),
    );
    let response = send(&router, Method::Post, "/todos/1");
    assert_eq!(response.status(), 405);
    assert_eq!(response.header("Allow"), Some("GET, HEAD, DELETE, OPTIONS"));
    assert_eq!(body(&response), r#"{"error":"POST is not allowed here"}"#);
}

#[test]
fn routes_of_one_shape_share_a_method_table() {
    let report = Method::from_token(b"REPORT").unwrap();
    let router: Router<()> = Router::new()
        .route("/todos/{id}", &[Method::Get], handler!(echo))
        .route("/todos/{id}", &[Method::Put, report], handler!(echo));
    assert_eq!(send(&router, Method::Put, "/todos/2").status(), 200);
    assert_eq!(
        body(&send(&router, report, "/todos/2")),
        "REPORT /todos/{id} [id=2] head=false"
    );
    let options = send(&router, Method::Options, "/todos/2");
    assert_eq!(options.status(), 204);
    assert_eq!(
        options.header("allow"),
        Some("GET, HEAD, PUT, OPTIONS, REPORT")
    );
    assert!(options.body().is_empty());
}

#[test]
fn route_mistakes_are_reported() {
    let conflicting = Router::<()>::new()
        .route("/todos/{id}", &[Method::Get], handler!(echo))
        .try_add_route(Route::new("/todos/{key}", &[Method::Put], handler!(echo)));
    assert_eq!(
        conflicting.err(),
        Some(RouteError::ConflictingNames {
            pattern: "/todos/{key}",
            existing: "/todos/{id}"
        })
    );
    let duplicate = Router::<()>::new()
        .route("/a", &[Method::Get], handler!(echo))
        .try_add_route(Route::new(
            "/a",
            &[Method::Post, Method::Get],
            handler!(echo),
        ));
    assert_eq!(
        duplicate.err().map(|error| error.to_string()),
        Some("GET `/a` has two handlers".to_string())
    );
    let repeated = Router::<()>::new().try_add_route(Route::new(
        "/a",
        &[Method::Get, Method::Get],
        handler!(echo),
    ));
    assert!(matches!(repeated, Err(RouteError::DuplicateMethod { .. })));
    let empty = Router::<()>::new().try_add_route(Route::new("/a", &[], handler!(echo)));
    assert_eq!(empty.err(), Some(RouteError::NoMethods { pattern: "/a" }));
    let invalid =
        Router::<()>::new().try_add_route(Route::new("a", &[Method::Get], handler!(echo)));
    assert!(matches!(invalid, Err(RouteError::Pattern { .. })));
    let cache = Router::<()>::new()
        .try_add_route(Route::new("/a", &[Method::Get], handler!(echo)).cache_control("x\ny"));
    assert!(matches!(cache, Err(RouteError::InvalidCacheControl { .. })));
}

#[test]
#[should_panic(expected = "route `/a/{}`: parameter without a name at byte 3")]
fn adding_an_invalid_route_panics_with_the_reason() {
    let _ = Router::<()>::new().route("/a/{}", &[Method::Get], handler!(echo));
}

#[test]
fn head_is_served_by_get_without_the_body() {
    let router: Router<()> = Router::new().route("/page", &[Method::Get], handler!(echo));
    let response = send(&router, Method::Head, "/page");
    assert_eq!(response.status(), 200);
    assert!(response.body().is_empty());
    assert_eq!(
        response.content_length(),
        Some("GET /page [] head=true".len())
    );
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let post_only: Router<()> = Router::new().route("/form", &[Method::Post], handler!(echo));
    assert_eq!(send(&post_only, Method::Head, "/form").status(), 405);
}

#[test]
fn explicit_head_and_options_routes_win() {
    let router: Router<()> = Router::new()
        .route("/page", &[Method::Get], handler!(echo))
        .route("/page", &[Method::Head], handler!(echo))
        .route("/page", &[Method::Options], handler!(options));
    assert_eq!(
        body(&send(&router, Method::Head, "/page")),
        "HEAD /page [] head=false"
    );
    assert_eq!(
        body(&send(&router, Method::Options, "/page")),
        "custom options"
    );
}

#[test]
fn bodies_over_the_route_limit_are_413() {
    let router: Router<()> = Router::new()
        .add_route(Route::new("/upload", &[Method::Post], handler!(echo)).body_limit(4));
    assert_eq!(router.body_limit(Method::Post, "/upload"), Some(4));
    assert_eq!(router.body_limit(Method::Get, "/upload"), None);
    assert_eq!(router.body_limit(Method::Post, "/elsewhere"), None);
    let small = Request::builder(Method::Post, "/upload")
        .body("1234")
        .build();
    assert_eq!(block_on(router.dispatch(small, &())).status(), 200);
    let large = Request::builder(Method::Post, "/upload")
        .body("12345")
        .build();
    let response = block_on(router.dispatch(large, &()));
    assert_eq!(response.status(), 413);
    assert_eq!(body(&response), r#"{"error":"the body is over 4 bytes"}"#);
}

#[test]
fn route_cache_control_applies_to_successes_only() {
    let router: Router<()> = Router::new()
        .add_route(Route::new("/ok", &[Method::Get], handler!(echo)).cache_control("max-age=60"))
        .add_route(Route::new("/fail", &[Method::Get], handler!(fail)).cache_control("max-age=60"));
    assert_eq!(
        send(&router, Method::Get, "/ok").header("cache-control"),
        Some("max-age=60")
    );
    assert_eq!(
        send(&router, Method::Get, "/fail").header("cache-control"),
        None
    );
}

#[test]
fn server_errors_are_logged_with_route_and_request_id() {
    let platform = HostPlatform::new().install_for_this_thread();
    let router: Router<()> = Router::new()
        .route("/fail/{n}", &[Method::Get], handler!(fail))
        .route("/busy", &[Method::Get], handler!(busy));
    let response = send(&router, Method::Get, "/fail/1");
    assert_eq!(response.status(), 500);
    assert_eq!(body(&response), r#"{"error":"the disk is on fire"}"#);
    let busy = send(&router, Method::Get, "/busy");
    assert_eq!(busy.status(), 429);
    assert_eq!(busy.header("retry-after"), Some("9"));
    assert_eq!(
        platform.log_lines(),
        ["ERROR /fail/{n} #77: 500 the disk is on fire"]
    );
    assert_eq!(
        router.patterns().collect::<Vec<_>>(),
        ["/fail/{n}", "/busy"]
    );
}

#[test]
fn a_call_that_waits_can_be_moved_and_finished_later() {
    async fn waits(_request: Request) -> crate::Result {
        crate::testing::yield_now().await;
        Ok(Response::text("later"))
    }
    async fn at_once(_request: Request) -> crate::Result {
        Ok(Response::text("now"))
    }
    let router: Router<()> = Router::new()
        .route("/wait", &[Method::Get], handler!(waits))
        .route("/now", &[Method::Get], handler!(at_once));
    let mut context = core::task::Context::from_waker(core::task::Waker::noop());
    let poll = |call: &mut Call, context: &mut core::task::Context<'_>| {
        core::future::Future::poll(core::pin::Pin::new(call), context)
    };

    let mut now = router.call(None, Request::builder(Method::Get, "/now").build(), &());
    match poll(&mut now, &mut context) {
        core::task::Poll::Ready(response) => assert_eq!(body(&response), "now"),
        core::task::Poll::Pending => panic!("a handler that does not wait answers at once"),
    }

    let mut call = router.call(None, Request::builder(Method::Get, "/wait").build(), &());
    assert!(poll(&mut call, &mut context).is_pending());
    let mut moved = alloc::boxed::Box::new(call);
    match poll(&mut moved, &mut context) {
        core::task::Poll::Ready(response) => assert_eq!(body(&response), "later"),
        core::task::Poll::Pending => panic!("the handler yields once only"),
    }

    let mut missing = router.call(None, Request::builder(Method::Get, "/none").build(), &());
    match poll(&mut missing, &mut context) {
        core::task::Poll::Ready(response) => assert_eq!(response.status(), 404),
        core::task::Poll::Pending => panic!("the router answers 404 itself"),
    }
}
