using SslCourse.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>The number format and memory layout a training step computes in.</summary>
public enum StepFormat
{
    /// <summary>fp32 weights and activations, NCHW (the default, and the reference the others are measured against).</summary>
    Fp32,
    /// <summary>bf16 forward and backward on a bf16 working copy of the model, fp32 master weights for the optimizer
    /// (<see cref="Bf16WorkingCopy"/>; TorchSharp 0.107 has no autocast).</summary>
    Bf16,
    /// <summary>fp32 with the images in channels-last layout (NHWC strides; libtorch's CPU convolutions then run in
    /// channels-last and keep it; TorchSharp 0.107 has no memory_format argument, so the layout is made by a permute).</summary>
    ChannelsLast,
    /// <summary>Both.</summary>
    Bf16ChannelsLast,
}

/// <summary>What a <see cref="StepFormat"/> does to a step's inputs, and its names on the command line.</summary>
public static class StepFormats
{
    /// <summary>The adoption rule of a format: its step at least this many times as fast as fp32's (the bench's
    /// median of alternated measurements), at a linear probe within 1 point of fp32's at equal steps.</summary>
    public const double AdoptionSpeedup = 1.3;

    /// <summary>The command line's names: fp32, bf16, channels-last, bf16-channels-last.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fp32", "bf16", "channels-last", "bf16-channels-last"];

    /// <summary>The format called <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">an unknown name; the message lists the valid ones</exception>
    public static StepFormat Parse(string name) => Names.ToList().IndexOf(name) is var i and >= 0 ? (StepFormat)i
        : throw new ArgumentException($"unknown step format '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The command line's name of <paramref name="format"/>.</summary>
    public static string Name(StepFormat format) => Names[(int)format];

    /// <summary>True for the bf16 formats.</summary>
    public static bool IsBf16(this StepFormat format) => format is StepFormat.Bf16 or StepFormat.Bf16ChannelsLast;

    /// <summary>True for the channels-last formats.</summary>
    public static bool IsChannelsLast(this StepFormat format) => format is StepFormat.ChannelsLast or StepFormat.Bf16ChannelsLast;

    /// <summary>An input image batch in the format: cast to bf16 and/or given NHWC strides (same NCHW shape and values);
    /// other tensors (labels, indices) are returned as they are. The NHWC copy is written into a new NHWC tensor rather
    /// than made by <c>contiguous()</c> of the permuted view: with one channel that view already counts as contiguous, so
    /// <c>contiguous()</c> would keep the NCHW strides (<c>[HW, HW, W, 1]</c>), which libtorch reads as NCHW and the whole
    /// network would run in NCHW; a real NHWC tensor has stride 1 on the channel (<c>[HW, 1, W, 1]</c>), which libtorch
    /// reads as channels-last.</summary>
    public static Tensor Prepare(Tensor x, StepFormat format)
    {
        if (!x.is_floating_point()) return x;
        if (format.IsBf16()) x = x.to(ScalarType.BFloat16);
        if (!format.IsChannelsLast() || x.dim() != 4) return x;
        var nhwc = empty([x.shape[0], x.shape[2], x.shape[3], x.shape[1]], dtype: x.dtype, device: x.device);   // [N, H, W, C]
        nhwc.copy_(x.permute(0, 2, 3, 1));
        return nhwc.permute(0, 3, 1, 2);                                                                          // [N, C, H, W], NHWC strides
    }

    /// <summary>A loader's batch with every view in the format (<see cref="Prepare(Tensor, StepFormat)"/>): what a
    /// training step in <paramref name="format"/> computes on.</summary>
    public static Batch Prepare(Batch batch, StepFormat format) => batch with { Views = batch.Views.Select(v => Prepare(v, format)).ToList() };
}

/// <summary>
/// bf16 training with fp32 master weights: the optimizer updates the master model's fp32 parameters; a second instance
/// of the same architecture, cast to bf16, computes the forward and backward pass. <see cref="Pull"/> copies the master
/// parameters into the copy before a step, <see cref="Push"/> copies the copy's gradients back (as fp32) before the
/// optimizer's step, and <see cref="Finish"/> copies the copy's buffers (BatchNorm statistics, queues) into the master at
/// the end. Small updates are thus accumulated in fp32, as mixed-precision training does (Micikevicius et al., ICLR 2018).
/// </summary>
public sealed class Bf16WorkingCopy
{
    readonly List<Parameter> master, work;
    readonly List<Tensor> masterBuffers, workBuffers;

    /// <param name="master">the model the optimizer updates (fp32)</param>
    /// <param name="work">a second instance of the same architecture; cast to bf16 here</param>
    /// <exception cref="ArgumentException">the two models' parameters or buffers differ in number or shape</exception>
    public Bf16WorkingCopy(nn.Module master, nn.Module work)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(work);
        work.to(ScalarType.BFloat16);
        (this.master, this.work) = (master.parameters().ToList(), work.parameters().ToList());
        (masterBuffers, workBuffers) = (master.buffers().ToList(), work.buffers().ToList());
        if (this.master.Count != this.work.Count || masterBuffers.Count != workBuffers.Count
            || this.master.Zip(this.work).Any(p => !p.First.shape.SequenceEqual(p.Second.shape)))
            throw new ArgumentException("the working copy must be another instance of the master's architecture.", nameof(work));
    }

    /// <summary>Master parameters -> the copy (cast to bf16); call before the forward pass.</summary>
    public void Pull()
    {
        using var _ = no_grad();
        foreach (var (w, m) in work.Zip(master)) w.copy_(m);
    }

    /// <summary>The copy's gradients -> the master's (cast to fp32), and the copy's are zeroed so that the next backward
    /// pass does not add to them (the optimizer zeroes only the master's); call after the backward pass, before the
    /// optimizer's step.</summary>
    public void Push()
    {
        foreach (var (w, m) in work.Zip(master))
        {
            m.grad = w.grad?.to(ScalarType.Float32);   // a new fp32 tensor: zeroing the bf16 one below leaves it alone
            w.grad?.zero_();
        }
    }

    /// <summary>The copy's buffers -> the master's (cast to their type); call once after training.</summary>
    public void Finish()
    {
        using var _ = no_grad();
        foreach (var (w, m) in workBuffers.Zip(masterBuffers)) m.copy_(w);
    }
}
