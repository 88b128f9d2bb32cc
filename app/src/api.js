// Talks to Stille's server (same origin, session cookie). Resolves to
// [status, text]; a network failure, a timeout or a response cut off midway
// rejects, so the caller can tell "no answer" from any answer.
export async function call(method, path, body, csrf, timeoutMs) {
  const headers = { Accept: "application/json" };
  if (body != null) headers["Content-Type"] = "application/json";
  if (csrf != null) headers["X-CSRF-Token"] = csrf;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("no answer in time")), timeoutMs);
  try {
    const response = await fetch(path, {
      method,
      headers,
      body: body ?? undefined,
      credentials: "same-origin",
      cache: "no-store",
      signal: controller.signal,
    });
    return [response.status, await response.text()];
  } finally {
    clearTimeout(timer);
  }
}

// Sends `file` as the body of a POST (an upload, as its own type), telling
// `progress` how much has gone (0 to 1). Resolves to [status, text] like
// `call`; a connection lost midway or no answer in `timeoutMs` rejects.
export function upload(path, file, csrf, timeoutMs, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    if (csrf != null) xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.timeout = timeoutMs;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) progress(event.loaded / event.total);
    };
    xhr.upload.onload = () => progress(1);
    xhr.onload = () => resolve([xhr.status, xhr.responseText]);
    xhr.onerror = () => reject(new Error("the connection was lost during the upload"));
    xhr.ontimeout = () => reject(new Error("no answer in time"));
    xhr.send(file);
  });
}
