//! Checks this module against the zmq.h the build used (vendored or system):
//! a generated C program prints every constant's value and the layouts, and
//! the header's own declarations are compared with ours for completeness.

use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::mem::{align_of, offset_of, size_of};
use std::path::{Path, PathBuf};
use std::process::Command;

const DRAFT: bool = cfg!(feature = "draft");

fn include_dirs() -> Vec<PathBuf> {
    std::env::split_paths(env!("ZMQ_BUILD_INCLUDE_DIRS"))
        .filter(|p| !p.as_os_str().is_empty())
        .collect()
}

/// The zmq.h the C compiler sees: the build's include dirs first, then the
/// compiler's default locations (where pkg-config leaves system headers out).
fn header_path() -> PathBuf {
    include_dirs()
        .into_iter()
        .chain([
            PathBuf::from("/usr/include"),
            PathBuf::from("/usr/local/include"),
        ])
        .map(|dir| dir.join("zmq.h"))
        .find(|p| p.is_file())
        .expect("zmq.h not found in the build's include dirs")
}

fn our_constants() -> Vec<(&'static str, i64)> {
    let mut all: Vec<(&str, i64)> = [
        VERSION_CONSTANTS,
        ERRNO_CONSTANTS,
        ZMQ_ERRNO_CONSTANTS,
        CONTEXT_CONSTANTS,
        SOCKET_TYPE_CONSTANTS,
        SOCKET_OPTION_CONSTANTS,
        MISC_CONSTANTS,
        EVENT_CONSTANTS,
    ]
    .concat();
    all.push(("ZMQ_HAUSNUMERO", ZMQ_HAUSNUMERO as i64));
    #[cfg(feature = "draft")]
    all.extend_from_slice(draft::DRAFT_CONSTANTS);
    all
}

fn our_functions() -> BTreeSet<&'static str> {
    #[allow(unused_mut)]
    let mut all: BTreeSet<&str> = stable_functions().into_iter().map(|(n, _)| n).collect();
    #[cfg(feature = "draft")]
    {
        all.extend(draft::draft_functions().into_iter().map(|(n, _)| n));
        all.insert("zmq_ppoll");
    }
    all
}

/// What zmq.h itself declares: constant names with a value, and functions.
struct Declared {
    constants: BTreeSet<String>,
    strings: BTreeMap<String, String>,
    functions: BTreeSet<String>,
}

fn parse_header(path: &Path) -> Declared {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut declared = Declared {
        constants: BTreeSet::new(),
        strings: BTreeMap::new(),
        functions: BTreeSet::new(),
    };
    let mut in_draft = false;
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.starts_with("#ifdef ZMQ_BUILD_DRAFT_API") {
            in_draft = true;
            continue;
        }
        if line.starts_with("#endif") && line.contains("ZMQ_BUILD_DRAFT_API") {
            in_draft = false;
            continue;
        }
        if in_draft && !DRAFT {
            continue;
        }
        if let Some(rest) = line.strip_prefix("#define ") {
            let mut words = rest.split_whitespace();
            let name = words.next().unwrap_or("");
            let has_value = words.next().is_some();
            let wanted = name.starts_with("ZMQ_") || name.starts_with('E');
            let skipped = name.contains('(') || matches!(name, "ZMQ_EXPORT" | "ZMQ_DEFINED_STDINT");
            if wanted && has_value && !skipped {
                if let Some(start) = rest.find('"') {
                    let value = rest[start..].trim_matches('"').to_string();
                    declared.strings.insert(name.to_string(), value);
                } else {
                    declared.constants.insert(name.to_string());
                }
            }
        } else if line.starts_with("ZMQ_EXPORT") {
            // The name is the last identifier before the first '(' (the
            // declaration may continue on the next lines).
            let mut decl = String::new();
            for next in &lines[i..] {
                decl.push_str(next);
                decl.push(' ');
                if next.contains('(') {
                    break;
                }
            }
            let before = &decl[..decl.find('(').unwrap()];
            let name = before
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .rfind(|w| !w.is_empty())
                .unwrap();
            declared.functions.insert(name.to_string());
        }
    }
    declared
}

/// Compiles and runs a C program printing each constant's value and the
/// layouts, as "name value" lines.
fn values_from_c(names: &[&str]) -> BTreeMap<String, i64> {
    let mut src = String::new();
    if DRAFT {
        src.push_str("#define ZMQ_BUILD_DRAFT_API 1\n");
    }
    src.push_str(
        "#include <stdio.h>\n#include <stddef.h>\n#include <zmq.h>\n\
         #define ALIGNOF(t) ((long long) offsetof(struct { char c; t x; }, x))\n\
         #define P(name, value) printf(\"%s %lld\\n\", name, (long long) (value))\n\
         int main(void) {\n",
    );
    for name in names {
        writeln!(src, "  P(\"{name}\", {name});").unwrap();
    }
    let mut layout = vec![
        ("sizeof_msg", "sizeof(zmq_msg_t)"),
        ("alignof_msg", "ALIGNOF(zmq_msg_t)"),
        ("sizeof_pollitem", "sizeof(zmq_pollitem_t)"),
        ("alignof_pollitem", "ALIGNOF(zmq_pollitem_t)"),
        ("offset_pollitem_fd", "offsetof(zmq_pollitem_t, fd)"),
        ("offset_pollitem_events", "offsetof(zmq_pollitem_t, events)"),
        (
            "offset_pollitem_revents",
            "offsetof(zmq_pollitem_t, revents)",
        ),
        ("sizeof_fd", "sizeof(zmq_fd_t)"),
    ];
    if DRAFT {
        layout.extend([
            ("sizeof_poller_event", "sizeof(zmq_poller_event_t)"),
            ("alignof_poller_event", "ALIGNOF(zmq_poller_event_t)"),
            ("offset_poller_event_fd", "offsetof(zmq_poller_event_t, fd)"),
            (
                "offset_poller_event_user_data",
                "offsetof(zmq_poller_event_t, user_data)",
            ),
            (
                "offset_poller_event_events",
                "offsetof(zmq_poller_event_t, events)",
            ),
        ]);
    }
    for (name, expr) in layout {
        writeln!(src, "  P(\"{name}\", {expr});").unwrap();
    }
    src.push_str("  return 0;\n}\n");

    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("zmq-sys-layout-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let c_file = dir.join("layout.c");
    let exe = dir.join("layout");
    std::fs::write(&c_file, &src).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let mut cmd = Command::new(&cc);
    for inc in include_dirs() {
        cmd.arg("-I").arg(inc);
    }
    let out = cmd
        .arg(&c_file)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("run the C compiler");
    assert!(
        out.status.success(),
        "compiling the layout probe failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(&exe).output().unwrap();
    assert!(out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (name, value) = line.split_once(' ').unwrap();
            (name.to_string(), value.parse().unwrap())
        })
        .collect()
}

#[test]
fn constants_and_layouts_match_the_header() {
    let ours = our_constants();
    let names: Vec<&str> = ours.iter().map(|(n, _)| *n).collect();
    let c = values_from_c(&names);

    let mut wrong = Vec::new();
    for (name, value) in &ours {
        // The version macros describe the header this module was written
        // from (4.3.5); a system header may be older. `zmq_version()` is what
        // the linked library reports.
        if cfg!(zmq_system) && name.starts_with("ZMQ_VERSION") {
            continue;
        }
        if c[*name] != *value {
            wrong.push(format!("{name}: ours {value}, zmq.h {}", c[*name]));
        }
    }
    assert!(
        wrong.is_empty(),
        "constants differ from zmq.h:\n{}",
        wrong.join("\n")
    );

    let ours_layout = [
        ("sizeof_msg", size_of::<zmq_msg_t>()),
        ("alignof_msg", align_of::<zmq_msg_t>()),
        ("sizeof_pollitem", size_of::<zmq_pollitem_t>()),
        ("alignof_pollitem", align_of::<zmq_pollitem_t>()),
        ("offset_pollitem_fd", offset_of!(zmq_pollitem_t, fd)),
        ("offset_pollitem_events", offset_of!(zmq_pollitem_t, events)),
        (
            "offset_pollitem_revents",
            offset_of!(zmq_pollitem_t, revents),
        ),
        ("sizeof_fd", size_of::<zmq_fd_t>()),
    ];
    for (name, value) in ours_layout {
        assert_eq!(c[name], value as i64, "{name}");
    }
    assert_eq!(size_of::<zmq_msg_t>(), 64);
    assert_eq!(align_of::<zmq_msg_t>(), size_of::<*const u8>());
    #[cfg(feature = "draft")]
    for (name, value) in [
        ("sizeof_poller_event", size_of::<zmq_poller_event_t>()),
        ("alignof_poller_event", align_of::<zmq_poller_event_t>()),
        ("offset_poller_event_fd", offset_of!(zmq_poller_event_t, fd)),
        (
            "offset_poller_event_user_data",
            offset_of!(zmq_poller_event_t, user_data),
        ),
        (
            "offset_poller_event_events",
            offset_of!(zmq_poller_event_t, events),
        ),
    ] {
        assert_eq!(c[name], value as i64, "{name}");
    }
}

#[test]
fn every_declaration_of_the_header_is_here() {
    let declared = parse_header(&header_path());
    let ours: BTreeSet<&str> = our_constants().into_iter().map(|(n, _)| n).collect();
    let missing: Vec<&String> = declared
        .constants
        .iter()
        .filter(|n| !ours.contains(n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "constants of zmq.h missing here: {missing:?}"
    );

    let functions = our_functions();
    let missing: Vec<&String> = declared
        .functions
        .iter()
        .filter(|n| !functions.contains(n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "functions of zmq.h missing here: {missing:?}"
    );
    let extra: Vec<&&str> = functions
        .iter()
        .filter(|n| !declared.functions.contains(**n))
        .collect();
    assert!(
        extra.is_empty(),
        "functions here that zmq.h does not declare: {extra:?}"
    );
    assert!(
        declared.functions.len() > 60,
        "header parse found too little"
    );

    #[cfg(feature = "draft")]
    for (name, ours) in [
        ("ZMQ_MSG_PROPERTY_ROUTING_ID", ZMQ_MSG_PROPERTY_ROUTING_ID),
        ("ZMQ_MSG_PROPERTY_SOCKET_TYPE", ZMQ_MSG_PROPERTY_SOCKET_TYPE),
        ("ZMQ_MSG_PROPERTY_USER_ID", ZMQ_MSG_PROPERTY_USER_ID),
        (
            "ZMQ_MSG_PROPERTY_PEER_ADDRESS",
            ZMQ_MSG_PROPERTY_PEER_ADDRESS,
        ),
    ] {
        let value = &declared.strings[name];
        assert_eq!(format!("{value}\0").as_bytes(), ours, "{name}");
    }
}

#[test]
fn every_function_links() {
    // Taking each function's address makes the linker resolve every symbol.
    let stable = stable_functions();
    assert!(stable.iter().all(|(_, addr)| *addr != 0));
    #[cfg(feature = "draft")]
    assert!(draft::draft_functions().iter().all(|(_, addr)| *addr != 0));
}

#[test]
fn the_linked_library_is_the_one_whose_header_we_read() {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { zmq_version(&mut major, &mut minor, &mut patch) };
    let c = values_from_c(&[
        "ZMQ_VERSION_MAJOR",
        "ZMQ_VERSION_MINOR",
        "ZMQ_VERSION_PATCH",
    ]);
    assert_eq!(
        (major, minor, patch),
        (
            c["ZMQ_VERSION_MAJOR"] as i32,
            c["ZMQ_VERSION_MINOR"] as i32,
            c["ZMQ_VERSION_PATCH"] as i32
        )
    );
}
