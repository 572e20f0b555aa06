//! Where libzmq comes from: one decision ladder (README.md, "Where does libzmq
//! come from?").
//!
//! 1. `LIBZMQ_NO_VENDOR=1` (or `<TARGET>_LIBZMQ_NO_VENDOR=1`, e.g.
//!    `X86_64_UNKNOWN_LINUX_GNU_LIBZMQ_NO_VENDOR`) links the system libzmq
//!    that pkg-config finds (at least 4.3.0), dynamically. Features then only
//!    assert capabilities: `draft` fails the build when the library lacks the
//!    draft API; `pgm`/`curve` fail it when the library reports it lacks them.
//! 2. Otherwise libzmq 4.3.5 is compiled statically from the `zeromq-src`
//!    crate; `pgm` adds OpenPGM (`openpgm-sys`), `curve` adds libsodium
//!    (`libsodium-sys-stable`), `draft` builds the draft API.
//!
//! Every variable read is echoed as `rerun-if-env-changed`, and the only file
//! this script reads of ours is itself, so edits to `src/` never rebuild
//! libzmq.

use std::env;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{self, Command};

/// The oldest system libzmq the safe API is written against.
const MIN_SYSTEM_VERSION: &str = "4.3.0";

/// Fails the build with a message addressed to the person building.
fn fail(message: &str) -> ! {
    eprintln!("\nerror: failed to configure libzmq for the `zmq` crate\n\n{message}\n");
    process::exit(1);
}

fn target() -> String {
    env::var("TARGET").unwrap_or_default()
}

/// Reads a build-time variable, the target-prefixed form first
/// (`X86_64_UNKNOWN_LINUX_GNU_LIBZMQ_NO_VENDOR`, as rust-openssl does), then
/// the plain one. Both are echoed so that changing either reruns this script.
fn env_var(name: &str) -> Option<(String, OsString)> {
    let prefixed = format!(
        "{}_{name}",
        target().to_uppercase().replace(['-', '.'], "_")
    );
    println!("cargo:rerun-if-env-changed={prefixed}");
    println!("cargo:rerun-if-env-changed={name}");
    [prefixed, name.to_string()]
        .into_iter()
        .find_map(|key| env::var_os(&key).map(|value| (key, value)))
}

fn feature(name: &str) -> bool {
    env::var_os(format!("CARGO_FEATURE_{}", name.to_uppercase())).is_some()
}

/// `LIBZMQ_NO_VENDOR`: 1/true/yes/on or 0/false/no/off (or empty), nothing else.
fn no_vendor() -> bool {
    let Some((key, value)) = env_var("LIBZMQ_NO_VENDOR") else {
        return false;
    };
    let text = value.to_string_lossy();
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => true,
        "" | "0" | "false" | "no" | "off" => false,
        _ => fail(&format!(
            "{key}={text:?} is not understood.\n\
             Set {key}=1 to link the system libzmq found by pkg-config, or \
             {key}=0 (or leave it unset) to build the vendored libzmq 4.3.5."
        )),
    }
}

/// Parses "4.3.4" (or "4.3") into (major, minor, patch).
fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u32>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    Some((major, minor, patch))
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-check-cfg=cfg(zmq_vendored)");
    println!("cargo:rustc-check-cfg=cfg(zmq_system)");

    let include_dirs = if no_vendor() {
        link_system()
    } else {
        build_vendored()
    };

    // For dependents (`DEP_ZMQ_INCLUDE`, `DEP_ZMQ_ROOT`), and for our own FFI
    // layout test, which compiles a C program against the very zmq.h used.
    let out_dir = env::var("OUT_DIR").unwrap_or_default();
    println!("cargo:root={out_dir}");
    if let Some(first) = include_dirs.first() {
        println!("cargo:include={}", first.display());
    }
    let joined = env::join_paths(&include_dirs).unwrap_or_default();
    println!(
        "cargo:rustc-env=ZMQ_BUILD_INCLUDE_DIRS={}",
        joined.to_string_lossy()
    );
}

/// What libzmq's own configure step (CMake's `platform.hpp`) finds on any
/// Linux with glibc or musl, and zeromq-src does not define: without these,
/// libzmq accepts TCP_KEEPALIVE* and BINDTODEVICE and silently applies
/// nothing, cannot resolve interface names (`tcp://eth0:*`), times out on
/// the wall clock instead of the monotonic one, signals through socket pairs
/// instead of eventfds, leaves its threads unnamed, and makes `ipc://*`
/// sockets as bare files in the working directory. `tests/platform.rs`
/// checks each effect from the operating system's side.
const LINUX_CONFIG: &[&str] = &[
    "ZMQ_IOTHREAD_POLLER_USE_EPOLL_CLOEXEC",
    "ZMQ_HAVE_PPOLL",
    "HAVE_POSIX_MEMALIGN=1",
    "ZMQ_CACHELINE_SIZE=64",
    "HAVE_FORK",
    "HAVE_CLOCK_GETTIME",
    "HAVE_MKDTEMP",
    "ZMQ_HAVE_EVENTFD",
    "ZMQ_HAVE_EVENTFD_CLOEXEC",
    "ZMQ_HAVE_IFADDRS",
    "ZMQ_HAVE_SO_BINDTODEVICE",
    "ZMQ_HAVE_SO_PEERCRED",
    "ZMQ_HAVE_BUSY_POLL",
    "ZMQ_HAVE_O_CLOEXEC",
    "ZMQ_HAVE_SOCK_CLOEXEC",
    "ZMQ_HAVE_SO_KEEPALIVE",
    "ZMQ_HAVE_SO_PRIORITY",
    "ZMQ_HAVE_TCP_KEEPCNT",
    "ZMQ_HAVE_TCP_KEEPIDLE",
    "ZMQ_HAVE_TCP_KEEPINTVL",
    "ZMQ_HAVE_PTHREAD_SETNAME_2",
    "ZMQ_HAVE_PTHREAD_SET_AFFINITY",
    "HAVE_ACCEPT4",
    "HAVE_IF_NAMETOINDEX",
];

/// The vendored path: libzmq 4.3.5 from `zeromq-src`, statically.
fn build_vendored() -> Vec<PathBuf> {
    println!("cargo:rustc-cfg=zmq_vendored");
    let mut build = zeromq_src::Build::new();
    build.enable_draft(feature("draft"));

    if feature("curve") {
        // libsodium-sys-stable (`links = "sodium"`) hands us its build.
        let (Some(include), Some(lib)) = (
            env::var_os("DEP_SODIUM_INCLUDE"),
            env::var_os("DEP_SODIUM_LIB"),
        ) else {
            fail("feature `curve`: libsodium-sys-stable did not report DEP_SODIUM_INCLUDE/DEP_SODIUM_LIB");
        };
        build.with_libsodium(Some(zeromq_src::LibLocation::new(
            PathBuf::from(lib),
            PathBuf::from(include),
        )));
    }

    // zeromq-src's cc::Build is private: our defines go through the
    // CXXFLAGS that cc reads. cc combines every form of the variable, so
    // appending to the target-specific one keeps what the user set.
    let mut cxxflags: Vec<String> = Vec::new();
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        cxxflags.extend(LINUX_CONFIG.iter().map(|d| format!("-D{d}")));
    }
    if feature("pgm") {
        // zeromq-src compiles pgm_socket.cpp & co. but they are empty unless
        // ZMQ_HAVE_OPENPGM is defined.
        let Some(include) = env::var_os("DEP_PGM_INCLUDE") else {
            fail("feature `pgm`: openpgm-sys did not report DEP_PGM_INCLUDE");
        };
        cxxflags.push("-DZMQ_HAVE_OPENPGM=1".into());
        cxxflags.push(format!("-I{}", include.to_string_lossy()));
        settle_openpgm_fingerprint();
    }
    if !cxxflags.is_empty() {
        let key = format!("CXXFLAGS_{}", target());
        let mut flags = env::var(&key).unwrap_or_default();
        for flag in cxxflags {
            if !flags.is_empty() {
                flags.push(' ');
            }
            flags.push_str(&flag);
        }
        // The build script is single-threaded here; cc reads it below.
        env::set_var(&key, flags);
    }

    build.build();

    println!("cargo:version=4.3.5");
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    vec![out_dir.join("source").join("include")]
}

/// openpgm-sys 0.7 writes `version.c` into its OUT_DIR during its build and
/// declares it `rerun-if-changed`. Written after cargo's `invoked.timestamp`,
/// it looks changed on every later build, so openpgm-sys reran, and with it
/// this script and the whole libzmq compile, after any edit. Giving the file
/// the run's start time makes that fingerprint settle. Only that one
/// generated file is touched; if the layout differs, nothing is done.
fn settle_openpgm_fingerprint() {
    let Some(out) = env::var_os("DEP_PGM_OUT").map(PathBuf::from) else {
        return;
    };
    let Some(stamp) = out.parent().map(|run| run.join("invoked.timestamp")) else {
        return;
    };
    let Ok(started) = std::fs::metadata(stamp).and_then(|m| m.modified()) else {
        return;
    };
    if let Ok(file) = std::fs::File::options()
        .write(true)
        .open(out.join("version.c"))
    {
        let _ = file.set_modified(started);
    }
}

/// The system path: pkg-config's libzmq, dynamically.
fn link_system() -> Vec<PathBuf> {
    println!("cargo:rustc-cfg=zmq_system");
    const INSTALL: &str = "Install libzmq's development files and pkg-config:\n  \
         Debian/Ubuntu: apt-get install libzmq3-dev pkg-config\n  \
         Fedora:        dnf install zeromq-devel pkgconf-pkg-config\n  \
         Homebrew:      brew install zeromq pkg-config\n\
         or unset LIBZMQ_NO_VENDOR to build the vendored libzmq 4.3.5 instead.";

    // A silent probe first, so a too-old library gets a precise message.
    let found = match pkg_config::Config::new()
        .cargo_metadata(false)
        .env_metadata(true)
        .probe("libzmq")
    {
        Ok(lib) => lib,
        Err(e) => fail(&format!(
            "LIBZMQ_NO_VENDOR asks for the system libzmq, but pkg-config did not find it:\n\
             {e}\n\n{INSTALL}"
        )),
    };
    let too_old = match (
        parse_version(&found.version),
        parse_version(MIN_SYSTEM_VERSION),
    ) {
        (Some(have), Some(need)) => have < need,
        _ => true,
    };
    if too_old {
        fail(&format!(
            "LIBZMQ_NO_VENDOR asks for the system libzmq; pkg-config found libzmq {} \
             but this crate needs at least {MIN_SYSTEM_VERSION}.\n\n{INSTALL}",
            found.version
        ));
    }

    let lib = match pkg_config::Config::new()
        .atleast_version(MIN_SYSTEM_VERSION)
        .statik(false)
        .probe("libzmq")
    {
        Ok(lib) => lib,
        Err(e) => fail(&format!(
            "pkg-config failed on its second probe of libzmq:\n{e}"
        )),
    };
    println!("cargo:version={}", lib.version);

    if feature("draft") && !links_draft_api(&lib) {
        fail(&format!(
            "feature `draft` needs libzmq's draft API, but the system libzmq {} was built \
             without it (zmq_poller_new is not exported).\n\
             Build the vendored libzmq instead (unset LIBZMQ_NO_VENDOR), or install a libzmq \
             configured with --enable-drafts.",
            lib.version
        ));
    }
    check_system_capabilities(&lib);
    lib.include_paths
}

/// Compiles (and, when `run`, executes) a small C program against `lib`.
/// Returns its standard output, or `None` when it did not build or run.
fn try_c_program(lib: &pkg_config::Library, name: &str, source: &str, run: bool) -> Option<String> {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR")?);
    let src = out_dir.join(format!("{name}.c"));
    let exe = out_dir.join(name);
    std::fs::write(&src, source).ok()?;
    let compiler = cc::Build::new()
        .cargo_metadata(false)
        .warnings(false)
        .try_get_compiler()
        .ok()?;
    let mut cmd = compiler.to_command();
    for dir in &lib.include_paths {
        cmd.arg("-I").arg(dir);
    }
    cmd.arg(&src).arg("-o").arg(&exe);
    for dir in &lib.link_paths {
        cmd.arg("-L").arg(dir);
    }
    for name in &lib.libs {
        cmd.arg(format!("-l{name}"));
    }
    let built = cmd.output().ok()?;
    if !built.status.success() {
        return None;
    }
    if !run {
        return Some(String::new());
    }
    let mut run_cmd = Command::new(&exe);
    if !lib.link_paths.is_empty() {
        let mut paths: Vec<PathBuf> = lib.link_paths.clone();
        if let Some(old) = env::var_os("LD_LIBRARY_PATH") {
            paths.extend(env::split_paths(&old));
        }
        run_cmd.env("LD_LIBRARY_PATH", env::join_paths(paths).ok()?);
    }
    let output = run_cmd.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// A link test: does the system library export the draft API?
fn links_draft_api(lib: &pkg_config::Library) -> bool {
    const SOURCE: &str = "#define ZMQ_BUILD_DRAFT_API 1\n#include <zmq.h>\n\
        int main(void) { void *p = zmq_poller_new(); return zmq_poller_destroy(&p); }\n";
    try_c_program(lib, "zmq_draft_probe", SOURCE, false).is_some()
}

/// `pgm`/`curve` with a system library: ask the library itself (`zmq_has`)
/// when the build runs on the target; when cross-compiling, say it was not
/// checked.
fn check_system_capabilities(lib: &pkg_config::Library) {
    let wanted: Vec<&str> = ["pgm", "curve"]
        .into_iter()
        .filter(|name| feature(name))
        .collect();
    if wanted.is_empty() {
        return;
    }
    if env::var("HOST").ok() != env::var("TARGET").ok() {
        println!(
            "cargo:warning=cross-compiling: not checking that the system libzmq supports {}",
            wanted.join(", ")
        );
        return;
    }
    const SOURCE: &str = "#include <stdio.h>\n#include <zmq.h>\n\
        int main(void) { printf(\"%d %d\\n\", zmq_has(\"pgm\"), zmq_has(\"curve\")); return 0; }\n";
    let Some(output) = try_c_program(lib, "zmq_has_probe", SOURCE, true) else {
        println!("cargo:warning=could not run a probe against the system libzmq; capabilities not checked");
        return;
    };
    let mut flags = output.split_whitespace();
    let has = |flag: Option<&str>| flag == Some("1");
    let (pgm, curve) = (has(flags.next()), has(flags.next()));
    for (name, present) in [("pgm", pgm), ("curve", curve)] {
        if feature(name) && !present {
            fail(&format!(
                "feature `{name}` was asked for, but the system libzmq {} reports \
                 zmq_has(\"{name}\") = 0.\n\
                 Build the vendored libzmq instead (unset LIBZMQ_NO_VENDOR), or install a libzmq \
                 built with {name} support.",
                lib.version
            ));
        }
    }
}
