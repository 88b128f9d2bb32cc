// Put into every page of one browser by the end-to-end tests, before the
// app's own scripts run: each media element the app plays is routed through
// one AudioContext and an onset detector (`RISE`, below), so a test reads
// when each sound really came out, in ms on that context's clock, without
// touching the app. The element starts playing once the detector is in
// place, a few ms after the app asked.
(() => {
  // An AudioWorklet that passes sound through unchanged and reports, by
  // output frame, each sharp rise: the level's 5 ms peak above 0.002 (-54
  // dBFS) and six times (+16 dB) its 100 ms average, at least 0.3 s after
  // the last one; reported from where that rise began (the peak above half
  // again the average, and above -66 dBFS), so a sound that starts over a
  // ring-out is not found late for having to climb over it. Unlike the audio
  // check page's detector (which needs half a second of quiet first), it
  // finds a voice that begins while a bell still rings out.
  const RISE = `
    class RiseTap extends AudioWorkletProcessor {
      constructor() {
        super();
        this.fast = 0;
        this.slow = 0;
        this.since = Infinity;
        this.riseFrom = null;
      }
      process(inputs, outputs) {
        const input = inputs[0] && inputs[0][0];
        const output = outputs[0] && outputs[0][0];
        if (!input || !output) {
          return true;
        }
        output.set(input);
        const fastDecay = Math.exp(-1 / (0.005 * sampleRate));
        const slowRate = 1 / (0.1 * sampleRate);
        const hold = 0.3 * sampleRate;
        for (let i = 0; i < input.length; i++) {
          this.fast = Math.max(Math.abs(input[i]), this.fast * fastDecay);
          this.since += 1;
          if (this.fast > Math.max(0.0005, 1.5 * this.slow)) {
            this.riseFrom = this.riseFrom === null ? currentFrame + i : this.riseFrom;
          } else {
            this.riseFrom = null;
          }
          if (this.fast > 0.002 && this.fast > 6 * this.slow && this.since > hold) {
            this.since = 0;
            this.port.postMessage({ frame: this.riseFrom === null ? currentFrame + i : this.riseFrom });
          }
          this.slow += (this.fast - this.slow) * slowRate;
        }
        return true;
      }
    }
    registerProcessor("rise-tap", RiseTap);
  `;
  const tap = { onsets: [], routed: 0, errors: [], blocks: [], hidden: [], events: [] };
  window.__stilleTap = tap;
  let context = null;
  let ready = null;
  const now = () => (context ? context.currentTime * 1000 : null);
  const prepare = () => {
    if (!ready) {
      context = new AudioContext();
      // A worklet from a blob: the test browser does not enforce the app's
      // CSP (see tap.rs), which would allow only the app's own files.
      const url = URL.createObjectURL(new Blob([RISE], { type: "text/javascript" }));
      ready = context.audioWorklet.addModule(url).then(() => {
        const node = new AudioWorkletNode(context, "rise-tap", {
          numberOfInputs: 1,
          numberOfOutputs: 1,
          outputChannelCount: [1],
        });
        node.port.onmessage = (event) => tap.onsets.push((event.data.frame / context.sampleRate) * 1000);
        node.connect(context.destination);
        return node;
      });
    }
    return ready;
  };
  // What each routed element did, on the context's clock and its own.
  const watch = (element) => {
    for (const type of ["play", "playing", "pause", "seeking", "seeked", "waiting", "stalled", "ended"]) {
      element.addEventListener(type, () => {
        tap.events.push({ type, at: now(), position: element.currentTime * 1000 });
      });
    }
  };
  // Each element's routing, once begun: every play() waits for it, so
  // nothing is heard before the detector listens.
  const routing = new WeakMap();
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    const element = this;
    let routed = routing.get(element);
    if (!routed) {
      routed = prepare()
        .then((node) => {
          context.createMediaElementSource(element).connect(node);
          watch(element);
          tap.routed += 1;
          return context.resume();
        })
        .catch((error) => tap.errors.push(String(error)));
      routing.set(element, routed);
    }
    return routed.then(() => play.call(element));
  };
  // When the page was hidden and shown again, on the context's clock.
  document.addEventListener("visibilitychange", () => {
    tap.hidden.push({ hidden: document.hidden, at: now() });
  });
  // Blocks the page's main thread for `ms`, starting when the context's
  // clock reads `at` (as a busy page would: a long script, a slow phone).
  tap.blockAt = (at, ms) => {
    const start = () => {
      const hidden = document.hidden;
      const from = now();
      const began = performance.now();
      while (performance.now() - began < ms) {
        // busy
      }
      tap.blocks.push({ hidden, from, ms: performance.now() - began });
    };
    setTimeout(start, Math.max(0, at - now()));
    return true;
  };
})();
