using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// The one shape of the course's two-view methods (SimCLR, MoCo, BYOL, SimSiam): an encoder kept for downstream tasks,
/// a projection head, the loss of two views of a batch, the parameters the optimizer trains, and, where the method has
/// one, the momentum target that moves after every step.
/// </summary>
public interface ISslMethod
{
    /// <summary>The encoder f, kept for downstream tasks.</summary>
    Module<Tensor, Tensor> Encoder { get; }

    /// <summary>The (online) projection head g.</summary>
    ProjectionHead Projector { get; }

    /// <summary>The loss of two views <c>[N, C, H, W]</c> of the same images -> scalar.</summary>
    Tensor Loss(Tensor view1, Tensor view2);

    /// <summary>The parameters the optimizer trains (targets, and heads a variant does not use, are left out).</summary>
    IEnumerable<Parameter> TrainableParameters();

    /// <summary>The momentum target (BYOL, MoCo), or null.</summary>
    MomentumTarget? Target { get; }
}
