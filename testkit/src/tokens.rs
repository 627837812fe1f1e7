//! The bearer tokens of the test configurations.
pub const KIOSK: &str = "test-kiosk-token-0001";
pub const DISPLAY: &str = "test-display-token-0001";
pub const COUNTER: &str = "test-counter-token-0001";
pub const COUNTER1: &str = "test-counter1-token-001";
pub const ADMIN: &str = "test-admin-token-000001";

pub const KIOSK_TOKEN: &str = "e2e-kiosk-token-000001";
pub const COUNTER_TOKEN: &str = "e2e-counter-token-00001";
pub const ADMIN_TOKEN: &str = "e2e-admin-token-0000001";
/// Counter 3's rating tablet: a counter token limited to counter 3.
pub const RATE3_TOKEN: &str = "e2e-rating-counter3-0001";
