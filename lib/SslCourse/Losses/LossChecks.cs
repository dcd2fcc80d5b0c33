using static TorchSharp.torch;

namespace SslCourse.Losses;

/// <summary>Argument checks shared by the losses; each names the bad value.</summary>
static class LossChecks
{
    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    public static void Temperature(double temperature, string name = "temperature")
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(name, temperature, $"{name} must be a positive finite number.");
    }

    public static void Rank(Tensor t, int rank, string name, string expected)
    {
        if (t.dim() != rank) throw new ArgumentException($"{name} must be {expected}; got {Shape(t)}.", name);
    }

    public static void SameShape(Tensor a, Tensor b, string nameA, string nameB)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"{nameA} {Shape(a)} and {nameB} {Shape(b)} must have the same shape.", nameB);
    }

    public static void Labels(Tensor logits, Tensor labels, string name = "labels")
    {
        if (labels.dim() != 1 || labels.shape[0] != logits.shape[0])
            throw new ArgumentException($"{name} must be [N] with N = {logits.shape[0]}; got {Shape(labels)}.", name);
    }
}
