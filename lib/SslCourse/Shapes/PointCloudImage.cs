using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>An orthographic camera for <see cref="PointCloudImage"/>: azimuth about the vertical axis and elevation, in degrees.</summary>
public readonly record struct Camera(double Azimuth, double Elevation, string Name)
{
    /// <summary>Looking at the front (from -y).</summary>
    public static Camera Front => new(0, 0, "front");
    /// <summary>Looking from the right side (from +x).</summary>
    public static Camera Side => new(90, 0, "side");
    /// <summary>Looking down from above.</summary>
    public static Camera Top => new(0, 89.9, "top");
    /// <summary>A three-quarter view from above the front right.</summary>
    public static Camera Oblique => new(35, 25, "oblique");
    /// <summary>The four views above.</summary>
    public static IReadOnlyList<Camera> Standard { get; } = new[] { Front, Side, Top, Oblique };
}

/// <summary>
/// Orthographic renders of coloured point clouds into image tensors (to show with <see cref="Display.ImageGrid"/>):
/// each point is a small disc, nearer points hide farther ones (z-buffer) and are drawn brighter.
/// </summary>
public static class PointCloudImage
{
    /// <summary>Twelve well separated colours (RGB in 0..1) for parts and pieces.</summary>
    public static IReadOnlyList<(float R, float G, float B)> Palette { get; } = new (float, float, float)[]
    {
        (0.12f, 0.47f, 0.71f), (1.00f, 0.50f, 0.05f), (0.17f, 0.63f, 0.17f), (0.84f, 0.15f, 0.16f),
        (0.58f, 0.40f, 0.74f), (0.55f, 0.34f, 0.29f), (0.89f, 0.47f, 0.76f), (0.50f, 0.50f, 0.50f),
        (0.74f, 0.74f, 0.13f), (0.09f, 0.75f, 0.81f), (0.10f, 0.10f, 0.40f), (0.60f, 0.90f, 0.50f),
    };

    /// <summary>Colours [N*3] for integer labels (label k gets palette colour k mod 12; negative labels are grey).</summary>
    public static float[] Colours(IReadOnlyList<int> labels)
    {
        var c = new float[labels.Count * 3];
        for (int i = 0; i < labels.Count; i++)
        {
            var (r, g, b) = labels[i] < 0 ? (0.8f, 0.8f, 0.8f) : Palette[labels[i] % Palette.Count];
            c[3 * i] = r; c[3 * i + 1] = g; c[3 * i + 2] = b;
        }
        return c;
    }

    /// <summary>Colours [N*3] on a blue-to-red ramp for values in [0, <paramref name="max"/>] (a heat map on the points).</summary>
    public static float[] Ramp(IReadOnlyList<double> values, double max)
    {
        if (!(max > 0)) throw new ArgumentOutOfRangeException(nameof(max), max, $"max must be positive, got {max}.");
        var c = new float[values.Count * 3];
        for (int i = 0; i < values.Count; i++)
        {
            float t = (float)Math.Clamp(values[i] / max, 0, 1);
            c[3 * i] = 0.15f + 0.85f * t; c[3 * i + 1] = 0.25f + 0.5f * (1 - Math.Abs(2 * t - 1)); c[3 * i + 2] = 0.9f * (1 - t) + 0.1f;
        }
        return c;
    }

    /// <summary>Renders points [N*3] (in the unit ball) with colours [N*3] seen from <paramref name="view"/>:
    /// an image [3, size, size] with values in 0..1 on a white background.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Render(ReadOnlySpan<float> points, ReadOnlySpan<float> colours, Camera view, int size = 96, int radius = 1)
    {
        if (size < 8) throw new ArgumentOutOfRangeException(nameof(size), size, $"size must be at least 8, got {size}.");
        if (radius < 0) throw new ArgumentOutOfRangeException(nameof(radius), radius, $"radius must be non-negative, got {radius}.");
        int n = points.Length / 3;
        if (colours.Length != points.Length)
            throw new ArgumentException($"colours: expected {points.Length} values (3 per point), got {colours.Length}.", nameof(colours));
        double az = view.Azimuth * Math.PI / 180, el = view.Elevation * Math.PI / 180;
        // Camera frame: 'forward' points from the camera into the scene; right and up span the image plane.
        var forward = new Vec3(-Math.Sin(az) * Math.Cos(el), Math.Cos(az) * Math.Cos(el), -Math.Sin(el));
        var right = new Vec3(Math.Cos(az), Math.Sin(az), 0);
        var up = Vec3.Cross(right, forward);
        var image = new float[3 * size * size];
        Array.Fill(image, 1f);
        var depth = new double[size * size];
        Array.Fill(depth, double.PositiveInfinity);
        double half = (size - 1) / 2.0, scale = half * 0.92;
        for (int i = 0; i < n; i++)
        {
            var p = Vec3.At(points, i);
            double px = half + scale * Vec3.Dot(p, right), py = half - scale * Vec3.Dot(p, up), z = Vec3.Dot(p, forward);
            float shade = (float)(0.95 - 0.3 * (z + 1) / 2);
            int cx = (int)Math.Round(px), cy = (int)Math.Round(py);
            for (int dy = -radius; dy <= radius; dy++)
                for (int dx = -radius; dx <= radius; dx++)
                {
                    if (dx * dx + dy * dy > radius * radius + radius) continue;
                    int x = cx + dx, y = cy + dy;
                    if (x < 0 || y < 0 || x >= size || y >= size || z >= depth[y * size + x]) continue;
                    depth[y * size + x] = z;
                    for (int ch = 0; ch < 3; ch++) image[(ch * size + y) * size + x] = colours[3 * i + ch] * shade;
                }
        }
        return tensor(image, new long[] { 3, size, size });
    }

    /// <summary>Renders one cloud from several views: [V, 3, size, size].</summary>
    public static Tensor Views(ReadOnlySpan<float> points, ReadOnlySpan<float> colours, IReadOnlyList<Camera>? views = null, int size = 96, int radius = 1)
    {
        views ??= Camera.Standard;
        var images = new Tensor[views.Count];
        for (int v = 0; v < views.Count; v++) images[v] = Render(points, colours, views[v], size, radius);
        var stacked = stack(images);
        foreach (var t in images) t.Dispose();
        return stacked;
    }
}
