using FluentAssertions;
using SslCourse.Training;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public class ScheduleAndQueueTests
{
    [Fact]
    public void Cosine_schedule_warms_up_linearly_then_decays_to_the_final_rate()
    {
        var s = new CosineSchedule(baseLr: 1.0, totalSteps: 110, warmupSteps: 10, finalLr: 0.1);
        s.At(0).Should().BeApproximately(0.1, 1e-12);
        s.At(4).Should().BeApproximately(0.5, 1e-12);
        s.At(9).Should().BeApproximately(1.0, 1e-12);
        s.At(10).Should().BeApproximately(1.0, 1e-12);
        s.At(59).Should().BeApproximately(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 49 / 99.0)), 1e-12);
        s.At(109).Should().BeApproximately(0.1, 1e-12);
        s.At(500).Should().BeApproximately(0.1, 1e-12);
        FluentActions.Invoking(() => new CosineSchedule(0, 10)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*baseLr*");
        FluentActions.Invoking(() => new CosineSchedule(1, 10, 11)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*warmupSteps*");
    }

    [Fact]
    public void Byol_momentum_rises_from_base_to_one()
    {
        MomentumSchedule.Cosine(0, 100).Should().BeApproximately(0.996, 1e-12);
        MomentumSchedule.Cosine(50, 100).Should().BeApproximately(1 - 0.004 * 0.5, 1e-12);
        MomentumSchedule.Cosine(100, 100).Should().BeApproximately(1, 1e-12);
        FluentActions.Invoking(() => MomentumSchedule.Cosine(0, 10, 1.2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*baseMomentum*");
    }

    [Fact]
    public void Queue_is_first_in_first_out_with_fixed_size()
    {
        Course.Init(0);
        using var q = new FeatureQueue(capacity: 5, dim: 1);
        q.Count.Should().Be(0);
        q.Enqueue(tensor(new float[] { 1, 2 }).reshape(2, 1));
        D1(q.Ordered()).Should().Equal(1, 2);
        q.Enqueue(tensor(new float[] { 3, 4, 5 }).reshape(3, 1));
        D1(q.Ordered()).Should().Equal(1, 2, 3, 4, 5);
        q.Enqueue(tensor(new float[] { 6, 7 }).reshape(2, 1));           // 1 and 2 fall out
        D1(q.Ordered()).Should().Equal(3, 4, 5, 6, 7);
        q.Enqueue(tensor(new float[] { 8, 9, 10, 11, 12, 13 }).reshape(6, 1)); // more than the capacity: the last 5 stay
        D1(q.Ordered()).Should().Equal(9, 10, 11, 12, 13);
        q.Count.Should().Be(5);
        D1(q.Keys()).OrderBy(x => x).Should().Equal(9, 10, 11, 12, 13);
        FluentActions.Invoking(() => q.Enqueue(zeros(2, 3))).Should().Throw<ArgumentException>().WithMessage("*[B, 1]*");
    }

    [Fact]
    public void Queue_keys_are_a_snapshot_safe_for_backward()
    {
        Course.Init(0);
        using var q = new FeatureQueue(4, 2, Course.Generator(1));
        q.Count.Should().Be(4);
        var x = randn(3, 2).requires_grad_(true);
        var keys = q.Keys();
        var loss = x.matmul(keys.T).sum();
        q.Enqueue(randn(3, 2));
        FluentActions.Invoking(() => loss.backward()).Should().NotThrow();
    }

    [Fact]
    public void Memory_bank_update_matches_its_formula()
    {
        Course.Init(0);
        using var bank = new MemoryBank(6, 3, Course.Generator(2), momentum: 0.5);
        var idx = tensor(new long[] { 1, 4 });
        var old = D2(bank.Get(idx));
        var f = tensor(new float[] { 3, 0, 0, 0, 0, 2 }).reshape(2, 3);
        bank.Update(idx, f);
        var updated = D2(bank.Get(idx));
        var fn = new[] { new double[] { 1, 0, 0 }, new double[] { 0, 0, 1 } };
        for (int r = 0; r < 2; r++)
        {
            var v = Enumerable.Range(0, 3).Select(j => 0.5 * old[r, j] + 0.5 * fn[r][j]).ToArray();
            double norm = Math.Sqrt(v.Sum(a => a * a));
            for (int j = 0; j < 3; j++) updated[r, j].Should().BeApproximately(v[j] / norm, 1e-5);
        }
        bank.SampleNegatives(10, Course.Generator(3)).shape.Should().Equal(10, 3);
    }
}
