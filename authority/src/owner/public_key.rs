//! A ticket's public key: the part of its QR code that opens `/t/{key}` on a phone.
//!
//! 96 random bits from the OS, base64url without padding (16 characters): far past the 80 bits
//! the contract asks, so one key says nothing about any other and none can be guessed. Drawn
//! by the owner thread before the engine decides an issue, and stored in the `ticket_issued`
//! event, so a replay gives every ticket back the key printed on it.
use base64::Engine as _;

/// Random bytes in a key.
const BYTES: usize = 12;

/// A fresh key. The OS random source failing is not something a ticket can be issued without
/// (a guessable key would expose tickets), so it stops the thread like any broken invariant.
pub fn draw() -> String {
    let mut b = [0u8; BYTES];
    getrandom::fill(&mut b).expect("the OS random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Proves keys have the contract's shape and do not repeat (a broken source would).
    #[test]
    fn keys_are_well_formed_and_distinct() {
        let keys: std::collections::HashSet<String> = (0..10_000).map(|_| draw()).collect();
        assert_eq!(keys.len(), 10_000);
        assert!(keys.iter().all(|k| shared::wire::is_public_key(k)), "{keys:?}");
    }
}
