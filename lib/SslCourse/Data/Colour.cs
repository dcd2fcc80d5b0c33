namespace SslCourse.Data;

/// <summary>Scalar colour-space helpers for the procedural renderers (HSV with every component in 0..1).</summary>
internal static class Colour
{
    public static void HsvToRgb(float h, float s, float v, out float r, out float g, out float b)
    {
        h = (h - MathF.Floor(h)) * 6f;
        int i = (int)h % 6;
        float f = h - MathF.Floor(h), p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        (r, g, b) = i switch { 0 => (v, t, p), 1 => (q, v, p), 2 => (p, v, t), 3 => (p, q, v), 4 => (t, p, v), _ => (v, p, q) };
    }

    public static void RgbToHsv(float r, float g, float b, out float h, out float s, out float v)
    {
        float max = MathF.Max(r, MathF.Max(g, b)), min = MathF.Min(r, MathF.Min(g, b)), d = max - min;
        v = max;
        s = max > 0 ? d / max : 0;
        if (d <= 0) { h = 0; return; }
        if (max == r) h = (g - b) / d / 6f;
        else if (max == g) h = ((b - r) / d + 2f) / 6f;
        else h = ((r - g) / d + 4f) / 6f;
        if (h < 0) h += 1f;
    }
}
