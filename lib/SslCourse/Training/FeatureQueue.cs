using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Training;

/// <summary>
/// MoCo's dictionary (He et al., CVPR 2020): a first-in first-out queue of the last <see cref="Capacity"/> keys.
/// Each batch's keys are enqueued and the oldest fall out, so negatives come from many earlier batches at the cost of
/// one matrix product. MoCo's default size is 65,536; the course uses a few thousand.
/// </summary>
public sealed class FeatureQueue : IDisposable
{
    Tensor buffer;          // [K, D]
    int next;               // where the next key goes

    /// <summary>K, the number of keys kept.</summary>
    public int Capacity { get; }
    /// <summary>D, the key dimension.</summary>
    public int Dim { get; }
    /// <summary>Keys stored so far (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>An empty queue of <paramref name="capacity"/> keys of <paramref name="dim"/> dimensions; when a
    /// generator is given it starts full of random unit vectors, as MoCo's does.</summary>
    public FeatureQueue(int capacity, int dim, Generator? randomFill = null, Device? device = null)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be at least 1.");
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be at least 1.");
        (Capacity, Dim) = (capacity, dim);
        if (randomFill is null) buffer = zeros(capacity, dim);
        else
        {
            using var r = randn(capacity, dim, generator: randomFill);
            buffer = normalize(r, dim: 1);
            Count = capacity;
        }
        if (device is not null && device.type != DeviceType.CPU) buffer = buffer.to(device);
    }

    /// <summary>Adds keys (detached, copied), overwriting the oldest when full.</summary>
    /// <param name="keys"><c>[B, D]</c>; B may exceed the capacity (only the last K stay)</param>
    public void Enqueue(Tensor keys)
    {
        if (keys.dim() != 2 || keys.shape[1] != Dim)
            throw new ArgumentException($"keys must be [B, {Dim}]; got [{string.Join(", ", keys.shape)}].", nameof(keys));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var k = keys.detach().to(buffer.dtype).to(buffer.device);
        long b = k.shape[0];
        if (b > Capacity) { k = k[(int)(b - Capacity)..]; b = Capacity; }
        long first = Math.Min(b, Capacity - next);
        buffer[next..(int)(next + first)] = k[..(int)first];
        if (first < b) buffer[..(int)(b - first)] = k[(int)first..];
        next = (int)((next + b) % Capacity);
        Count = (int)Math.Min(Capacity, Count + b);
    }

    /// <summary>Moves the stored keys to <paramref name="device"/> when they are elsewhere (a queue follows the model
    /// that fills it).</summary>
    public void Follow(Device device)
    {
        if (buffer.device.type == device.type && buffer.device.index == device.index) return;
        var moved = buffer.to(device).DetachFromDisposeScope();
        buffer.Dispose();
        buffer = moved;
    }

    /// <summary>A copy of the stored keys, <c>[Count, D]</c> (safe to use in a loss while the queue moves on).</summary>
    public Tensor Keys() => Count == Capacity ? buffer.clone() : buffer[..Count].clone();

    /// <summary>The stored keys oldest first, <c>[Count, D]</c>.</summary>
    public Tensor Ordered()
    {
        if (Count < Capacity) return buffer[..Count].clone();
        using var scope = NewDisposeScope();
        return cat([buffer[next..], buffer[..next]], 0).MoveToOuterDisposeScope(); // [K, D]
    }

    /// <inheritdoc/>
    public void Dispose() => buffer.Dispose();
}
