using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// sRGB (0..1, IEC 61966-2-1 transfer curve) to CIE Lab under the D65 white point and back, batched:
/// L in 0..100, a and b roughly in -110..110 (the colorization task of Zhang, Isola and Efros, ECCV 2016).
/// </summary>
public static class Lab
{
    // sRGB linear -> XYZ (D65), rows X, Y, Z
    static readonly float[] ToXyz = [0.4124564f, 0.3575761f, 0.1804375f, 0.2126729f, 0.7151522f, 0.0721750f, 0.0193339f, 0.1191920f, 0.9503041f];
    static readonly float[] Inverse = Invert3(ToXyz);
    const float Xn = 0.95047f, Yn = 1.0f, Zn = 1.08883f;
    const float Delta = 6f / 29f;

    /// <summary>RGB [N, 3, H, W] in 0..1 -> Lab [N, 3, H, W].</summary>
    public static Tensor FromRgb(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var c = rgb.clamp(0, 1);
        var linear = where(c.le(0.04045), c / 12.92, ((c + 0.055) / 1.055).pow(2.4));
        var m = tensor(ToXyz, [3, 3]).to_type(rgb.dtype);
        var xyz = einsum("ij,njhw->nihw", m, linear);                                   // [N, 3, H, W]
        var white = tensor(new[] { Xn, Yn, Zn }, [1, 3, 1, 1]).to_type(rgb.dtype);
        var t = xyz / white;
        var f = where(t.gt(Delta * Delta * Delta), t.pow(1.0 / 3.0), t / (3 * Delta * Delta) + 4.0 / 29.0);
        var fx = f[.., 0]; var fy = f[.., 1]; var fz = f[.., 2];
        return stack([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Lab [N, 3, H, W] -> RGB [N, 3, H, W], clamped to 0..1 (colours outside the sRGB gamut are clipped).</summary>
    public static Tensor ToRgb(Tensor lab) => ToRgbUnclamped(lab).clamp_(0, 1);

    /// <summary>Lab -> RGB without clamping (values outside 0..1 reveal out-of-gamut colours).</summary>
    public static Tensor ToRgbUnclamped(Tensor lab)
    {
        using var scope = NewDisposeScope();
        var l = lab[.., 0]; var a = lab[.., 1]; var b = lab[.., 2];
        var fy = (l + 16) / 116;
        var f = stack([fy + a / 500, fy, fy - b / 200], 1);
        var t = where(f.gt(Delta), f.pow(3), 3 * Delta * Delta * (f - 4.0 / 29.0));
        var white = tensor(new[] { Xn, Yn, Zn }, [1, 3, 1, 1]).to_type(lab.dtype);
        var xyz = t * white;
        var m = tensor(Inverse, [3, 3]).to_type(lab.dtype);
        var linear = einsum("ij,njhw->nihw", m, xyz);
        var c = where(linear.le(0.0031308), linear * 12.92, 1.055 * linear.clamp_min(1e-12).pow(1 / 2.4) - 0.055);
        return c.MoveToOuterDisposeScope();
    }

    static float[] Invert3(float[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new[] { e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d }
            .Select(v => (float)(v / det)).ToArray();
    }
}
