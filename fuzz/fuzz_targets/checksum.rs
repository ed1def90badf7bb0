#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| slz_fuzz::checksum::run(data));
