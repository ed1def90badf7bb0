use std::io::Read;

use slz::{Encoder, Flush, Format, Level};

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn smoke() {
    let text = std::fs::read("../shared/corpus/canterbury/alice29.txt").unwrap();
    for level in [Level::NONE, Level::FAST] {
        let gz = slz::compress_to_vec(&text, Format::Gzip, level);
        assert_eq!(gunzip(&gz), text);
        println!("level {:?}: {} -> {}", level, text.len(), gz.len());
        let mut enc = Encoder::new(Format::Gzip, level);
        let mut s = Vec::new();
        for c in text.chunks(16384) {
            let mut out = vec![0; enc.max_output_len(c.len())];
            let n = enc.compress(c, &mut out, Flush::Sync).unwrap();
            s.extend_from_slice(&out[..n]);
        }
        let mut out = vec![0; enc.max_output_len(0)];
        let n = enc.compress(&[], &mut out, Flush::Finish).unwrap();
        s.extend_from_slice(&out[..n]);
        assert_eq!(gunzip(&s), text);
        println!("chunked {}", s.len());
    }
}
