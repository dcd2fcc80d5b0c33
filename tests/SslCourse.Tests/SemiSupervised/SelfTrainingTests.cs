using FluentAssertions;
using SslCourse.Data;
using SslCourse.Models;
using SslCourse.SemiSupervised;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.SemiSupervised;

public class SelfTrainingTests
{
    public SelfTrainingTests() => Course.Init(seed: 4);

    static double NaiveCe(float[] logits, int offset, int classes, long label)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < classes; c++) max = Math.Max(max, logits[offset + c]);
        double sum = 0;
        for (int c = 0; c < classes; c++) sum += Math.Exp(logits[offset + c] - max);
        return -(logits[offset + (int)label] - max - Math.Log(sum));
    }

    [Fact]
    public void Loss_matches_labelled_mean_plus_lambda_times_weighted_pseudo_mean_written_as_loops()
    {
        var g = Course.Generator(1);
        int b = 5, m = 7, k = 4;
        var l = randn(new long[] { b, k }, generator: g);
        var y = randint(k, [b], generator: g);
        var u = randn(new long[] { m, k }, generator: g);
        var yu = randint(k, [m], generator: g);
        var w = rand(m, generator: g);
        double lambda = 0.7;
        var got = SelfTraining.Loss(l, y, u, yu, w, lambda).item<float>();

        var la = l.data<float>().ToArray(); var ya = y.data<long>().ToArray();
        var ua = u.data<float>().ToArray(); var yua = yu.data<long>().ToArray(); var wa = w.data<float>().ToArray();
        double sup = 0; for (int i = 0; i < b; i++) sup += NaiveCe(la, i * k, k, ya[i]);
        double pse = 0; for (int i = 0; i < m; i++) pse += wa[i] * NaiveCe(ua, i * k, k, yua[i]);
        got.Should().BeApproximately((float)(sup / b + lambda * pse / m), 1e-5f);
    }

    [Fact]
    public void Loss_without_pseudo_labels_is_the_cross_entropy_and_lambda_is_validated()
    {
        var l = tensor(new float[] { 0, 0, 0, 0 }).reshape(2, 2);
        var y = tensor(new long[] { 0, 1 });
        var empty = zeros(0, 2);
        SelfTraining.Loss(l, y, empty, zeros(0, dtype: ScalarType.Int64), zeros(0)).item<float>().Should().BeApproximately((float)Math.Log(2), 1e-6f);
        var act = () => SelfTraining.Loss(l, y, l, y, ones(2), -1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*lambda*");
    }

    [Fact]
    public void Predict_gives_eval_mode_softmax_independent_of_batch_size_and_restores_train_mode()
    {
        var model = new ConvClassifier(3, 5, width: 0.25);
        var x = rand(new long[] { 7, 3, 16, 16 }, generator: Course.Generator(2));
        model.train();
        var a = SelfTraining.Predict(model, x, batchSize: 3);
        var b = SelfTraining.Predict(model, x, batchSize: 100);
        model.training.Should().BeTrue();
        a.shape.Should().Equal(7, 5);
        a.sum(1).allclose(ones(7), atol: 1e-5).Should().BeTrue();
        a.allclose(b, atol: 1e-5).Should().BeTrue();
        model.eval();
        using (no_grad()) a.allclose(nn.functional.softmax(model.call(x), 1), atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Fit_lowers_the_loss_and_repeats_itself_with_the_same_seed()
    {
        var set = new ToyObjects(seed: 0, size: 16).Train(40);
        var pool = new ToyObjects(seed: 0, size: 16).Set(1000, 30).Images;
        var pseudo = PseudoLabels.All(nn.functional.one_hot(randint(10, [30], generator: Course.Generator(3)), 10).to_type(ScalarType.Float32));
        TrainHistoryLosses Run()
        {
            Course.Reseed(5);
            var model = new ConvClassifier(3, 10, width: 0.25);
            var opt = optim.Adam(model.parameters(), lr: 3e-3);
            var h = SelfTraining.Fit(model, opt, set, pool, pseudo, new SelfTrainingOptions { Steps = 30, BatchSize = 8, Seed = 9, ShowProgress = false });
            return new(h.Loss.ToArray());
        }
        var first = Run();
        var second = Run();
        first.Loss.Should().Equal(second.Loss);
        first.Loss.Skip(22).Average().Should().BeLessThan(first.Loss[0]);
    }

    sealed record TrainHistoryLosses(double[] Loss);

    [Fact]
    public void Fit_refuses_pseudo_labels_without_their_pool()
    {
        var set = new ToyObjects(seed: 0, size: 16).Train(10);
        var model = new ConvClassifier(3, 10, width: 0.25);
        var pseudo = PseudoLabels.All(full(new long[] { 3, 10 }, 0.1f));
        var act = () => SelfTraining.Fit(model, optim.Adam(model.parameters()), set, null, pseudo, new SelfTrainingOptions { Steps = 1, ShowProgress = false });
        act.Should().Throw<ArgumentException>().WithMessage("*pool*");
    }

    [Fact]
    public void ConvClassifier_maps_images_to_logits_and_features()
    {
        var model = new ConvClassifier(1, 7, width: 0.5);
        var x = rand(new long[] { 2, 1, 28, 28 });
        model.call(x).shape.Should().Equal(2, 7);
        model.Features(x).shape.Should().Equal(2, model.Encoder.OutputDim);
        model.Classes.Should().Be(7);
    }
}

public class OutOfDomainTests
{
    public OutOfDomainTests() => Course.Init(seed: 5);

    [Fact]
    public void KnnScore_matches_sorted_distances_of_normalised_features()
    {
        var g = Course.Generator(6);
        var f = randn(new long[] { 6, 3 }, generator: g, dtype: ScalarType.Float64);
        var r = randn(new long[] { 9, 3 }, generator: g, dtype: ScalarType.Float64);
        double[] Norm(Tensor t, int i) { var v = t[i].data<double>().ToArray(); var n = Math.Sqrt(v.Sum(a => a * a)); return v.Select(a => a / n).ToArray(); }
        double Dist(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());
        foreach (int k in new[] { 1, 3 })
        {
            var got = OutOfDomain.KnnScore(f, r, k);
            for (int i = 0; i < 6; i++)
            {
                var expected = Enumerable.Range(0, 9).Select(j => Dist(Norm(f, i), Norm(r, j))).Order().ElementAt(k - 1);
                got[i].item<double>().Should().BeApproximately(expected, 1e-9);
            }
        }
        var self = OutOfDomain.KnnScore(r, r, 2, excludeSelf: true);
        for (int i = 0; i < 9; i++)
        {
            var expected = Enumerable.Range(0, 9).Where(j => j != i).Select(j => Dist(Norm(r, i), Norm(r, j))).Order().ElementAt(1);
            self[i].item<double>().Should().BeApproximately(expected, 1e-9);
        }
    }

    [Fact]
    public void Threshold_is_the_quantile_and_Keep_takes_scores_at_or_below_it()
    {
        var s = tensor(new float[] { 0.5f, 0.1f, 0.9f, 0.3f, 0.7f });
        OutOfDomain.Threshold(s, 0.5).Should().BeApproximately(0.5, 1e-6);
        OutOfDomain.Threshold(s, 1.0).Should().BeApproximately(0.9, 1e-6);
        OutOfDomain.Threshold(s, 0.75).Should().BeApproximately(0.7, 1e-6);   // sorted 0.1 .3 .5 .7 .9, position 3
        OutOfDomain.Keep(s, 0.5).data<long>().ToArray().Should().Equal(0, 1, 3);
        var act = () => OutOfDomain.Threshold(s, 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*keep*");
    }

    [Fact]
    public void Unnormalised_KnnScore_uses_plain_distances_and_Standardise_uses_reference_moments()
    {
        var f = tensor(new double[] { 0, 0, 3, 4 }).reshape(2, 2);
        var r = tensor(new double[] { 0, 1, 6, 8 }).reshape(2, 2);
        OutOfDomain.KnnScore(f, r, 1, normalise: false).data<double>().ToArray().Should().Equal(1.0, Math.Sqrt(9 + 9));
        var x = randn(new long[] { 5, 3 }, generator: Course.Generator(10), dtype: ScalarType.Float64);
        var refm = randn(new long[] { 7, 3 }, generator: Course.Generator(11), dtype: ScalarType.Float64);
        var z = OutOfDomain.Standardise(x, refm, eps: 0);
        var ra = refm.data<double>().ToArray();
        for (int d = 0; d < 3; d++)
        {
            var col = Enumerable.Range(0, 7).Select(i => ra[i * 3 + d]).ToArray();
            double mean = col.Average(), sd = Math.Sqrt(col.Sum(v => (v - mean) * (v - mean)) / 6);
            for (int i = 0; i < 5; i++) z[i, d].item<double>().Should().BeApproximately((x[i, d].item<double>() - mean) / sd, 1e-9);
        }
    }

    [Fact]
    public void BlockStatistics_are_channel_means_and_stds_of_the_first_blocks()
    {
        var enc = new SslCourse.Models.ConvNet(3, 0.25);
        var x = rand(new long[] { 3, 3, 16, 16 }, generator: Course.Generator(12));
        enc.train();
        var s = OutOfDomain.BlockStatistics(enc, x, blocks: 2);
        enc.training.Should().BeTrue();
        enc.eval();
        using var _ = no_grad();
        var outs = enc.Features(x);
        s.shape.Should().Equal(3, 2 * (enc.Widths[0] + enc.Widths[1]));
        var b1 = outs[0];
        int c0 = enc.Widths[0];
        for (int c = 0; c < c0; c += 3)
        {
            var v = b1[1, c].flatten().data<float>().ToArray();
            double mean = v.Average(), sd = Math.Sqrt(v.Sum(a => (a - mean) * (a - mean)) / (v.Length - 1));
            s[1, c].item<float>().Should().BeApproximately((float)mean, 1e-4f);
            s[1, c0 + c].item<float>().Should().BeApproximately((float)sd, 1e-4f);
        }
        var act = () => OutOfDomain.BlockStatistics(enc, x, blocks: 9);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*blocks*");
    }

    [Fact]
    public void SoftmaxScore_is_one_minus_the_top_probability_and_k_is_validated()
    {
        var p = tensor(new float[] { 0.7f, 0.2f, 0.1f, 0.3f, 0.3f, 0.4f }).reshape(2, 3);
        OutOfDomain.SoftmaxScore(p).data<float>().ToArray().Should().BeEquivalentTo(new[] { 0.3f, 0.6f }, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
        var act = () => OutOfDomain.KnnScore(randn(2, 3), randn(4, 3), k: 5);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*k*");
    }
}

public class DistillationTransformsTests
{
    public DistillationTransformsTests() => Course.Init(seed: 6);

    // Bilinear resize with align_corners = false, written as loops (PyTorch's source-index rule: s = (d + 0.5) in/out - 0.5, clamped at 0).
    static double[,] NaiveResize(double[,] src, int outH, int outW)
    {
        int inH = src.GetLength(0), inW = src.GetLength(1);
        var dst = new double[outH, outW];
        for (int i = 0; i < outH; i++)
            for (int j = 0; j < outW; j++)
            {
                double sy = Math.Max(0, (i + 0.5) * inH / outH - 0.5), sx = Math.Max(0, (j + 0.5) * inW / outW - 0.5);
                int y0 = (int)Math.Floor(sy), x0 = (int)Math.Floor(sx);
                int y1 = Math.Min(y0 + 1, inH - 1), x1 = Math.Min(x0 + 1, inW - 1);
                double ly = sy - y0, lx = sx - x0;
                dst[i, j] = (1 - ly) * ((1 - lx) * src[y0, x0] + lx * src[y0, x1]) + ly * ((1 - lx) * src[y1, x0] + lx * src[y1, x1]);
            }
        return dst;
    }

    static double[,] Plane(Tensor t) { var h = (int)t.shape[0]; var w = (int)t.shape[1]; var a = t.to_type(ScalarType.Float64).data<double>().ToArray(); var r = new double[h, w]; for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) r[i, j] = a[i * w + j]; return r; }

    [Fact]
    public void Zoom_in_by_two_resizes_the_central_half()
    {
        var x = rand(new long[] { 1, 1, 8, 8 }, generator: Course.Generator(7));
        var got = DistillationTransforms.Zoom(x, 2.0);
        var crop = Plane(x[0, 0, 2..6, 2..6]);
        var expected = NaiveResize(crop, 8, 8);
        for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) got[0, 0, i, j].item<float>().Should().BeApproximately((float)expected[i, j], 1e-5f);
    }

    [Fact]
    public void Zoom_out_by_two_pads_with_the_edge_and_resizes_down()
    {
        var x = rand(new long[] { 1, 1, 4, 4 }, generator: Course.Generator(8));
        var got = DistillationTransforms.Zoom(x, 0.5);
        var src = Plane(x[0, 0]);
        var padded = new double[8, 8];
        for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) padded[i, j] = src[Math.Clamp(i - 2, 0, 3), Math.Clamp(j - 2, 0, 3)];
        var expected = NaiveResize(padded, 4, 4);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) got[0, 0, i, j].item<float>().Should().BeApproximately((float)expected[i, j], 1e-5f);
    }

    [Fact]
    public void Zoom_one_is_the_identity_constant_images_stay_constant_and_factors_are_validated()
    {
        var x = rand(new long[] { 2, 3, 10, 10 }, generator: Course.Generator(9));
        DistillationTransforms.Zoom(x, 1.0).allclose(x, rtol: 0, atol: 0).Should().BeTrue();
        var c = full(new long[] { 2, 3, 10, 10 }, 0.25f);
        foreach (var t in DistillationTransforms.Scales(0.85, 1.2))
        {
            var y = t(c);
            y.shape.Should().Equal(2, 3, 10, 10);
            y.allclose(c, atol: 1e-6).Should().BeTrue();
        }
        var act = () => DistillationTransforms.Scales(3.0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*factors*");
    }
}
