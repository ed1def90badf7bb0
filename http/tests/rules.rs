//! The negotiation and skip rules as a table: request headers and response headers in, the
//! decision out.

use http::{HeaderMap, HeaderName, Method, StatusCode};
use slz_http::negotiate::{Rules, Skip};
use slz_http::Encoding::{self, Deflate, Gzip};

fn headers(list: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in list {
        h.append(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    h
}

#[test]
fn accept_encoding_negotiation() {
    use Skip::NotAccepted as No;
    let table: &[(Option<&str>, Result<Encoding, Skip>)] = &[
        (None, Err(No)),
        (Some(""), Err(No)),
        (Some("gzip"), Ok(Gzip)),
        (Some("deflate"), Ok(Deflate)),
        (Some("gzip, deflate, br"), Ok(Gzip)),
        (Some("deflate, gzip"), Ok(Gzip)), // tie: gzip
        (Some("br"), Err(No)),
        (Some("br, zstd"), Err(No)),
        (Some("identity"), Err(No)),
        (Some("GZIP"), Ok(Gzip)),
        (Some("  Deflate  "), Ok(Deflate)),
        (Some("x-gzip"), Ok(Gzip)),
        (Some("gzip;q=0"), Err(No)),
        (Some("gzip; q=0.0, deflate"), Ok(Deflate)),
        (Some("gzip;q=0.5, deflate;q=0.8"), Ok(Deflate)),
        (Some("gzip;Q=0.9 , deflate;q=0.8"), Ok(Gzip)),
        (Some("gzip;q=0.001"), Ok(Gzip)),
        (Some("gzip;q=1.000"), Ok(Gzip)),
        (Some("gzip;q=1.5"), Err(No)),    // malformed q: item ignored
        (Some("gzip;q=abc"), Err(No)),    // malformed q: item ignored
        (Some("gzip;q=0.1234"), Err(No)), // more than 3 decimals
        (Some("*"), Ok(Gzip)),
        (Some("*;q=0"), Err(No)),
        (Some("*;q=0.5, gzip;q=0"), Ok(Deflate)),
        (Some("deflate;q=0.2, *;q=0.4"), Ok(Gzip)), // `*` covers gzip only
        (Some("gzip;q=0.5, identity"), Err(No)),    // identity preferred
        (Some("gzip;q=0.5, identity;q=0.5"), Ok(Gzip)),
        (Some("gzip, identity;q=0"), Ok(Gzip)),
        (Some(",,gzip,,"), Ok(Gzip)),
        (Some("gzip;level=1"), Ok(Gzip)), // unknown parameters ignored
        (Some("gzip;q=0, gzip;q=0.5"), Ok(Gzip)), // named twice: highest q
    ];
    let rules = Rules::default();
    for (accept, want) in table {
        let req = match accept {
            Some(a) => headers(&[("accept-encoding", a)]),
            None => HeaderMap::new(),
        };
        assert_eq!(rules.accept(&req), *want, "Accept-Encoding: {accept:?}");
    }
    // Several Accept-Encoding headers count together.
    let req = headers(&[("accept-encoding", "br"), ("accept-encoding", "deflate")]);
    assert_eq!(rules.accept(&req), Ok(Deflate));
    // Disabled codings are never chosen.
    let gzip_only = Rules {
        deflate: false,
        ..Rules::default()
    };
    assert_eq!(
        gzip_only.accept(&headers(&[("accept-encoding", "deflate")])),
        Err(No)
    );
    assert_eq!(
        gzip_only.accept(&headers(&[("accept-encoding", "deflate, gzip;q=0.1")])),
        Ok(Gzip)
    );
    let deflate_only = Rules {
        gzip: false,
        ..Rules::default()
    };
    assert_eq!(
        deflate_only.accept(&headers(&[("accept-encoding", "gzip, deflate;q=0.1")])),
        Ok(Deflate)
    );
}

#[test]
fn response_skip_rules() {
    type Row<'a> = (
        &'a str,
        u16,
        &'a [(&'a str, &'a str)],
        Option<u64>,
        Result<Encoding, Skip>,
    );
    let table: &[Row] = &[
        (
            "GET",
            200,
            &[("content-type", "text/html; charset=utf-8")],
            None,
            Ok(Gzip),
        ),
        ("GET", 200, &[], None, Ok(Gzip)), // no content type: compress
        (
            "POST",
            201,
            &[("content-type", "application/json")],
            None,
            Ok(Gzip),
        ),
        (
            "GET",
            404,
            &[("content-type", "text/plain")],
            None,
            Ok(Gzip),
        ),
        (
            "HEAD",
            200,
            &[("content-type", "text/html")],
            None,
            Err(Skip::Head),
        ),
        ("GET", 101, &[], None, Err(Skip::NoBody)),
        ("GET", 204, &[], None, Err(Skip::NoBody)),
        ("GET", 304, &[], None, Err(Skip::NoBody)),
        (
            "GET",
            206,
            &[("content-type", "text/plain")],
            None,
            Err(Skip::Range),
        ),
        (
            "GET",
            200,
            &[("content-range", "bytes 0-99/1000")],
            None,
            Err(Skip::Range),
        ),
        (
            "GET",
            200,
            &[("content-encoding", "br")],
            None,
            Err(Skip::AlreadyEncoded),
        ),
        (
            "GET",
            200,
            &[("content-encoding", "gzip")],
            None,
            Err(Skip::AlreadyEncoded),
        ),
        (
            "GET",
            200,
            &[("content-encoding", "identity")],
            None,
            Ok(Gzip),
        ),
        (
            "GET",
            200,
            &[("cache-control", "no-transform")],
            None,
            Err(Skip::NoTransform),
        ),
        (
            "GET",
            200,
            &[("cache-control", "public, No-Transform, max-age=60")],
            None,
            Err(Skip::NoTransform),
        ),
        (
            "GET",
            200,
            &[("cache-control", "max-age=60")],
            None,
            Ok(Gzip),
        ),
        (
            "GET",
            200,
            &[("content-length", "31")],
            None,
            Err(Skip::TooSmall),
        ),
        ("GET", 200, &[("content-length", "32")], None, Ok(Gzip)),
        ("GET", 200, &[], Some(10), Err(Skip::TooSmall)),
        ("GET", 200, &[], Some(1000), Ok(Gzip)),
        ("GET", 200, &[("content-length", "junk")], None, Ok(Gzip)),
        (
            "GET",
            200,
            &[("content-type", "image/png")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "IMAGE/JPEG")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "image/svg+xml")],
            None,
            Ok(Gzip),
        ),
        (
            "GET",
            200,
            &[("content-type", "audio/mpeg")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "video/mp4")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "application/zip")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "application/gzip")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "application/octet-stream")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "application/grpc")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "application/grpc+proto")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "font/woff2")],
            None,
            Err(Skip::ContentType),
        ),
        (
            "GET",
            200,
            &[("content-type", "text/event-stream")],
            None,
            Ok(Gzip),
        ),
        (
            "GET",
            200,
            &[("content-type", "application/javascript")],
            None,
            Ok(Gzip),
        ),
        ("GET", 200, &[("content-type", "text/css")], None, Ok(Gzip)),
    ];
    let rules = Rules::default();
    let req = headers(&[("accept-encoding", "gzip, deflate")]);
    for (method, status, res, len, want) in table {
        let method: Method = method.parse().unwrap();
        let status = StatusCode::from_u16(*status).unwrap();
        let got = rules.decide(&method, &req, status, &headers(res), *len);
        assert_eq!(got, *want, "{method} {status} {res:?} {len:?}");
    }
    // Response rules come first: a request without Accept-Encoding on an image is ContentType.
    let got = rules.decide(
        &Method::GET,
        &HeaderMap::new(),
        StatusCode::OK,
        &headers(&[("content-type", "image/png")]),
        None,
    );
    assert_eq!(got, Err(Skip::ContentType));
    // The minimum size is configurable.
    let big = Rules {
        min_size: 1000,
        ..Rules::default()
    };
    let got = big.decide(
        &Method::GET,
        &req,
        StatusCode::OK,
        &headers(&[("content-length", "999")]),
        None,
    );
    assert_eq!(got, Err(Skip::TooSmall));
    // Only the negotiation and HEAD leave a response that varies with Accept-Encoding.
    assert!(Skip::NotAccepted.varies() && Skip::Head.varies());
    assert!(!Skip::ContentType.varies() && !Skip::NoBody.varies());
}
