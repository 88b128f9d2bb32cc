// An AudioWorklet that passes sound through unchanged and reports, by output
// frame, every onset: a sample above -54 dBFS after half a second below
// -66 dBFS (or the first sound at all). Used by the audio check page (/lab/audio).
class OnsetTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.quietFrames = 0;
    // Nothing has played before the tap is installed: the first sound counts.
    this.armed = true;
  }

  process(inputs, outputs) {
    const input = inputs[0] && inputs[0][0];
    const output = outputs[0] && outputs[0][0];
    if (!input || !output) {
      return true;
    }
    output.set(input);
    for (let i = 0; i < input.length; i++) {
      const level = Math.abs(input[i]);
      if (level < 0.0005) {
        this.quietFrames++;
        if (this.quietFrames > sampleRate / 2) {
          this.armed = true;
        }
      } else {
        this.quietFrames = 0;
        if (this.armed && level > 0.002) {
          this.armed = false;
          this.port.postMessage({ frame: currentFrame + i });
        }
      }
    }
    return true;
  }
}

registerProcessor("onset-tap", OnsetTap);
