//! Passkeys (WebAuthn level 2), checked here without I/O: what a browser
//! sends when a passkey is made (`navigator.credentials.create`) and when it
//! signs in (`navigator.credentials.get`). Only what Stille asks for is
//! accepted: ES256 keys (P-256; every platform passkey offers it), the user
//! present and verified (a fingerprint, face or the device's PIN), so a
//! passkey is both steps of a two-step sign-in on its own.
//!
//! Attestation is not asked for (`"none"`): Stille does not restrict which
//! authenticators people use, so it reads the new key from the
//! authenticator data and does not trust or check an attestation statement
//! an authenticator sends anyway.

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

/// The only key algorithm asked for: ECDSA with P-256 and SHA-256 (COSE -7).
pub const ES256: i64 = -7;

/// Who is asking: the relying party id (the site's host name, without port)
/// and the origin the pages are served from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub id: String,
    pub origin: String,
}

/// A passkey just made, to be kept with its person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPasskey {
    /// The credential id the browser names it by.
    pub credential_id: Vec<u8>,
    /// The public key, SEC1 uncompressed (65 bytes).
    pub public_key: Vec<u8>,
    /// The authenticator's signature counter (0 for most synced passkeys).
    pub sign_count: u32,
    /// Whether it may be copied to the person's other devices (a synced passkey).
    pub backed_up: bool,
}

/// Why a passkey's answer is refused; said in the API's error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the client data is not the JSON a browser sends")]
    ClientData,
    #[error("the answer is for another ceremony (expected {0})")]
    Ceremony(&'static str),
    #[error("the answer is for another challenge")]
    Challenge,
    #[error("the answer comes from another site ({0})")]
    Origin(String),
    #[error("the authenticator data is too short or malformed")]
    AuthenticatorData,
    #[error("the passkey is for another site")]
    RelyingParty,
    #[error("the person was not present at the authenticator")]
    NotPresent,
    #[error("the person was not verified at the authenticator (fingerprint, face or PIN)")]
    NotVerified,
    #[error("the attestation object is not the CBOR a browser sends")]
    Attestation,
    #[error("the new passkey's key is missing or malformed")]
    Key,
    #[error("the passkey's key is not ES256 (P-256); Stille accepts only that")]
    Algorithm,
    #[error("the signature does not match the passkey")]
    Signature,
    #[error("the passkey's counter went back: it may have been copied")]
    Counter,
}

const FLAG_USER_PRESENT: u8 = 0x01;
const FLAG_USER_VERIFIED: u8 = 0x04;
const FLAG_BACKED_UP: u8 = 0x10;
const FLAG_ATTESTED: u8 = 0x40;
const FLAG_EXTENSIONS: u8 = 0x80;

/// The parts of the client data JSON that are checked.
#[derive(serde::Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
}

fn check_client_data(
    party: &Party,
    ceremony: &'static str,
    challenge: &[u8],
    json: &[u8],
) -> Result<(), Refused> {
    let data: ClientData = serde_json::from_slice(json).map_err(|_| Refused::ClientData)?;
    if data.kind != ceremony {
        return Err(Refused::Ceremony(ceremony));
    }
    let sent = base64url_decode(&data.challenge).ok_or(Refused::Challenge)?;
    if sent != challenge {
        return Err(Refused::Challenge);
    }
    if data.origin != party.origin {
        return Err(Refused::Origin(data.origin));
    }
    Ok(())
}

/// The fixed start of authenticator data: the relying party's hash, the
/// flags and the counter, checked for `party` and a present, verified person.
fn check_authenticator_data(party: &Party, data: &[u8]) -> Result<(u8, u32), Refused> {
    if data.len() < 37 {
        return Err(Refused::AuthenticatorData);
    }
    let rp_hash = Sha256::digest(party.id.as_bytes());
    if data[..32] != rp_hash[..] {
        return Err(Refused::RelyingParty);
    }
    let flags = data[32];
    if flags & FLAG_USER_PRESENT == 0 {
        return Err(Refused::NotPresent);
    }
    if flags & FLAG_USER_VERIFIED == 0 {
        return Err(Refused::NotVerified);
    }
    let count = u32::from_be_bytes([data[33], data[34], data[35], data[36]]);
    Ok((flags, count))
}

/// Checks what `navigator.credentials.create` gave for `challenge` and
/// returns the new passkey.
pub fn register(
    party: &Party,
    challenge: &[u8],
    client_data_json: &[u8],
    attestation_object: &[u8],
) -> Result<NewPasskey, Refused> {
    check_client_data(party, "webauthn.create", challenge, client_data_json)?;
    let object: ciborium::Value = read_cbor(&mut &attestation_object[..]).ok_or(Refused::Attestation)?;
    let auth_data = object
        .as_map()
        .and_then(|map| map.iter().find(|(k, _)| k.as_text() == Some("authData")))
        .and_then(|(_, v)| v.as_bytes())
        .ok_or(Refused::Attestation)?;
    let (flags, sign_count) = check_authenticator_data(party, auth_data)?;
    if flags & FLAG_ATTESTED == 0 {
        return Err(Refused::Key);
    }
    // Attested credential data: AAGUID (16), id length (2), id, COSE key.
    let rest = &auth_data[37..];
    if rest.len() < 18 {
        return Err(Refused::AuthenticatorData);
    }
    let id_len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
    let rest = &rest[18..];
    if rest.len() < id_len || id_len == 0 || id_len > 1023 {
        return Err(Refused::AuthenticatorData);
    }
    let (credential_id, mut rest) = rest.split_at(id_len);
    let key: ciborium::Value = read_cbor(&mut rest).ok_or(Refused::Key)?;
    // Extensions may follow the key only when the flag says so.
    if flags & FLAG_EXTENSIONS == 0 && !rest.is_empty() {
        return Err(Refused::AuthenticatorData);
    }
    let public_key = es256_key(&key)?;
    Ok(NewPasskey {
        credential_id: credential_id.to_vec(),
        public_key,
        sign_count,
        backed_up: flags & FLAG_BACKED_UP != 0,
    })
}

/// Checks what `navigator.credentials.get` gave for `challenge`, signed by
/// the passkey whose key is `public_key` and whose counter stood at
/// `stored_count`; returns the counter to keep.
pub fn sign_in(
    party: &Party,
    challenge: &[u8],
    client_data_json: &[u8],
    authenticator_data: &[u8],
    signature: &[u8],
    public_key: &[u8],
    stored_count: u32,
) -> Result<u32, Refused> {
    check_client_data(party, "webauthn.get", challenge, client_data_json)?;
    let (_, count) = check_authenticator_data(party, authenticator_data)?;
    let key = VerifyingKey::from_sec1_bytes(public_key).map_err(|_| Refused::Key)?;
    let signature = Signature::from_der(signature).map_err(|_| Refused::Signature)?;
    let mut signed = authenticator_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data_json));
    key.verify(&signed, &signature).map_err(|_| Refused::Signature)?;
    // A counter that does not move forward means two copies of one key,
    // unless the authenticator keeps none (both 0: synced passkeys).
    if (count != 0 || stored_count != 0) && count <= stored_count {
        return Err(Refused::Counter);
    }
    Ok(count)
}

/// The SEC1 point of a COSE EC2 key on P-256 for ES256.
fn es256_key(key: &ciborium::Value) -> Result<Vec<u8>, Refused> {
    let map = key.as_map().ok_or(Refused::Key)?;
    let field = |label: i64| {
        map.iter()
            .find(|(k, _)| k.as_integer().and_then(|i| i64::try_from(i).ok()) == Some(label))
            .map(|(_, v)| v)
    };
    let int = |label: i64| field(label).and_then(|v| v.as_integer()).and_then(|i| i64::try_from(i).ok());
    // kty 2 (EC2), alg -7 (ES256), crv 1 (P-256).
    if int(3) != Some(ES256) || int(1) != Some(2) || int(-1) != Some(1) {
        return Err(Refused::Algorithm);
    }
    let x = field(-2).and_then(|v| v.as_bytes()).ok_or(Refused::Key)?;
    let y = field(-3).and_then(|v| v.as_bytes()).ok_or(Refused::Key)?;
    if x.len() != 32 || y.len() != 32 {
        return Err(Refused::Key);
    }
    let mut point = Vec::with_capacity(65);
    point.push(0x04);
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    // A point that is not on the curve is refused now, not at sign-in.
    VerifyingKey::from_sec1_bytes(&point).map_err(|_| Refused::Key)?;
    Ok(point)
}

/// One CBOR item from the front of `input`, which is moved past it.
fn read_cbor(input: &mut &[u8]) -> Option<ciborium::Value> {
    // A small nesting limit: nothing here is deeper than three.
    ciborium::de::from_reader_with_recursion_limit(&mut *input, 16).ok()
}

/// Base64url without padding (as WebAuthn's JSON writes bytes).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// Bytes as base64url without padding.
pub fn base64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A software authenticator: what a device and its browser send, made
/// here so the tests (these and the API's) can drive every check end to
/// end, each spoiling one part of an answer.
pub mod soft {
    use p256::ecdsa::signature::Signer;
    use p256::ecdsa::{Signature, SigningKey};
    use sha2::{Digest, Sha256};

    use super::base64url;

    /// A passkey on a pretend device, for `rp_id` at `origin`.
    #[derive(Debug)]
    pub struct Authenticator {
        pub key: SigningKey,
        pub id: Vec<u8>,
        pub count: u32,
        pub flags: u8,
        pub rp_id: String,
        pub origin: String,
    }

    /// Client data JSON as a browser writes it.
    pub fn client_data(kind: &str, challenge: &[u8], origin: &str) -> Vec<u8> {
        serde_json::json!({"type": kind, "challenge": base64url(challenge), "origin": origin, "crossOrigin": false})
            .to_string()
            .into_bytes()
    }

    fn cbor(value: &ciborium::Value) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = ciborium::ser::into_writer(value, &mut out);
        out
    }

    impl Authenticator {
        /// A passkey whose key is made from `seed` (the same bytes each run),
        /// present, verified and synced.
        pub fn new(seed: u8, rp_id: &str, origin: &str) -> Authenticator {
            let key = SigningKey::from_slice(&[seed.max(1); 32])
                .unwrap_or_else(|_| SigningKey::from_slice(&[1; 32]).expect("a key"));
            Authenticator {
                key,
                id: vec![seed; 16],
                count: 0,
                flags: 0x01 | 0x04 | 0x08 | 0x10,
                rp_id: rp_id.to_owned(),
                origin: origin.to_owned(),
            }
        }

        /// The public key as COSE (EC2, ES256, P-256).
        pub fn cose_key(&self) -> ciborium::Value {
            use ciborium::Value::{Bytes, Integer, Map};
            let point = self.key.verifying_key().to_encoded_point(false);
            let x = point.x().map(|x| x.to_vec()).unwrap_or_default();
            let y = point.y().map(|y| y.to_vec()).unwrap_or_default();
            Map(vec![
                (Integer(1.into()), Integer(2.into())),
                (Integer(3.into()), Integer((-7).into())),
                (Integer((-1).into()), Integer(1.into())),
                (Integer((-2).into()), Bytes(x)),
                (Integer((-3).into()), Bytes(y)),
            ])
        }

        /// Authenticator data for `rp_id` with `flags`, with the new key
        /// when `attested` is given.
        pub fn auth_data(&self, rp_id: &str, flags: u8, attested: Option<&ciborium::Value>) -> Vec<u8> {
            let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
            data.push(flags);
            data.extend_from_slice(&self.count.to_be_bytes());
            if let Some(key) = attested {
                data.extend_from_slice(&[0u8; 16]);
                data.extend_from_slice(&u16::try_from(self.id.len()).unwrap_or(0).to_be_bytes());
                data.extend_from_slice(&self.id);
                data.extend_from_slice(&cbor(key));
            }
            data
        }

        /// An attestation object ("none") around `auth_data`.
        pub fn attestation(&self, auth_data: Vec<u8>) -> Vec<u8> {
            use ciborium::Value::{Bytes, Map, Text};
            cbor(&Map(vec![
                (Text("fmt".into()), Text("none".into())),
                (Text("attStmt".into()), Map(vec![])),
                (Text("authData".into()), Bytes(auth_data)),
            ]))
        }

        /// What `navigator.credentials.create` gives: client data and the
        /// attestation object.
        pub fn create(&self, challenge: &[u8]) -> (Vec<u8>, Vec<u8>) {
            let data = self.auth_data(&self.rp_id, self.flags | 0x40, Some(&self.cose_key()));
            (client_data("webauthn.create", challenge, &self.origin), self.attestation(data))
        }

        /// What `navigator.credentials.get` gives: client data,
        /// authenticator data and the signature.
        pub fn get(&self, challenge: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
            let client = client_data("webauthn.get", challenge, &self.origin);
            let data = self.auth_data(&self.rp_id, self.flags, None);
            let signature = self.sign(&data, &client);
            (client, data, signature)
        }

        /// The DER signature over `data` and the client data's hash.
        pub fn sign(&self, data: &[u8], client: &[u8]) -> Vec<u8> {
            let mut signed = data.to_vec();
            signed.extend_from_slice(&Sha256::digest(client));
            let signature: Signature = self.key.sign(&signed);
            signature.to_der().as_bytes().to_vec()
        }

        /// The public key, SEC1 uncompressed.
        pub fn public_key(&self) -> Vec<u8> {
            self.key.verifying_key().to_encoded_point(false).as_bytes().to_vec()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::soft::{Authenticator as Device, client_data};
    use super::*;
    use p256::ecdsa::SigningKey;
    use p256::ecdsa::signature::Signer;

    fn party() -> Party {
        Party { id: "stille.example".into(), origin: "https://stille.example".into() }
    }

    /// The tests' phone, for [`party`].
    fn phone() -> Device {
        Device::new(7, &party().id, &party().origin)
    }

    #[test]
    fn a_passkey_is_made_and_signs_in() {
        let authenticator = phone();
        let (client, attestation) = authenticator.create(b"challenge one");
        let made = register(&party(), b"challenge one", &client, &attestation).expect("made");
        assert_eq!(made.credential_id, authenticator.id);
        assert_eq!(made.public_key, authenticator.public_key());
        assert_eq!(made.sign_count, 0);
        assert!(made.backed_up);
        let (client, data, signature) = authenticator.get(b"challenge two");
        let count = sign_in(&party(), b"challenge two", &client, &data, &signature, &made.public_key, 0);
        assert_eq!(count, Ok(0), "a synced passkey keeps no counter");
    }

    #[test]
    fn a_made_passkey_is_refused_when_any_part_is_wrong() {
        let authenticator = phone();
        let (client, attestation) = authenticator.create(b"c");
        let refused = |client: &[u8], attestation: &[u8]| register(&party(), b"c", client, attestation).err();
        assert_eq!(refused(&client, &attestation), None);
        assert_eq!(
            refused(&client_data("webauthn.get", b"c", &party().origin), &attestation),
            Some(Refused::Ceremony("webauthn.create"))
        );
        assert_eq!(
            refused(&client_data("webauthn.create", b"other", &party().origin), &attestation),
            Some(Refused::Challenge)
        );
        assert_eq!(
            refused(&client_data("webauthn.create", b"c", "https://evil.example"), &attestation),
            Some(Refused::Origin("https://evil.example".into()))
        );
        assert_eq!(refused(b"{not json", &attestation), Some(Refused::ClientData));
        assert_eq!(refused(&client, b"\xff\x00"), Some(Refused::Attestation));
        let key = authenticator.cose_key();
        let other_site = authenticator.attestation(authenticator.auth_data("evil.example", 0x45, Some(&key)));
        assert_eq!(refused(&client, &other_site), Some(Refused::RelyingParty));
        let absent = authenticator.attestation(authenticator.auth_data(&party().id, 0x44, Some(&key)));
        assert_eq!(refused(&client, &absent), Some(Refused::NotPresent));
        let unverified = authenticator.attestation(authenticator.auth_data(&party().id, 0x41, Some(&key)));
        assert_eq!(refused(&client, &unverified), Some(Refused::NotVerified));
        let keyless = authenticator.attestation(authenticator.auth_data(&party().id, 0x05, None));
        assert_eq!(refused(&client, &keyless), Some(Refused::Key));
        // An RS256 key (alg -257) is not what was asked for.
        let mut rsa = key.clone();
        if let ciborium::Value::Map(fields) = &mut rsa {
            fields[1].1 = ciborium::Value::Integer((-257).into());
        }
        let rsa = authenticator.attestation(authenticator.auth_data(&party().id, 0x45, Some(&rsa)));
        assert_eq!(refused(&client, &rsa), Some(Refused::Algorithm));
        // A point off the curve.
        let mut off = key.clone();
        if let ciborium::Value::Map(fields) = &mut off {
            fields[4].1 = ciborium::Value::Bytes(vec![9u8; 32]);
        }
        let off = authenticator.attestation(authenticator.auth_data(&party().id, 0x45, Some(&off)));
        assert_eq!(refused(&client, &off), Some(Refused::Key));
        // Bytes after the key without the extensions flag.
        let mut trailing = authenticator.auth_data(&party().id, 0x45, Some(&key));
        trailing.push(0);
        assert_eq!(refused(&client, &authenticator.attestation(trailing)), Some(Refused::AuthenticatorData));
        // Cut short anywhere: refused, never a panic.
        let whole = authenticator.auth_data(&party().id, 0x45, Some(&key));
        for cut in 0..whole.len() {
            let short = authenticator.attestation(whole[..cut].to_vec());
            assert!(refused(&client, &short).is_some(), "cut at {cut}");
        }
    }

    #[test]
    fn a_sign_in_is_refused_when_any_part_is_wrong() {
        let mut authenticator = phone();
        let key = authenticator.public_key();
        let (client, data, signature) = authenticator.get(b"c");
        let refused = |client: &[u8], data: &[u8], signature: &[u8], stored: u32| {
            sign_in(&party(), b"c", client, data, signature, &key, stored).err()
        };
        assert_eq!(refused(&client, &data, &signature, 0), None);
        let other = client_data("webauthn.get", b"other", &party().origin);
        assert_eq!(
            refused(&other, &data, &authenticator.sign(&data, &other), 0),
            Some(Refused::Challenge),
            "an answer to an earlier challenge cannot be replayed"
        );
        let mut tampered = data.clone();
        tampered[36] ^= 1;
        assert_eq!(refused(&client, &tampered, &signature, 0), Some(Refused::Signature));
        assert_eq!(refused(&client, &data, b"\x30\x00", 0), Some(Refused::Signature));
        let someone_else = SigningKey::from_slice(&[9u8; 32]).expect("a key");
        let mut signed = data.clone();
        signed.extend_from_slice(&Sha256::digest(&client));
        let theirs: Signature = someone_else.sign(&signed);
        assert_eq!(refused(&client, &data, theirs.to_der().as_bytes(), 0), Some(Refused::Signature));
        // A counting authenticator must count up.
        authenticator.count = 5;
        let (client, data, signature) = authenticator.get(b"c");
        assert_eq!(refused(&client, &data, &signature, 4), None);
        assert_eq!(refused(&client, &data, &signature, 5), Some(Refused::Counter), "a copy of the key");
        assert_eq!(refused(&client, &data, &signature, 9), Some(Refused::Counter));
        authenticator.flags = 0x01;
        let (client, data, signature) = authenticator.get(b"c");
        assert_eq!(refused(&client, &data, &signature, 0), Some(Refused::NotVerified));
    }
}
