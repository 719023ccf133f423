// Scores to probabilities that mean what they say: softmax with a temperature fitted to minimise the
// log loss of held-out scores (Guo et al., "On Calibration of Modern Neural Networks", 2017).

/** Softmax of scores divided by the temperature. */
export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(scores.length);
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]! / temperature);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += (out[i] = Math.exp(scores[i]! / temperature - max));
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** The temperature in [0.01, 100] that minimises the mean negative log-likelihood of the true classes. */
export function fitTemperature(scores: ArrayLike<number>[], truth: number[]): number {
  const nll = (logT: number) => {
    const t = Math.exp(logT);
    let loss = 0;
    scores.forEach((s, i) => (loss -= Math.log(Math.max(1e-12, softmax(s, t)[truth[i]!]!))));
    return loss / Math.max(1, scores.length);
  };
  // golden-section search on log T: the loss is smooth and unimodal in it
  let lo = Math.log(0.01);
  let hi = Math.log(100);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let i = 0; i < 60; i++) {
    if (fa < fb) { hi = b; b = a; fb = fa; a = hi - phi * (hi - lo); fa = nll(a); }
    else { lo = a; a = b; fa = fb; b = lo + phi * (hi - lo); fb = nll(b); }
  }
  return Math.exp((lo + hi) / 2);
}
