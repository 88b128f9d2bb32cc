// The microphone on the recording screen: one cue at a time, with the
// browser's MediaRecorder (Opus in WebM in Chromium and Firefox, AAC in MP4
// in Safari; the server takes both and judges the sound, not the type).
let stream = null;
let recorder = null;
let chunks = [];

function preferred() {
  for (const type of ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"]) {
    if (self.MediaRecorder && MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(type)) return type;
  }
  return "";
}

// Asks for the microphone (the browser asks the person); throws the
// browser's reason when it is refused or missing.
export async function open() {
  // A stream whose track has ended (the page was in the background, the
  // microphone went away) records silence: open a new one.
  if (stream && stream.getAudioTracks().some((track) => track.readyState === "live")) return;
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
  if (!navigator.mediaDevices || !self.MediaRecorder) {
    throw new Error("this browser cannot record sound (no MediaRecorder)");
  }
  // The voice as it is: no echo cancelling (nothing plays while recording)
  // and no automatic gain (the server evens out the loudness).
  stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, autoGainControl: false, noiseSuppression: true, channelCount: 1 },
  });
}

export function start() {
  if (!stream) throw new Error("the microphone is not open");
  chunks = [];
  const type = preferred();
  recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
  recorder.ondataavailable = (event) => {
    if (event.data && event.data.size > 0) chunks.push(event.data);
  };
  recorder.start();
}

// Stops and gives the recording as one Blob of its type.
export function stop() {
  return new Promise((resolve, reject) => {
    if (!recorder || recorder.state === "inactive") {
      reject(new Error("nothing is being recorded"));
      return;
    }
    const made = recorder;
    made.onstop = () => resolve(new Blob(chunks, { type: (made.mimeType || "audio/webm").split(";")[0] }));
    made.onerror = (event) => reject(event.error || new Error("the recording failed"));
    made.stop();
    recorder = null;
  });
}

// Lets go of the microphone (the browser's "in use" sign goes).
export function close() {
  if (recorder && recorder.state !== "inactive") recorder.stop();
  recorder = null;
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
}
