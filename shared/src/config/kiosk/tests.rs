use crate::config::{Config, Contrast, Language, ScreenSize, TextSize};

fn base() -> String {
    crate::testing::centre("", &[("civil", "Hộ tịch", "A", ""), ("residence", "Cư trú", "B", "")], &[&["civil", "residence"]], "")
}

/// The line of the first key of the table `refuse` adds (after a blank line and its header).
fn first_key() -> usize {
    base().lines().count() + 3
}

// argon2id of "246810" (the demo PIN), made by `kiosk hash-pin`.
const DEMO_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$CUgNkXmwvh1hWTlWKFFHEg$sMchlavjfzhfFKByH5PQh8myQRipVxn8XNb3o0JLoxg";

fn refuse(extra: &str) -> (Option<usize>, String) {
    let (line, kind) = Config::parse(&format!("{}{extra}", base())).expect_err("the config must be refused");
    (line, kind.to_string())
}

#[test]
fn the_table_may_be_left_out_and_then_holds_the_defaults() {
    let c = Config::parse(&base()).unwrap();
    assert_eq!((c.kiosk.idle_s, c.kiosk.max_tickets, c.kiosk.rate_window_s), (90, 6, 120));
    assert_eq!((c.kiosk.language, c.kiosk.text_size, c.kiosk.contrast), (Language::Vi, TextSize::Normal, Contrast::Normal));
    assert!(c.kiosk.admin_pin_hash.is_none() && c.kiosk.dossier.is_none());
}

#[test]
fn a_full_table_is_read() {
    let c = Config::parse(&format!(
        "{}\n[kiosk]\nidle_s = 60\nmax_tickets = 4\nrate_window_s = 300\nlanguage = \"en\"\ntext_size = \"large\"\n\
         contrast = \"high\"\nadmin_pin_hash = \"{DEMO_HASH}\"\nscreen = \"1080x1920\"\n\
         [kiosk.dossier]\nbase_url = \"https://motcua.example.gov.vn/api\"\ntoken = \"abc\"\ntimeout_s = 5\n\
         [[kiosk.handles]]\nservice = \"civil\"\nfields = [\"203\"]\nprocedures = [\"1.001193\"]\n\
         [[kiosk.handles]]\nservice = \"residence\"\nprocedures = [\"1.004194\"]\n",
        base()
    ))
    .unwrap_or_else(|(l, e)| panic!("{l:?}: {e}"));
    let k = &c.kiosk;
    assert_eq!((k.idle_s, k.max_tickets, k.rate_window_s, k.language, k.text_size), (60, 4, 300, Language::En, TextSize::Large));
    assert_eq!(k.contrast, Contrast::High);
    assert_eq!(k.screen, Some(ScreenSize { width: 1080, height: 1920 }));
    let d = k.dossier.as_ref().unwrap();
    assert_eq!((d.timeout_s, d.cache_s, d.token.as_deref()), (5, 120, Some("abc")));
    assert_eq!(k.service_for("1.004194", &["203"]), Some("residence"), "a code wins over a field");
    assert_eq!(k.service_for("1.000001", &["203"]), Some("civil"));
    assert_eq!(k.service_for("1.000001", &["999"]), None);
}

#[test]
fn bad_values_are_refused_with_their_line_and_reason() {
    // Each proves one rule; the line points at the offending key.
    let (line, msg) = refuse("\n[kiosk]\nidle_s = 5\n");
    assert_eq!(line, Some(first_key()), "{msg}");
    assert!(msg.contains("kiosk.idle_s") && msg.contains("15 to 3600"), "{msg}");
    let (_, msg) = refuse("\n[kiosk]\nmax_tickets = 0\n");
    assert!(msg.contains("kiosk.max_tickets"), "{msg}");
    let (_, msg) = refuse("\n[kiosk]\nlanguage = \"fr\"\n");
    assert!(msg.contains("fr"), "an unknown language is refused: {msg}");
    let (line, msg) = refuse("\n[kiosk]\nscreen = \"full\"\n");
    assert!(msg.contains("WIDTHxHEIGHT") && line == Some(first_key()), "{msg}");
    let (_, msg) = refuse("\n[kiosk]\nidel_s = 60\n");
    assert!(msg.contains("idel_s"), "a misspelt key is refused, not ignored: {msg}");
    let (_, msg) = refuse("\n[kiosk.dossier]\nbase_url = \"ftp://x\"\n");
    assert!(msg.contains("kiosk.dossier.base_url"), "{msg}");
    let (_, msg) = refuse("\n[kiosk.dossier]\nbase_url = \"https://x.vn\"\ntimeout_s = 0\n");
    assert!(msg.contains("kiosk.dossier.timeout_s"), "{msg}");
}

#[test]
fn a_pin_that_is_not_an_argon2_hash_is_refused() {
    // A PIN written in clear (or a hash of another kind) must never be accepted.
    let (line, msg) = refuse("\n[kiosk]\nadmin_pin_hash = \"246810\"\n");
    assert_eq!(line, Some(first_key()), "{msg}");
    assert!(msg.contains("kiosk hash-pin"), "{msg}");
    let (_, msg) = refuse("\n[kiosk]\nadmin_pin_hash = \"$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g\"\n");
    assert!(msg.contains("not argon2"), "{msg}");
    let (_, msg) = refuse(
        "\n[kiosk]\nadmin_pin_hash = \"$argon2id$v=19$m=1,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$7Ck0gqSp7Fh7NkMSb9LuNV9B+xGDoWCGi7r5K6mqAdk\"\n",
    );
    assert!(msg.contains("parameters"), "{msg}");
}

#[test]
fn procedure_routes_are_checked() {
    let (line, msg) = refuse("\n[[kiosk.handles]]\nservice = \"tax\"\nfields = [\"1\"]\n");
    assert!(msg.contains("no [[services]] has id \"tax\"") && line == Some(first_key()), "{msg}");
    let (_, msg) = refuse("\n[[kiosk.handles]]\nservice = \"civil\"\n");
    assert!(msg.contains("name the fields or the procedures"), "{msg}");
    let (line, msg) = refuse("\n[[kiosk.handles]]\nservice = \"civil\"\nprocedures = [\"1.001193\", \"2.12\"]\n");
    assert!(msg.contains("procedures[1]") && msg.contains("not a procedure code") && line == Some(first_key() + 1), "{msg}");
    let (_, msg) = refuse(
        "\n[[kiosk.handles]]\nservice = \"civil\"\nfields = [\"203\"]\n[[kiosk.handles]]\nservice = \"residence\"\nfields = [\"203\"]\n",
    );
    assert!(msg.contains("already taken by service \"civil\""), "{msg}");
}

/// Proves the ID card's offer: 75 and the "elderly" class by default (none when the centre
/// has no such class), a class of the centre's when named, and a class it lacks refused.
#[test]
fn the_id_cards_offer_is_read_and_checked() {
    let c = Config::parse(&base()).unwrap();
    assert_eq!((c.kiosk.id_card.priority_age, c.kiosk.id_card.class(&c)), (75, None), "no elderly class: greeting only");
    let elderly = "\n[[priority]]\nid = \"elderly\"\nname = \"Người cao tuổi\"\n[[priority]]\nid = \"merit\"\nname = \"Người có công\"\n";
    let c = Config::parse(&format!("{}{elderly}", base())).unwrap();
    assert_eq!(c.kiosk.id_card.class(&c).as_deref(), Some("elderly"));
    let c = Config::parse(&format!("{}{elderly}[kiosk.id_card]\npriority_age = 80\npriority = \"merit\"\n", base())).unwrap();
    assert_eq!((c.kiosk.id_card.priority_age, c.kiosk.id_card.class(&c).as_deref()), (80, Some("merit")));
    let (_, msg) = refuse("\n[kiosk.id_card]\npriority = \"old\"\n");
    assert!(msg.contains("kiosk.id_card.priority") && msg.contains("no [[priority]] has id \"old\""), "{msg}");
    let (_, msg) = refuse("\n[kiosk.id_card]\npriority_age = 0\n");
    assert!(msg.contains("kiosk.id_card.priority_age"), "{msg}");
    let (_, msg) = refuse("\n[kiosk.id_card]\nage = 70\n");
    assert!(msg.contains("age"), "a misspelt key is refused: {msg}");
}

/// Proves the voice's defaults, a full table, and values out of range refused.
#[test]
fn the_voice_is_read_and_checked() {
    let c = Config::parse(&base()).unwrap();
    assert_eq!((c.kiosk.voice.enabled, c.kiosk.voice.pcm.as_str(), c.kiosk.voice.volume, c.kiosk.voice.speed), (true, "default", 100, 140));
    let c =
        Config::parse(&format!("{}\n[kiosk.voice]\nenabled = false\npcm = \"plughw:1,0\"\nvolume = 160\nspeed = 120\n", base())).unwrap();
    assert_eq!(
        (c.kiosk.voice.enabled, c.kiosk.voice.pcm.as_str(), c.kiosk.voice.volume, c.kiosk.voice.speed),
        (false, "plughw:1,0", 160, 120)
    );
    for (bad, key) in [("volume = 201", "volume"), ("speed = 20", "speed"), ("pcm = \"a b\"", "pcm")] {
        let (_, msg) = refuse(&format!("\n[kiosk.voice]\n{bad}\n"));
        assert!(msg.contains(&format!("kiosk.voice.{key}")), "{msg}");
    }
}

/// A kiosk joining an authority elsewhere needs no services of its own, but a token; plain
/// HTTP to another machine is refused (the token would cross the LAN in clear); a CA or
/// token without an authority is a mistake, said so.
#[test]
fn joining_an_authority_elsewhere() {
    let joined = "[kiosk]\nauthority = \"https://192.168.1.10:8443\"\nca = \"ca.pem\"\ntoken = \"kiosk-2-token-0123456789\"\n";
    let c = Config::parse(joined).unwrap();
    assert_eq!(c.kiosk.authority.as_deref(), Some("https://192.168.1.10:8443"));
    assert!(c.services.is_empty() && !c.has_printer, "a lookup screen with no services of its own");
    let with_printer = format!("{joined}[printer]\npaper = 58\n");
    assert!(Config::parse(&with_printer).unwrap().has_printer);

    let (_, e) = Config::parse(&joined.replace("https://192.168.1.10", "http://192.168.1.10")).unwrap_err();
    assert!(e.to_string().contains("in clear"), "{e}");
    assert!(Config::parse(&joined.replace("https://192.168.1.10", "http://127.0.0.1")).is_ok(), "loopback may be plain");
    let (_, e) = Config::parse(&joined.replace("https://192.168.1.10:8443", "https://h:1/api?x")).unwrap_err();
    assert!(e.to_string().contains("host and port only"), "{e}");
    let (_, e) = Config::parse("[kiosk]\nauthority = \"https://h:1\"\n").unwrap_err();
    assert!(e.to_string().contains("needs [kiosk] token"), "{e}");
    let (_, msg) = refuse("\n[kiosk]\nca = \"ca.pem\"\n");
    assert!(msg.contains("set [kiosk] authority too"), "{msg}");
    let (_, e) = Config::parse("[kiosk]\nidle_s = 60\n").unwrap_err();
    assert!(e.to_string().contains("at least one [[services]]"), "a kiosk of its own still needs services: {e}");
}
