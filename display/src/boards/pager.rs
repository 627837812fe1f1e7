//! Where the results board is: which tab (ready, processing, overdue), which page, and how
//! the pages turn by themselves. Pure: the controller asks it what to fetch next.
use shared::dossier::{DossierStatus, BOARD_STATUSES};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    pub tab: usize,
    pub page: u32,
    pub per_page: u32,
    /// The dossiers in each tab, once known.
    pub totals: [Option<u32>; 3],
}

impl Pager {
    pub fn new(per_page: u32) -> Pager {
        Pager { tab: 0, page: 1, per_page: per_page.max(1), totals: [None; 3] }
    }

    pub fn status(&self) -> DossierStatus {
        BOARD_STATUSES[self.tab]
    }

    /// Pages of `tab` (at least one, even empty or unknown).
    pub fn pages(&self, tab: usize) -> u32 {
        self.totals[tab].unwrap_or(0).div_ceil(self.per_page).max(1)
    }

    /// A listing's total arrived; a page past the new end goes back to the last one.
    pub fn set_total(&mut self, tab: usize, total: u32) {
        self.totals[tab] = Some(total);
        if tab == self.tab && self.page > self.pages(tab) {
            self.page = self.pages(tab);
        }
    }

    pub fn select(&mut self, tab: usize) {
        self.tab = tab.min(BOARD_STATUSES.len() - 1);
        self.page = 1;
    }

    pub fn can_prev(&self) -> bool {
        self.page > 1
    }

    pub fn can_next(&self) -> bool {
        self.page < self.pages(self.tab)
    }

    pub fn prev(&mut self) {
        self.page = self.page.saturating_sub(1).max(1);
    }

    pub fn next(&mut self) {
        if self.can_next() {
            self.page += 1;
        }
    }

    /// The automatic turn: the next page, or after a tab's last page the first page of the
    /// next tab that has dossiers (tabs known to be empty are skipped; all empty: stay).
    pub fn advance(&mut self) {
        if self.can_next() {
            self.page += 1;
            return;
        }
        for step in 1..=BOARD_STATUSES.len() {
            let t = (self.tab + step) % BOARD_STATUSES.len();
            if self.totals[t] != Some(0) {
                self.tab = t;
                self.page = 1;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_turn_through_every_tab_and_skip_empty_ones() {
        // Proves the auto-scroll order: ready 1..3, then overdue (processing is empty), then
        // back to ready; and a shrinking listing pulls the page back in range.
        let mut p = Pager::new(8);
        p.set_total(0, 20);
        p.set_total(1, 0);
        p.set_total(2, 5);
        let mut seen = Vec::new();
        for _ in 0..5 {
            seen.push((p.tab, p.page));
            p.advance();
        }
        assert_eq!(seen, [(0, 1), (0, 2), (0, 3), (2, 1), (0, 1)]);
        p.page = 3;
        p.set_total(0, 9);
        assert_eq!(p.page, 2);
        assert!(!p.can_next() && p.can_prev());
    }

    #[test]
    fn all_empty_stays_put_and_unknown_totals_count_as_one_page() {
        let mut p = Pager::new(8);
        assert_eq!(p.pages(0), 1);
        p.advance();
        assert_eq!(p.tab, 1, "unknown tabs are visited (their first fetch tells)");
        for t in 0..3 {
            p.set_total(t, 0);
        }
        p.advance();
        assert_eq!((p.tab, p.page), (1, 1));
    }
}
