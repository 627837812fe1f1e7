//! The Debian packages of `scripts/package.sh`, packed from the debug binaries these tests run
//! (`--bin-dir`: no release build in CI; `--fast`: zstd, not xz's minute): what each package holds, its control data, conffiles
//! and maintainer scripts; its units through `systemd-analyze verify` (systemd need not run);
//! and the kiosk as installed, serving on the configuration the package ships.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use testkit::*;

const PACKAGES: [&str; 3] = ["motcua-kiosk", "motcua-display", "motcua-hub"];

/// The packages, packed once for this test binary into `target/<profile>/package-test/`, and
/// all three extracted into `root/` there, as installed.
struct Packed {
    debs: Vec<(String, PathBuf)>,
    root: PathBuf,
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{cmd:?} failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    text
}

fn packed() -> &'static Packed {
    static PACKED: OnceLock<Packed> = OnceLock::new();
    PACKED.get_or_init(|| {
        // `bin` refuses a missing or stale binary: the packages hold the code under test.
        let bins: Vec<PathBuf> = ["kiosk", "display", "hub"].iter().map(|b| bin(b)).collect();
        let dir = bins[0].parent().unwrap().join("package-test");
        let _ = std::fs::remove_dir_all(&dir);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/package.sh");
        run(Command::new("bash").arg(&script).arg("--bin-dir").arg(bins[0].parent().unwrap()).arg("--out").arg(&dir).arg("--fast"));
        let arch = run(Command::new("dpkg").arg("--print-architecture")).trim().to_owned();
        let root = dir.join("root");
        let debs: Vec<(String, PathBuf)> = PACKAGES
            .iter()
            .map(|p| {
                let deb = dir.join(format!("{p}_{}_{arch}.deb", env!("CARGO_PKG_VERSION")));
                assert!(deb.exists(), "{} was not made", deb.display());
                run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&root));
                (p.to_string(), deb)
            })
            .collect();
        Packed { debs, root }
    })
}

fn deb(name: &str) -> &'static Path {
    &packed().debs.iter().find(|(n, _)| n == name).expect("a package of that name").1
}

fn info(deb: &Path, part: &str) -> String {
    run(Command::new("dpkg-deb").arg("-I").arg(deb).arg(part))
}

// Fails if a package misses its binary, a unit, its configuration or data, if a file under
// /etc is not a conffile (an upgrade would overwrite a centre's settings), if the maintainer
// scripts do not create the motcua user with its device groups, or if a binary is not stripped.
#[test]
fn each_package_holds_its_binary_units_conffiles_and_maintainer_scripts() {
    let expect: [(&str, &[&str], &[&str], &str); 3] = [
        (
            "motcua-kiosk",
            &[
                "./usr/bin/kiosk",
                "./lib/systemd/system/motcua-kiosk.service",
                "./lib/systemd/system/motcua-authority.service",
                "./lib/systemd/system/motcua-backup.service",
                "./lib/systemd/system/motcua-backup.timer",
                "./usr/lib/motcua/motcua-backup",
                "./usr/share/motcua/catalogue/procedures.jsonl",
            ],
            &["/etc/X11/xorg.conf.d/10-motcua-kiosk.conf", "/etc/motcua/backup.env", "/etc/motcua/kiosk.toml"],
            "lp dialout video input audio",
        ),
        (
            "motcua-display",
            &[
                "./usr/bin/display",
                "./lib/systemd/system/motcua-display.service",
                "./lib/systemd/system/motcua-display-headless.service",
                "./usr/share/motcua/voice/vi/chime.wav",
            ],
            &["/etc/X11/xorg.conf.d/10-motcua-display.conf", "/etc/motcua/display.toml"],
            "audio video input dialout gpio",
        ),
        ("motcua-hub", &["./usr/bin/hub", "./lib/systemd/system/motcua-hub.service"], &["/etc/motcua/hub.toml"], ""),
    ];
    let arch = run(Command::new("dpkg").arg("--print-architecture")).trim().to_owned();
    for (name, files, conffiles, groups) in expect {
        let deb = deb(name);
        let listing = run(Command::new("dpkg-deb").arg("-c").arg(deb));
        let paths: Vec<&str> = listing.lines().filter_map(|l| l.split_whitespace().nth(5)).collect();
        for f in files {
            assert!(paths.contains(f), "{name} lacks {f}:\n{listing}");
        }
        let mut etc: Vec<String> =
            paths.iter().filter(|p| p.starts_with("./etc/") && !p.ends_with('/')).map(|p| p[1..].to_owned()).collect();
        etc.sort();
        let listed: Vec<String> = info(deb, "conffiles").lines().map(str::to_owned).collect();
        assert_eq!(etc, conffiles, "{name}: its files under /etc");
        assert_eq!(listed, conffiles, "{name}: every file under /etc is a conffile");
        let control = info(deb, "control");
        for field in [format!("Package: {name}"), format!("Architecture: {arch}"), format!("Version: {}", env!("CARGO_PKG_VERSION"))] {
            assert!(control.lines().any(|l| l == field), "{name}: {field}\n{control}");
        }
        let depends = control.lines().find(|l| l.starts_with("Depends: ")).unwrap_or_default();
        assert!(depends.contains("adduser") && depends.contains("libc6"), "{name}: {depends}");
        let postinst = info(deb, "postinst");
        assert!(postinst.contains("adduser --system --group --home /var/lib/motcua"), "{name}: the motcua user\n{postinst}");
        assert!(postinst.contains(&format!("for g in {groups}; do")), "{name}: its device groups\n{postinst}");
        assert!(!postinst.contains('@') && !info(deb, "prerm").contains('@'), "{name}: a placeholder left in a script");
    }
    for b in ["kiosk", "display", "hub"] {
        let exe = packed().root.join("usr/bin").join(b);
        let sections = run(Command::new("readelf").arg("-S").arg("--wide").arg(&exe));
        assert!(!sections.contains(" .symtab "), "/usr/bin/{b} is not stripped");
        let help = run(Command::new(&exe).arg("--help"));
        assert!(help.contains("Usage:"), "the stripped {b} runs: {help}");
    }
}

// Fails if a unit has a key systemd does not know, a value it cannot parse, a missing
// ExecStart binary or an unknown dependency (what `systemd-analyze verify` reports), or if the
// kiosk's units wait for the network, lose their watchdog or write outside the state folder.
#[test]
fn the_units_pass_systemd_analyze_verify_and_keep_their_promises() {
    let root = &packed().root;
    // verify --root resolves every unit and ExecStart inside the root: the system's own units
    // (sysinit.target…) are copied in, and xinit (Debian's, not ours) stands in as a stub.
    let system = root.join("usr/lib/systemd/system");
    if !system.exists() {
        std::fs::create_dir_all(system.parent().unwrap()).unwrap();
        run(Command::new("cp").arg("-a").arg("/lib/systemd/system").arg(&system));
    }
    let xinit = root.join("usr/bin/xinit");
    std::fs::copy("/bin/true", &xinit).unwrap();
    let units: Vec<PathBuf> = std::fs::read_dir(root.join("lib/systemd/system")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(units.len(), 7, "{units:?}");
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(format!("--root={}", root.display()))
        .args(&units)
        .output()
        .expect("systemd-analyze (apt-get install systemd)");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.trim().is_empty(), "systemd-analyze verify:\n{said}");

    let unit = |name: &str| std::fs::read_to_string(root.join("lib/systemd/system").join(name)).unwrap();
    for name in ["motcua-kiosk.service", "motcua-authority.service", "motcua-display.service", "motcua-display-headless.service"] {
        let text = unit(name);
        let keys: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(!keys.iter().any(|l| l.contains("network-online.target")), "{name} must not wait for the network");
        for key in ["Type=notify", "WatchdogSec=30", "ProtectSystem=strict", "PrivateTmp=yes", "User=motcua"] {
            assert!(keys.contains(&key), "{name}: {key}");
        }
        assert!(!keys.iter().any(|l| l.starts_with("ReadWritePaths=")), "{name}: only its StateDirectory= is writable");
        assert!(keys.iter().any(|l| l.starts_with("StateDirectory=motcua")), "{name}: /var/lib/motcua");
    }
    for name in ["motcua-kiosk.service", "motcua-display.service"] {
        assert!(unit(name).lines().any(|l| l == "NotifyAccess=all"), "{name}: the client of xinit must be heard");
    }
    assert!(unit("motcua-backup.timer").contains("Persistent=true"));
}

// Fails if the configuration the kiosk package ships does not load (a path the package left
// relative, a rewrite that broke the TOML), if the stripped binary cannot serve on it, or if
// the daily backup (motcua-backup.service's script, with backup.env's token) does not leave
// a whole copy and keep only the newest MOTCUA_BACKUP_KEEP.
#[test]
fn the_installed_kiosk_serves_on_the_configuration_it_ships_and_backs_up() {
    let root = &packed().root;
    let tmp = tempfile::tempdir().unwrap();
    let config = root.join("etc/motcua/kiosk.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("path = \"/var/lib/motcua/queue.db\""), "the store in the state folder");
    assert!(text.contains("synonyms = \"/var/lib/motcua/synonyms.tsv\""), "the centre's search words where the console can save them");
    // The catalogue the console and the province replace: in the state folder (the units may
    // write nowhere else), seeded at installation from the one shipped, never over one in use.
    assert!(text.contains("procedures = \"/var/lib/motcua/catalogue/procedures.jsonl\""), "a catalogue the services can replace");
    let (_, deb) = packed().debs.iter().find(|(n, _)| n == "motcua-kiosk").unwrap();
    let postinst = info(deb, "postinst");
    assert!(
        postinst.contains("[ ! -e /var/lib/motcua/catalogue/procedures.jsonl ]")
            && postinst.contains("install -o motcua -g motcua -m 0640 \"$seed\" /var/lib/motcua/catalogue/procedures.jsonl"),
        "the shipped catalogue seeds the state folder's once\n{postinst}"
    );
    run(Command::new("sh").arg("-n").arg("-c").arg(&postinst));
    let served = launch_exe(&root.join("usr/bin/kiosk"))
        .args(&["serve", "--config", config.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .args(&["--db", tmp.path().join("queue.db").to_str().unwrap()])
        .listening();
    let health = reqwest::blocking::get(format!("{}/healthz", served.url)).unwrap();
    assert_eq!(health.status(), 200);

    let env = std::fs::read_to_string(root.join("etc/motcua/backup.env")).unwrap();
    let token = env.lines().find_map(|l| l.strip_prefix("KIOSK_TOKEN=")).expect("backup.env names a token");
    let backups = tmp.path().join("backups");
    let old = backups.join("queue-2000-01-01.db");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(&old, b"an old copy").unwrap();
    run(Command::new(root.join("usr/lib/motcua/motcua-backup"))
        .arg(&backups)
        .env("MOTCUA_KIOSK", root.join("usr/bin/kiosk"))
        .env("KIOSK_URL", &served.url)
        .env("KIOSK_TOKEN", token)
        .env("MOTCUA_BACKUP_KEEP", "1"));
    let kept: Vec<PathBuf> = std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(kept.len(), 1, "only the newest copy is kept: {kept:?}");
    assert_ne!(kept[0], old, "the new copy is the one kept");
    let head = std::fs::read(&kept[0]).unwrap();
    assert!(head.starts_with(b"SQLite format 3\0"), "a whole SQLite file");
    assert!(served.terminate().success());
}
