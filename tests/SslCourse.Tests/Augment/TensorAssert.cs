using TorchSharp;

namespace SslCourse.Tests.Augment;

static class TensorAssert
{
    /// <summary>Same shape and exactly the same values.</summary>
    public static bool Same(this torch.Tensor a, torch.Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
