// A short two-note chime for an incoming chat, made with the WebAudio API (no audio file).
// Browsers start audio only after the person has interacted with the page, so the context is
// created (or resumed) on the first click or key press; until then a chime may stay silent.

let context = null;

function audioContext() {
  const AudioContextClass = globalThis.AudioContext ?? globalThis.webkitAudioContext;
  if (!AudioContextClass) return null;
  context ??= new AudioContextClass();
  if (context.state === 'suspended') context.resume().catch(() => { /* no gesture yet */ });
  return context;
}

/** Unlocks audio on the first gesture, so that the first offer can already be heard. */
export function primeAudioOnGesture(target = document) {
  const unlock = () => {
    try { audioContext(); } catch { /* no audio on this machine */ }
    target.removeEventListener('pointerdown', unlock, true);
    target.removeEventListener('keydown', unlock, true);
  };
  target.addEventListener('pointerdown', unlock, true);
  target.addEventListener('keydown', unlock, true);
}

/** Plays the chime; false when this browser cannot. */
export function chime() {
  try {
    const audio = audioContext();
    if (!audio) return false;
    const start = audio.currentTime + 0.02;
    [[880, 0], [1318.5, 0.17]].forEach(([frequency, offset]) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      const at = start + offset;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.18);
    });
    return true;
  } catch {
    return false;
  }
}
