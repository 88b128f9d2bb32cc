//! A small FLAC encoder (mono, 16-bit) that writes while the soundtrack is
//! drawn, so a long session never sits in memory as PCM.
//!
//! Why FLAC: every phone browser plays it in a media element (Chrome,
//! Firefox, Safari since iOS 11), it is lossless (a bell stays a bell), and a
//! block of digital silence is a CONSTANT subframe of a few bytes, so a
//! 45-minute sit costs little more than its bells. Each other block is coded
//! with the best of FLAC's fixed predictors (orders 0–4) and partitioned Rice
//! coding, or stored verbatim when that is smaller. Blocks of 4608 samples keep
//! the stream inside FLAC's streamable subset, which hardware and browser
//! decoders are built for.
//!
//! Format: <https://www.rfc-editor.org/rfc/rfc9639> (FLAC, RFC 9639).

/// Samples per block (FLAC subset maximum at 48 kHz and below).
pub const BLOCK: usize = 4608;
/// The stream is kept in parts of about this many bytes: a long one never
/// has to be copied into a buffer twice its size as it grows, and a browser
/// can make a Blob of the parts as they are.
const PART: usize = 1 << 20;
const BITS: u32 = 16;

/// Writes bits most-significant first, a word at a time.
#[derive(Debug, Default)]
struct BitWriter {
    bytes: Vec<u8>,
    /// Bits not yet written out (fewer than 8 between calls).
    current: u64,
    filled: u32,
}

impl BitWriter {
    fn put(&mut self, value: u64, bits: u32) {
        debug_assert!(bits <= 64);
        if bits > 32 {
            self.put(value >> 32, bits - 32);
            self.put(value & 0xFFFF_FFFF, 32);
            return;
        }
        if bits == 0 {
            return;
        }
        // At most 7 + 32 bits are held, so the shift never loses one.
        self.current = (self.current << bits) | (value & ((1u64 << bits) - 1));
        self.filled += bits;
        while self.filled >= 8 {
            self.filled -= 8;
            self.bytes.push((self.current >> self.filled) as u8);
        }
        self.current &= (1u64 << self.filled) - 1;
    }

    fn put_signed(&mut self, value: i64, bits: u32) {
        self.put((value as u64) & ((1u64 << bits) - 1), bits);
    }

    /// `quotient` zeros, a one, then the low `k` bits: in one word when
    /// they fit (nearly always).
    fn put_rice(&mut self, residual: i64, k: u32) {
        let folded = fold(residual);
        let mut quotient = folded >> k;
        let low = folded & ((1u64 << k) - 1);
        if quotient + 1 + u64::from(k) <= 32 {
            self.put((1u64 << k) | low, quotient as u32 + 1 + k);
            return;
        }
        while quotient >= 32 {
            self.put(0, 32);
            quotient -= 32;
        }
        self.put(1, quotient as u32 + 1);
        self.put(low, k);
    }

    fn align(&mut self) {
        if self.filled != 0 {
            self.put(0, 8 - self.filled);
        }
    }
}

/// Zigzag: 0, -1, 1, -2 … → 0, 1, 2, 3 …
fn fold(residual: i64) -> u64 {
    if residual >= 0 { (residual as u64) << 1 } else { ((-residual as u64) << 1) - 1 }
}

/// CRC-8 (polynomial 0x07) of each byte value, for a byte at a time.
const CRC8_TABLE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x80 != 0 { (crc << 1) ^ 0x07 } else { crc << 1 };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

/// CRC-16 (polynomial 0x8005) of each byte value in the top byte.
const CRC16_TABLE: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x8005 } else { crc << 1 };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

fn crc8(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |crc, byte| CRC8_TABLE[usize::from(crc ^ byte)])
}

fn crc16(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0u16, |crc, byte| (crc << 8) ^ CRC16_TABLE[usize::from((crc >> 8) as u8 ^ byte)])
}

/// A FLAC stream being written.
#[derive(Debug)]
pub struct Encoder {
    out: Vec<u8>,
    /// Full parts written before `out`.
    parts: Vec<Vec<u8>>,
    sample_rate: u32,
    pending: Vec<i16>,
    frame: u64,
    written: u64,
    total: u64,
}

/// Why a stream cannot be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FlacError {
    #[error("sample rate {0} Hz is not one FLAC can store (1 to 655350 Hz)")]
    SampleRate(u32),
    #[error("{got} samples were written, but the stream was announced with {announced}")]
    Length { announced: u64, got: u64 },
}

impl Encoder {
    /// Starts a stream of exactly `total_samples` samples (FLAC's header names
    /// the length up front; the soundtrack knows it).
    pub fn new(sample_rate: u32, total_samples: u64) -> Result<Encoder, FlacError> {
        if sample_rate == 0 || sample_rate > 655_350 {
            return Err(FlacError::SampleRate(sample_rate));
        }
        let mut header = BitWriter::default();
        for byte in b"fLaC" {
            header.put(u64::from(*byte), 8);
        }
        header.put(1, 1); // last metadata block
        header.put(0, 7); // STREAMINFO
        header.put(34, 24);
        header.put(BLOCK as u64, 16); // min block size
        header.put(BLOCK as u64, 16); // max block size
        header.put(0, 24); // min frame size: unknown
        header.put(0, 24); // max frame size: unknown
        header.put(u64::from(sample_rate), 20);
        header.put(0, 3); // channels - 1
        header.put(u64::from(BITS - 1), 5);
        header.put(total_samples & ((1 << 36) - 1), 36);
        for _ in 0..4 {
            header.put(0, 32); // MD5 unknown: allowed by the format
        }
        Ok(Encoder {
            out: header.bytes,
            parts: Vec::new(),
            sample_rate,
            pending: Vec::with_capacity(BLOCK),
            frame: 0,
            written: 0,
            total: total_samples,
        })
    }

    /// Adds samples; full blocks are encoded as they fill.
    pub fn push(&mut self, samples: &[i16]) {
        for chunk in samples.chunks(BLOCK) {
            let room = BLOCK - self.pending.len();
            let (now, later) = chunk.split_at(room.min(chunk.len()));
            self.pending.extend_from_slice(now);
            if self.pending.len() == BLOCK {
                self.flush();
            }
            self.pending.extend_from_slice(later);
        }
    }

    /// Adds `count` samples of silence: whole blocks of it go straight to
    /// constant frames, without a buffer of zeros to fill or scan.
    pub fn push_silence(&mut self, mut count: u64) {
        const ZEROS: [i16; BLOCK] = [0; BLOCK];
        while count > 0 {
            if self.pending.is_empty() && count >= BLOCK as u64 {
                self.out.extend_from_slice(&encode_frame(&ZEROS, self.frame, self.sample_rate));
                self.next_part();
                self.frame += 1;
                self.written += BLOCK as u64;
                count -= BLOCK as u64;
            } else {
                let n = count.min((BLOCK - self.pending.len()) as u64) as usize;
                self.push(&ZEROS[..n]);
                count -= n as u64;
            }
        }
    }

    /// Encodes the last, short block; the part being written.
    fn finish_last(&mut self) -> Result<Vec<u8>, FlacError> {
        if !self.pending.is_empty() {
            self.flush();
        }
        if self.written != self.total {
            return Err(FlacError::Length { announced: self.total, got: self.written });
        }
        Ok(std::mem::take(&mut self.out))
    }

    /// Encodes the last, short block and returns the whole stream.
    pub fn finish(self) -> Result<Vec<u8>, FlacError> {
        let mut parts = self.finish_parts()?;
        match parts.len() {
            1 => Ok(parts.pop().unwrap_or_default()),
            _ => Ok(parts.concat()),
        }
    }

    /// Encodes the last, short block and returns the stream in its parts,
    /// in order.
    pub fn finish_parts(mut self) -> Result<Vec<Vec<u8>>, FlacError> {
        let last = self.finish_last()?;
        self.parts.push(last);
        Ok(std::mem::take(&mut self.parts))
    }

    /// A full part set aside, a fresh one begun.
    fn next_part(&mut self) {
        if self.out.len() >= PART {
            let full = std::mem::replace(&mut self.out, Vec::with_capacity(PART + 2 * BLOCK * 2));
            self.parts.push(full);
        }
    }

    fn flush(&mut self) {
        let block = std::mem::take(&mut self.pending);
        let frame = encode_frame(&block, self.frame, self.sample_rate);
        self.out.extend_from_slice(&frame);
        self.next_part();
        self.frame += 1;
        self.written += block.len() as u64;
        self.pending = block;
        self.pending.clear();
    }
}

fn encode_frame(samples: &[i16], number: u64, sample_rate: u32) -> Vec<u8> {
    let mut w = BitWriter::default();
    w.put(0b11_1111_1111_1110, 14); // sync
    w.put(0, 1); // reserved
    w.put(0, 1); // fixed block size
    let (size_code, size_extra) = match samples.len() {
        BLOCK => (0b0101, None), // 4608 = 576 × 2^3
        n => (0b0111, Some(n as u64 - 1)),
    };
    w.put(size_code, 4);
    let rate_code = match sample_rate {
        8_000 => 0b0100,
        16_000 => 0b0101,
        22_050 => 0b0110,
        24_000 => 0b0111,
        32_000 => 0b1000,
        44_100 => 0b1001,
        48_000 => 0b1010,
        96_000 => 0b1011,
        _ => 0b0000, // from STREAMINFO
    };
    w.put(rate_code, 4);
    w.put(0, 4); // mono
    w.put(0b100, 3); // 16 bits per sample
    w.put(0, 1); // reserved
    put_utf8_number(&mut w, number);
    if let Some(extra) = size_extra {
        w.put(extra, 16);
    }
    let crc = crc8(&w.bytes);
    w.put(u64::from(crc), 8);

    encode_subframe(&mut w, samples);
    w.align();
    let crc = crc16(&w.bytes);
    w.put(u64::from(crc), 16);
    w.bytes
}

/// FLAC's frame numbers use UTF-8's variable-length coding (extended to 36 bits).
fn put_utf8_number(w: &mut BitWriter, n: u64) {
    if n < 0x80 {
        w.put(n, 8);
        return;
    }
    let continuation: u32 = match n {
        0..0x800 => 1,
        0x800..0x1_0000 => 2,
        0x1_0000..0x20_0000 => 3,
        0x20_0000..0x400_0000 => 4,
        0x400_0000..0x8000_0000 => 5,
        _ => 6,
    };
    // The lead byte: one 1-bit per byte of the sequence, a 0, then the top bits.
    let marker = (0xFFu64 << (7 - continuation)) & 0xFF;
    w.put(marker | (n >> (6 * continuation)), 8);
    for i in (0..continuation).rev() {
        w.put(0x80 | ((n >> (6 * i)) & 0x3F), 8);
    }
}

fn encode_subframe(w: &mut BitWriter, samples: &[i16]) {
    if samples.iter().all(|s| *s == samples[0]) {
        w.put(0, 1);
        w.put(0b000000, 6); // CONSTANT
        w.put(0, 1);
        w.put_signed(i64::from(samples[0]), BITS);
        return;
    }
    let verbatim_bits = samples.len() as u64 * u64::from(BITS);
    // The order whose residuals are smallest in sum (one pass over the
    // block for all five), then the partitioning for that order only: what
    // reference encoders do for fixed predictors, several times faster than
    // trying every order, and nearly as small.
    let order = best_fixed_order(samples);
    let residuals = fixed_residuals(samples, order);
    let (partition_order, params, bits) = best_partitioning(&residuals, samples.len(), order);
    let best = Some((order, residuals, partition_order, params, bits + order as u64 * u64::from(BITS)));
    match best {
        Some((order, residuals, partition_order, params, bits)) if bits < verbatim_bits => {
            w.put(0, 1);
            w.put(0b001000 | order as u64, 6); // FIXED, order
            w.put(0, 1);
            for s in &samples[..order] {
                w.put_signed(i64::from(*s), BITS);
            }
            w.put(0b00, 2); // Rice, 4-bit parameters
            w.put(partition_order as u64, 4);
            let mut offset = 0;
            for (p, k) in params.iter().enumerate() {
                w.put(u64::from(*k), 4);
                let count = partition_len(samples.len(), partition_order, p, order);
                for r in &residuals[offset..offset + count] {
                    w.put_rice(*r, *k);
                }
                offset += count;
            }
        }
        _ => {
            w.put(0, 1);
            w.put(0b000001, 6); // VERBATIM
            w.put(0, 1);
            for s in samples {
                w.put_signed(i64::from(*s), BITS);
            }
        }
    }
}

/// The fixed predictor order (0–4) with the smallest sum of absolute
/// residuals over `samples` (past the longest warm-up, so the sums compare).
fn best_fixed_order(samples: &[i16]) -> usize {
    if samples.len() <= 4 {
        return 0;
    }
    let mut sums = [0u64; 5];
    let x = |i: usize| i64::from(samples[i]);
    for n in 4..samples.len() {
        let e0 = x(n);
        let e1 = e0 - x(n - 1);
        let e2 = e1 - (x(n - 1) - x(n - 2));
        let e3 = e2 - (x(n - 1) - 2 * x(n - 2) + x(n - 3));
        let e4 = e3 - (x(n - 1) - 3 * x(n - 2) + 3 * x(n - 3) - x(n - 4));
        for (sum, e) in sums.iter_mut().zip([e0, e1, e2, e3, e4]) {
            *sum += e.unsigned_abs();
        }
    }
    (0..5).min_by_key(|&order| sums[order]).unwrap_or(0)
}

/// Residuals of FLAC's fixed polynomial predictor of `order`.
fn fixed_residuals(samples: &[i16], order: usize) -> Vec<i64> {
    let x = |i: usize| i64::from(samples[i]);
    (order..samples.len())
        .map(|n| match order {
            0 => x(n),
            1 => x(n) - x(n - 1),
            2 => x(n) - 2 * x(n - 1) + x(n - 2),
            3 => x(n) - 3 * x(n - 1) + 3 * x(n - 2) - x(n - 3),
            _ => x(n) - 4 * x(n - 1) + 6 * x(n - 2) - 4 * x(n - 3) + x(n - 4),
        })
        .collect()
}

/// Residuals in partition `p`: the first partition is shorter by the warm-up.
fn partition_len(block: usize, partition_order: usize, p: usize, order: usize) -> usize {
    let size = block >> partition_order;
    if p == 0 { size - order } else { size }
}

/// The partition order and Rice parameters that code `residuals` in about
/// the fewest bits, and that number of bits (residual part only). Each
/// partition's cost is estimated from the sum of its folded residuals
/// (`n·(k+1) + sum >> k`, a close upper bound of the exact unary part), so a
/// level costs one pass of additions instead of several exact tries.
fn best_partitioning(residuals: &[i64], block: usize, order: usize) -> (usize, Vec<u32>, u64) {
    // The finest level's partition sums in one pass; each coarser level adds
    // pairs of the level below.
    let mut finest = 0;
    while finest < 8 && block.is_multiple_of(1 << (finest + 1)) && (block >> (finest + 1)) > order {
        finest += 1;
    }
    let mut sums: Vec<(u64, u64)> = Vec::with_capacity(1 << finest);
    let mut offset = 0;
    for p in 0..1usize << finest {
        let count = partition_len(block, finest, p, order);
        let sum = residuals[offset..offset + count].iter().map(|r| fold(*r)).sum();
        sums.push((count as u64, sum));
        offset += count;
    }
    let mut best: Option<(usize, Vec<u32>, u64)> = None;
    for partition_order in (0..=finest).rev() {
        let mut bits = 6u64; // coding method + partition order
        let mut params = Vec::with_capacity(sums.len());
        for &(n, sum) in &sums {
            let (k, cost) = best_rice(n, sum);
            params.push(k);
            bits += 4 + cost;
        }
        if best.as_ref().is_none_or(|(_, _, b)| bits <= *b) {
            best = Some((partition_order, params, bits));
        }
        sums = sums.chunks(2).map(|pair| pair.iter().fold((0, 0), |(n, s), (m, t)| (n + m, s + t))).collect();
    }
    best.unwrap_or((0, vec![0], u64::MAX / 2))
}

/// The Rice parameter (0–14) for `n` folded residuals summing to `sum`,
/// with its estimated cost in bits.
fn best_rice(n: u64, sum: u64) -> (u32, u64) {
    (0..=14u32).map(|k| (k, n * (1 + u64::from(k)) + (sum >> k))).min_by_key(|(_, c)| *c).unwrap_or((0, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crcs_match_the_reference_values() {
        // CRC-8/SMBUS and CRC-16/UMTS (BUYPASS) check values for "123456789".
        assert_eq!(crc8(b"123456789"), 0xF4);
        assert_eq!(crc16(b"123456789"), 0xFEE8);
    }

    #[test]
    fn frame_numbers_use_utf8_coding() {
        for (n, expected) in [
            (0u64, vec![0x00]),
            (0x7F, vec![0x7F]),
            (0x80, vec![0xC2, 0x80]),
            (0x7FF, vec![0xDF, 0xBF]),
            (0x800, vec![0xE0, 0xA0, 0x80]),
            (14_062, "\u{36EE}".as_bytes().to_vec()),
        ] {
            let mut w = BitWriter::default();
            put_utf8_number(&mut w, n);
            assert_eq!(w.bytes, expected, "{n}");
        }
    }

    #[test]
    fn folding_interleaves_signs() {
        assert_eq!([0, -1, 1, -2, 2].map(fold), [0, 1, 2, 3, 4]);
    }
}
