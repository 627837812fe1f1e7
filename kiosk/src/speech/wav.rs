//! The WAV espeak-ng writes to a pipe: a RIFF header whose sizes are placeholders (a pipe cannot
//! be rewound to fill them in), then 16-bit mono samples to the end.

/// Samples and their rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Wav {
    pub rate: u32,
    pub samples: Vec<i16>,
}

/// Reads a 16-bit mono PCM WAV; a data size past the end (a pipe's placeholder) means "to the
/// end".
pub fn parse(bytes: &[u8]) -> Result<Wav, String> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err("not a RIFF WAVE file".into());
    }
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let (mut at, mut rate) = (12, None);
    while at + 8 <= bytes.len() {
        let (id, size) = (&bytes[at..at + 4], u32_at(at + 4) as usize);
        let body = at + 8;
        match id {
            b"fmt " if body + 16 <= bytes.len() => {
                let (format, channels, bits) = (u16_at(body), u16_at(body + 2), u16_at(body + 14));
                if format != 1 || channels != 1 || bits != 16 {
                    return Err(format!("format {format}, {channels} channels, {bits} bits: 16-bit mono PCM expected"));
                }
                rate = Some(u32_at(body + 4));
            }
            b"data" => {
                let rate = rate.ok_or("the data comes before its format")?;
                let end = body.saturating_add(size).min(bytes.len());
                let samples = bytes[body..end].chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
                return Ok(Wav { rate, samples });
            }
            _ => {}
        }
        at = body.saturating_add(size + (size & 1));
    }
    Err("no data chunk".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(data_size: u32) -> Vec<u8> {
        let mut b = b"RIFF\x24\xf0\xff\x7fWAVEfmt \x10\0\0\0\x01\0\x01\0\x22\x56\0\0\x44\xac\0\0\x02\0\x10\0data".to_vec();
        b.extend(data_size.to_le_bytes());
        b
    }

    /// Proves a pipe's WAV (sizes as placeholders) is read to its end, and a sized one to its size.
    #[test]
    fn a_piped_wav_is_read_to_the_end() {
        let mut b = header(0x7fff_f000);
        b.extend([1, 0, 2, 0, 0xff, 0xff]);
        assert_eq!(parse(&b), Ok(Wav { rate: 22050, samples: vec![1, 2, -1] }));
        let mut b = header(2);
        b.extend([1, 0, 2, 0]);
        assert_eq!(parse(&b).unwrap().samples, vec![1]);
        assert!(parse(b"RIFX").is_err());
        let mut stereo = header(0);
        stereo[22] = 2;
        assert!(parse(&stereo).unwrap_err().contains("2 channels"));
    }
}
