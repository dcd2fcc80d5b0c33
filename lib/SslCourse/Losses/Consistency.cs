using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// The consistency cost of Mean Teacher (Tarvainen and Valpola, NeurIPS 2017) and the Pi-model: the squared
/// difference between the student's and the teacher's predicted class distributions on (differently perturbed
/// views of) the same input, no gradient into the teacher:
/// <c>(1/(N C)) sum_n sum_c (softmax(s_n)_c - softmax(sg(t_n))_c)^2</c>.
/// </summary>
public static class Consistency
{
    /// <summary>Mean squared error between softmax distributions.</summary>
    /// <param name="studentLogits"><c>[N, C]</c></param>
    /// <param name="teacherLogits"><c>[N, C]</c> (detached here)</param>
    /// <returns>scalar</returns>
    public static Tensor Loss(Tensor studentLogits, Tensor teacherLogits)
    {
        LossChecks.Rank(studentLogits, 2, nameof(studentLogits), "[N, C]");
        LossChecks.SameShape(studentLogits, teacherLogits, nameof(studentLogits), nameof(teacherLogits));
        return mse_loss(softmax(studentLogits, 1), softmax(teacherLogits.detach(), 1));
    }
}
