//! Kiosks that join an authority elsewhere on the LAN, as the real binaries over HTTPS with the
//! centre's CA: a ticket kiosk's printer prints what staff ask for there and rides out the
//! authority's restart; a lookup screen has no printer and takes no numbers.
use shared::client::Client;
use std::path::Path;
use std::time::Duration;
use testkit::*;

const KIOSK2: &str = "e2e-joined-kiosk2-00001";

fn prints_of(paper: &Path, number: &str) -> usize {
    let suffix = format!("-{number}.png");
    std::fs::read_dir(paper).unwrap().flatten().filter(|f| f.file_name().to_string_lossy().ends_with(&suffix)).count()
}

async fn printed(paper: &Path, number: &str) {
    wait_until(20, &format!("{number} is printed at the joined kiosk"), || {
        let n = prints_of(paper, number);
        async move { n >= 1 }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_joined_kiosk_prints_there_and_rides_out_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (tls, here, there) = (dir.path().join("tls"), dir.path().join("authority"), dir.path().join("kiosk-2"));
    for d in [&here, &there] {
        std::fs::create_dir_all(d).unwrap();
    }
    let authority = config::in_process(&here.join("q.db")).tls(&tls).listen("127.0.0.1:0").token("kiosk-2", "kiosk", KIOSK2, &[]);
    let authority = authority.write(&here);
    let served = Served::start(&authority);
    assert!(served.url.starts_with("https://127.0.0.1:"), "{}", served.url);

    let paper = there.join("paper");
    std::fs::create_dir_all(&paper).unwrap();
    let q = |s: &str| format!("{s:?}");
    let joined = centre()
        .kiosk("authority", &q(&served.url))
        .kiosk("ca", &q(&tls.join("ca.pem").display().to_string()))
        .kiosk("token", &q(KIOSK2))
        .simulated_printer(&paper)
        .write(&there);
    let (mut kiosk2, _) = launch("kiosk").args(&["--config", joined.to_str().unwrap()]).logged("joining the queue authority");

    let ca = std::fs::read(tls.join("ca.pem")).unwrap();
    let client = |url: &str, token: &str| Client::builder(url).token(token).ca_pem(ca.clone()).build().unwrap();
    let staff = client(&served.url, ADMIN);
    wait_until(20, "the joined kiosk reports its printer under its own name", || {
        let staff = staff.clone();
        async move { staff.state().await.is_ok_and(|s| s.devices.iter().any(|d| d.device == "kiosk-2" && d.ok)) }
    })
    .await;
    let a001 = client(&served.url, KIOSK).issue("civil", None).await.unwrap();
    staff.reprint(&a001.number, Some("kiosk-2")).await.unwrap();
    printed(&paper, "A001").await;

    // The authority restarts on the same address; the kiosk reconnects by itself.
    let url = served.url.clone();
    let listen = url.trim_start_matches("https://").to_owned();
    served.terminate();
    let served = Served::start_with(&["serve", "--config", authority.to_str().unwrap(), "--listen", &listen]);
    let staff = client(&url, ADMIN);
    let a002 = client(&url, KIOSK).issue("civil", None).await.unwrap();
    assert_eq!(a002.number.as_str(), "A002", "numbering goes on after the restart");
    staff.reprint(&a002.number, Some("kiosk-2")).await.unwrap();
    printed(&paper, "A002").await;
    assert_eq!((prints_of(&paper, "A001"), prints_of(&paper, "A002")), (1, 1), "nothing printed twice across the restart");

    let stores: Vec<_> = std::fs::read_dir(&there).unwrap().flatten().filter(|f| f.file_name().to_string_lossy().contains(".db")).collect();
    assert!(stores.is_empty(), "a joined kiosk keeps no store: {stores:?}");
    kiosk2.sigterm();
    assert!(kiosk2.wait_exit(Duration::from_secs(10)).success());
    served.terminate();
}

/// A lookup screen (no `[printer]`) cannot run without a display: it would do nothing at all;
/// it says so and exits 2, rather than pretend.
#[test]
fn a_lookup_screen_without_a_display_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let config = centre().kiosk("authority", "\"https://127.0.0.1:9\"").kiosk("token", &format!("{KIOSK2:?}")).write(dir.path());
    let (code, _, err) = kiosk(&["--config", config.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("lookup screen needs a display"), "{err}");
}
