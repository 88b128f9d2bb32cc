//! Web Push on the wire: a payload encrypted for one browser (RFC 8291, the
//! `aes128gcm` content coding of RFC 8188) and each request signed with the
//! server's key (VAPID, RFC 8292), which the push services check against the
//! key the browser subscribed with.
//!
//! The receiving side ([`decrypt`], [`verify_vapid`]) is what a browser and
//! a push service do; the test harness's push-service stand-in uses it, and
//! the unit tests hold both sides to the RFC's own example.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// The record size written in every message: one record holds it all.
pub const RECORD_SIZE: u32 = 4096;

/// The header: salt (16), record size (4), key id length (1), key id (65).
const HEADER: usize = 16 + 4 + 1 + 65;

/// The longest payload one message carries: a push service takes 4096 bytes
/// of body, less the header, the AES-GCM tag and the record's delimiter.
pub const MAX_PAYLOAD: usize = RECORD_SIZE as usize - HEADER - 16 - 1;

/// How long a VAPID token is valid (RFC 8292 allows at most 24 hours).
pub const TOKEN_LIFETIME_S: i64 = 12 * 3600;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PushError {
    #[error("{0}")]
    Key(&'static str),
    #[error("a push payload is at most {MAX_PAYLOAD} bytes; this one is {0}")]
    TooLong(usize),
    #[error("the message does not decrypt: {0}")]
    Decrypt(&'static str),
    #[error("the VAPID token does not hold: {0}")]
    Token(&'static str),
}

/// Base64url without padding, as Web Push writes keys, salts and tokens.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Reads base64url with or without padding (browsers differ).
pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// 32 random bytes that make a P-256 secret key (retried in the rare case
/// they are not below the group order).
fn random_secret() -> Result<SecretKey, PushError> {
    for _ in 0..16 {
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes).map_err(|_| PushError::Key("the system gave no random bytes"))?;
        if let Ok(key) = SecretKey::from_slice(&bytes) {
            return Ok(key);
        }
    }
    Err(PushError::Key("no usable random key"))
}

fn point(key: &PublicKey) -> Vec<u8> {
    key.to_encoded_point(false).as_bytes().to_vec()
}

/// A browser's keys from its subscription.
#[derive(Clone, Debug)]
pub struct ClientKeys {
    public: PublicKey,
    auth: [u8; 16],
}

impl ClientKeys {
    /// From the subscription's `p256dh` and `auth`, base64url; a message
    /// that says which is wrong.
    pub fn parse(p256dh: &str, auth: &str) -> Result<ClientKeys, PushError> {
        let public = unb64(p256dh)
            .filter(|bytes| bytes.len() == 65 && bytes[0] == 4)
            .and_then(|bytes| PublicKey::from_sec1_bytes(&bytes).ok())
            .ok_or(PushError::Key("keys.p256dh is not an uncompressed P-256 public key in base64url"))?;
        let auth = unb64(auth)
            .and_then(|bytes| <[u8; 16]>::try_from(bytes).ok())
            .ok_or(PushError::Key("keys.auth is not 16 bytes in base64url"))?;
        Ok(ClientKeys { public, auth })
    }
}

/// The input keying material both sides derive from the ECDH secret and the
/// browser's auth secret (RFC 8291 section 3.3).
fn key_ikm(ecdh: &[u8], auth: &[u8; 16], ua_public: &[u8], as_public: &[u8]) -> [u8; 32] {
    let mut info = b"WebPush: info\0".to_vec();
    info.extend_from_slice(ua_public);
    info.extend_from_slice(as_public);
    let mut ikm = [0u8; 32];
    // 32 bytes is far below HKDF-SHA-256's limit of 8160: expand cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(auth), ecdh).expand(&info, &mut ikm);
    ikm
}

/// The content key and nonce of RFC 8188 section 2.2 and 2.3.
fn content_keys(ikm: &[u8; 32], salt: &[u8]) -> ([u8; 16], [u8; 12]) {
    let hkdf = Hkdf::<Sha256>::new(Some(salt), ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    let _ = hkdf.expand(b"Content-Encoding: aes128gcm\0", &mut cek);
    let _ = hkdf.expand(b"Content-Encoding: nonce\0", &mut nonce);
    (cek, nonce)
}

/// `payload` encrypted for the browser with `to`'s keys, with a new
/// sender key and salt: the body of one push request.
pub fn encrypt(payload: &[u8], to: &ClientKeys) -> Result<Vec<u8>, PushError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|_| PushError::Key("the system gave no random bytes"))?;
    encrypt_with(payload, to, &random_secret()?, salt)
}

fn encrypt_with(
    payload: &[u8],
    to: &ClientKeys,
    sender: &SecretKey,
    salt: [u8; 16],
) -> Result<Vec<u8>, PushError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(PushError::TooLong(payload.len()));
    }
    let as_public = point(&sender.public_key());
    let ecdh = p256::ecdh::diffie_hellman(sender.to_nonzero_scalar(), to.public.as_affine());
    let ikm = key_ikm(ecdh.raw_secret_bytes(), &to.auth, &point(&to.public), &as_public);
    let (cek, nonce) = content_keys(&ikm, &salt);
    let mut record = Vec::with_capacity(payload.len() + 1);
    record.extend_from_slice(payload);
    record.push(2); // the last (and only) record, no padding
    let sealed = Aes128Gcm::new(&cek.into())
        .encrypt(Nonce::from_slice(&nonce), record.as_slice())
        .map_err(|_| PushError::Key("AES-GCM refused the record"))?;
    let mut body = Vec::with_capacity(HEADER + sealed.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(65);
    body.extend_from_slice(&as_public);
    body.extend_from_slice(&sealed);
    Ok(body)
}

/// What a browser does with a message's body: its plaintext, given the
/// browser's private key and auth secret. One record, as [`encrypt`] writes
/// and as every push service carries.
pub fn decrypt(body: &[u8], receiver: &SecretKey, auth: &[u8; 16]) -> Result<Vec<u8>, PushError> {
    if body.len() < 21 {
        return Err(PushError::Decrypt("shorter than its header"));
    }
    let (salt, rest) = body.split_at(16);
    let record_size = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
    let id_len = usize::from(rest[4]);
    let rest = &rest[5..];
    if rest.len() < id_len + 17 {
        return Err(PushError::Decrypt("shorter than its key id and one record"));
    }
    let (key_id, sealed) = rest.split_at(id_len);
    if sealed.len() > record_size {
        return Err(PushError::Decrypt("more than one record"));
    }
    let sender = PublicKey::from_sec1_bytes(key_id)
        .map_err(|_| PushError::Decrypt("the key id is not a P-256 key"))?;
    let ecdh = p256::ecdh::diffie_hellman(receiver.to_nonzero_scalar(), sender.as_affine());
    let ikm = key_ikm(ecdh.raw_secret_bytes(), auth, &point(&receiver.public_key()), key_id);
    let (cek, nonce) = content_keys(&ikm, salt);
    let mut record = Aes128Gcm::new(&cek.into())
        .decrypt(Nonce::from_slice(&nonce), sealed)
        .map_err(|_| PushError::Decrypt("the tag does not match (wrong keys, or changed on the way)"))?;
    while record.last() == Some(&0) {
        record.pop();
    }
    match record.pop() {
        Some(2) => Ok(record),
        _ => Err(PushError::Decrypt("the record does not end as the last one")),
    }
}

/// The server's signing key for VAPID.
#[derive(Clone)]
pub struct Vapid {
    key: SigningKey,
    public: String,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vapid").field("public", &self.public).finish_non_exhaustive()
    }
}

/// What a VAPID token says, once its signature holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    /// The push service's origin.
    pub aud: String,
    /// Seconds since 1970 after which it is void.
    pub exp: i64,
    /// The sender's contact, if given.
    pub sub: Option<String>,
    /// The public key it was signed with (base64url).
    pub k: String,
}

impl Vapid {
    pub fn generate() -> Result<Vapid, PushError> {
        Ok(Vapid::from_key(SigningKey::from(random_secret()?)))
    }

    fn from_key(key: SigningKey) -> Vapid {
        let public = b64(key.verifying_key().to_encoded_point(false).as_bytes());
        Vapid { key, public }
    }

    /// From the 32 bytes [`Vapid::secret`] gave.
    pub fn from_secret(bytes: &[u8]) -> Result<Vapid, PushError> {
        SigningKey::from_slice(bytes)
            .map(Vapid::from_key)
            .map_err(|_| PushError::Key("not a P-256 secret key"))
    }

    /// The private scalar, to keep.
    pub fn secret(&self) -> Vec<u8> {
        self.key.to_bytes().to_vec()
    }

    /// The public key as browsers take it (`applicationServerKey`).
    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// The `Authorization` header for one request to a push service at
    /// `audience` (its origin): a token valid for [`TOKEN_LIFETIME_S`] from
    /// `now_s`, and the key to check it with.
    pub fn authorization(&self, audience: &str, subject: Option<&str>, now_s: i64) -> String {
        let header = b64(br#"{"typ":"JWT","alg":"ES256"}"#);
        let mut claims = serde_json::json!({ "aud": audience, "exp": now_s + TOKEN_LIFETIME_S });
        if let Some(subject) = subject {
            claims["sub"] = subject.into();
        }
        let input = format!("{header}.{}", b64(claims.to_string().as_bytes()));
        let signature: Signature = self.key.sign(input.as_bytes());
        format!("vapid t={input}.{}, k={}", b64(&signature.to_bytes()), self.public)
    }
}

/// What a push service checks of an `Authorization` header (RFC 8292
/// section 2 and 3): its form, the ES256 signature by the key it names, and
/// that it is not expired at `now_s` nor valid for more than a day.
pub fn verify_vapid(header: &str, now_s: i64) -> Result<Claims, PushError> {
    let rest = header.strip_prefix("vapid ").ok_or(PushError::Token("not the vapid scheme"))?;
    let (mut token, mut key) = (None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => token = Some(value),
            Some(("k", value)) => key = Some(value),
            _ => return Err(PushError::Token("a parameter other than t and k")),
        }
    }
    let (token, k) = token.zip(key).ok_or(PushError::Token("t or k missing"))?;
    let verifying = unb64(k)
        .and_then(|bytes| VerifyingKey::from_sec1_bytes(&bytes).ok())
        .ok_or(PushError::Token("k is not a P-256 public key"))?;
    let (input, signature) = token.rsplit_once('.').ok_or(PushError::Token("no signature"))?;
    let signature = unb64(signature)
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or(PushError::Token("the signature is not 64 bytes of r and s"))?;
    verifying
        .verify(input.as_bytes(), &signature)
        .map_err(|_| PushError::Token("the signature does not hold"))?;
    let (header, claims) = input.split_once('.').ok_or(PushError::Token("no claims"))?;
    let header: serde_json::Value = unb64(header)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(PushError::Token("the header is not JSON"))?;
    if header["alg"] != "ES256" {
        return Err(PushError::Token("alg is not ES256"));
    }
    let claims: serde_json::Value = unb64(claims)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(PushError::Token("the claims are not JSON"))?;
    let aud = claims["aud"].as_str().ok_or(PushError::Token("no aud"))?.to_owned();
    let exp = claims["exp"].as_i64().ok_or(PushError::Token("no exp"))?;
    if exp <= now_s {
        return Err(PushError::Token("expired"));
    }
    if exp > now_s + 24 * 3600 {
        return Err(PushError::Token("valid for more than 24 hours"));
    }
    let sub = claims["sub"].as_str().map(str::to_owned);
    Ok(Claims { aud, exp, sub, k: k.to_owned() })
}

/// A new browser key pair as a test's browser holds it: the private key,
/// and `p256dh`/`auth` as a subscription carries them.
pub fn browser_keys() -> Result<(SecretKey, String, [u8; 16], String), PushError> {
    let key = random_secret()?;
    let mut auth = [0u8; 16];
    getrandom::getrandom(&mut auth).map_err(|_| PushError::Key("the system gave no random bytes"))?;
    let p256dh = b64(&point(&key.public_key()));
    Ok((key, p256dh, auth, b64(&auth)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> Vec<u8> {
        unb64(text).expect("base64url")
    }

    // RFC 8291 Appendix A: the published example, byte for byte.
    const PLAINTEXT: &str = "When I grow up, I want to be a watermelon";
    const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    #[test]
    fn encryption_is_the_rfc_8291_example_byte_for_byte() {
        let to = ClientKeys::parse(UA_PUBLIC, AUTH).expect("the RFC's keys");
        let sender = SecretKey::from_slice(&bytes(AS_PRIVATE)).expect("the RFC's sender key");
        let salt: [u8; 16] = bytes(SALT).try_into().expect("16 bytes");
        let body = encrypt_with(PLAINTEXT.as_bytes(), &to, &sender, salt).expect("encrypts");
        assert_eq!(b64(&body), BODY);
    }

    #[test]
    fn the_rfc_8291_example_decrypts_and_a_changed_byte_does_not() {
        let receiver = SecretKey::from_slice(&bytes(UA_PRIVATE)).expect("the RFC's receiver key");
        let auth: [u8; 16] = bytes(AUTH).try_into().expect("16 bytes");
        let body = bytes(BODY);
        assert_eq!(decrypt(&body, &receiver, &auth).expect("decrypts"), PLAINTEXT.as_bytes());
        let mut changed = body.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert!(matches!(decrypt(&changed, &receiver, &auth), Err(PushError::Decrypt(_))));
        let mut wrong_auth = auth;
        wrong_auth[0] ^= 1;
        assert!(decrypt(&body, &receiver, &wrong_auth).is_err());
    }

    #[test]
    fn a_new_message_round_trips_and_is_new_each_time() {
        let (private, p256dh, auth, auth_text) = browser_keys().expect("keys");
        let to = ClientKeys::parse(&p256dh, &auth_text).expect("parses");
        let payload = "{\"title\":\"Stille\",\"body\":\"Denne uge: Kropsscanning, 45 min — dag 3 af 6\"}";
        let one = encrypt(payload.as_bytes(), &to).expect("encrypts");
        let two = encrypt(payload.as_bytes(), &to).expect("encrypts");
        assert_ne!(one, two, "a new salt and sender key every time");
        assert_eq!(decrypt(&one, &private, &auth).expect("decrypts"), payload.as_bytes());
        let longest = vec![b'a'; MAX_PAYLOAD];
        let body = encrypt(&longest, &to).expect("the longest payload fits");
        assert_eq!(body.len(), RECORD_SIZE as usize, "and fills the push services' 4096 bytes exactly");
        assert_eq!(encrypt(&[b'a'; MAX_PAYLOAD + 1], &to), Err(PushError::TooLong(MAX_PAYLOAD + 1)));
    }

    #[test]
    fn bad_subscription_keys_are_named() {
        assert_eq!(
            ClientKeys::parse("AAAA", AUTH).err(),
            Some(PushError::Key("keys.p256dh is not an uncompressed P-256 public key in base64url"))
        );
        // The right length, but not a point on the curve.
        let off_curve = b64(&[4u8; 65]);
        assert!(ClientKeys::parse(&off_curve, AUTH).is_err());
        assert_eq!(
            ClientKeys::parse(UA_PUBLIC, "BTBZMqHH6r4Tts7J").err(),
            Some(PushError::Key("keys.auth is not 16 bytes in base64url"))
        );
        assert!(ClientKeys::parse(UA_PUBLIC, &format!("{AUTH}==")).is_ok(), "padding is allowed");
    }

    #[test]
    fn a_vapid_token_holds_for_its_key_and_audience_only() {
        let vapid = Vapid::generate().expect("a key");
        let again = Vapid::from_secret(&vapid.secret()).expect("kept and read back");
        assert_eq!(again.public_key(), vapid.public_key());
        assert_eq!(unb64(vapid.public_key()).map(|k| k.len()), Some(65));
        let now = 1_800_000_000;
        let header =
            vapid.authorization("https://fcm.googleapis.com", Some("https://stille.example.dk"), now);
        let claims = verify_vapid(&header, now).expect("holds");
        assert_eq!(claims.aud, "https://fcm.googleapis.com");
        assert_eq!(claims.k, vapid.public_key());
        assert_eq!(claims.sub.as_deref(), Some("https://stille.example.dk"));
        assert_eq!(claims.exp, now + TOKEN_LIFETIME_S);
        assert_eq!(verify_vapid(&header, now + TOKEN_LIFETIME_S), Err(PushError::Token("expired")));
        assert_eq!(
            verify_vapid(&header, now - 13 * 3600),
            Err(PushError::Token("valid for more than 24 hours"))
        );
        // Another key named beside the same token.
        let other = Vapid::generate().expect("a key");
        let swapped = header.replace(vapid.public_key(), other.public_key());
        assert_eq!(verify_vapid(&swapped, now), Err(PushError::Token("the signature does not hold")));
        // A token whose claims were changed after signing.
        let (token, key) = header.split_once(", k=").expect("two parts");
        let mut parts: Vec<&str> = token.trim_start_matches("vapid t=").split('.').collect();
        let forged = b64(format!("{{\"aud\":\"https://evil.example\",\"exp\":{}}}", now + 60).as_bytes());
        parts[1] = &forged;
        let forged = format!("vapid t={}, k={key}", parts.join("."));
        assert_eq!(verify_vapid(&forged, now), Err(PushError::Token("the signature does not hold")));
    }
}
