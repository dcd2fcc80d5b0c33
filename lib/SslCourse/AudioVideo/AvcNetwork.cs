using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.AudioVideo;

/// <summary>
/// The audio-visual correspondence network (L3-Net, Arandjelović and Zisserman, ICCV 2017, in miniature): a vision
/// encoder embeds the frame, an audio encoder embeds the spectrogram, the two embeddings are concatenated and a small
/// MLP (the paper's fusion layers: 128 hidden units, 2 outputs) says "corresponds" or "does not".
/// Nothing but the pairing of frames with sounds supervises it.
/// </summary>
public sealed class AvcNetwork : Module<Tensor, Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> vision;
    readonly Module<Tensor, Tensor> audio;
    readonly Sequential fusion;

    /// <param name="vision">Frame encoder, [N, 3, H, W] -> [N, visionDim].</param>
    /// <param name="audio">Spectrogram encoder, [N, 1, mels, frames] -> [N, audioDim].</param>
    /// <param name="visionDim">Output size of <paramref name="vision"/>.</param>
    /// <param name="audioDim">Output size of <paramref name="audio"/>.</param>
    /// <param name="hidden">Hidden units of the fusion MLP (128 in the paper).</param>
    public AvcNetwork(Module<Tensor, Tensor> vision, Module<Tensor, Tensor> audio, int visionDim, int audioDim, int hidden = 128)
        : base(nameof(AvcNetwork))
    {
        if (visionDim < 1) throw new ArgumentOutOfRangeException(nameof(visionDim), visionDim, "visionDim must be positive.");
        if (audioDim < 1) throw new ArgumentOutOfRangeException(nameof(audioDim), audioDim, "audioDim must be positive.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden must be positive.");
        this.vision = vision;
        this.audio = audio;
        fusion = Sequential(Linear(visionDim + audioDim, hidden), ReLU(), Linear(hidden, 2));
        RegisterComponents();
    }

    /// <summary>The vision encoder (what the downstream task reuses).</summary>
    public Module<Tensor, Tensor> Vision => vision;
    /// <summary>The audio encoder.</summary>
    public Module<Tensor, Tensor> Audio => audio;

    /// <summary>Correspondence logits for aligned pairs: frames [N, 3, H, W], spectrograms [N, 1, M, T] -> [N, 2]
    /// (class 1 = "this sound belongs to this frame").</summary>
    public override Tensor forward(Tensor frames, Tensor spectrograms) => PairLogits(vision.call(frames), audio.call(spectrograms));

    /// <summary>Logits from embeddings: [N, visionDim], [N, audioDim] -> [N, 2].</summary>
    public Tensor PairLogits(Tensor frameEmbedding, Tensor soundEmbedding) => fusion.call(cat(new[] { frameEmbedding, soundEmbedding }, 1));

    /// <summary>One batch of the pretext: embeds the N frames and N sounds once, forms the 2N pairs of
    /// <see cref="AvcPairs.Build"/>, and returns the cross-entropy of their logits and their accuracy.</summary>
    /// <param name="frames">[N, 3, H, W].</param>
    /// <param name="spectrograms">[N, 1, M, T], spectrogram i belonging to frame i.</param>
    /// <param name="generator">Draws the mismatched partners.</param>
    /// <returns>Loss (scalar tensor, in the caller's dispose scope) and accuracy in 0..1.</returns>
    public (Tensor Loss, double Accuracy) PretextLoss(Tensor frames, Tensor spectrograms, Generator generator)
    {
        var (fi, si, label) = AvcPairs.Build((int)frames.shape[0], generator);
        var v = vision.call(frames);                                   // [N, Dv]
        var a = audio.call(spectrograms);                              // [N, Da]
        var logits = PairLogits(v.index_select(0, fi.to(v.device)), a.index_select(0, si.to(a.device)));   // [2N, 2]
        var y = label.to(logits.device);
        var loss = functional.cross_entropy(logits, y);
        double acc;
        using (no_grad()) acc = logits.argmax(1).eq(y).to_type(ScalarType.Float32).mean().item<float>();
        return (loss, acc);
    }
}
