using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

/// <summary>Copies tensors to plain arrays so that the naive references can loop over them.</summary>
static class TensorArrays
{
    public static double[] D1(Tensor t) => t.to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();

    public static double[,] D2(Tensor t)
    {
        var flat = D1(t);
        int r = (int)t.shape[0], c = (int)t.shape[1];
        var a = new double[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) a[i, j] = flat[i * c + j];
        return a;
    }

    public static double Scalar(Tensor t) => t.to(ScalarType.Float64).item<double>();

    public static double[] Normalized(double[,] a, int row)
    {
        int d = a.GetLength(1);
        var v = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) norm += a[row, j] * a[row, j];
        norm = Math.Max(Math.Sqrt(norm), 1e-12);
        for (int j = 0; j < d; j++) v[j] = a[row, j] / norm;
        return v;
    }

    public static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    public static double[] LogSoftmaxRow(double[,] logits, int row)
    {
        int c = logits.GetLength(1);
        double max = double.NegativeInfinity;
        for (int j = 0; j < c; j++) max = Math.Max(max, logits[row, j]);
        double sum = 0;
        for (int j = 0; j < c; j++) sum += Math.Exp(logits[row, j] - max);
        var r = new double[c];
        for (int j = 0; j < c; j++) r[j] = logits[row, j] - max - Math.Log(sum);
        return r;
    }

    public static bool AllFinite(Tensor t) => t.isfinite().all().item<bool>();
}
