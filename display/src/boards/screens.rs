//! The display's pictures, drawn by the real controllers on the headless platform at a fixed
//! time with a fixed model: what `display-screens DIR` writes into `images/`, and what the
//! golden test compares against those files.
use super::hall::{Hall, HallSettings};
use super::headless::{self, Headless};
use super::results::{Results, ResultsSettings};
use super::ResultsAdapter;
use crate::counter::{render, CounterView, Frame};
use crate::health::Health;
use crate::model::{Call, CounterState, Model, ServiceInfo};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use shared::dossier::{DossierSource, HttpSource, HttpSourceConfig};
use slint::{ComponentHandle, Model as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ScreensError {
    #[error("the boards cannot be drawn: {0}")]
    Platform(#[from] slint::PlatformError),
    #[error("the stand-in one-stop system: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Snapshot(#[from] headless::SnapshotError),
    #[error("the results board did not show {0} within 20 s")]
    Stuck(&'static str),
    #[error("the authority's client: {0}")]
    Client(#[from] shared::client::ClientError),
}

/// One picture: file name (in `images/`), size and RGB bytes.
pub struct Picture {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

/// Monday 23 November 2026, 09:41 in Hà Nội.
pub fn fixed_now() -> DateTime<Utc> {
    "2026-11-23T02:41:00Z".parse().expect("a valid instant")
}

pub fn fixed_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a valid date")
}

pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00")
}

/// A morning at a ward's one-stop desk: five services, six counters, the latest calls.
pub fn sample_model() -> Model {
    let mut m = Model {
        centre: "Bộ phận Một cửa — UBND phường Ba Đình".into(), online: true, last_event_id: 120, ..Model::default()
    };
    let services = [
        ("civil", "Hộ tịch", "A", 12),
        ("residence", "Cư trú", "B", 7),
        ("land", "Đất đai", "C", 4),
        ("business", "Hộ kinh doanh", "D", 2),
        ("social", "Chính sách xã hội", "E", 0),
    ];
    for (id, name, letter, waiting) in services {
        m.services.push(ServiceInfo { id: id.into(), name: name.into(), letter: letter.into() });
        m.waiting.insert(id.into(), waiting);
    }
    for n in 1..=6u32 {
        m.counters.insert(n.to_string(), CounterState { name: format!("Quầy {n}"), number: n, current: None, paused: false });
    }
    let calls = [("A1023", 3), ("B017", 1), ("C042", 5), ("A1022", 2), ("D008", 6), ("A1021", 4)];
    for (i, (number, counter)) in calls.iter().enumerate() {
        let ticket = 500 - i as u64;
        m.calls.push_back(Call {
            ticket,
            number: (*number).into(),
            counter: counter.to_string(),
            counter_number: *counter,
            key: format!("event:{}", 120 - i),
        });
        m.counters.get_mut(&counter.to_string()).expect("a counter of the model").current = Some((*number).into());
    }
    m
}

pub fn sample_notices() -> Vec<String> {
    vec![
        "Công dân vui lòng lấy số thứ tự và chờ đến lượt; người cao tuổi, người khuyết tật, phụ nữ mang thai được ưu tiên.".into(),
        "Tra cứu hồ sơ bằng mã trên giấy tiếp nhận tại màn hình kết quả.".into(),
        "Giờ làm việc: sáng 7:30–11:30, chiều 13:30–17:00, từ thứ Hai đến thứ Sáu.".into(),
    ]
}

fn hall_settings(width: u32, height: u32) -> HallSettings {
    HallSettings {
        size: Some((width, height)),
        snapshot: None,
        notices: sample_notices(),
        earlier: 4,
        flash: Duration::from_secs(6),
        offset: vietnam(),
    }
}

/// Every picture, in a fixed order. Installs the headless platform: once per process.
pub fn pictures() -> Result<Vec<Picture>, ScreensError> {
    let hl = Headless::install(1920, 1080)?;
    let mut out = Vec::new();
    let mut shoot = |name: &'static str, w: &slint::platform::software_renderer::MinimalSoftwareWindow| {
        let (width, height, rgb) = headless::render(w);
        out.push(Picture { name, width, height, rgb });
    };

    // The hall board, full HD and 720p, online and offline.
    for (name, w, h, online) in
        [("hall.png", 1920, 1080, true), ("hall-720p.png", 1280, 720, true), ("hall-offline.png", 1920, 1080, false)]
    {
        let (hall, window) = hl.create(w, h, || Hall::new(hall_settings(w, h), false))?;
        hall.tick(fixed_now());
        hall.update(&Model { online, ..sample_model() });
        hl.process();
        shoot(name, &window);
    }

    // The results board against the stand-in one-stop system, over real HTTP.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let url = format!("http://{}", listener.local_addr()?);
    let (router, _) = shared::dossier::demo::router(shared::dossier::sample::demo_set(fixed_today(), 300));
    rt.spawn(async move { axum::serve(listener, router).await });
    let source: Arc<dyn DossierSource> =
        Arc::new(HttpSource::new(&HttpSourceConfig { base_url: url, timeout: Duration::from_secs(5), token: None }));
    let settings = ResultsSettings {
        size: Some((1920, 1080)),
        snapshot: None,
        source,
        rows: 8,
        page: Duration::from_secs(3600),
        refresh: Duration::from_secs(3600),
        hold: Duration::from_secs(60),
        offset: vietnam(),
        clock: fixed_now,
        // The form is drawn, never sent from here: the authority's client has nowhere to go.
        evaluations: Some(Arc::new(super::evaluation::AuthorityEvaluations {
            client: shared::client::Client::builder("http://127.0.0.1:9").build()?,
            runtime: rt.handle().clone(),
        })),
    };
    let (results, window) = hl.create(1920, 1080, || Results::new(settings, "Bộ phận Một cửa — UBND phường Ba Đình", Health::none()))?;
    results.set_model(&sample_model());
    results.tick(fixed_now());
    let loaded = hl.pump_until(Duration::from_secs(20), || {
        let (_, _, _, rows) = results.showing();
        rows.len() == 8 && results.ui.global::<ResultsAdapter>().get_tabs().iter().all(|t| t.count != "…")
    });
    loaded.then_some(()).ok_or(ScreensError::Stuck("the first page"))?;
    shoot("results.png", &window);
    let a = results.ui.global::<ResultsAdapter>();
    a.invoke_open_lookup();
    for c in "000.00.06.H56-231027-0361".chars() {
        a.invoke_key(c.to_string().into());
    }
    a.invoke_look_up();
    let found = hl.pump_until(Duration::from_secs(20), || a.get_stage() == super::LookupStage::Found);
    found.then_some(()).ok_or(ScreensError::Stuck("the looked-up dossier"))?;
    shoot("results-lookup.png", &window);
    // The dossier is finished: its evaluation, a question, then the nine answers to look over.
    let e = results.ui.global::<super::EvaluationAdapter>();
    a.invoke_evaluate();
    hl.process();
    e.invoke_answer(0);
    hl.process();
    shoot("results-evaluation-question.png", &window);
    for answer in [0, 1, 0, 0, 0, 0, 1, 0] {
        e.invoke_answer(answer);
    }
    hl.process();
    shoot("results-evaluation-review.png", &window);
    drop(results);
    drop(rt);

    // A counter screen (embedded-graphics, no Slint), and the same with a keypad's answer.
    for (name, notice) in [("counter-3.png", None), ("counter-3-notice.png", Some("Không còn ai chờ"))] {
        let mut f = Frame::new(320, 240);
        let view = CounterView { title: "Quầy 3".into(), number: Some("A1023".into()), online: true, notice: notice.map(Into::into) };
        let Ok(()) = render(&mut f, &view);
        let rgb = f.pixels.iter().flat_map(|&c| {
            let c: embedded_graphics::pixelcolor::Rgb888 = c.into();
            use embedded_graphics::pixelcolor::RgbColor;
            [c.r(), c.g(), c.b()]
        });
        out.push(Picture { name, width: 320, height: 240, rgb: rgb.collect() });
    }
    Ok(out)
}

/// Writes every picture into `dir`; the paths written.
pub fn draw_all(dir: &Path) -> Result<Vec<PathBuf>, ScreensError> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for p in pictures()? {
        let path = dir.join(p.name);
        headless::write_png(&path, p.width, p.height, &p.rgb, headless::Compression::Fast)?;
        written.push(path);
    }
    Ok(written)
}
