//! Vietnamese letter names, for reading the letter prefix of a ticket number.

/// The Vietnamese name of a letter, as the call reads a ticket prefix; case is
/// ignored. `None` for anything that is not a letter of the Vietnamese alphabet
/// or one of the four foreign letters F, J, W, Z.
///
/// Names follow the common school table (Wikipedia "Bảng chữ cái tiếng Việt" and
/// teaching sites agree). Where usage varies we chose: Q "quy" (also "cu"),
/// S "ét-xì" (also "ét-sì"), Y "i-dài" (also "i-cờ-rét"), W "vê-kép" (also
/// "đúp-lơ-vê"), J "gi", F "ép", Z "dét". A name with a hyphen is one clip.
pub fn letter_name(c: char) -> Option<&'static str> {
    let mut upper = c.to_uppercase();
    let c = match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => return None,
    };
    Some(match c {
        'A' => "a",
        'Ă' => "á",
        'Â' => "ớ",
        'B' => "bê",
        'C' => "xê",
        'D' => "dê",
        'Đ' => "đê",
        'E' => "e",
        'Ê' => "ê",
        'F' => "ép",
        'G' => "giê",
        'H' => "hát",
        'I' => "i",
        'J' => "gi",
        'K' => "ca",
        'L' => "e-lờ",
        'M' => "em-mờ",
        'N' => "en-nờ",
        'O' => "o",
        'Ô' => "ô",
        'Ơ' => "ơ",
        'P' => "pê",
        'Q' => "quy",
        'R' => "e-rờ",
        'S' => "ét-xì",
        'T' => "tê",
        'U' => "u",
        'Ư' => "ư",
        'V' => "vê",
        'W' => "vê-kép",
        'X' => "ích-xì",
        'Y' => "i-dài",
        'Z' => "dét",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_names() {
        let expected = [
            ('A', "a"),
            ('B', "bê"),
            ('C', "xê"),
            ('D', "dê"),
            ('Đ', "đê"),
            ('E', "e"),
            ('G', "giê"),
            ('H', "hát"),
            ('I', "i"),
            ('K', "ca"),
            ('L', "e-lờ"),
            ('M', "em-mờ"),
            ('N', "en-nờ"),
            ('O', "o"),
            ('P', "pê"),
            ('Q', "quy"),
            ('R', "e-rờ"),
            ('S', "ét-xì"),
            ('T', "tê"),
            ('U', "u"),
            ('V', "vê"),
            ('X', "ích-xì"),
            ('Y', "i-dài"),
            ('F', "ép"),
            ('J', "gi"),
            ('W', "vê-kép"),
            ('Z', "dét"),
        ];
        for (c, name) in expected {
            assert_eq!(letter_name(c), Some(name), "{c}");
            assert_eq!(letter_name(c.to_lowercase().next().unwrap()), Some(name), "{c}");
        }
        assert_eq!(letter_name('ư'), Some("ư"));
        for c in ['1', ' ', '-', 'ß', 'Ω'] {
            assert_eq!(letter_name(c), None, "{c}");
        }
    }
}
