// Routes a media element through Web Audio and reports the output frame of
// every sound onset, measured on the audio thread by an AudioWorklet (so a
// busy or hidden page cannot delay the measurement, only its delivery).
export async function tapOnsets(audio, workletUrl, onOnset) {
  const context = new AudioContext();
  await context.audioWorklet.addModule(workletUrl);
  const source = context.createMediaElementSource(audio);
  const tap = new AudioWorkletNode(context, "onset-tap", {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [1],
  });
  tap.port.onmessage = (event) => onOnset((event.data.frame / context.sampleRate) * 1000);
  source.connect(tap);
  tap.connect(context.destination);
  if (context.state !== "running") {
    await context.resume();
  }
  return context;
}
