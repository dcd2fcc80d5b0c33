using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// The slow copy of an online network that BYOL (target network) and MoCo (key encoder) keep: each target starts as a
/// copy of its online module, never receives gradients, and moves towards it by an exponential moving average after
/// every optimizer step (the role of solo-learn's momentum base). The method registers the target modules itself, so
/// they are saved, moved and counted with it.
/// </summary>
public sealed class MomentumTarget
{
    readonly (Module Online, Module Target)[] pairs;

    /// <summary>Copies every online module into its target and freezes the targets (they stay in training mode).</summary>
    /// <param name="pairs">(online, target) modules of the same architecture</param>
    public MomentumTarget(params (Module Online, Module Target)[] pairs)
    {
        if (pairs.Length == 0) throw new ArgumentException("give at least one (online, target) pair.", nameof(pairs));
        this.pairs = pairs;
        foreach (var (online, target) in pairs)
        {
            ModelUtils.CopyWeights(online, target);
            ModelUtils.Freeze(target, eval: false);
        }
    }

    /// <summary>Moves every target towards its online module: <c>xi = m xi + (1 - m) theta</c>, buffers copied.</summary>
    /// <param name="momentum">m in [0, 1] (BYOL: <c>Training.MomentumSchedule.Cosine</c>; MoCo: 0.999)</param>
    public void Update(double momentum)
    {
        foreach (var (online, target) in pairs) ModelUtils.UpdateMomentum(online, target, momentum);
    }
}
