//! Spoken guidance on the real UI (headless, real fonts), through the real espeak-ng and aplay
//! into ALSA's `file` plugin (`ALSA_CONFIG_PATH` routes the `default` PCM to a WAV file): the
//! "listen" button reads the home screen's words, and the WAV ALSA receives is those sentences as
//! espeak-ng says them, in order, sample for sample. A second press stops it, a third replays
//! it; leaving the screen silences it; the ticket screen reads the number as words. One UI test
//! per file: Slint allows one platform per process.

use crate::touch;
use kiosk::speech::{reading, Lang};
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{GuideAdapter, HomeAdapter, Nav, Screen, TicketAdapter, TicketStage};
use slint::ComponentHandle;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

/// The samples of the WAV the file plugin wrote.
fn played(path: &std::path::Path) -> Vec<i16> {
    let wav = kiosk::speech::parse(&std::fs::read(path).expect("ALSA wrote the file")).expect("a WAV");
    assert_eq!(wav.rate, 22_050, "played at espeak-ng's own rate");
    wav.samples
}

rusty_fork_test! {
    #[test]
    fn the_listen_button_reads_the_screen_aloud_and_stops_when_asked() {
        let tmp = tempfile::tempdir().unwrap();
        let sink = testkit::alsa::file_sink(tmp.path());
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let config = testkit::config::kiosk_ui(&tmp.path().join("printer")).config();
        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings::from_config(&config);
        let voice = settings.voice.clone().expect("the voice is on by default");
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let guide = kiosk.app.global::<GuideAdapter>();
        assert!(guide.get_available(), "espeak-ng and aplay are installed (scripts/setup.sh)");

        // What the home screen says, in its own words.
        let said = kiosk::ui::guide::sentences(&kiosk.app);
        assert_eq!(said, [
            "Xin chào. Ông/bà cần làm gì hôm nay?",
            "Chạm vào một trong các nút lớn bên dưới",
            "Lấy số thứ tự: Nhận phiếu chờ đến lượt tại quầy.",
            "Tra cứu thủ tục: Giấy tờ cần mang, lệ phí, thời hạn.",
            "Tra cứu hồ sơ: Tình trạng hồ sơ đã nộp.",
            "Muốn nghe lại, xin bấm nút Nghe hướng dẫn. Cần giúp đỡ, xin bấm nút gọi nhân viên bên cạnh.",
        ]);

        // Listen: the indicator while it speaks, and the WAV ALSA received is the sentences as
        // espeak-ng says them, in order.
        display.render();
        touch::tap(&display, &kiosk, "Nghe hướng dẫn");
        assert!(guide.get_speaking(), "the button says it is speaking");
        display.render();
        touch::find(&kiosk, "Dừng đọc", i_slint_backend_testing::AccessibleRole::Button);
        assert!(display.pump_until(WAIT, || !guide.get_speaking()), "still speaking after {WAIT:?}");
        let expected = reading(&said.iter().map(|s| (s.to_string(), Lang::Vi)).collect::<Vec<_>>(), &voice).unwrap();
        let heard = played(&sink);
        assert!(expected.samples.len() > 22_050 * 5, "several seconds of speech: {}", expected.samples.len());
        // ALSA plays whole periods: the last one is filled up with silence (under 0.1 s).
        let n = expected.samples.len();
        assert!(heard.len() >= n && heard.len() - n < 2_205, "the whole reading, no more: {} samples for {n}", heard.len());
        assert!(heard[..n] == expected.samples[..], "the sentences, in order, sample for sample");
        assert!(heard[n..].iter().all(|s| *s == 0), "then silence");

        // Stop: a second press ends it at once; a third reads it again from the start.
        std::fs::remove_file(&sink).unwrap();
        touch::tap(&display, &kiosk, "Nghe hướng dẫn");
        touch::tap(&display, &kiosk, "Dừng đọc");
        assert!(!guide.get_speaking(), "stopped");
        touch::tap(&display, &kiosk, "Nghe hướng dẫn");
        assert!(display.pump_until(WAIT, || !guide.get_speaking()));
        assert!(played(&sink)[..n] == expected.samples[..], "replayed whole, from the start");

        // Leaving the screen silences it.
        touch::tap(&display, &kiosk, "Nghe hướng dẫn");
        kiosk.app.global::<HomeAdapter>().invoke_take_number();
        display.process();
        assert!(!guide.get_speaking(), "a reading of the screen left behind goes on");

        // The ticket screen reads the number as words, then what to do.
        let ticket = kiosk.app.global::<TicketAdapter>();
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Services));
        let services = kiosk::ui::guide::sentences(&kiosk.app);
        assert!(services.iter().any(|s| s == "Đất đai: 0 người đang chờ."), "{services:?}");
        ticket.invoke_choose_service("land".into());
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Ticket));
        let said = kiosk::ui::guide::sentences(&kiosk.app);
        assert_eq!(said[0], "Số thứ tự của ông/bà: bê một.", "{said:?}");
        assert!(said.contains(&"Mời nhận phiếu ở khe bên dưới màn hình".to_owned()), "{said:?}");
        assert_eq!(kiosk.app.global::<Nav>().get_screen(), Screen::Ticket);
    }
}
