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
