//! CURVE certificate files in the ZPL format that czmq and pyzmq write
//! (`zmq.auth.create_certificates`, `load_certificate(s)`), so files move
//! between them and this crate in both directions:
//!
//! ```text
//! #   ****  Generated on 2026-12-01 10:00:00 UTC by zmq-safe  ****
//! #   ZeroMQ CURVE **Secret** Certificate
//! #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
//!
//! metadata
//!     name = "server"
//! curve
//!     public-key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
//!     secret-key = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
//! ```
//!
//! A certificate is `NAME.key` (the public key only, to hand out) and
//! `NAME.key_secret` (both keys, written readable by its owner alone).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const PUBLIC_BANNER: &str = "#   ZeroMQ CURVE Public Certificate
#   Exchange securely, or use a secure mechanism to verify the contents
#   of this file after exchange. Store public certificates in your home
#   directory, in the .curve subdirectory.
";

const SECRET_BANNER: &str = "#   ZeroMQ CURVE **Secret** Certificate
#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
";

/// Makes a new CURVE key pair and writes it as a certificate:
/// `keys_dir/NAME.key` (public) and `keys_dir/NAME.key_secret` (secret,
/// mode 0600), returning the two paths (pyzmq's
/// `zmq.auth.create_certificates(keys_dir, name)`). Needs a libzmq with
/// CURVE.
///
/// ```
/// # if !zmq::has("curve") { return Ok(()); }
/// let dir = std::env::temp_dir().join(format!("zmq-certs-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let (public_file, secret_file) = zmq::auth::create_certificates(&dir, "server")?;
/// let (public, secret) = zmq::auth::load_certificate(&secret_file)?;
/// assert_eq!(zmq::auth::load_certificate(&public_file)?, (public.clone(), None));
/// assert_eq!(zmq::curve_public(secret.unwrap())?, public);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), zmq::Error>(())
/// ```
pub fn create_certificates(keys_dir: impl AsRef<Path>, name: &str) -> Result<(PathBuf, PathBuf)> {
    create_certificates_with_metadata(keys_dir, name, std::iter::empty::<(&str, &str)>())
}

/// [`create_certificates`] with `metadata` entries in the secret file
/// (pyzmq's `create_certificates(keys_dir, name, metadata)`).
pub fn create_certificates_with_metadata<I, K, V>(
    keys_dir: impl AsRef<Path>,
    name: &str,
    metadata: I,
) -> Result<(PathBuf, PathBuf)>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    if name.is_empty() || name.contains(['/', '\0']) {
        return Err(Error::InvalidArgument(
            "a certificate name is a file name (no '/', no NUL)",
        ));
    }
    let metadata: Vec<(String, String)> = metadata
        .into_iter()
        .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
        .collect();
    for (key, value) in &metadata {
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(Error::InvalidArgument(
                "a metadata name is letters, digits, '-', '_' and '.'",
            ));
        }
        if value.contains(['"', '\n', '\r']) {
            return Err(Error::InvalidArgument(
                "a metadata value has no quote and no line break",
            ));
        }
    }
    let (public, secret) = crate::curve_keypair()?;
    let public = String::from_utf8_lossy(&public).into_owned();
    let secret = String::from_utf8_lossy(&secret).into_owned();
    let dir = keys_dir.as_ref();
    let public_file = dir.join(format!("{name}.key"));
    let secret_file = dir.join(format!("{name}.key_secret"));
    write_file(
        &public_file,
        &certificate(PUBLIC_BANNER, &[], &public, None),
        false,
    )?;
    write_file(
        &secret_file,
        &certificate(SECRET_BANNER, &metadata, &public, Some(&secret)),
        true,
    )?;
    Ok((public_file, secret_file))
}

fn certificate(
    banner: &str,
    metadata: &[(String, String)],
    public: &str,
    secret: Option<&str>,
) -> String {
    let mut text = format!(
        "#   ****  Generated on {} by zmq-safe  ****\n{banner}\n",
        utc_now()
    );
    text.push_str("metadata\n");
    for (key, value) in metadata {
        text.push_str(&format!("    {key} = \"{value}\"\n"));
    }
    text.push_str("curve\n");
    text.push_str(&format!("    public-key = \"{public}\"\n"));
    if let Some(secret) = secret {
        text.push_str(&format!("    secret-key = \"{secret}\"\n"));
    }
    text
}

/// Writes `text` to `path`; a secret file is made readable and writable by
/// its owner only (0600), before anything is written to it.
fn write_file(path: &Path, text: &str, secret: bool) -> Result<()> {
    let io = |error| Error::Io {
        path: path.to_path_buf(),
        error,
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    #[cfg(unix)]
    if secret {
        // An existing file keeps its mode through `open`: narrow it too.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    file.write_all(text.as_bytes()).map_err(io)
}

/// Reads a certificate file (pyzmq's `zmq.auth.load_certificate(path)`):
/// its public key and, for a secret file, its secret key, both as 40
/// characters of Z85. A file without a public key, or with a key that is
/// not 40 characters of Z85, is an error naming the file and the line.
pub fn load_certificate(path: impl AsRef<Path>) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    let path = path.as_ref();
    let bytes = fs::read(path).map_err(|error| Error::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let malformed = |line: usize, message: String| Error::Certificate {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = String::from_utf8(bytes).map_err(|_| malformed(0, "not UTF-8 text".into()))?;
    let (mut public, mut secret) = (None, None);
    for (i, line) in text.lines().enumerate() {
        let line_number = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((name, value)) = trimmed.split_once('=') else {
            continue; // a section name ("metadata", "curve")
        };
        let slot = match name.trim() {
            "public-key" => &mut public,
            "secret-key" => &mut secret,
            _ => continue, // metadata
        };
        let key = value.trim().trim_matches(|c| c == '"' || c == '\'');
        if key.len() != 40 || crate::z85::check(key.as_bytes()).is_err() {
            return Err(malformed(
                line_number,
                format!("{} is not 40 characters of Z85", name.trim()),
            ));
        }
        if slot.is_some() {
            return Err(malformed(line_number, format!("a second {}", name.trim())));
        }
        *slot = Some(key.as_bytes().to_vec());
    }
    match public {
        Some(public) => Ok((public, secret)),
        None => Err(malformed(0, "no public-key".into())),
    }
}

/// The public keys of every certificate (`*.key` file) in a directory
/// (pyzmq's `zmq.auth.load_certificates(dir)`), as 40 characters of Z85,
/// sorted. A file that cannot be read or is malformed is skipped, with a
/// warning in the log, and the others still load; a directory that cannot
/// be read is an error.
pub fn load_certificates(directory: impl AsRef<Path>) -> Result<Vec<Vec<u8>>> {
    let directory = directory.as_ref();
    let entries = fs::read_dir(directory).map_err(|error| Error::Io {
        path: directory.to_path_buf(),
        error,
    })?;
    let mut keys = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("key") {
            continue;
        }
        match load_certificate(&path) {
            Ok((public, _)) => keys.push(public),
            Err(e) => {
                log::warn!(target: "zmq::auth", "skipping certificate {}: {e}", path.display())
            }
        }
    }
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// Now, in UTC, as `2026-12-01 10:00:00 UTC`.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_423), (2025, 12, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn malformed_files_name_the_line() {
        let dir = std::env::temp_dir().join(format!("zmq-rs-certs-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.key");
        fs::write(&file, "metadata\ncurve\n    public-key = \"short\"\n").unwrap();
        match load_certificate(&file) {
            Err(Error::Certificate { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
        fs::write(&file, "metadata\ncurve\n").unwrap();
        assert!(matches!(
            load_certificate(&file),
            Err(Error::Certificate { line: 0, .. })
        ));
        let key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
        fs::write(&file, format!("curve\n    public-key = '{key}'\n")).unwrap();
        assert_eq!(
            load_certificate(&file).unwrap(),
            (key.as_bytes().to_vec(), None)
        );
        fs::write(&file, [0xff, 0xfe]).unwrap();
        assert!(load_certificate(&file).is_err());
        assert!(matches!(
            load_certificate(dir.join("missing.key")),
            Err(Error::Io { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }
}
