//! What the benchmarks (and a test of the TUI's search) share: the generated million-institution
//! roster and measurements.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

pub const N_INSTITUTIONS: usize = 1_000_000;

pub const REGIONS: [&str; 10] = [
    "江北区",
    "江南区",
    "高新区",
    "临溪县",
    "白石县",
    "东湖县",
    "西山区",
    "南湖区",
    "北岭县",
    "青石县",
];

/// A valid 统一社会信用代码 for a 17-character body (GB 32100-2015 check character).
pub fn uscc(body: &str) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: usize = body
        .bytes()
        .zip(W)
        .map(|(c, w)| A.iter().position(|&x| x == c).unwrap() * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    format!("{body}{}", A[check] as char)
}

/// A UTF-8 (BOM) institutions CSV of `n` (at most `N_INSTITUTIONS`) valid, varied rows: codes
/// are unique as (region, i / 10) over 10 regions × 100,000 sequence numbers.
pub fn write_institutions(path: &Path, n: usize) {
    assert!(n <= N_INSTITUTIONS);
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all("\u{feff}机构编码,机构名称,统一社会信用代码,机构类型,经营性质,医院等级,所属区县,信用等级,地址,联系人,联系电话,状态\n".as_bytes()).unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let r = (i % REGIONS.len()) as u32;
        let pharmacy = x.is_multiple_of(3);
        // 6-digit region + 5-digit sequence: (region, i / 10) is unique for i < 1,000,000.
        let code = format!(
            "{}4599{:02}{:05}",
            if pharmacy { 'P' } else { 'H' },
            r + 1,
            i / REGIONS.len()
        );
        let class = ["A", "A", "A", "A", "B", "B", "B", "C", "C", "D"][(x >> 8) as usize % 10];
        let body = format!("91{:06}{:09}", 459900 + r + 1, i);
        writeln!(
            f,
            "{code},{}{i}号,{},{},{},{},{},{class},临江市{}路{}号,联系人{},139{:08},在册",
            if pharmacy { "临江大药房" } else { "临江诊所" },
            uscc(&body),
            if pharmacy { "零售药店" } else { "医疗机构" },
            if x.is_multiple_of(5) { "公立" } else { "民营" },
            if pharmacy { "" } else { "一级" },
            REGIONS[r as usize],
            REGIONS[r as usize],
            i % 999,
            i % 97,
            i
        )
        .unwrap();
    }
}

/// Peak resident memory of this process so far (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}
