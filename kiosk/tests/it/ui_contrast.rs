//! High contrast on the real UI (headless, real fonts): a kiosk set to start in it
//! (`[kiosk] contrast = "high"`) draws light on black and comes back to it after idling; the
//! citizen's button on the home screen switches the whole screen and back; every pair of text and
//! its ground that the screens draw measures at least WCAG AAA's 7:1 in the normal colours and
//! 9:1 in high contrast; and a choice in force is marked by a bar, not by its colour alone. One
//! UI test per file: Slint allows one platform per process.

use crate::touch::{find, tap};
use i_slint_backend_testing::AccessibleRole;
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{HomeAdapter, Kiosk, Nav, ProceduresAdapter, Screen, Theme};
use slint::{Color, ComponentHandle};
use std::time::Duration;

const IDLE: Duration = Duration::from_millis(1500);

/// WCAG 2's relative luminance of an sRGB colour.
fn luminance(c: Color) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())
}

fn ratio(a: Color, b: Color) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The pairs of text colour and ground the screens draw in the scheme now in force.
fn pairs(theme: &Theme<'_>) -> Vec<(&'static str, Color, Color)> {
    let t = theme;
    let mut p = vec![
        ("ink on page", t.get_ink(), t.get_page()),
        ("muted on page", t.get_muted(), t.get_page()),
        ("band text", t.get_on_band(), t.get_band()),
        ("secondary button", t.get_on_secondary(), t.get_secondary()),
        ("greyed button", t.get_on_disabled(), t.get_disabled()),
        ("primary button", t.get_on_primary(), t.get_primary()),
        ("problem notice", t.get_warn(), t.get_warn_bg()),
        ("good notice", t.get_ok(), t.get_ok_bg()),
    ];
    if t.get_high_contrast() {
        // Buttons are black there, their labels in the colour of what they are.
        p.extend([
            ("primary label on black", t.get_primary(), t.get_page()),
            ("danger label on black", t.get_warn(), t.get_page()),
            ("greyed label on black", t.get_on_disabled(), t.get_page()),
        ]);
    } else {
        p.push(("danger button", t.get_on_primary(), t.get_warn()));
    }
    p
}

fn every_pair_at_least(theme: &Theme<'_>, least: f64) {
    for (what, fg, bg) in pairs(theme) {
        let r = ratio(fg, bg);
        assert!(r >= least, "high contrast {}: {what} is {r:.2}:1, under {least}:1", theme.get_high_contrast());
    }
}

/// The share of the frame's pixels that are near black.
fn dark_share(display: &Headless) -> f64 {
    let (_, _, rgb) = display.render();
    let dark = rgb.chunks_exact(3).filter(|p| p.iter().all(|&v| v < 40)).count();
    dark as f64 / (rgb.len() / 3) as f64
}

/// Whether the button labelled `label` says it is the choice in force (the bar under its label).
fn chosen(kiosk: &Kiosk, label: &str) -> bool {
    find(kiosk, label, AccessibleRole::Button).accessible_checked().unwrap_or(false)
}

rusty_fork_test! {
    #[test]
    fn high_contrast_is_light_on_black_switches_back_and_every_text_stands_out() {
        let tmp = tempfile::tempdir().unwrap();
        let config = testkit::config::kiosk_ui(&tmp.path().join("printer")).catalogue(&testkit::config::demo_catalogue()).config();
        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings { idle: IDLE, high_contrast: true, ..UiSettings::from_config(&config) };
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let printer = kiosk::printing::open(&config);
        // No authority answers there: the colours do not depend on it.
        let kiosk = kiosk::ui::build(&config, "http://127.0.0.1:9", printer, runtime.handle().clone(), &settings).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let theme = kiosk.app.global::<Theme>();

        assert!(theme.get_high_contrast(), "the kiosk's default colours are not applied at start");
        let dark = dark_share(&display);
        assert!(dark > 0.6, "high contrast, yet only {:.0}% of the home screen is black", dark * 100.0);
        every_pair_at_least(&theme, 9.0);

        // The button names the other scheme: here, the normal colours.
        tap(&display, &kiosk, "Màu thường");
        assert!(!theme.get_high_contrast(), "the home screen's button did not switch the colours");
        let dark = dark_share(&display);
        assert!(dark < 0.3, "normal colours, yet {:.0}% of the home screen is black", dark * 100.0);
        every_pair_at_least(&theme, 7.0);
        tap(&display, &kiosk, "Tương phản cao");
        assert!(theme.get_high_contrast(), "the button did not switch high contrast back on");

        // The keyboard method in force is marked (a bar under its label), in either scheme.
        kiosk.app.global::<HomeAdapter>().invoke_procedures();
        display.render();
        assert!(chosen(&kiosk, "Telex") && !chosen(&kiosk, "VNI"), "Telex, the method in force, is not the one marked");
        kiosk.app.global::<ProceduresAdapter>().invoke_set_vni(true);
        display.render();
        assert!(chosen(&kiosk, "VNI") && !chosen(&kiosk, "Telex"), "VNI, the method in force, is not the one marked");

        // Normal colours chosen for this visit; the next visit starts in the kiosk's default.
        theme.set_high_contrast(false);
        kiosk.app.global::<Nav>().invoke_activity();
        let home = display.pump_until(IDLE * 4, || kiosk.app.global::<Nav>().get_screen() == Screen::Home);
        assert!(home, "still not home after idling");
        assert!(theme.get_high_contrast(), "the next visit did not start in the kiosk's default, high contrast");
        drop(kiosk);
    }
}
