//! `shared::client::HubClient` against the stand-in hub: answers and refusals read into types.
use super::hub::{Hub, Mode, CENTRE, TOKEN};
use shared::client::{ClientError, HubCatalogue, HubClient};
use shared::event::{Event, EventBody};
use shared::province::{Acked, EventBatch};
use shared::wire::ErrorCode;
use testkit::TestServer;

fn client(hub: &Hub, centre: &str, token: &str) -> HubClient {
    HubClient::new(HubClient::builder(&hub.url, token), centre).unwrap()
}

fn batch(ids: &[u64]) -> EventBatch {
    let at = testkit::monday_9am();
    EventBatch { events: ids.iter().map(|&id| Event { id, at, day: at.date_naive(), body: EventBody::DayStarted }).collect() }
}

#[tokio::test]
async fn the_hub_client_reads_acks_refusals_and_catalogue_versions_into_types() {
    // Proves the client's half of the contract: acks and cursors as `Acked`, a repeat taken as
    // harmless, each refusal as its status and machine code (never a string match), the
    // catalogue's three answers, and a catalogue over the cap refused without being kept.
    let hub = Hub::start().await;
    let c = client(&hub, CENTRE, TOKEN);
    assert_eq!(c.cursor().await.unwrap(), Acked { acked: 0 });
    assert_eq!(c.push(&batch(&[1, 2, 3])).await.unwrap(), Acked { acked: 3 });
    assert_eq!(c.push(&batch(&[2, 3, 4])).await.unwrap(), Acked { acked: 4 }, "a repeat is harmless");
    assert_eq!(c.cursor().await.unwrap(), Acked { acked: 4 });

    let e = client(&hub, CENTRE, "another-token-0123456789").push(&batch(&[5])).await.unwrap_err();
    assert!(matches!(e, ClientError::Api { status: 401, code: ErrorCode::Unauthorized, .. }), "{e:?}");
    assert!(!e.is_transient());
    let e = client(&hub, "hoan-kiem", TOKEN).cursor().await.unwrap_err();
    assert!(matches!(e, ClientError::Api { status: 403, code: ErrorCode::WrongCentre, .. }), "{e:?}");
    let e = c.push(&batch(&[6, 5])).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(400), Some(&ErrorCode::InvalidBody)));
    hub.set(Mode::Down);
    let e = c.push(&batch(&[5])).await.unwrap_err();
    assert!(e.status() == Some(503) && e.is_transient(), "{e:?}");
    hub.set(Mode::CutBeforeStoring);
    let e = c.push(&batch(&[5])).await.unwrap_err();
    assert!(matches!(e, ClientError::HubUnreachable { .. }) && e.is_transient(), "{e:?}");
    assert!(e.to_string().contains("province hub"), "{e}");

    assert_eq!(c.catalogue(None, 1 << 20).await.unwrap(), HubCatalogue::NotPublished);
    hub.publish("\"v1\"", b"{}\n");
    let got = c.catalogue(None, 1 << 20).await.unwrap();
    assert_eq!(got, HubCatalogue::Published { etag: Some("\"v1\"".into()), bytes: "{}\n".into() });
    assert_eq!(c.catalogue(Some("\"v1\""), 1 << 20).await.unwrap(), HubCatalogue::Unchanged);
    let e = c.catalogue(Some("\"v0\""), 2).await.unwrap_err();
    assert!(matches!(e, ClientError::Decode { .. }) && e.to_string().contains("larger than 2 bytes"), "{e}");
}

#[tokio::test]
async fn the_hub_client_reaches_a_hub_behind_a_private_ca_only_with_that_ca() {
    // Proves `[uplink] ca` reaches the client's trust: a TLS server whose chain the CA signed is
    // reached (any answer at all means the handshake held), and without the CA the same server
    // is refused at the handshake. The server here is an authority (it
    // speaks TLS with a private CA just as a province hub behind one would).
    let dir = tempfile::tempdir().unwrap();
    let s =
        TestServer::start_at(testkit::config::in_process(&dir.path().join("q.db")).tls(dir.path()).config(), testkit::monday_9am()).await;
    let ca = s.ca.clone().unwrap();
    let trusting = HubClient::new(HubClient::builder(&s.url, TOKEN).ca_pem(ca), CENTRE).unwrap();
    let e = trusting.cursor().await.unwrap_err();
    assert_eq!(e.status(), Some(404), "{e:?}");
    let public = HubClient::new(HubClient::builder(&s.url, TOKEN), CENTRE).unwrap();
    let e = public.cursor().await.unwrap_err();
    assert!(matches!(e, ClientError::HubUnreachable { .. }), "{e:?}");
    s.stop().await;
}
