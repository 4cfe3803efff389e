// Library (not a kernel file), prepended to every shader that drops out (src/gpu/kernels.ts
// `shaderLibraries`): the counter-based mask all dropouts share.

// PCG hash (Jarzynski and Olano 2020); src/engine/rng.ts computes the same numbers on the CPU.
fn pcg(v: u32) -> u32 {
  let s = v * 747796405u + 2891336453u;
  let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (w >> 22u) ^ w;
}

// Element i's uniform number in [0, 1) under `key`: kept when it is at least the drop probability.
fn dropout_uniform(i: u32, key: u32) -> f32 {
  return f32(pcg(pcg(i) ^ key) >> 8u) * (1.0 / 16777216.0);
}
