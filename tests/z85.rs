//! Z85 (ZeroMQ RFC 32) and CURVE key helpers (pyzmq's test_z85).

const RFC_PUBLIC_RAW: &str = "BB88471D65E2659B30C55A5321CEBB5AAB2B70A398645C26DCA2B2FCB43FC518";
const RFC_PUBLIC_Z85: &str = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
const RFC_SECRET_RAW: &str = "7BB864B489AFA3671FBE69101F94B38972F24816DFB01B51656B3FEC8DFD0888";
const RFC_SECRET_Z85: &str = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn rfc_32_vectors() {
    let hello = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
    assert_eq!(zmq::z85::encode(hello).unwrap(), "HelloWorld");
    assert_eq!(zmq::z85::decode("HelloWorld").unwrap(), hello);
    for (raw, text) in [
        (RFC_PUBLIC_RAW, RFC_PUBLIC_Z85),
        (RFC_SECRET_RAW, RFC_SECRET_Z85),
    ] {
        assert_eq!(zmq::z85::encode(hex(raw)).unwrap(), text);
        assert_eq!(zmq::z85::decode(text).unwrap(), hex(raw));
        assert_eq!(zmq::z85::decode(text.as_bytes()).unwrap(), hex(raw));
    }
}

#[test]
fn round_trips_and_empty_input() {
    assert_eq!(zmq::z85::encode([]).unwrap(), "");
    assert_eq!(zmq::z85::decode("").unwrap(), Vec::<u8>::new());
    let data: Vec<u8> = (0..=255).collect();
    assert_eq!(
        zmq::z85::decode(zmq::z85::encode(&data).unwrap()).unwrap(),
        data
    );
}

#[test]
fn wrong_lengths_and_characters_are_errors() {
    for len in [1, 2, 3, 5, 7] {
        assert!(
            matches!(
                zmq::z85::encode(vec![0u8; len]),
                Err(zmq::Error::InvalidArgument(_))
            ),
            "{len}"
        );
    }
    for text in ["1234", "123456", "Hello\0orld"] {
        assert!(zmq::z85::decode(text).is_err(), "{text:?}");
    }
    // Characters outside the Z85 alphabet.
    assert!(zmq::z85::decode("Hello World").is_err());
    assert!(zmq::z85::decode("\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}").is_err());
}

#[test]
#[cfg_attr(not(feature = "curve"), ignore = "needs feature curve (CI builds it)")]
fn curve_public_matches_rfc_keys() {
    assert!(zmq::has("curve"), "this libzmq has no CURVE");
    assert_eq!(
        zmq::curve_public(RFC_SECRET_Z85).unwrap(),
        RFC_PUBLIC_Z85.as_bytes()
    );
    let (public, secret) = zmq::curve_keypair().unwrap();
    assert_eq!((public.len(), secret.len()), (40, 40));
    assert_ne!(public, secret);
    assert_eq!(zmq::z85::decode(&public).unwrap().len(), 32);
}
