//! Hostile workbooks through the command line: each is refused with the file (and sheet) named,
//! the database stays unchanged, and no refusal takes more than 200 MB of memory.
//!
//! Every command here is a refusal, so the largest peak RSS of this test binary's children
//! (getrusage RUSAGE_CHILDREN) bounds each of them.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::Env;

const INSTITUTION_HEADERS: [&str; 4] = ["机构编码", "机构名称", "机构类型", "所属区县"];

/// A small valid institutions workbook, with `extra` cells written after the data.
fn workbook(path: &Path, extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("机构").unwrap();
    for (c, h) in INSTITUTION_HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["H45990100001", "临江市第一人民医院", "医疗机构", "江北区"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    extra(ws);
    wb.save(path).unwrap();
}

/// Rewrites the zip archive `src` into `dst`, replacing the part `name` by `content` (deflated).
fn replace_part(src: &Path, dst: &Path, name: &str, content: &mut dyn Read) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).unwrap();
        if part.name().unwrap() == name {
            drop(part);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(false);
            out.start_file(name, opts).unwrap();
            std::io::copy(content, &mut out).unwrap();
        } else {
            out.raw_copy_file(part).unwrap();
        }
    }
    out.finish().unwrap();
}

/// `n` bytes of one repeated XML row: compresses about 1000:1.
struct Repeated {
    head: Vec<u8>,
    unit: Vec<u8>,
    tail: Vec<u8>,
    left: u64,
    at: usize,
    stage: u8,
}

impl Read for Repeated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            let src = match self.stage {
                0 => &self.head,
                1 if self.left > 0 => &self.unit,
                1 => {
                    self.stage = 2;
                    self.at = 0;
                    continue;
                }
                2 => &self.tail,
                _ => break,
            };
            let k = (src.len() - self.at).min(buf.len() - n);
            buf[n..n + k].copy_from_slice(&src[self.at..self.at + k]);
            self.at += k;
            n += k;
            if self.at == src.len() {
                self.at = 0;
                if self.stage == 1 {
                    self.left -= 1;
                } else {
                    self.stage += 1;
                }
            }
        }
        Ok(n)
    }
}

/// Sets the declared uncompressed size of the part `name` in both of the archive's headers.
fn declare_size(path: &Path, name: &str, size: u32) {
    let mut bytes = std::fs::read(path).unwrap();
    let needle = name.as_bytes();
    let mut at = 0;
    while let Some(p) = bytes[at..].windows(needle.len()).position(|w| w == needle) {
        let p = at + p;
        // The name follows a local header (30 bytes) or a central directory header (46 bytes).
        for (header, sig, size_at) in [(30usize, 0x04034b50u32, 22usize), (46, 0x02014b50, 24)] {
            if p >= header && u32::from_le_bytes(bytes[p - header..p - header + 4].try_into().unwrap()) == sig {
                bytes[p - header + size_at..p - header + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
        }
        at = p + needle.len();
    }
    std::fs::write(path, bytes).unwrap();
}

/// Imports `file` as institutions: it must be refused, with `expected` in the message; the
/// roster stays empty.
fn refused(env: &Env, file: &Path, expected: &[&str]) -> String {
    let err = env.fails(&["import", "institutions", file.to_str().unwrap()]);
    for e in expected {
        assert!(err.contains(e), "{e:?} not in: {err}");
    }
    let info = env.ok(&["info"]);
    assert!(info.contains("检查对象: 0"), "{info}");
    err
}

fn max_child_rss_mb() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    usage.ru_maxrss as f64 / 1024.0
}

#[test]
fn hostile_workbooks_are_refused_within_200_mb() {
    let env = Env::new();
    let good = env.path("good.xlsx");
    workbook(&good, |_| {});

    // Cells at A1 and XFD1048576: a dense grid would be 17 billion cells. Streamed, the sheet
    // is three rows; the last one holds nothing the roster can use, and says so.
    let sparse = env.path("sparse.xlsx");
    workbook(&sparse, |ws| {
        ws.write_string(1_048_575, 16_383, "远处的单元格").unwrap();
    });
    assert!(std::fs::metadata(&sparse).unwrap().len() < 10_000);
    refused(&env, &sparse, &["sparse.xlsx 第 1048576 行 A 列「机构编码」：必填"]);

    // A deflate bomb: a sheet part inflating about 1000:1.
    let bomb = env.path("bomb.xlsx");
    let mut rows = Repeated {
        head: br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#.to_vec(),
        unit: b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_vec(),
        tail: b"</t></is></c></row></sheetData></worksheet>".to_vec(),
        left: (64 << 20) / 64,
        at: 0,
        stage: 0,
    };
    replace_part(&good, &bomb, "xl/worksheets/sheet1.xml", &mut rows);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1_000_000);
    refused(
        &env,
        &bomb,
        &["bomb.xlsx", "工作表「机构」", "xl/worksheets/sheet1.xml", "压缩炸弹"],
    );

    // A part declaring 3 GB inflated.
    let huge = env.path("huge.xlsx");
    std::fs::copy(&good, &huge).unwrap();
    declare_size(&huge, "xl/worksheets/sheet1.xml", 3_000_000_000);
    refused(
        &env,
        &huge,
        &["huge.xlsx", "xl/worksheets/sheet1.xml", "解压后有 3000 MB"],
    );

    // A part declaring less than it inflates to: the zip reader stops at the declared size.
    let liar = env.path("liar.xlsx");
    let mut rows = Repeated {
        left: (8 << 20) / 64,
        ..rows
    };
    rows.at = 0;
    rows.stage = 0;
    replace_part(&good, &liar, "xl/worksheets/sheet1.xml", &mut rows);
    declare_size(&liar, "xl/worksheets/sheet1.xml", 4096);
    refused(&env, &liar, &["liar.xlsx"]);

    // A shared-string table declaring four billion strings (calamine reserves room for them).
    let strings = env.path("strings.xlsx");
    let sst = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
        let mut s = String::new();
        zip.by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        let at = s.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + s[at..].find('"').unwrap();
        format!("{}4000000000{}", &s[..at], &s[end..])
    };
    replace_part(&good, &strings, "xl/sharedStrings.xml", &mut sst.as_bytes());
    refused(&env, &strings, &["strings.xlsx", "4000000000"]);

    // A cell longer than Excel allows.
    let long = env.path("long.xlsx");
    workbook(&long, |ws| {
        ws.write_string(1, 1, "院".repeat(20_000)).unwrap();
    });
    // rust_xlsxwriter refuses to write such a cell; put it in by hand.
    let long_sheet = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&long).unwrap()).unwrap();
        let mut s = String::new();
        zip.by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s.replace(&"院".repeat(20_000), &"院".repeat(40_000))
    };
    let long2 = env.path("long2.xlsx");
    replace_part(&long, &long2, "xl/sharedStrings.xml", &mut long_sheet.as_bytes());
    refused(&env, &long2, &["long2.xlsx", "第 2 行 B 列", "40000 个字符", "32767"]);

    let peak = max_child_rss_mb();
    assert!(peak <= 200.0, "a refusal took {peak:.0} MB");
    // The good file still goes in afterwards.
    let mut f = std::fs::File::open(&good).unwrap();
    let mut head = [0u8; 2];
    f.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"PK");
    std::io::stdout().flush().unwrap();
    env.ok(&["import", "institutions", good.to_str().unwrap()]);
}

const INSPECTORS: &str = "执法证号,姓名,所属单位,所属区县,专业,持有执法证,回避机构,联系电话,状态\n";

#[test]
fn lookalike_keys_and_invisible_characters_are_refused() {
    let env = Env::new();
    env.ok(&["demo"]);
    let before = env.ok(&["info"]);
    let file = env.path("inspectors.csv");
    let import = |text: &str| {
        std::fs::write(&file, format!("{INSPECTORS}{text}")).unwrap();
        env.fails(&["import", "inspectors", file.to_str().unwrap()])
    };
    // The same person under two ids that differ by full width, case or an invisible character.
    let row = |id: &str| format!("{id},张三,临江市医疗保障局,江北区,医学,是,,,在岗\n");
    let e = import(&format!("{}{}", row("ZS001"), row("ＺＳ001")));
    assert!(
        e.contains("inspectors.csv 第 3 行「执法证号」：与第 2 行的“ZS001”只差全角/半角或大小写"),
        "{e}"
    );
    let e = import(&format!("{}{}", row("ZS001"), row("zs001")));
    assert!(e.contains("第 3 行「执法证号」：与第 2 行的“ZS001”"), "{e}");
    let e = import(&format!("{}{}", row("ZS001"), row("ZS\u{200B}001")));
    assert!(
        e.contains("第 3 行「执法证号」：含有不可见字符 U+200B（零宽空格）"),
        "{e}"
    );
    // Bidi overrides in any field.
    let e = import("ZS002,\u{202E}三张,临江市医疗保障局,江北区,医学,是,,,在岗\n");
    assert!(e.contains("第 2 行「姓名」：含有不可见字符 U+202E"), "{e}");
    // Against the stored roster: the demo has LJ-numbered inspectors.
    let stored = env.ok(&["export", "inspectors", env.path("i.csv").to_str().unwrap()]);
    assert!(stored.contains("已导出"));
    let first_id = std::fs::read_to_string(env.path("i.csv"))
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let e = import(&row(&first_id.to_lowercase()));
    assert!(
        e.contains(&format!("与名录库中已有的“{first_id}”只差全角/半角或大小写")),
        "{e}"
    );
    // A 回避 code that would never match the roster's code.
    let inst = std::fs::read_to_string(data_file("institutions.csv")).unwrap();
    let code = inst
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .to_string();
    let wide: String = code
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect();
    let e = import(&format!("ZS003,李四,临江市医疗保障局,江北区,医学,是,{wide},,在岗\n"));
    assert!(
        e.contains(&format!(
            "「回避机构」：“{wide}”与名录库中的“{code}”只差全角/半角或大小写"
        )),
        "{e}"
    );
    assert_eq!(env.ok(&["info"]), before);
}

#[test]
fn warnings_are_summarised_by_kind() {
    let env = Env::new();
    env.ok(&["demo"]);
    // 10,000 unknown columns and one bad row.
    let wide = env.path("wide.csv");
    let extra: String = (0..10_000).map(|i| format!(",列{i}")).collect();
    std::fs::write(
        &wide,
        format!("执法证号,姓名,所属单位,所属区县,持有执法证{extra}\nZS001,,局,江北区,是\n"),
    )
    .unwrap();
    let e = env.fails(&["import", "inspectors", wide.to_str().unwrap()]);
    assert!(e.contains("警告: 未知列，已忽略：共 10000 处，例如："), "{e}");
    assert!(
        e.contains("……另有 9995 处") && e.contains("第 2 行「姓名」：必填"),
        "{e}"
    );
    assert!(e.lines().count() < 20, "{e}");
    // 2,000 inspectors naming unknown 回避 codes.
    let many = env.path("many.csv");
    let rows: String = (0..2000)
        .map(|i| format!("ZS{i:05},人员{i},局,江北区,医学,是,H99{i:09},,在岗\n"))
        .collect();
    std::fs::write(&many, format!("{INSPECTORS}{rows}")).unwrap();
    let out = env
        .cmd()
        .args(["import", "inspectors", many.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(
        e.contains("回避机构不在检查对象名录库中（仍按回避处理）：共 2000 处"),
        "{e}"
    );
    assert!(e.lines().count() < 10, "{e}");
}

fn data_file(rel: &str) -> String {
    common::data(rel)
}

#[test]
fn roster_exports_never_run_formulas_and_show_no_quote_in_xlsx() {
    let env = Env::new();
    let file = env.path("institutions.csv");
    std::fs::write(
        &file,
        "机构编码,机构名称,机构类型,所属区县,地址,联系人\nH45990100001,\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",医疗机构,江北区,+1+1,@SUM(A1)\n",
    )
    .unwrap();
    env.ok(&["import", "institutions", file.to_str().unwrap()]);
    let csv = env.path("out.csv");
    env.ok(&["export", "institutions", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\","),
        "{text}"
    );
    assert!(text.contains(",'+1+1,'@SUM(A1),"), "{text}");
    // The export re-imports unchanged.
    let out = env.ok(&["import", "institutions", csv.to_str().unwrap()]);
    assert!(out.contains("未变 1"), "{out}");
    // xlsx: string cells, shown as written.
    let xlsx = env.path("out.xlsx");
    env.ok(&["export", "institutions", xlsx.to_str().unwrap()]);
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(&xlsx).unwrap();
    let range = wb.worksheet_range("Sheet1").unwrap();
    let row: Vec<&calamine::Data> = range.rows().nth(1).unwrap().iter().collect();
    assert!(
        row.contains(&&calamine::Data::String("=HYPERLINK(\"http://x\",\"点我\")".into())),
        "{row:?}"
    );
    assert!(row.contains(&&calamine::Data::String("+1+1".into())), "{row:?}");
    assert!(!row.iter().any(|c| c.to_string().starts_with('\'')), "{row:?}");
    let formulas = wb.worksheet_formula("Sheet1").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}
