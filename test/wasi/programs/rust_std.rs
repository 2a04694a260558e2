// rust_std.rs: WASI through Rust's standard library (wasm32-wasi): std::env
// (args, vars), std::fs over a preopened directory (write, read, metadata,
// read_dir, rename, hard links, remove), std::io (stdin, stdout,
// stderr), std::time, and the exit code through std::process::exit.
// Needs a writable preopen /sandbox holding hello.txt ("Hello, WASI!\n"),
// and stdin "three\nlines\nhere\n".
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

struct Checks {
    run: u32,
    failed: u32,
}

impl Checks {
    fn expect(&mut self, ok: bool, what: &str) {
        self.run += 1;
        if !ok {
            self.failed += 1;
        }
        println!("{} {}", if ok { "ok  " } else { "FAIL" }, what);
    }
}

fn main() {
    let mut c = Checks { run: 0, failed: 0 };
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("args: {:?}", args);
    let vars: BTreeMap<String, String> = std::env::vars().collect();
    println!("vars: {:?}", vars);
    c.expect(std::env::var("HOME").is_err(), "no HOME: the environment is only what was given");

    let root = std::path::Path::new("/sandbox");
    c.expect(
        fs::read_to_string(root.join("hello.txt")).map_or(false, |s| s == "Hello, WASI!\n"),
        "fs::read_to_string hello.txt",
    );
    c.expect(fs::create_dir_all(root.join("x/y")).is_ok(), "fs::create_dir_all x/y");
    c.expect(fs::write(root.join("x/y/data"), b"0123456789").is_ok(), "fs::write x/y/data");
    let meta = fs::metadata(root.join("x/y/data"));
    c.expect(meta.as_ref().map_or(false, |m| m.is_file() && m.len() == 10), "metadata: a 10-byte file");
    let mut f = fs::OpenOptions::new().read(true).write(true).open(root.join("x/y/data")).unwrap();
    f.seek(SeekFrom::Start(4)).unwrap();
    f.write_all(b"ABCD").unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    c.expect(s == "0123ABCD89", "seek, write and read back through one File");
    c.expect(f.set_len(3).is_ok() && f.metadata().unwrap().len() == 3, "File::set_len(3)");
    drop(f);

    c.expect(fs::rename(root.join("x/y/data"), root.join("x/moved")).is_ok(), "fs::rename");
    c.expect(fs::hard_link(root.join("x/moved"), root.join("x/hard")).is_ok(), "fs::hard_link");
    c.expect(
        fs::symlink_metadata(root.join("x/hard")).map_or(false, |m| m.file_type().is_file() && m.len() == 3),
        "fs::symlink_metadata of the hard link: a 3-byte file",
    );
    let mut names: Vec<String> = fs::read_dir(root.join("x"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    println!("x holds: {:?}", names);
    c.expect(names == ["hard", "moved", "y"], "fs::read_dir x");

    let missing = fs::read(root.join("missing"));
    c.expect(
        missing.as_ref().err().map(|e| e.kind()) == Some(io::ErrorKind::NotFound),
        "reading a missing file: NotFound",
    );
    c.expect(fs::read("/etc/passwd").is_err(), "reading /etc/passwd fails: no preopen covers it");
    c.expect(fs::read(root.join("../etc/passwd")).is_err(), "reading /sandbox/../etc/passwd fails");
    c.expect(fs::remove_dir(root.join("x")).is_err(), "fs::remove_dir of a non-empty directory fails");
    c.expect(fs::remove_dir_all(root.join("x")).is_ok(), "fs::remove_dir_all x");
    c.expect(!root.join("x").exists(), "x is gone");

    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    c.expect(now.as_secs() > 1_577_836_800, "SystemTime::now is after 2020");
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(15));
    c.expect(start.elapsed() >= Duration::from_millis(14), "thread::sleep(15ms) and Instant");

    let lines: Vec<String> = io::stdin().lock().lines().map(|l| l.unwrap()).collect();
    println!("stdin lines: {:?}", lines);
    c.expect(lines.len() == 3, "read 3 lines from stdin");
    eprintln!("this goes to stderr");
    println!("{} checks, {} failed", c.run, c.failed);
    io::stdout().flush().unwrap();
    // The exit code is the number of arguments plus 10 when all checks pass.
    std::process::exit(if c.failed == 0 { 10 + args.len() as i32 } else { 1 });
}
