//! Code 128 (code set B) symbol encoding: text → bar/space widths in modules.

/// Element widths (bar, space, bar, space, bar, space) of symbol values 0–105, in modules.
const PATTERNS: [&[u8; 6]; 106] = [
    b"212222", b"222122", b"222221", b"121223", b"121322", b"131222", b"122213", b"122312",
    b"132212", b"221213", b"221312", b"231212", b"112232", b"122132", b"122231", b"113222",
    b"123122", b"123221", b"223211", b"221132", b"221231", b"213212", b"223112", b"312131",
    b"311222", b"321122", b"321221", b"312212", b"322112", b"322211", b"212123", b"212321",
    b"232121", b"111323", b"131123", b"131321", b"112313", b"132113", b"132311", b"211313",
    b"231113", b"231311", b"112133", b"112331", b"132131", b"113123", b"113321", b"133121",
    b"313121", b"211331", b"231131", b"213113", b"213311", b"213131", b"311123", b"311321",
    b"331121", b"312113", b"312311", b"332111", b"314111", b"221411", b"431111", b"111224",
    b"111422", b"121124", b"121421", b"141122", b"141221", b"112214", b"112412", b"122114",
    b"122411", b"142112", b"142211", b"241211", b"221114", b"413111", b"241112", b"134111",
    b"111242", b"121142", b"121241", b"114212", b"124112", b"124211", b"411212", b"421112",
    b"421211", b"212141", b"214121", b"412121", b"111143", b"111341", b"131141", b"114113",
    b"114311", b"411113", b"411311", b"113141", b"114131", b"311141", b"411131", b"211412",
    b"211214", b"211232",
];

/// The stop symbol including its final bar (7 elements).
const STOP: &[u8; 7] = b"2331112";

/// Start symbol value of code set B.
const START_B: usize = 104;

/// Element widths in modules, alternating bar/space and starting with a bar, for `text` in code
/// set B (printable ASCII). `None` when `text` is empty or has other characters.
pub(crate) fn encode(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() {
        return None;
    }
    let mut values = Vec::with_capacity(text.len() + 2);
    values.push(START_B);
    for c in text.chars() {
        if !(' '..='~').contains(&c) {
            return None;
        }
        values.push(c as usize - 32);
    }
    // Checksum: start value plus each symbol value weighted by its position, modulo 103.
    let checksum = values
        .iter()
        .enumerate()
        .map(|(i, v)| i.max(1) * v)
        .sum::<usize>()
        % 103;
    values.push(checksum);
    let mut widths = Vec::with_capacity(values.len() * 6 + 7);
    for v in values {
        let pattern = PATTERNS.get(v)?;
        widths.extend(pattern.iter().map(|d| d - b'0'));
    }
    widths.extend(STOP.iter().map(|d| d - b'0'));
    Some(widths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for p in PATTERNS {
            let w: Vec<u8> = p.iter().map(|d| d - b'0').collect();
            assert_eq!(w.iter().map(|&x| u32::from(x)).sum::<u32>(), 11, "{p:?}");
            // Bars always have an even module count (Code 128's parity rule).
            assert_eq!((w[0] + w[2] + w[4]) % 2, 0, "{p:?}");
            assert!(seen.insert(*p), "duplicate {p:?}");
        }
    }

    #[test]
    fn encodes_with_checksum() {
        // 104 + 1·48 + 2·42 + 3·42 + 4·17 + 5·18 + 6·19 + 7·35 = 879 ≡ 55 (mod 103).
        let w = encode("PJJ123C").unwrap();
        // start + 7 symbols + checksum = 9 symbols of 6 elements, plus 7 for stop.
        assert_eq!(w.len(), 9 * 6 + 7);
        let check: Vec<u8> = PATTERNS[55].iter().map(|d| d - b'0').collect();
        assert_eq!(&w[8 * 6..9 * 6], check.as_slice());
        assert_eq!(w.iter().map(|&x| u32::from(x)).sum::<u32>(), 9 * 11 + 13);
        assert_eq!(encode(""), None);
        assert_eq!(encode("Заказ"), None);
    }
}
