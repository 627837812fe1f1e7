//! Where to cut a raster into `GS v 0` bands, chosen for the fewest bytes.
//!
//! A band costs its 8-byte header plus its width times its rows, where the width is the span of
//! byte columns holding ink in *any* of its rows: one wide row makes every row of its band wide.
//! So the cheapest cut is not only at blank rows: a centre name wrapped on a wide and a narrow
//! line, or the accents above a line of text, are cheaper as bands of their own. A dynamic
//! programme over the rows finds the cheapest cut exactly (rows × band limit steps, well under a
//! millisecond for a ticket). Blank stretches become feeds. A stretch whose rows come in
//! identical pairs (a QR code with an even module size) can go as `GS v 0` m = 2, each data row
//! printed twice: half the data for the same dots.

use super::Placement;
use crate::bitmap::Bitmap;

/// Header of one `GS v 0` band, and one `ESC J` feed.
const BAND_HEADER: usize = 8;
const FEED_CMD: usize = 3;

/// One piece of the plan, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Segment {
    /// Rows with no ink: fed, not sent.
    Blank { rows: u32 },
    /// Rows `y0..y1` sent as byte columns `a..b`; `tall`: every other row, printed twice.
    Band { y0: u32, y1: u32, a: usize, b: usize, tall: bool },
}

#[derive(Clone, Copy)]
enum Step {
    Start,
    Blank(usize),
    Band(usize, bool),
}

/// The cheapest plan for `bmp`. Bands hold at most `max_rows` data rows (the printer's input
/// buffer); `tall_ok` allows m = 2 bands.
pub(super) fn plan(bmp: &Bitmap, placement: Placement, max_rows: u16, tall_ok: bool) -> Vec<Segment> {
    let n = bmp.height() as usize;
    let stride = bmp.stride();
    let spans: Vec<Option<(usize, usize)>> = (0..n as u32)
        .map(|y| {
            let row = bmp.row(y);
            Some((row.iter().position(|&b| b != 0)?, row.iter().rposition(|&b| b != 0)? + 1))
        })
        .collect();
    let columns = |a: usize, b: usize| match placement {
        Placement::LeftMargin => (a, b),
        Placement::Centre => {
            let k = a.min(stride - b);
            (k, stride - k)
        }
    };
    // pairs[i]: how many identical row pairs follow one another from row i (rows i, i+1 equal,
    // rows i+2, i+3 equal, ...).
    let mut pairs = vec![0usize; n + 2];
    if tall_ok {
        for i in (0..n.saturating_sub(1)).rev() {
            if bmp.row(i as u32) == bmp.row(i as u32 + 1) {
                pairs[i] = 1 + pairs[i + 2];
            }
        }
    }
    let max_rows = max_rows.max(1) as usize;
    let mut best = vec![usize::MAX; n + 1];
    let mut step = vec![Step::Start; n + 1];
    best[0] = 0;
    for j in 1..=n {
        // A blank stretch ending at j, as long as it goes: one feed.
        let mut i = j;
        while i > 0 && spans[i - 1].is_none() {
            i -= 1;
        }
        if i < j && best[i] + FEED_CMD < best[j] {
            best[j] = best[i] + FEED_CMD;
            step[j] = Step::Blank(i);
        }
        // Bands ending at j, growing upwards while they fit the buffer (twice as many rows
        // for a tall band, which sends half of them).
        let (mut a, mut b) = (usize::MAX, 0);
        let reach = if tall_ok { 2 * max_rows } else { max_rows };
        for i in (j.saturating_sub(reach)..j).rev() {
            if let Some((ra, rb)) = spans[i] {
                a = a.min(ra);
                b = b.max(rb);
            }
            if a == usize::MAX {
                continue; // all blank so far: handled above
            }
            let (ca, cb) = columns(a, b);
            let rows = j - i;
            if rows <= max_rows {
                let cost = best[i] + BAND_HEADER + (cb - ca) * rows;
                if cost < best[j] {
                    best[j] = cost;
                    step[j] = Step::Band(i, false);
                }
            }
            if tall_ok && rows % 2 == 0 && rows / 2 <= max_rows && pairs[i] >= rows / 2 {
                let cost = best[i] + BAND_HEADER + (cb - ca) * rows / 2;
                if cost < best[j] {
                    best[j] = cost;
                    step[j] = Step::Band(i, true);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut j = n;
    while j > 0 {
        match step[j] {
            Step::Blank(i) => {
                out.push(Segment::Blank { rows: (j - i) as u32 });
                j = i;
            }
            Step::Band(i, tall) => {
                let (a, b) = spans[i..j].iter().flatten().fold((usize::MAX, 0), |(a, b), &(ra, rb)| (a.min(ra), b.max(rb)));
                let (a, b) = columns(a, b);
                out.push(Segment::Band { y0: i as u32, y1: j as u32, a, b, tall });
                j = i;
            }
            Step::Start => unreachable!("every row is reached by a blank or a band step"),
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(plan: &[Segment]) -> usize {
        plan.iter()
            .map(|s| match *s {
                Segment::Blank { .. } => FEED_CMD,
                Segment::Band { y0, y1, a, b, tall, .. } => BAND_HEADER + (b - a) * (y1 - y0) as usize / if tall { 2 } else { 1 },
            })
            .sum()
    }

    // Proves a wide line above a narrow one is cut between them (each band cropped to its own
    // ink) although no blank row separates them, and the plan covers every row once.
    #[test]
    fn wide_then_narrow_is_cut() {
        let mut b = Bitmap::new(160, 40);
        for y in 0..20 {
            b.fill_rect(0, y, 160, 1); // 20 bytes wide
        }
        for y in 20..40 {
            b.fill_rect(72, y, 16, 1); // bytes 9..11
        }
        let p = plan(&b, Placement::Centre, 128, false);
        assert_eq!(
            p,
            [Segment::Band { y0: 0, y1: 20, a: 0, b: 20, tall: false }, Segment::Band { y0: 20, y1: 40, a: 9, b: 11, tall: false },]
        );
        assert_eq!(cost(&p), 8 + 400 + 8 + 40);
    }

    // Proves identical row pairs go as a tall band with half the rows, only when allowed, and
    // never for rows that are not pairs.
    #[test]
    fn identical_pairs_go_tall() {
        let mut b = Bitmap::new(16, 8);
        for y in 0..8 {
            b.set(if y / 2 % 2 == 0 { 0 } else { 9 }, y, true);
        }
        let p = plan(&b, Placement::LeftMargin, 128, true);
        assert_eq!(p, [Segment::Band { y0: 0, y1: 8, a: 0, b: 2, tall: true }]);
        assert_eq!(cost(&p), 8 + 8);
        assert!(plan(&b, Placement::LeftMargin, 128, false).iter().all(|s| matches!(s, Segment::Band { tall: false, .. })));
        // Rows that differ pairwise never go tall.
        let mut distinct = Bitmap::new(16, 8);
        for y in 0..8 {
            distinct.set(y, y, true);
        }
        assert!(plan(&distinct, Placement::LeftMargin, 128, true).iter().all(|s| matches!(s, Segment::Band { tall: false, .. })));
    }

    // Proves the buffer limit holds for plain and tall bands alike.
    #[test]
    fn bands_respect_the_row_limit() {
        let mut b = Bitmap::new(16, 50);
        b.fill_rect(0, 0, 16, 50);
        for tall_ok in [false, true] {
            for s in plan(&b, Placement::Centre, 7, tall_ok) {
                if let Segment::Band { y0, y1, tall, .. } = s {
                    let data_rows = (y1 - y0) / if tall { 2 } else { 1 };
                    assert!(data_rows <= 7, "{s:?}");
                }
            }
        }
    }
}
