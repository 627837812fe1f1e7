//! The hall board's controller: what it shows ([`HallView`], pure, from the display model)
//! and how it moves (the newest call flashing for a few seconds, the clock, the notice line
//! scrolling). It fills `HallAdapter` on the UI thread.
use super::{HallAdapter, HallBoard, HallCall, HallService};
use crate::model::Model;
use chrono::{DateTime, Datelike, FixedOffset, Utc, Weekday};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

/// The hall board's settings (from its `[[outputs]]` entry).
#[derive(Debug, Clone)]
pub struct HallSettings {
    /// The window's size (placed at 0,0); `None`: the X screen's, and 1920x1080 headless.
    pub size: Option<(u32, u32)>,
    pub snapshot: Option<PathBuf>,
    pub notices: Vec<String>,
    pub earlier: usize,
    pub flash: Duration,
    pub offset: FixedOffset,
}

/// One line of the calls: the ticket number and where to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLine {
    pub number: String,
    pub counter: String,
    /// The call's key (event id), to tell a new call from the same one shown again.
    pub key: String,
}

/// What the hall board shows, apart from the clock and the motion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HallView {
    pub centre: String,
    pub newest: Option<CallLine>,
    pub earlier: Vec<CallLine>,
    /// (name, letter, waiting), in the authority's order.
    pub services: Vec<(String, String, u32)>,
    pub online: bool,
}

impl HallView {
    /// The view of `model` with at most `earlier` calls under the newest. A ticket recalled
    /// is listed once, at its latest call.
    pub fn of(model: &Model, earlier: usize) -> HallView {
        let mut seen = std::collections::HashSet::new();
        let mut lines = model.calls.iter().filter(|c| seen.insert((c.ticket, c.number.clone()))).map(|c| CallLine {
            number: c.number.clone(),
            counter: model.counters.get(&c.counter).map(|s| s.name.clone()).unwrap_or_else(|| format!("Quầy {}", c.counter_number)),
            key: c.key.clone(),
        });
        let newest = lines.next();
        HallView {
            centre: model.centre.clone(),
            newest,
            earlier: lines.take(earlier).collect(),
            services: model
                .services
                .iter()
                .map(|s| (s.name.clone(), s.letter.clone(), model.waiting.get(&s.id).copied().unwrap_or(0)))
                .collect(),
            online: model.online,
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];

/// "Thứ Hai, 23/11/2026" and "09:41" at `now` in the hall's time.
pub fn date_and_clock(now: DateTime<Utc>, offset: FixedOffset) -> (String, String) {
    let local = now.with_timezone(&offset);
    let day = WEEKDAYS[local.weekday().num_days_from_monday() as usize];
    debug_assert_eq!(Weekday::Mon.num_days_from_monday(), 0);
    (format!("{day}, {}", local.format("%d/%m/%Y")), local.format("%H:%M").to_string())
}

/// The notice line: every message, one after the other.
pub fn notice_line(notices: &[String]) -> String {
    notices.iter().map(|n| n.trim()).collect::<Vec<_>>().join("          •          ")
}

fn call(c: &CallLine) -> HallCall {
    HallCall { number: c.number.as_str().into(), counter: c.counter.as_str().into() }
}

/// Scrolling speed of the notice line, in units (pixels of a full-HD panel) per second.
const SCROLL_PER_S: f32 = 120.0;
const SCROLL_TICK: Duration = Duration::from_millis(40);
const FLASH_TICK: Duration = Duration::from_millis(500);

/// A hall board on the UI thread.
pub struct Hall {
    pub ui: HallBoard,
    pub settings: HallSettings,
    view: RefCell<Option<HallView>>,
    /// What the board shows changed since the last snapshot (not the motion).
    dirty: Cell<bool>,
    flashes_left: Cell<u32>,
    flash_timer: slint::Timer,
    scroll_timer: slint::Timer,
    clock: RefCell<(String, String)>,
    /// A real window: the notice scrolls and a new call flashes. Headless snapshots stay still.
    animate: bool,
}

impl Hall {
    /// Creates the board. `animate`: scroll the notice line and flash new calls (a real
    /// window; headless snapshots stay still, so that they are reproducible).
    pub fn new(settings: HallSettings, animate: bool) -> Result<Rc<Hall>, slint::PlatformError> {
        let ui = HallBoard::new()?;
        let a = ui.global::<HallAdapter>();
        a.set_notice(notice_line(&settings.notices).into());
        a.set_online(false);
        let hall = Rc::new(Hall {
            ui,
            settings,
            view: RefCell::new(None),
            dirty: Cell::new(true),
            flashes_left: Cell::new(0),
            flash_timer: slint::Timer::default(),
            scroll_timer: slint::Timer::default(),
            clock: RefCell::default(),
            animate,
        });
        if animate && !hall.settings.notices.is_empty() {
            let weak = hall.ui.as_weak();
            let step = SCROLL_PER_S * SCROLL_TICK.as_secs_f32();
            hall.scroll_timer.start(slint::TimerMode::Repeated, SCROLL_TICK, move || {
                if let Some(ui) = weak.upgrade() {
                    let a = ui.global::<HallAdapter>();
                    // Wrapped well before f32 loses precision; the board takes it modulo its span.
                    a.set_notice_scroll((a.get_notice_scroll() + step) % 1.0e6);
                }
            });
        }
        Ok(hall)
    }

    pub fn view(&self) -> Option<HallView> {
        self.view.borrow().clone()
    }

    /// Shows `model`. A newest call not shown before flashes for the configured time (not at
    /// start: the calls then are old news).
    pub fn update(self: &Rc<Self>, model: &Model) {
        let view = HallView::of(model, self.settings.earlier);
        let old = self.view.borrow().clone();
        if old.as_ref() == Some(&view) {
            return;
        }
        let a = self.ui.global::<HallAdapter>();
        a.set_centre(view.centre.as_str().into());
        a.set_online(view.online);
        a.set_has_newest(view.newest.is_some());
        if let Some(n) = &view.newest {
            a.set_newest(call(n));
        }
        let earlier: Vec<HallCall> = view.earlier.iter().map(call).collect();
        a.set_earlier(ModelRc::new(VecModel::from(earlier)));
        let services: Vec<HallService> = view
            .services
            .iter()
            .map(|(name, letter, waiting)| HallService {
                name: name.as_str().into(),
                letter: letter.as_str().into(),
                waiting: (*waiting).min(i32::MAX as u32) as i32,
            })
            .collect();
        a.set_services(ModelRc::new(VecModel::from(services)));
        let old_key = old.as_ref().and_then(|o| o.newest.as_ref().map(|n| n.key.clone()));
        let new_key = view.newest.as_ref().map(|n| n.key.clone());
        if new_key != old_key {
            if let Some(n) = &view.newest {
                tracing::info!("hall board: newest call {} at {}", n.number, n.counter);
            }
            if self.animate && old.is_some() && new_key.is_some() {
                self.start_flash();
            }
        }
        *self.view.borrow_mut() = Some(view);
        self.dirty.set(true);
    }

    fn start_flash(self: &Rc<Self>) {
        let toggles = (self.settings.flash.as_millis() / FLASH_TICK.as_millis()) as u32;
        if toggles == 0 {
            return;
        }
        // An even count, so the flashing always ends on the plain highlight.
        self.flashes_left.set(toggles + toggles % 2);
        let me = Rc::downgrade(self);
        self.flash_timer.start(slint::TimerMode::Repeated, FLASH_TICK, move || {
            let Some(me) = me.upgrade() else { return };
            let a = me.ui.global::<HallAdapter>();
            let left = me.flashes_left.get().saturating_sub(1);
            me.flashes_left.set(left);
            a.set_flash(left % 2 == 1);
            if left == 0 {
                a.set_flash(false);
                me.flash_timer.stop();
            }
        });
        self.ui.global::<HallAdapter>().set_flash(true);
    }

    /// Whether the newest call is flashing now.
    pub fn flashing(&self) -> bool {
        self.flash_timer.running()
    }

    /// Sets the date and clock for `now`; a change of the minute is a change of the picture.
    pub fn tick(&self, now: DateTime<Utc>) {
        let dc = date_and_clock(now, self.settings.offset);
        if *self.clock.borrow() != dc {
            let a = self.ui.global::<HallAdapter>();
            a.set_date(SharedString::from(dc.0.as_str()));
            a.set_clock(SharedString::from(dc.1.as_str()));
            *self.clock.borrow_mut() = dc;
            self.dirty.set(true);
        }
    }

    /// Whether the picture changed since the last call (and clears it).
    pub fn take_dirty(&self) -> bool {
        self.dirty.replace(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Call, CounterState, ServiceInfo};

    fn model() -> Model {
        let mut m = Model { centre: "UBND phường Ba Đình".into(), online: true, ..Model::default() };
        m.services = vec![ServiceInfo { id: "civil".into(), name: "Hộ tịch".into(), letter: "A".into() }];
        m.waiting.insert("civil".into(), 7);
        m.counters.insert("1".into(), CounterState { name: "Quầy 1".into(), number: 1, current: None, paused: false });
        for (i, n) in ["A003", "A002", "A003", "A001"].iter().enumerate() {
            let t = n[1..].parse().unwrap();
            m.calls.push_back(Call {
                ticket: t,
                number: (*n).into(),
                counter: "1".into(),
                counter_number: 1,
                key: format!("event:{}", 10 - i),
            });
        }
        m
    }

    #[test]
    fn the_view_lists_each_ticket_once_newest_first() {
        // Proves a recalled ticket (A003 twice) shows once, at the top, and the waiting counts.
        let v = HallView::of(&model(), 4);
        assert_eq!(v.newest.as_ref().map(|c| c.number.as_str()), Some("A003"));
        let earlier: Vec<&str> = v.earlier.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(earlier, ["A002", "A001"]);
        assert_eq!(v.services, [("Hộ tịch".to_owned(), "A".to_owned(), 7)]);
        assert_eq!(v.newest.unwrap().counter, "Quầy 1");
        assert_eq!(HallView::of(&model(), 1).earlier.len(), 1);
    }

    #[test]
    fn date_and_clock_are_in_the_halls_time() {
        // Proves the offset is applied (01:05 UTC is 08:05 in Hà Nội) and the weekday's name.
        let now: DateTime<Utc> = "2026-11-23T01:05:00Z".parse().unwrap();
        let (date, clock) = date_and_clock(now, FixedOffset::east_opt(7 * 3600).unwrap());
        assert_eq!((date.as_str(), clock.as_str()), ("Thứ Hai, 23/11/2026", "08:05"));
        let sunday: DateTime<Utc> = "2026-11-28T18:00:00Z".parse().unwrap();
        assert!(date_and_clock(sunday, FixedOffset::east_opt(7 * 3600).unwrap()).0.starts_with("Chủ Nhật, 29/11"));
    }
}
