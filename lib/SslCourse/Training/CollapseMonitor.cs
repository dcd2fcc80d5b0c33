using SslCourse.Models;
using SslCourse.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// The collapse std (<see cref="CollapseMetrics.NormalisedStd"/>) measured the way the network computes during training:
/// in training mode, so BatchNorm normalises with the statistics of the batch, not with its running averages.
/// Early in training the running averages lag far behind the activations, and an eval-mode measurement then makes
/// every model look collapsed; the training-mode one shows the collapse only where the outputs really coincide.
/// Measured without gradients; BatchNorm's running statistics (and every other buffer) are restored afterwards, so the
/// measurement does not change the model.
/// </summary>
public static class CollapseMonitor
{
    /// <summary>A monitor for <see cref="Trainer.Run"/> giving the training-mode collapse std of
    /// <paramref name="outputs"/> on a fixed batch.</summary>
    /// <param name="model">the module switched to training mode while measuring (and whose buffers are restored)</param>
    /// <param name="outputs">images <c>[B, C, H, W]</c> -> outputs <c>[B, D]</c> (e.g. encoder then projector)</param>
    /// <param name="images">the fixed batch <c>[B, C, H, W]</c>, B &gt;= 2 (BatchNorm needs more than one image)</param>
    /// <param name="name">the metric's name</param>
    public static Func<IReadOnlyDictionary<string, double>> TrainMode(nn.Module model, Func<Tensor, Tensor> outputs, Tensor images, string name = "std") =>
        () => new Dictionary<string, double> { [name] = TrainModeStd(model, outputs, images) };

    /// <summary>The collapse std of <paramref name="outputs"/> on <paramref name="images"/> <c>[B, C, H, W]</c>, in training
    /// mode, without gradients, leaving the model's buffers and training flag as they were.</summary>
    /// <returns>about <c>1/sqrt(D)</c> for outputs spread over the sphere, 0 for collapsed outputs</returns>
    public static double TrainModeStd(nn.Module model, Func<Tensor, Tensor> outputs, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(images);
        if (images.shape[0] < 2) throw new ArgumentException($"images needs at least 2 rows for batch statistics; got B = {images.shape[0]}.", nameof(images));
        using var _ = no_grad();
        var buffers = model.named_buffers().Select(b => (b.buffer, saved: b.buffer.clone())).ToList();
        using var mode = ModeScope.Train(model);
        try
        {
            using var scope = NewDisposeScope();
            return CollapseMetrics.NormalisedStd(outputs(images).flatten(1));
        }
        finally
        {
            foreach (var (buffer, saved) in buffers) { buffer.copy_(saved); saved.Dispose(); }
        }
    }
}
