using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>Small no-grad helpers for the methods: freezing, copying and the EMA (momentum) update
/// (lightly's <c>models/utils.py</c> habit). The momentum schedule lives in <c>Training.MomentumSchedule</c>.</summary>
public static class ModelUtils
{
    /// <summary>Stops gradients for every parameter of <paramref name="module"/> (and sets eval mode when asked).</summary>
    public static void Freeze(Module module, bool eval = true)
    {
        foreach (var p in module.parameters()) p.requires_grad = false;
        if (eval) module.eval();
    }

    /// <summary>Lets every parameter of <paramref name="module"/> receive gradients again.</summary>
    public static void Unfreeze(Module module)
    {
        foreach (var p in module.parameters()) p.requires_grad = true;
    }

    /// <summary>Copies parameters and buffers of <paramref name="source"/> into <paramref name="target"/> (same architecture).</summary>
    public static void CopyWeights(Module source, Module target)
    {
        using var _ = no_grad();
        var src = source.state_dict();
        foreach (var (name, t) in target.state_dict())
        {
            if (!src.TryGetValue(name, out var s) || !s.shape.SequenceEqual(t.shape))
                throw new ArgumentException($"CopyWeights: '{name}' has no counterpart of shape [{string.Join(", ", t.shape)}] in the source.");
            t.copy_(s);
        }
    }

    /// <summary>
    /// The exponential moving average of BYOL and MoCo: for every parameter, <c>target = m * target + (1 - m) * online</c>;
    /// buffers (BatchNorm statistics) are copied. No gradient flows.
    /// </summary>
    /// <param name="online">The network being trained.</param>
    /// <param name="target">Its slow copy (same architecture).</param>
    /// <param name="momentum">m in [0, 1] (BYOL: 0.996 at the start; MoCo: 0.999).</param>
    public static void UpdateMomentum(Module online, Module target, double momentum)
    {
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1].");
        using var _ = no_grad();
        var on = online.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in target.named_parameters())
        {
            if (!on.TryGetValue(name, out var o) || !o.shape.SequenceEqual(p.shape))
                throw new ArgumentException($"UpdateMomentum: target parameter '{name}' has no counterpart of the same shape in the online network.");
            p.mul_(momentum).add_(o, alpha: 1 - momentum);
        }
        var onBuffers = online.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, b) in target.named_buffers())
            if (onBuffers.TryGetValue(name, out var o)) b.copy_(o);
    }

    /// <summary>The device of the module's weights (the CPU for a module without parameters): the placement rule is that
    /// inputs follow the model, so a method moves its inputs here before its forward pass.</summary>
    public static Device DeviceOf(Module module) => module.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>Number of trainable parameters.</summary>
    public static long CountParameters(Module module) => module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
}
