// Library (not a kernel file): the activations by code and their gradients, prepended to every
// shader that applies one (src/gpu/kernels.ts `shaderLibraries`), so the fused kernels round
// exactly as pointwise.wgsl does. Codes: src/gpu/pointwiseOps.ts activationCode.

const LEAKY_SLOPE: f32 = 0.2;

fn activate(act: u32, x: f32) -> f32 {
  switch act {
    case 1u: { return max(x, 0.0); }
    case 2u: { return select(LEAKY_SLOPE * x, x, x > 0.0); }
    case 3u: { return select(exp(x) - 1.0, x, x > 0.0); }
    // tanh is +-1 in f32 well before |x| = 15, and some implementations (SwiftShader's) form it
    // from exp(2x), which overflows to inf / inf = NaN for large |x|.
    case 4u: { return tanh(clamp(x, -15.0, 15.0)); }
    case 5u: { return 1.0 / (1.0 + exp(-x)); }
    default: { return x; }
  }
}

// d act / d x times g, from the activation's output y.
fn activate_backward(act: u32, y: f32, g: f32) -> f32 {
  switch act {
    case 1u: { return select(0.0, g, y > 0.0); }
    case 2u: { return select(LEAKY_SLOPE * g, g, y > 0.0); }
    case 3u: { return select(g * (y + 1.0), g, y > 0.0); }
    case 4u: { return g * (1.0 - y * y); }
    case 5u: { return (g * y) * (1.0 - y); }
    default: { return g; }
  }
}
