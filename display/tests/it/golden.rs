//! Golden images: every picture `display-screens` draws (hall board at 1920×1080 and
//! 1280×720, online and offline; results board listing, lookup and evaluation; counter screens) is drawn
//! again by the same code and compared by decoded pixels with the files in `images/`.
//! One test: Slint allows one platform per process.
use display::boards::screens::pictures;
use display::golden::{compare, Tolerance};
use std::path::Path;

#[test]
fn every_picture_matches_its_golden_image() {
    // Proves the boards and counter screens render as the README shows them; a change of
    // layout, font or colour fails here (regenerate with `display-screens images` after an
    // intended change, and look at the pictures).
    let images = Path::new(env!("CARGO_MANIFEST_DIR")).join("../images");
    let all = pictures().expect("the pictures draw");
    let names: Vec<&str> = all.iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        [
            "hall.png",
            "hall-720p.png",
            "hall-offline.png",
            "results.png",
            "results-lookup.png",
            "results-evaluation-question.png",
            "results-evaluation-review.png",
            "counter-3.png",
            "counter-3-notice.png"
        ]
    );
    let failures: Vec<String> = all
        .iter()
        .filter_map(|p| compare(&images.join(p.name), p.width, p.height, &p.rgb, Tolerance::default()).err().map(|e| e.to_string()))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    // The offline mark is a visible difference, not within the tolerance.
    let hall = &all[0];
    let offline = &all[2];
    assert!(compare(&images.join("hall.png"), offline.width, offline.height, &offline.rgb, Tolerance::default()).is_err());
    assert_eq!((hall.width, hall.height), (1920, 1080));
}
