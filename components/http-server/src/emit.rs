//! Writing responses: a status line and framing headers around static data.
//!
//! The only formatting on the hot path is the status code and `Content-Length` digits; every
//! other byte is copied from `'static` strings of the image.
use crate::method::Methods;
use alloc::vec::Vec;

use crate::files::{FileReply, Outcome};
use crate::output::{HeadKey, OutOfMemory, Output, COPY_BODY_LIMIT};
use crate::response::{self, Response, StaticFile};

/// Sent before the body of a request that said `Expect: 100-continue`.
pub(crate) const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// Everything a response needs, resolved from a route, a file or an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: &'static [u8],
    pub(crate) headers: &'static [(&'static str, &'static str)],
    pub(crate) etag: Option<&'static str>,
    /// Methods for an `Allow` header (405, and 204 for `OPTIONS`).
    pub(crate) allow: Option<Methods>,
    /// The file sent, for its headers (`Last-Modified`, `Content-Encoding`, `Content-Range`,
    /// `Accept-Ranges`, `Vary`); `None` for fixed responses.
    pub(crate) file: Option<FileHeaders>,
    /// A folder's path without its trailing slash: the connection adds `Location` (301).
    pub(crate) moved_to_folder: bool,
}

/// The file a reply sends and which representation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileHeaders {
    pub(crate) file: &'static StaticFile,
    pub(crate) gzip: bool,
}

impl Reply {
    /// A fixed response.
    pub(crate) const fn of(response: &Response) -> Reply {
        Reply {
            status: response.status,
            content_type: response.content_type,
            body: response.body,
            headers: response.headers,
            etag: None,
            allow: None,
            file: None,
            moved_to_folder: false,
        }
    }

    /// A fixed response with an `Allow` header.
    pub(crate) const fn allowing(response: &Response, methods: Methods) -> Reply {
        Reply {
            allow: Some(methods),
            ..Reply::of(response)
        }
    }

    /// `301` to the folder the path names; the connection writes `Location`.
    pub(crate) const fn moved_to_folder() -> Reply {
        Reply {
            moved_to_folder: true,
            ..Reply::of(&Response::MOVED_TO_FOLDER)
        }
    }

    /// The answer a file store chose: 200, 206 (the body is the part, a slice of the
    /// representation), 304 (its `ETag` sent again, RFC 9110 §15.4.5) or 416.
    pub(crate) fn of_file(answer: FileReply) -> Reply {
        let (whole, etag) = answer.file.representation(answer.gzip);
        let file = Some(FileHeaders {
            file: answer.file,
            gzip: answer.gzip,
        });
        let (status, body) = match answer.outcome {
            Outcome::Whole => (200, whole),
            Outcome::Part { first, last } => match whole.get(first..=last) {
                Some(part) => (206, part),
                None => (200, whole),
            },
            Outcome::NotModified => {
                return Reply {
                    status: 304,
                    content_type: "",
                    body: &[],
                    headers: answer.headers,
                    etag,
                    allow: None,
                    file,
                    moved_to_folder: false,
                }
            }
            Outcome::RangeNotSatisfiable => {
                return Reply {
                    file,
                    ..Reply::of(&Response::RANGE_NOT_SATISFIABLE)
                }
            }
        };
        Reply {
            status,
            content_type: answer.file.content_type,
            body,
            headers: answer.headers,
            etag,
            allow: None,
            file,
            moved_to_folder: false,
        }
    }
}

/// The `Connection` header a response carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConnectionHeader {
    /// None: HTTP/1.1 persistence is the default.
    Omitted,
    /// `Connection: close`: the server closes after this response.
    Close,
    /// `Connection: keep-alive`: an HTTP/1.0 client asked to keep the connection.
    KeepAlive,
}

/// Queues `reply` on `output`; `send_body` is false for `HEAD` (the headers stay the same).
/// `date` is the `Date` line (or nothing), `location` the pieces of a `Location` line (or
/// none): both vary by request, so they follow the cached head. `planned` is the output
/// buffer's planned largest size (see [`Output::try_reserve`]).
///
/// The head without `Connection` is kept in the output's cache: the next response for the same
/// reply (a kept-alive client asking for the same route) copies it whole. Memory is reserved
/// before anything is written: on [`OutOfMemory`] nothing was queued.
pub(crate) fn write_response(
    output: &mut Output,
    reply: &Reply,
    send_body: bool,
    connection: ConnectionHeader,
    date: &[u8],
    location: &[&[u8]],
    planned: usize,
) -> Result<(), OutOfMemory> {
    let status = if (100..=999).contains(&reply.status) {
        reply.status
    } else {
        500
    };
    let bodiless = response::is_bodiless(status);
    let key = HeadKey {
        status,
        content_type: address_of(reply.content_type.as_bytes()),
        body_length: reply.body.len(),
        headers: (reply.headers.as_ptr() as usize, reply.headers.len()),
        etag: reply.etag.map(|etag| address_of(etag.as_bytes())),
        allow: reply.allow,
        file: reply
            .file
            .map(|file| (file.file as *const StaticFile as usize, file.gzip)),
        body_start: reply.body.as_ptr() as usize,
    };
    let cache = output.head_cache();
    if cache.key != Some(key) {
        cache.key = None;
        cache.bytes.clear();
        let mut length = 0usize;
        write_head(&mut length, reply, status, bodiless);
        cache
            .bytes
            .try_reserve_exact(length)
            .map_err(|_| OutOfMemory)?;
        write_head(&mut cache.bytes, reply, status, bodiless);
        cache.key = Some(key);
    }
    let connection_line: &[u8] = match connection {
        ConnectionHeader::Omitted => b"\r\n",
        ConnectionHeader::Close => b"Connection: close\r\n\r\n",
        ConnectionHeader::KeepAlive => b"Connection: keep-alive\r\n\r\n",
    };
    let body = if send_body && !bodiless {
        reply.body
    } else {
        &[]
    };
    let copied_body = if body.len() <= COPY_BODY_LIMIT {
        body
    } else {
        &[]
    };
    let head_length = output.head_cache().bytes.len();
    let location_length: usize = location.iter().map(|piece| piece.len()).sum();
    let buffered =
        head_length + date.len() + location_length + connection_line.len() + copied_body.len();
    let segments = 1 + usize::from(copied_body.is_empty() && !body.is_empty());
    output.try_reserve(buffered, segments, planned)?;
    output.push_cached_head();
    output.push_buffered(date);
    for piece in location {
        output.push_buffered(piece);
    }
    output.push_buffered(connection_line);
    if copied_body.is_empty() {
        output.push_static(body);
    } else {
        output.push_buffered(copied_body);
    }
    Ok(())
}

/// Queues an app's response: the status line, `Server`, its fields, `Content-Length`, the
/// `Connection` line, then its body (small bodies copied behind the head, larger ones sent
/// from where they are). Memory is reserved before anything is written.
pub(crate) fn write_app_response(
    output: &mut Output,
    response: crate::app::AppResponse,
    send_body: bool,
    connection: ConnectionHeader,
    date: &[u8],
    planned: usize,
) -> Result<(), OutOfMemory> {
    let status = if (100..=999).contains(&response.status) {
        response.status
    } else {
        500
    };
    let mut line = [0u8; CONTENT_LENGTH_LINE];
    let length = response
        .content_length
        .filter(|_| !response::is_bodiless(status))
        .map(|length| content_length_line(length, &mut line));
    let connection_line: &[u8] = match connection {
        ConnectionHeader::Omitted => b"\r\n",
        ConnectionHeader::Close => b"Connection: close\r\n\r\n",
        ConnectionHeader::KeepAlive => b"Connection: keep-alive\r\n\r\n",
    };
    let body = if send_body && !response::is_bodiless(status) {
        response.body
    } else {
        crate::app::AppBody::Static(&[])
    };
    let copied = body.bytes().len() <= COPY_BODY_LIMIT;
    let lines = response::status_and_server_lines(status);
    let reason = match lines {
        Some(_) => &[][..],
        None => response::reason_phrase(status).as_bytes(),
    };
    let status_lines_length = lines.map_or(
        b"HTTP/1.1 000 \r\nServer: SauceOS\r\n".len() + reason.len(),
        <[u8]>::len,
    );
    let head_length = status_lines_length
        + response.content_type_line.len()
        + response.fields.len()
        + date.len()
        + length.map_or(0, <[u8]>::len)
        + connection_line.len();
    let buffered = head_length + if copied { body.bytes().len() } else { 0 };
    output.try_reserve(buffered, 1 + usize::from(!copied), planned)?;
    // Few pieces: each copy costs more than its bytes (record 0016).
    let status_lines: &[u8] = match lines {
        Some(lines) => lines,
        None => &[],
    };
    if lines.is_none() {
        let digits = [
            b'0' + (status / 100) as u8,
            b'0' + (status / 10 % 10) as u8,
            b'0' + (status % 10) as u8,
        ];
        output.push_buffered(b"HTTP/1.1 ");
        output.push_buffered(&digits);
        output.push_buffered(b" ");
        output.push_buffered(reason);
        output.push_buffered(b"\r\nServer: SauceOS\r\n");
    }
    let copied_body = if copied { body.bytes() } else { &[] };
    output.push_buffered_pieces(&[
        status_lines,
        date,
        response.content_type_line,
        &response.fields,
        length.unwrap_or_default(),
        connection_line,
        copied_body,
    ]);
    match body {
        _ if copied => {}
        crate::app::AppBody::Static(bytes) => output.push_static(bytes),
        crate::app::AppBody::Owned(bytes) => output.push_owned(bytes),
    }
    Ok(())
}

/// Where a response head is written: the cache's bytes, or a counter measuring it first.
trait HeadSink {
    fn put(&mut self, bytes: &[u8]);
}

impl HeadSink for Vec<u8> {
    /// Appends within the capacity reserved after measuring.
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl HeadSink for usize {
    fn put(&mut self, bytes: &[u8]) {
        *self = self.saturating_add(bytes.len());
    }
}

/// A slice's address and length: static strings are told apart by where they are.
fn address_of(bytes: &[u8]) -> (usize, usize) {
    (bytes.as_ptr() as usize, bytes.len())
}

/// The status line and every header but `Connection`.
fn write_head(head: &mut impl HeadSink, reply: &Reply, status: u16, bodiless: bool) {
    let digits = [
        b'0' + (status / 100) as u8,
        b'0' + (status / 10 % 10) as u8,
        b'0' + (status % 10) as u8,
    ];
    head.put(b"HTTP/1.1 ");
    head.put(&digits);
    head.put(b" ");
    head.put(response::reason_phrase(status).as_bytes());
    head.put(b"\r\nServer: SauceOS\r\n");
    header(head, "Content-Type", reply.content_type);
    if !bodiless {
        let mut number = [0u8; 20];
        header(
            head,
            "Content-Length",
            decimal(reply.body.len() as u64, &mut number),
        );
    }
    if let Some(etag) = reply.etag {
        header(head, "ETag", etag);
    }
    if let Some(file) = reply.file {
        write_file_headers(head, reply, file, status);
    }
    if let Some(methods) = reply.allow {
        head.put(b"Allow: ");
        for (index, method) in methods.iter().enumerate() {
            head.put(if index == 0 { b"" } else { b", " });
            head.put(method.as_str().as_bytes());
        }
        head.put(b"\r\n");
    }
    for (name, value) in reply.headers {
        header(head, name, value);
    }
}

/// The headers of a file's reply (RFC 9110 §8.8.2, §8.4, §14.3, §14.4, §12.5.5): a 304 sends
/// only `Vary` of them (with its `ETag` and the route's headers, §15.4.5), a 416 its
/// `Content-Range`, `Accept-Ranges` and `Vary`.
fn write_file_headers(head: &mut impl HeadSink, reply: &Reply, file: FileHeaders, status: u16) {
    let (whole, _) = file.file.representation(file.gzip);
    let mut number = [0u8; 20];
    if matches!(status, 200 | 206) {
        if let Some(date) = file.file.last_modified {
            header(head, "Last-Modified", date);
        }
        if file.gzip {
            header(head, "Content-Encoding", "gzip");
        }
    }
    match status {
        206 => {
            let first = (reply.body.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
            let last = first + reply.body.len().saturating_sub(1);
            head.put(b"Content-Range: bytes ");
            head.put(decimal(first as u64, &mut number).as_bytes());
            head.put(b"-");
            head.put(decimal(last as u64, &mut number).as_bytes());
            head.put(b"/");
            head.put(decimal(whole.len() as u64, &mut number).as_bytes());
            head.put(b"\r\n");
        }
        416 => {
            head.put(b"Content-Range: bytes */");
            head.put(decimal(whole.len() as u64, &mut number).as_bytes());
            head.put(b"\r\n");
        }
        _ => {}
    }
    if status != 304 {
        head.put(b"Accept-Ranges: bytes\r\n");
    }
    if file.file.gzip.is_some() {
        head.put(b"Vary: Accept-Encoding\r\n");
    }
}

fn header(head: &mut impl HeadSink, name: &str, value: &str) {
    if !value.is_empty() {
        head.put(name.as_bytes());
        head.put(b": ");
        head.put(value.as_bytes());
        head.put(b"\r\n");
    }
}

/// The longest `Content-Length` line: the name, 20 digits, CRLF.
const CONTENT_LENGTH_LINE: usize = b"Content-Length: ".len() + 20 + 2;

/// The line `Content-Length: <length>\r\n`, written at the end of `buffer`.
fn content_length_line(length: u64, buffer: &mut [u8; CONTENT_LENGTH_LINE]) -> &[u8] {
    const NAME: &[u8] = b"Content-Length: ";
    let end = buffer.len() - 2;
    buffer[end..].copy_from_slice(b"\r\n");
    let mut start = end;
    let mut value = length;
    loop {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    start -= NAME.len();
    buffer[start..start + NAME.len()].copy_from_slice(NAME);
    &buffer[start..]
}

/// `value` in decimal, written at the end of `buffer`.
fn decimal(mut value: u64, buffer: &mut [u8; 20]) -> &str {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    core::str::from_utf8(&buffer[start..]).unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Method;

    fn written(reply: &Reply, send_body: bool, connection: ConnectionHeader) -> String {
        let mut output = Output::default();
        write_response(
            &mut output,
            reply,
            send_body,
            connection,
            &[],
            &[],
            usize::MAX,
        )
        .unwrap();
        let mut bytes = vec![0; 4096];
        let length = output.write_to(&mut bytes);
        String::from_utf8(bytes[..length].to_vec()).unwrap()
    }

    fn not_modified() -> Reply {
        Reply {
            etag: Some("\"v1\""),
            ..Reply::of(&Response::new(304, "", b""))
        }
    }

    static FILE: StaticFile = StaticFile {
        path: "f",
        content_type: "text/plain",
        body: b"0123456789",
        etag: Some("\"f\""),
        last_modified: None,
        gzip: None,
    };

    fn part(first: usize, last: usize) -> Reply {
        Reply::of_file(FileReply {
            file: &FILE,
            gzip: false,
            outcome: Outcome::Part { first, last },
            headers: &[],
        })
    }

    #[test]
    fn parts_of_one_length_get_their_own_content_range() {
        let mut output = Output::default();
        for (first, last) in [(0, 1), (2, 3), (2, 3), (8, 9)] {
            let reply = part(first, last);
            write_response(
                &mut output,
                &reply,
                true,
                ConnectionHeader::Omitted,
                &[],
                &[],
                usize::MAX,
            )
            .unwrap();
            let mut bytes = vec![0; 4096];
            let length = output.write_to(&mut bytes);
            let sent = String::from_utf8(bytes[..length].to_vec()).unwrap();
            assert!(sent.contains(&format!("\r\nContent-Range: bytes {first}-{last}/10\r\n")));
            assert!(sent.ends_with(&"0123456789"[first..=last]));
        }
        // A part outside the file (a store's mistake) sends the whole file.
        assert_eq!(part(5, 10).status, 200);
        assert_eq!(part(5, usize::MAX).body, FILE.body);
    }

    #[test]
    fn a_location_follows_the_cached_head() {
        let mut output = Output::default();
        let location: [&[u8]; 3] = [b"Location: ", b"/a/", b"\r\n"];
        write_response(
            &mut output,
            &Reply::moved_to_folder(),
            true,
            ConnectionHeader::Omitted,
            b"Date: x\r\n",
            &location,
            usize::MAX,
        )
        .unwrap();
        let mut bytes = vec![0; 4096];
        let length = output.write_to(&mut bytes);
        assert_eq!(
            &bytes[..length],
            b"HTTP/1.1 301 Moved Permanently\r\nServer: SauceOS\r\nContent-Length: 0\r\n\
              Date: x\r\nLocation: /a/\r\n\r\n"
        );
    }

    #[test]
    fn a_cached_head_is_only_reused_for_the_same_reply() {
        let hello = Reply::of(&Response::new(200, "text/plain", b"hello"));
        let other = Reply::of(&Response::new(200, "text/plain", b"hello, world"));
        let mut missing = Reply::of(&Response::METHOD_NOT_ALLOWED);
        missing.allow = Some(Methods::GET);
        let sequence = [
            (hello, true, ConnectionHeader::KeepAlive),
            (hello, true, ConnectionHeader::Omitted),
            (other, true, ConnectionHeader::Close),
            (hello, false, ConnectionHeader::Omitted),
            (missing, true, ConnectionHeader::Omitted),
            (not_modified(), true, ConnectionHeader::Omitted),
            (hello, true, ConnectionHeader::Close),
        ];
        let mut output = Output::default();
        for (reply, send_body, connection) in sequence {
            write_response(
                &mut output,
                &reply,
                send_body,
                connection,
                &[],
                &[],
                usize::MAX,
            )
            .unwrap();
            let mut bytes = vec![0; 4096];
            let length = output.write_to(&mut bytes);
            let reused = String::from_utf8(bytes[..length].to_vec()).unwrap();
            assert_eq!(reused, written(&reply, send_body, connection));
        }
    }

    #[test]
    fn whole_status_lines_and_length_lines_read_as_the_pieces_would() {
        for status in 100..=999 {
            let reason = response::reason_phrase(status);
            match response::status_and_server_lines(status) {
                Some(lines) => assert_eq!(
                    lines,
                    std::format!("HTTP/1.1 {status} {reason}\r\nServer: SauceOS\r\n").as_bytes()
                ),
                None => assert!(
                    reason.is_empty() || !matches!(status, 200 | 201 | 204 | 404 | 422 | 500),
                    "{status} is common but has no line"
                ),
            }
        }
        for length in [0, 7, 10, 99, 4096, u64::MAX] {
            let mut line = [0u8; CONTENT_LENGTH_LINE];
            assert_eq!(
                content_length_line(length, &mut line),
                std::format!("Content-Length: {length}\r\n").as_bytes()
            );
        }
    }

    #[test]
    fn decimals_of_all_widths() {
        let mut buffer = [0; 20];
        assert_eq!(decimal(0, &mut buffer), "0");
        assert_eq!(decimal(1234, &mut buffer), "1234");
        assert_eq!(decimal(u64::MAX, &mut buffer), "18446744073709551615");
    }

    #[test]
    fn allow_lists_methods_and_unknown_statuses_get_empty_reasons() {
        let mut reply = Reply::of(&Response::METHOD_NOT_ALLOWED);
        reply.allow = Some(Methods::GET.with(Method::Post));
        assert!(written(&reply, true, ConnectionHeader::Omitted)
            .contains("\r\nAllow: GET, HEAD, POST\r\n"));
        let odd = Reply::of(&Response::new(299, "", b"x"));
        assert_eq!(
            written(&odd, true, ConnectionHeader::KeepAlive),
            "HTTP/1.1 299 \r\nServer: SauceOS\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx"
        );
        let invalid = Reply::of(&Response::new(42, "", b""));
        assert!(
            written(&invalid, true, ConnectionHeader::Omitted).starts_with("HTTP/1.1 500 Internal")
        );
    }

    #[test]
    fn not_modified_has_no_length_and_large_bodies_are_not_copied() {
        assert_eq!(
            written(&not_modified(), true, ConnectionHeader::Close),
            "HTTP/1.1 304 Not Modified\r\nServer: SauceOS\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n"
        );
        static LARGE: [u8; 2000] = [b'z'; 2000];
        let mut output = Output::default();
        write_response(
            &mut output,
            &Reply::of(&Response::new(200, "", &LARGE)),
            true,
            ConnectionHeader::Omitted,
            &[],
            &[],
            usize::MAX,
        )
        .unwrap();
        output.consume(output.pending().len());
        assert_eq!(output.pending().as_ptr(), LARGE.as_ptr());
    }
}
