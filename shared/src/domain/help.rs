//! Kiosks' calls for help: a citizen presses "call staff", the counters' console shows it, a
//! staff member answers "on my way", and the kiosk says so.
//!
//! A call is an event like any other, so it survives a restart and the console learns of it
//! on the stream it already follows. The rules keep it a signal rather than a noise: pressing
//! again while a call is open changes nothing (the citizen is told it was heard), and a kiosk
//! may call at most once a minute, so a child drumming on the button does not ring the whole
//! hall.
use super::engine::Engine;
use super::DomainError;
use crate::event::{Event, EventBody};
use crate::wire::{HelpScreen, HelpView};
use chrono::{DateTime, Duration, Utc};

/// The least time between two calls of one kiosk.
pub const HELP_INTERVAL_S: u32 = 60;

/// How long an answered call stays in the views: the console shows who went, the kiosk shows
/// "coming" (the kiosk keeps it until its citizen leaves, whatever the view says).
const ANSWERED_SHOWN_MIN: i64 = 10;

/// One kiosk's last call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HelpCall {
    pub view: HelpView,
    /// Withdrawn calls are kept for the interval between calls.
    pub open: bool,
}

impl Engine {
    pub(crate) fn decide_ask_help(&self, device: &str, screen: HelpScreen, now: DateTime<Utc>) -> Result<Vec<EventBody>, DomainError> {
        if let Some(c) = self.helps.get(device) {
            if c.open && c.view.answered_by.is_none() {
                return Ok(vec![]);
            }
            let since = (now - c.view.asked_at).num_seconds().max(0) as u32;
            if since < HELP_INTERVAL_S {
                return Err(DomainError::HelpTooSoon { device: device.to_owned(), wait_s: HELP_INTERVAL_S - since });
            }
        }
        Ok(vec![EventBody::HelpAsked { device: device.to_owned(), screen }])
    }

    pub(crate) fn decide_answer_help(&self, device: &str, staff: &str, staff_name: Option<&String>) -> Result<Vec<EventBody>, DomainError> {
        match self.helps.get(device) {
            Some(c) if c.open && c.view.answered_by.is_none() => Ok(vec![EventBody::HelpAnswered {
                device: device.to_owned(),
                staff: Some(staff.to_owned()),
                staff_name: staff_name.cloned(),
            }]),
            // Someone else answered first: they are on their way, which is what was asked.
            Some(c) if c.open => Ok(vec![]),
            _ => Err(DomainError::NoHelpCall(device.to_owned())),
        }
    }

    pub(crate) fn decide_withdraw_help(&self, device: &str) -> Vec<EventBody> {
        match self.helps.get(device) {
            Some(c) if c.open => vec![EventBody::HelpWithdrawn { device: device.to_owned() }],
            _ => vec![],
        }
    }

    pub(crate) fn apply_help(&mut self, e: &Event) {
        match &e.body {
            EventBody::HelpAsked { device, screen } => {
                let view = HelpView { device: device.clone(), screen: *screen, asked_at: e.at, answered_by: None, answered_at: None };
                self.helps.insert(device.clone(), HelpCall { view, open: true });
            }
            EventBody::HelpAnswered { device, staff, staff_name } => {
                if let Some(c) = self.helps.get_mut(device) {
                    c.view.answered_by = staff_name.clone().or_else(|| staff.clone()).or_else(|| Some(String::new()));
                    c.view.answered_at = Some(e.at);
                }
            }
            EventBody::HelpWithdrawn { device } => {
                if let Some(c) = self.helps.get_mut(device) {
                    c.open = false;
                }
            }
            _ => {}
        }
    }

    /// The calls staff should see at `now`: open ones, and answered ones for a few minutes;
    /// oldest first.
    pub fn help_views(&self, now: DateTime<Utc>) -> Vec<HelpView> {
        let shown = |c: &&HelpCall| c.open && c.view.answered_at.is_none_or(|at| now - at <= Duration::minutes(ANSWERED_SHOWN_MIN));
        let mut v: Vec<HelpView> = self.helps.values().filter(shown).map(|c| c.view.clone()).collect();
        v.sort_by_key(|h| h.asked_at);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::super::engine::Command;
    use super::*;
    use crate::config::Config;
    use chrono::TimeZone;
    use std::sync::Arc;

    fn engine() -> Engine {
        let config: Config = crate::testing::config("", &[("civil", "Hộ tịch", "A", "")], &[&["civil"]]);
        Engine::new(Arc::new(config), 1)
    }

    fn at(s: i64) -> DateTime<Utc> {
        chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 12, 4, 9, 0, 0).unwrap().to_utc() + Duration::seconds(s)
    }

    fn ask(e: &mut Engine, device: &str, s: i64) -> Result<usize, DomainError> {
        e.execute(&Command::AskHelp { device: device.into(), screen: HelpScreen::Ticket }, at(s)).map(|o| count(&o.events))
    }

    fn answer(e: &mut Engine, device: &str, s: i64) -> Result<usize, DomainError> {
        let cmd = Command::AnswerHelp { device: device.into(), staff: "lan".into(), staff_name: Some("Nguyễn Thị Lan".into()) };
        e.execute(&cmd, at(s)).map(|o| count(&o.events))
    }

    fn withdraw(e: &mut Engine, device: &str, s: i64) -> usize {
        count(&e.execute(&Command::WithdrawHelp { device: device.into() }, at(s)).unwrap().events)
    }

    /// Help events only (the first command of a day also starts it).
    fn count(events: &[Event]) -> usize {
        events.iter().filter(|e| e.body.kind().starts_with("help_")).count()
    }

    /// Proves a call is shown to staff, answered once with the staff member's name, and that
    /// pressing again while it waits changes nothing.
    #[test]
    fn a_call_is_shown_answered_once_and_a_second_press_is_not_a_second_call() {
        let mut e = engine();
        assert_eq!(ask(&mut e, "kiosk-1", 0), Ok(1));
        assert_eq!(ask(&mut e, "kiosk-1", 5), Ok(0), "a second press while the call waits is the same call");
        let shown = e.help_views(at(6));
        assert_eq!(shown.len(), 1);
        assert_eq!((shown[0].device.as_str(), shown[0].screen, shown[0].asked_at), ("kiosk-1", HelpScreen::Ticket, at(0)));
        assert_eq!(answer(&mut e, "kiosk-1", 30), Ok(1));
        assert_eq!(answer(&mut e, "kiosk-1", 31), Ok(0), "a second staff member's answer changes nothing");
        let mine = e.help_views(at(30)).remove(0);
        assert_eq!((mine.answered_by.as_deref(), mine.answered_at), (Some("Nguyễn Thị Lan"), Some(at(30))));
        assert_eq!(e.help_views(at(30 + 600)).len(), 1, "an answer stays on the console for ten minutes");
        assert!(e.help_views(at(30 + 601)).is_empty(), "then it leaves the console");
        assert_eq!(answer(&mut e, "kiosk-2", 40), Err(DomainError::NoHelpCall("kiosk-2".into())), "nobody called from kiosk-2");
    }

    /// Proves the rate limit: one call a minute per kiosk, counted from the last call even when
    /// it was withdrawn or answered; other kiosks are not held up.
    #[test]
    fn a_kiosk_calls_at_most_once_a_minute() {
        let mut e = engine();
        assert_eq!(ask(&mut e, "kiosk-1", 0), Ok(1));
        assert_eq!(withdraw(&mut e, "kiosk-1", 10), 1);
        assert_eq!(withdraw(&mut e, "kiosk-1", 11), 0, "withdrawing twice is once");
        assert!(e.help_views(at(11)).is_empty());
        assert_eq!(ask(&mut e, "kiosk-1", 20), Err(DomainError::HelpTooSoon { device: "kiosk-1".into(), wait_s: 40 }));
        assert_eq!(ask(&mut e, "kiosk-2", 20), Ok(1), "another kiosk may call");
        assert_eq!(ask(&mut e, "kiosk-1", 60), Ok(1), "a minute after the last call");
        answer(&mut e, "kiosk-1", 70).unwrap();
        assert!(matches!(ask(&mut e, "kiosk-1", 100), Err(DomainError::HelpTooSoon { wait_s: 20, .. })));
        assert_eq!(ask(&mut e, "kiosk-1", 130), Ok(1), "an answered call may be repeated after a minute");
        let shown = e.help_views(at(130));
        let mine: Vec<_> = shown.iter().filter(|h| h.device == "kiosk-1").collect();
        assert_eq!(
            (mine.len(), mine[0].answered_by.as_ref(), mine[0].asked_at),
            (1, None, at(130)),
            "the new call waits for an answer again"
        );
    }

    /// Proves calls survive a restart: replaying the log gives the same views.
    #[test]
    fn calls_are_rebuilt_from_the_log() {
        let mut e = engine();
        let mut log = vec![];
        for cmd in [
            Command::AskHelp { device: "kiosk-1".into(), screen: HelpScreen::Dossier },
            Command::AskHelp { device: "kiosk-2".into(), screen: HelpScreen::Home },
            Command::AnswerHelp { device: "kiosk-2".into(), staff: "lan".into(), staff_name: None },
        ] {
            log.extend(e.execute(&cmd, at(log.len() as i64)).unwrap().events);
        }
        let mut again = engine();
        again.replay(&log);
        assert_eq!(again.help_views(at(10)), e.help_views(at(10)));
        assert_eq!(again.help_views(at(10))[1].answered_by.as_deref(), Some("lan"), "the login when no name is known");
    }
}
