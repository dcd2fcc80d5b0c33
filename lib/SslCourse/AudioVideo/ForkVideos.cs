using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>
/// Videos whose future is sometimes uncertain: a ball rolls right along the middle row at 2 pixels per frame; once it
/// passes the middle column it turns up or down (a fair coin), or it is still short of the fork. Given the first
/// <c>history</c> frames, the frame <c>horizon</c> steps later is fully determined when the ball has not reached the
/// fork by then, and is one of two equally likely pictures when it has. A predictor trained with squared error then
/// draws their average: two half-bright ghosts (the blur of Mathieu, Couprie and LeCun, ICLR 2016).
/// One grey channel, 32x32; a pure function of (seed, index).
/// </summary>
public static class ForkVideos
{
    /// <summary>Frame size.</summary>
    public const int Size = 32;
    const double Speed = 2.0, ForkX = 16.0, Sigma = 1.3;

    /// <summary>Ball position at frame t for start x0 and branch (-1 up, +1 down).</summary>
    static (double X, double Y) Position(double x0, int branch, int t)
    {
        double x = x0 + Speed * t;
        if (x <= ForkX) return (x, Size / 2.0);
        double after = (x - ForkX) / Speed;  // frames since the fork
        return (ForkX + 0.75 * Speed * after, Size / 2.0 + branch * 0.75 * Speed * after);
    }

    static void DrawBall(float[] img, int offset, double cx, double cy)
    {
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                img[offset + y * Size + x] = (float)Math.Exp(-(dx * dx + dy * dy) / (2 * Sigma * Sigma));
            }
    }

    /// <summary>One clip: history [history, 32, 32] (frames 0..history-1), the future frame [1, 32, 32] at
    /// history-1+horizon, the branch taken (-1 up, +1 down) and whether the future depends on it.</summary>
    /// <param name="seed">Dataset seed.</param>
    /// <param name="index">Clip index: (seed, index) draws the clip.</param>
    /// <param name="history">Number of frames given.</param>
    /// <param name="horizon">How many frames after the last given one the future frame is.</param>
    /// <param name="branch">Force the branch (-1 or +1); drawn from (seed, index) when null.</param>
    public static (Tensor History, Tensor Future, int Branch, bool Ambiguous) Generate(int seed, long index, int history = 3, int horizon = 4, int? branch = null)
    {
        if (history < 1) throw new ArgumentOutOfRangeException(nameof(history), history, "history must be at least 1.");
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be at least 1.");
        if (branch is int b0 && b0 != -1 && b0 != 1) throw new ArgumentOutOfRangeException(nameof(branch), b0, "branch must be -1 or +1.");
        var rng = new ClipRandom(seed, index, stream: 11);
        // start (possibly still off-screen) so that the history never reaches the fork
        double x0 = rng.Uniform(-3.0, ForkX - Speed * (history - 1));
        int b = rng.Uniform() < 0.5 ? -1 : 1;
        if (branch is int forced) b = forced;
        var hist = new float[history * Size * Size];
        for (int t = 0; t < history; t++) { var p = Position(x0, b, t); DrawBall(hist, t * Size * Size, p.X, p.Y); }
        int tf = history - 1 + horizon;
        var fut = new float[Size * Size];
        var pf = Position(x0, b, tf);
        DrawBall(fut, 0, pf.X, pf.Y);
        bool ambiguous = x0 + Speed * tf > ForkX;
        return (tensor(hist).reshape(history, Size, Size), tensor(fut).reshape(1, Size, Size), b, ambiguous);
    }

    /// <summary>Clips start..start+count-1: history [N, history, 32, 32], future [N, 1, 32, 32], ambiguous [N] (bool).</summary>
    public static (Tensor History, Tensor Future, Tensor Ambiguous) Batch(int seed, long start, int count, int history = 3, int horizon = 4)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive.");
        using var scope = NewDisposeScope();
        var hs = new List<Tensor>(); var fs = new List<Tensor>(); var amb = new bool[count];
        for (int i = 0; i < count; i++)
        {
            var (h, f, _, a) = Generate(seed, start + i, history, horizon);
            hs.Add(h); fs.Add(f); amb[i] = a;
        }
        return (stack(hs).MoveToOuterDisposeScope(), stack(fs).MoveToOuterDisposeScope(), tensor(amb).MoveToOuterDisposeScope());
    }
}
