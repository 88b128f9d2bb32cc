// Measures what actually comes out: sound is routed through an AudioWorklet
// that reports the output frame of every onset, measured on the audio thread
// (so a busy or hidden page cannot delay the measurement, only its delivery).

async function insertTap(context, source, workletUrl, onOnset) {
  await context.audioWorklet.addModule(workletUrl);
  const tap = new AudioWorkletNode(context, "onset-tap", {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [1],
  });
  tap.port.onmessage = (event) => onOnset((event.data.frame / context.sampleRate) * 1000);
  source.connect(tap);
  tap.connect(context.destination);
  return tap;
}

// A media element, through a context of its own.
export async function tapElement(audio, workletUrl, onOnset) {
  const context = new AudioContext();
  const source = context.createMediaElementSource(audio);
  await insertTap(context, source, workletUrl, onOnset);
  if (context.state !== "running") {
    await context.resume();
  }
  return context;
}

// A node already playing into its context's destination: the tap goes between.
export async function tapNode(node, workletUrl, onOnset) {
  const tap = await insertTap(node.context, node, workletUrl, onOnset);
  node.disconnect(node.context.destination);
  return tap;
}
