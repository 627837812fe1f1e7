//! The hall board's motion on the headless platform, with the animation a real window has: a
//! new call flashes for the configured time and then rests on the plain highlight, the first
//! model shown (old calls at start) does not flash, a recall flashes again, and the notice line
//! scrolls. One test: Slint allows one platform per process.
use display::boards::hall::{Hall, HallSettings};
use display::boards::headless::Headless;
use display::boards::screens::{fixed_now, sample_model, sample_notices, vietnam};
use display::boards::HallAdapter;
use display::model::Call;
use slint::ComponentHandle;
use std::time::{Duration, Instant};

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn a_new_call_flashes_for_a_while_and_the_notice_scrolls() {
        let hl = Headless::install(1920, 1080).unwrap();
        let settings = HallSettings { size: Some((1280, 720)), snapshot: None, notices: sample_notices(), earlier: 4, flash: Duration::from_millis(1500), offset: vietnam() };
        let (hall, _window) = hl.create(1280, 720, || Hall::new(settings, true)).unwrap();
        let a = hall.ui.global::<HallAdapter>();
        hall.tick(fixed_now());
        let mut model = sample_model();
        hall.update(&model);
        assert!(!hall.flashing(), "the calls already made at start are not news");
        assert_eq!(a.get_clock(), "09:41");

        // A new call: it flashes, toggling, then stops on the plain highlight within the time set.
        model.calls.push_front(Call { ticket: 900, number: "B018".into(), counter: "2".into(), counter_number: 2, key: "event:121".into() });
        hall.update(&model);
        assert!(hall.flashing());
        assert_eq!(a.get_newest().number, "B018");
        let mut toggles = 0;
        let mut last = a.get_flash();
        let started = Instant::now();
        assert!(hl.pump_until(Duration::from_secs(5), || {
            if a.get_flash() != last {
                toggles += 1;
                last = a.get_flash();
            }
            !hall.flashing()
        }));
        assert!(started.elapsed() >= Duration::from_millis(1400), "flashed for the configured time");
        assert!(toggles >= 2, "{toggles} toggles");
        assert!(!a.get_flash(), "ends on the plain highlight");

        // The same model again changes nothing; a recall (a new call of the same ticket) flashes.
        hall.update(&model);
        assert!(!hall.flashing());
        model.calls.push_front(Call { ticket: 900, number: "B018".into(), counter: "2".into(), counter_number: 2, key: "event:125".into() });
        hall.update(&model);
        assert!(hall.flashing());

        // The notice line moves.
        let at = a.get_notice_scroll();
        assert!(hl.pump_until(Duration::from_secs(5), || a.get_notice_scroll() > at + 10.0));
    }
}
