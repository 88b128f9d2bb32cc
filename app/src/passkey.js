// Passkeys through the browser's WebAuthn API. The server's options come as
// JSON with bytes in base64url; the answers go back the same way. Errors
// reject with the DOMException's name ("NotAllowedError": the person
// cancelled or waited too long; "InvalidStateError": this device has a
// passkey for the account already), which the app turns into words.

function bytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "===".slice((base64.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function text(buffer) {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// Whether this browser can make and use passkeys at all.
export function supported() {
  return typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

function failed(error) {
  return new Error(error && error.name ? error.name : String(error));
}

// Makes a passkey from the server's PasskeyCreation (JSON text); resolves to
// the client data and attestation object (base64url) as JSON text.
export async function create(optionsJson) {
  const o = JSON.parse(optionsJson);
  let credential;
  try {
    credential = await navigator.credentials.create({
      publicKey: {
        challenge: bytes(o.challenge),
        rp: { id: o.rp_id, name: o.rp_name },
        user: { id: bytes(o.user_id), name: o.user_name, displayName: o.user_display_name },
        pubKeyCredParams: o.algorithms.map((alg) => ({ type: "public-key", alg })),
        excludeCredentials: o.exclude.map((id) => ({ type: "public-key", id: bytes(id) })),
        authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
        attestation: "none",
        timeout: o.timeout_ms,
      },
    });
  } catch (error) {
    throw failed(error);
  }
  return JSON.stringify({
    client_data_json: text(credential.response.clientDataJSON),
    attestation_object: text(credential.response.attestationObject),
  });
}

// Signs the server's PasskeyRequest (JSON text) with a passkey the person
// picks; resolves to the answer's fields (base64url) as JSON text.
export async function get(optionsJson) {
  const o = JSON.parse(optionsJson);
  let credential;
  try {
    credential = await navigator.credentials.get({
      publicKey: { challenge: bytes(o.challenge), rpId: o.rp_id, userVerification: "required", timeout: o.timeout_ms },
    });
  } catch (error) {
    throw failed(error);
  }
  const response = credential.response;
  return JSON.stringify({
    credential_id: text(credential.rawId),
    client_data_json: text(response.clientDataJSON),
    authenticator_data: text(response.authenticatorData),
    signature: text(response.signature),
    user_handle: response.userHandle ? text(response.userHandle) : null,
  });
}
