//! The request-head parser: request line and header fields, as zero-copy views.
//!
//! # Why our own parser and not `httparse`
//! `httparse` (with `default-features = false`) is fast and fuzzed, but it leaves every rule
//! this server needs to us: it returns raw header slices into a caller-provided fixed array
//! (64 headers × 32 bytes = 2 KiB of stack per parse), and we would still scan them for
//! `Content-Length` (duplicates, lists, overflow), `Transfer-Encoding`, `Connection` and
//! `Expect`, enforce the head-size limit, and find where a partial head ends. Our parser does
//! those checks in the same single pass, needs no header array (headers stay in the input and
//! [`RequestHead::headers`] re-splits the already validated block), and is about 200 lines
//! whose rules are listed below. Its speed matters little: the glue hands over a few requests
//! per TCP segment and responses are precomputed. Size, measured for `x86_64-unknown-none`
//! (opt-level `s`, LTO, linked with `--gc-sections`): [`parse_head`] with all its checks is
//! 4.1 KB of code; `httparse::Request::parse` alone, before any of those checks, is 4.6 KB.
//!
//! # Rules (RFC 9112 unless noted)
//! 1. Lines end with CRLF or a bare LF; a CR elsewhere is a syntax error (§2.2).
//! 2. Request line: `method SP target SP version`, single spaces; the method is a token, the
//!    target visible ASCII; a missing version (HTTP/0.9 style) is a 400 (§3).
//! 3. `HTTP/1.0` and `HTTP/1.1`; `HTTP/1.x` with x > 1 is served as 1.1; major versions ≥ 2 get
//!    505; anything else is 400 (§2.3).
//! 4. A header line is `token ":" OWS value OWS`; whitespace before the colon and `obs-fold`
//!    continuation lines are rejected with 400 (§5.1, §5.2); values may hold `obs-text`.
//! 5. `Content-Length` must be one header with one `1*DIGIT` value; a second header, a list, or
//!    a non-digit is 400; a value beyond `u64` is 413 (§6.3).
//! 6. Any `Transfer-Encoding` is 501 in HTTP/1.1 (we decode no transfer coding, §6.1: "SHOULD
//!    respond with 501") and 400 in HTTP/1.0 (§6.1: "MUST treat the message as if the framing
//!    is faulty"); the connection closes either way because the body cannot be delimited.
//! 7. Persistence (§9.3): HTTP/1.1 keeps the connection unless `Connection` lists `close`;
//!    HTTP/1.0 closes unless it lists `keep-alive` (and not `close`). `Host` is not required.
//! 8. The values of `If-None-Match` and `Accept-Encoding` are the first field's; the
//!    singleton fields `If-Modified-Since`, `Range` and `If-Range` (RFC 9110 §13.1.3, §14.2,
//!    §13.1.5) received twice are kept as an empty value, which their users treat as invalid
//!    and so ignore (a repeated `Range` serves the whole file).
use crate::configuration::Configuration;
use crate::method::Method;
use crate::syntax::{self, DecimalError};

/// The protocol version of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `HTTP/1.0`: the connection closes after the response unless the client asks otherwise.
    Http1_0,
    /// `HTTP/1.1` (and `HTTP/1.x`, x > 1): persistent unless the client asks to close.
    Http1_1,
}

/// Why a request head was rejected; each variant's doc names its status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadError {
    /// 431: no empty line within the configured head limit.
    TooLarge,
    /// 431: more header fields than the configured maximum.
    TooManyHeaders,
    /// 400: the request line is not `method SP target SP HTTP/x.y`.
    RequestLine,
    /// 505: an HTTP version with a major number of 2 or more.
    UnsupportedVersion,
    /// 400: a header line without a token name and a colon, or a forbidden byte in a value.
    HeaderSyntax,
    /// 400: `Content-Length` repeated, a list, or not digits.
    InvalidContentLength,
    /// 413: `Content-Length` larger than any body this server reads.
    ContentLengthOverflow,
    /// 501: `Transfer-Encoding` in an HTTP/1.1 request (no transfer coding is implemented).
    TransferEncoding,
    /// 400: `Transfer-Encoding` in an HTTP/1.0 request.
    TransferEncodingInHttp1_0,
}

impl HeadError {
    /// The status code of the response this error gets.
    pub const fn status(self) -> u16 {
        match self {
            HeadError::TooLarge | HeadError::TooManyHeaders => 431,
            HeadError::UnsupportedVersion => 505,
            HeadError::ContentLengthOverflow => 413,
            HeadError::TransferEncoding => 501,
            HeadError::RequestLine
            | HeadError::HeaderSyntax
            | HeadError::InvalidContentLength
            | HeadError::TransferEncodingInHttp1_0 => 400,
        }
    }
}

/// A parsed request head: views into the input, plus what the server needs from the headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestHead<'a> {
    /// The method token as received (any token, recognised or not).
    pub method_token: &'a [u8],
    /// The method, when this server recognises the token.
    pub method: Option<Method>,
    /// The request target as received (origin-form, absolute-form, `*`…).
    pub target: &'a [u8],
    /// The protocol version.
    pub version: Version,
    /// The body length from `Content-Length`; 0 without one.
    pub content_length: u64,
    /// Whether the connection persists after this exchange (rule 7).
    pub keep_alive: bool,
    /// `Expect: 100-continue` was sent.
    pub expect_continue: bool,
    /// The value of the first `If-None-Match` header.
    pub if_none_match: Option<&'a [u8]>,
    /// The value of `If-Modified-Since` (rule 8).
    pub if_modified_since: Option<&'a [u8]>,
    /// The value of `Range` (rule 8).
    pub range: Option<&'a [u8]>,
    /// The value of `If-Range` (rule 8).
    pub if_range: Option<&'a [u8]>,
    /// The value of the first `Accept-Encoding` header.
    pub accept_encoding: Option<&'a [u8]>,
    /// Bytes of the head, its final empty line included: where the body starts.
    pub length: usize,
    fields: &'a [u8],
}

impl<'a> RequestHead<'a> {
    /// The header fields in order, as `(name, value)` with the value's outer whitespace trimmed.
    pub fn headers(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> {
        let fields = self.fields;
        syntax::lines(fields).filter_map(|line| {
            let colon = line.iter().position(|byte| *byte == b':')?;
            let (name, value) = line.split_at(colon);
            Some((
                name,
                syntax::trim_whitespace(value.get(1..).unwrap_or_default()),
            ))
        })
    }
}

/// Parses the request head at the start of `input` (which must not start with the empty
/// lines a connection skips). `Ok(None)`: incomplete, more bytes are needed.
pub fn parse_head<'a>(
    input: &'a [u8],
    configuration: &Configuration,
) -> Result<Option<RequestHead<'a>>, HeadError> {
    let window = input.get(..configuration.header_limit).unwrap_or(input);
    match syntax::find_head_end(window, 0) {
        Ok(end) => {
            parse_complete_head(window.get(..end).unwrap_or(window), configuration).map(Some)
        }
        Err(_) if input.len() >= configuration.header_limit => Err(HeadError::TooLarge),
        Err(_) => Ok(None),
    }
}

/// The error of a request line that is already complete at the start of `head` but invalid
/// (an HTTP/0.9 `GET /`, a bad method or version): answered at once instead of waiting for a
/// head that would be rejected anyway. `None` while the line is incomplete or valid.
pub(crate) fn reject_request_line(head: &[u8]) -> Option<HeadError> {
    let end = head.iter().position(|byte| *byte == b'\n')?;
    let line = head.get(..end).unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    parse_request_line(line).err()
}

/// Parses a head known to end with its empty line (`head` is exactly the head's bytes).
pub(crate) fn parse_complete_head<'a>(
    head: &'a [u8],
    configuration: &Configuration,
) -> Result<RequestHead<'a>, HeadError> {
    let request_line_end = head
        .iter()
        .position(|byte| *byte == b'\n')
        .unwrap_or(head.len());
    let (request_line, after) = head.split_at(request_line_end);
    let request_line = request_line.strip_suffix(b"\r").unwrap_or(request_line);
    let terminator = if head.ends_with(b"\n\r\n") { 3 } else { 2 };
    let fields = after
        .get(1..after.len().saturating_sub(terminator - 1))
        .unwrap_or_default();
    let (method_token, target, version) = parse_request_line(request_line)?;
    let mut head_fields = HeaderSummary::default();
    let mut count = 0;
    for line in syntax::lines(fields) {
        count += 1;
        if count > configuration.max_headers {
            return Err(HeadError::TooManyHeaders);
        }
        head_fields.add(line)?;
    }
    if head_fields.transfer_encoding {
        return Err(match version {
            Version::Http1_0 => HeadError::TransferEncodingInHttp1_0,
            Version::Http1_1 => HeadError::TransferEncoding,
        });
    }
    let keep_alive = match version {
        Version::Http1_1 => !head_fields.close,
        Version::Http1_0 => head_fields.keep_alive && !head_fields.close,
    };
    Ok(RequestHead {
        method_token,
        method: Method::from_token(method_token),
        target,
        version,
        content_length: head_fields.content_length.unwrap_or(0),
        keep_alive,
        expect_continue: head_fields.expect_continue,
        if_none_match: head_fields.if_none_match,
        if_modified_since: head_fields.if_modified_since,
        range: head_fields.range,
        if_range: head_fields.if_range,
        accept_encoding: head_fields.accept_encoding,
        length: head.len(),
        fields,
    })
}

fn parse_request_line(line: &[u8]) -> Result<(&[u8], &[u8], Version), HeadError> {
    let mut parts = line.splitn(3, |byte| *byte == b' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::RequestLine);
    };
    if !syntax::is_token(method)
        || target.is_empty()
        || !target.iter().all(|byte| syntax::is_target_byte(*byte))
    {
        return Err(HeadError::RequestLine);
    }
    let version = match version {
        b"HTTP/1.1" => Version::Http1_1,
        b"HTTP/1.0" => Version::Http1_0,
        [b'H', b'T', b'T', b'P', b'/', b'1', b'.', minor] if minor.is_ascii_digit() => {
            Version::Http1_1
        }
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if (b'2'..=b'9').contains(major) && minor.is_ascii_digit() =>
        {
            return Err(HeadError::UnsupportedVersion)
        }
        _ => return Err(HeadError::RequestLine),
    };
    Ok((method, target, version))
}

/// What the server needs from the header fields, gathered in one pass.
#[derive(Default)]
struct HeaderSummary<'a> {
    content_length: Option<u64>,
    transfer_encoding: bool,
    close: bool,
    keep_alive: bool,
    expect_continue: bool,
    if_none_match: Option<&'a [u8]>,
    if_modified_since: Option<&'a [u8]>,
    range: Option<&'a [u8]>,
    if_range: Option<&'a [u8]>,
    accept_encoding: Option<&'a [u8]>,
}

/// Keeps the value of a field that must appear once; a second one makes it empty (rule 8).
fn singleton<'a>(slot: &mut Option<&'a [u8]>, value: &'a [u8]) {
    *slot = match slot {
        None => Some(value),
        Some(_) => Some(b""),
    };
}

impl<'a> HeaderSummary<'a> {
    fn add(&mut self, line: &'a [u8]) -> Result<(), HeadError> {
        let colon = line
            .iter()
            .position(|byte| *byte == b':')
            .ok_or(HeadError::HeaderSyntax)?;
        let (name, value) = line.split_at(colon);
        let value = syntax::trim_whitespace(value.get(1..).unwrap_or_default());
        if !syntax::is_token(name) || !value.iter().all(|byte| syntax::is_field_value_byte(*byte)) {
            return Err(HeadError::HeaderSyntax);
        }
        // By length first: one comparison of lengths skips most names (this runs for every
        // header of every request).
        match name.len() {
            14 if name.eq_ignore_ascii_case(b"content-length") => {
                if self.content_length.is_some() {
                    return Err(HeadError::InvalidContentLength);
                }
                self.content_length =
                    Some(syntax::parse_decimal(value).map_err(|error| match error {
                        DecimalError::NotDigits => HeadError::InvalidContentLength,
                        DecimalError::Overflow => HeadError::ContentLengthOverflow,
                    })?);
            }
            17 if name.eq_ignore_ascii_case(b"transfer-encoding") => {
                self.transfer_encoding = true;
            }
            10 if name.eq_ignore_ascii_case(b"connection") => {
                for option in syntax::list_items(value) {
                    self.close |= option.eq_ignore_ascii_case(b"close");
                    self.keep_alive |= option.eq_ignore_ascii_case(b"keep-alive");
                }
            }
            6 if name.eq_ignore_ascii_case(b"expect") => {
                self.expect_continue |= value.eq_ignore_ascii_case(b"100-continue");
            }
            13 if name.eq_ignore_ascii_case(b"if-none-match") => {
                self.if_none_match.get_or_insert(value);
            }
            17 if name.eq_ignore_ascii_case(b"if-modified-since") => {
                singleton(&mut self.if_modified_since, value);
            }
            5 if name.eq_ignore_ascii_case(b"range") => singleton(&mut self.range, value),
            8 if name.eq_ignore_ascii_case(b"if-range") => singleton(&mut self.if_range, value),
            15 if name.eq_ignore_ascii_case(b"accept-encoding") => {
                self.accept_encoding.get_or_insert(value);
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
