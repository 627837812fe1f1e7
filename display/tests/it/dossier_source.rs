//! The dossier source over real HTTP against the stand-in one-stop system: listings page by
//! page with their totals, a page past the end, bad parameters, a listing that breaks its own
//! rules refused, and HTTPS actually spoken for an https:// URL.
use shared::dossier::{demo, sample, CachedSource, DossierSource, DossierStatus, HttpSource, HttpSourceConfig, SourceError};
use std::collections::HashSet;
use std::io::Read;
use std::time::Duration;

fn serve(rt: &tokio::runtime::Runtime, router: axum::Router) -> String {
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(async move { axum::serve(listener, router).await });
    url
}

fn source(url: &str) -> HttpSource {
    HttpSource::new(&HttpSourceConfig { base_url: url.into(), timeout: Duration::from_secs(3), token: None })
}

#[test]
fn listings_page_through_every_dossier_of_a_status_once() {
    // Proves the listing contract end to end: pages of the asked size, the same total on
    // every page, every dossier of the status exactly once across pages, none of another
    // status, an empty page past the end; and the cache passes listings through.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let set = sample::demo_set(today, 300);
    let (router, asked) = demo::router(set.clone());
    let src = CachedSource::new(source(&serve(&rt, router)), Duration::from_secs(60), 16);
    for status in [DossierStatus::Ready, DossierStatus::Processing, DossierStatus::Overdue] {
        let want: HashSet<&str> = set.iter().filter(|d| d.status == status).map(|d| d.code.as_str()).collect();
        let first = src.list(status, 1, 7).unwrap();
        assert_eq!(first.total as usize, want.len());
        let mut got = HashSet::new();
        for page in 1..=first.pages() {
            let p = src.list(status, page, 7).unwrap();
            assert_eq!(p.total, first.total);
            assert!(p.items.len() <= 7);
            for d in p.items {
                assert_eq!(d.status, status);
                assert!(got.insert(d.code.clone()), "{} listed twice", d.code);
            }
        }
        assert_eq!(got.iter().map(String::as_str).collect::<HashSet<_>>(), want);
        assert!(src.list(status, first.pages() + 1, 7).unwrap().items.is_empty());
    }
    let before = asked.load(std::sync::atomic::Ordering::SeqCst);
    src.list(DossierStatus::Ready, 1, 7).unwrap();
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), before + 1, "listings are not cached");
}

#[test]
fn bad_parameters_and_listings_out_of_contract_are_errors() {
    // Proves a 400 for a bad status or page size, and that a system answering items of the
    // wrong status, or more than asked, is refused rather than shown.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (router, _) = demo::router(sample::fixed());
    let url = serve(&rt, router);
    let http = reqwest::blocking::Client::new();
    for q in ["status=done", "status=ready&per_page=0", "status=ready&per_page=101", "status=ready&page=0", "status=ready&page=x"] {
        assert_eq!(http.get(format!("{url}/dossiers?{q}")).send().unwrap().status().as_u16(), 400, "{q}");
    }
    let liar = axum::Router::new().route(
        "/dossiers",
        axum::routing::get(|| async {
            let d = &sample::fixed()[0];
            axum::Json(serde_json::json!({"items": [d, d, d], "total": 3, "page": 1, "per_page": 2}))
        }),
    );
    let src = source(&serve(&rt, liar));
    let e = src.list(DossierStatus::Ready, 1, 2).unwrap_err();
    assert!(matches!(e, SourceError::Listing { .. }), "{e}");
    let e = src.list(DossierStatus::Overdue, 1, 5).unwrap_err();
    assert!(matches!(e, SourceError::Listing { .. }), "{e}");
}

#[test]
fn an_https_url_is_spoken_in_tls() {
    // Proves HTTPS is built in (rustls): for an https:// URL the first bytes on the wire are a
    // TLS handshake record (0x16 0x03 …), and a server that does not answer in TLS is an
    // error of reaching the system, not a silent plain-text request.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut head = [0u8; 3];
        s.read_exact(&mut head).unwrap();
        head
    });
    let src =
        HttpSource::new(&HttpSourceConfig { base_url: format!("https://127.0.0.1:{port}"), timeout: Duration::from_secs(3), token: None });
    let e = src.list(DossierStatus::Ready, 1, 5).unwrap_err();
    assert!(matches!(e, SourceError::Unreachable { .. }), "{e}");
    let head = seen.join().unwrap();
    assert_eq!(&head[..2], &[0x16, 0x03], "a TLS handshake record");
}
